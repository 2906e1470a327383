import { row, user, type PolicyRow, type RouteKey } from './policy-row.ts';

// Requests are the organisation's own (the CERT: all); the CERT answers, keeps topics, canned answers
// and held mail; the knowledge base is read by everyone with publications:read (TLP:CLEAR/GREEN) and
// written by the CERT. Only participants ask: CERT staff get 403 even where their role holds requests:ask.
// prettier-ignore
export const REQUEST_POLICY = {
  'GET /api/v1/requests':                                        row(user('requests:read'), 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
  'POST /api/v1/requests':                                       row(user('requests:ask'), 'deny', 'deny', 'deny', 'own', 'own', 'deny'),
  'GET /api/v1/requests/topics':                                 row(user('requests:read'), 'deny', 'allow', 'allow', 'allow', 'allow', 'deny'),
  'POST /api/v1/requests/topics':                                row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'PATCH /api/v1/requests/topics/:id':                           row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/requests/canned-answers':                         row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/requests/canned-answers':                        row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'PATCH /api/v1/requests/canned-answers/:id':                   row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'DELETE /api/v1/requests/canned-answers/:id':                  row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/requests/held':                                   row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/requests/held-mail/:id/release':                 row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'DELETE /api/v1/requests/held-mail/:id':                       row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/requests/:id':                                    row(user('requests:read'), 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
  'PATCH /api/v1/requests/:id':                                  row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/requests/:id/questions':                         row(user('requests:ask'), 'deny', 'allow', 'deny', 'own', 'own', 'deny'),
  'POST /api/v1/requests/:id/answers':                           row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/requests/:id/notes':                             row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/requests/:id/held/:messageId/release':           row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'DELETE /api/v1/requests/:id/held/:messageId':                 row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/requests/:id/article-draft':                      row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/knowledge':                                       row(user('publications:read'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/knowledge':                                      row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/knowledge/:id':                                   row(user('publications:read'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'PATCH /api/v1/knowledge/:id':                                 row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'DELETE /api/v1/knowledge/:id':                                row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
} satisfies Record<RouteKey, PolicyRow>;
