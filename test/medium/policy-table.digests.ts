import { row, user, type PolicyRow, type RouteKey } from './policy-row.ts';

// --- digests: the CERT edits, reviews and sends (digests:write, digests:approve); everyone logged in
//     reads the archive of sent digests, each reader only the entries their organisation may see
//     (checked per entry in access-matrix.digests.ts; unsent digests do not exist for readers).
// prettier-ignore
export const DIGEST_POLICY = {
  'GET /api/v1/digests':                                row(user('digests:read'),    'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/digests':                               row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/digests/:id':                            row(user('digests:read'),    'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'PATCH /api/v1/digests/:id':                          row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'PUT /api/v1/digests/:id/order':                      row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/digests/:id/entries':                   row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'DELETE /api/v1/digests/:id/entries/:entryId':        row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/digests/:id/assemble':                  row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/digests/:id/hold':                      row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/digests/:id/release':                   row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/digests/:id/submit':                    row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/digests/:id/send':                      row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/digests/:id/approve':                   row(user('digests:approve'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/digests/:id/recipients':                 row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/digests/:id/preview':                    row(user('digests:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
} satisfies Record<RouteKey, PolicyRow>;
