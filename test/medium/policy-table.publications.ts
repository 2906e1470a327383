import { row, user, PUBLIC, type PolicyRow, type RouteKey } from './policy-row.ts';

// --- publications: the CERT writes (publications:write); everyone logged in reads what the marking
//     and the audience allow ('own' = a publication named for the actor's organisation under
//     AMBER+STRICT; another organisation's does not exist for them). The public site shows published
//     TLP:CLEAR publications to all.
// prettier-ignore
export const PUBLICATION_POLICY = {
  'GET /api/v1/publications':                                  row(user('publications:read'),  'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/publications/review-due':                       row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/publications/preview':                         row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/publications':                                 row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/publications/:id':                              row(user('publications:read'),  'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'PATCH /api/v1/publications/:id':                            row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/publications/:id/versions':                    row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/publications/:id/versions/upload':             row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/publications/:id/publish':                     row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/publications/:id/withdraw':                    row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/publications/:id/download':                     row(user('publications:read'),  'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/publications/:id/versions/:version/download':   row(user('publications:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /public/publications':                                  row(PUBLIC,                     'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /public/publications/:id':                              row(PUBLIC,                     'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /public/publications/:id/pdf':                          row(PUBLIC,                     'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /feeds/publications.atom':                              row(PUBLIC,                     'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
} satisfies Record<RouteKey, PolicyRow>;
