import { row, user, type PolicyRow, type RouteKey } from './policy-row.ts';

// The community: spaces are seen by their members (by role, kind, segment or name) and always by
// the CERT. 'own' is a space the actor's organisation is a member of (or a thread, post or file in
// it; for edits and uploads, the actor's own post), 'other' a space it is not in, which is 404.
// Moderation is the CERT’s.
// prettier-ignore
export const COMMUNITY_POLICY = {
  'GET /api/v1/community/spaces':                               row(user('community:read'),     'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/community/spaces':                              row(user('community:moderate'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/community/spaces/:spaceId':                      row(user('community:read'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'PATCH /api/v1/community/spaces/:spaceId':                    row(user('community:moderate'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/community/spaces/:spaceId/organisations':        row(user('community:read'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/community/spaces/:spaceId/threads':              row(user('community:read'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'POST /api/v1/community/spaces/:spaceId/threads':             row(user('community:post'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'PUT /api/v1/community/spaces/:spaceId/preference':           row(user('community:read'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/community/threads/:threadId':                    row(user('community:read'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'PATCH /api/v1/community/threads/:threadId':                  row(user('community:moderate'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/community/threads/:threadId/posts':             row(user('community:post'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'PUT /api/v1/community/threads/:threadId/answer':             row(user('community:post'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'PATCH /api/v1/community/posts/:postId':                      row(user('community:post'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/community/posts/:postId/versions':               row(user('community:moderate'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/community/posts/:postId/hide':                  row(user('community:moderate'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/community/posts/:postId/unhide':                row(user('community:moderate'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'PUT /api/v1/community/posts/:postId/reactions/:kind':        row(user('community:post'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'DELETE /api/v1/community/posts/:postId/reactions/:kind':     row(user('community:post'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'POST /api/v1/community/posts/:postId/attachments':           row(user('community:post'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/community/attachments/:attachmentId':            row(user('community:read'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/community/search':                               row(user('community:read'),     'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
} satisfies Record<RouteKey, PolicyRow>;
