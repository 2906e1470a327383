import { row, user, PUBLIC, type PolicyRow, type RouteKey } from './policy-row.ts';

// Network meetings: everyone in the community reads the meetings their TLP marking reaches ('own' is
// a meeting marked AMBER for the actor's organisation, 'other' one for another organisation, which is
// 404); the CERT organises (meetings:write). An RSVP is one's own (or a colleague's, for a
// participant admin). The calendar feed is public: the secret in its address is the credential.
// prettier-ignore
export const MEETING_POLICY = {
  'GET /api/v1/meetings':                                  row(user('meetings:read'),  'deny',  'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/meetings':                                 row(user('meetings:write'), 'deny',  'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/meetings/feed-token':                       row(user('meetings:read'),  'deny',  'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/meetings/feed-token':                      row(user('meetings:read'),  'deny',  'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/meetings/feed/:token':                      row(PUBLIC,                 'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/meetings/:id':                              row(user('meetings:read'),  'deny',  'allow', 'allow', 'own',   'own',   'own'),
  'PATCH /api/v1/meetings/:id':                            row(user('meetings:write'), 'deny',  'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/meetings/:id/cancel':                      row(user('meetings:write'), 'deny',  'allow', 'allow', 'deny',  'deny',  'deny'),
  'PUT /api/v1/meetings/:id/rsvp':                         row(user('meetings:rsvp'),  'deny',  'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/meetings/:id/attendees':                    row(user('meetings:write'), 'deny',  'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/meetings/:id/ics':                          row(user('meetings:read'),  'deny',  'allow', 'allow', 'own',   'own',   'own'),
  'POST /api/v1/meetings/:id/materials':                   row(user('meetings:write'), 'deny',  'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/meetings/:id/materials/:materialId':        row(user('meetings:read'),  'deny',  'allow', 'allow', 'own',   'own',   'own'),
} satisfies Record<RouteKey, PolicyRow>;
