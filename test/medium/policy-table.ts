/**
 * THE access policy of the HTTP API, written out by hand as data: for every route, who may call it.
 *
 * Nothing here is derived from ROLE_GRANTS, TOKEN_SCOPES or the routes' own declarations. The table
 * is the second, independent statement of the policy: access-matrix.test.ts sends real requests for
 * every route and actor and compares the answers with this table, and route-declarations.test.ts
 * compares every route's declared `config.access` with the `access` column here. A change to the
 * permission catalogue, to a route's declaration or to a service's check that is not mirrored here
 * fails the build, and so does a new route without a row.
 *
 * Outcomes:
 * - 'allow': 2xx, whatever organisation the target belongs to (lists: other tenants' rows included);
 * - 'deny':  401 (anonymous) or 403/404 (logged in), for every target;
 * - 'own':   2xx on the actor's own object (for organisation routes: an object of the actor's own
 *            organisation; for self-service routes: the actor's own session or token), and 403/404
 *            on another organisation's. For lists: 2xx, and only rows of the actor's organisation.
 *
 * Documents are TLP-marked, not owned: the document rows describe a TLP:AMBER+STRICT document
 * addressed to its owner organisation only (the CERT sees it by the TLP rule; others only their own
 * organisation's). The full TLP rule is checked on random data in tenant-isolation.property.test.ts.
 *
 * Pending routes (the second login step) are called with a session at the stage they exist for.
 */
import { ACTOR_ROLES, PENDING, PUBLIC, SELF, row, user, type ActorRole, type ExpectedAccess, type HttpMethod, type Outcome, type PolicyRow, type RouteKey } from './policy-row.ts';
import { COMMUNITY_POLICY } from './policy-table.community.ts';
import { MEETING_POLICY } from './policy-table.meetings.ts';
import { REQUEST_POLICY } from './policy-table.requests.ts';
import { PUBLICATION_POLICY } from './policy-table.publications.ts';
import { CHAT_POLICY } from './policy-table.chat.ts';
import { DIGEST_POLICY } from './policy-table.digests.ts';
import { INTAKE_POLICY } from './policy-table.intake.ts';

export { ACTOR_ROLES, type ActorRole, type ExpectedAccess, type HttpMethod, type Outcome, type PolicyRow, type RouteKey };
import type { App } from '../../src/server/http-types.ts';

// prettier-ignore
export const POLICY = {
  //                                                                     anonymous  cert-admin cert-analyst p-admin  p-member  partner
  // --- health and the API description
  'GET /healthz':                                       row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /readyz':                                        row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /api/openapi.json':                              row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),

  // --- logging in (public), the second factor (pending sessions), who am I
  'POST /api/v1/auth/login':                            row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/auth/totp':                             row(PENDING,              'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/auth/totp/setup':                       row(PENDING,              'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/auth/totp/enable':                      row(PENDING,              'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/auth/logout':                           row(PENDING,              'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /api/v1/auth/me':                                row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/auth/password-reset':                   row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/auth/password-link':                    row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  // A passkey login: the second factor of a pending session, or passwordless (anyone holding the authenticator).
  'POST /api/v1/auth/passkey/options':                  row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/auth/passkey':                          row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),

  // --- one's own profile, sessions and tokens (browser session only)
  'PATCH /api/v1/me':                                   row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/me/password':                           row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/me/totp/setup':                         row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/me/totp/enable':                        row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/me/recovery-codes':                     row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /api/v1/me/sessions':                            row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'DELETE /api/v1/me/sessions/:id':                     row(SELF,                 'deny',    'own',     'own',     'own',   'own',   'own'),
  'POST /api/v1/me/passkeys/options':                   row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/me/passkeys':                           row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /api/v1/me/passkeys':                            row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'DELETE /api/v1/me/passkeys/:id':                     row(SELF,                 'deny',    'own',     'own',     'own',   'own',   'own'),
  'GET /api/v1/tokens':                                 row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/tokens':                                row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'DELETE /api/v1/tokens/:id':                          row(SELF,                 'deny',    'own',     'own',     'own',   'own',   'own'),

  // --- users: the CERT admin everywhere, a participant admin in their own organisation
  'GET /api/v1/users':                                  row(user('users:read'),   'deny',    'allow',   'allow',   'own',   'deny',  'deny'),
  'POST /api/v1/users':                                 row(user('users:write'),  'deny',    'allow',   'deny',    'own',   'deny',  'deny'),
  'POST /api/v1/users/:id/disable':                     row(user('users:write'),  'deny',    'allow',   'deny',    'own',   'deny',  'deny'),
  'POST /api/v1/users/:id/enable':                      row(user('users:write'),  'deny',    'allow',   'deny',    'own',   'deny',  'deny'),

  // --- organisations and their contacts
  'GET /api/v1/organisations':                          row(user('organisations:read'),   'deny', 'allow', 'allow', 'own',  'own',  'own'),
  'POST /api/v1/organisations':                         row(user('organisations:create'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/organisations/:id':                      row(user('organisations:read'),   'deny', 'allow', 'allow', 'own',  'own',  'own'),
  'PATCH /api/v1/organisations/:id':                    row(user('organisations:update'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/organisations/:id/contacts':             row(user('contacts:read'),        'deny', 'allow', 'allow', 'own',  'own',  'own'),
  'POST /api/v1/organisations/:id/contacts':            row(user('contacts:write'),       'deny', 'allow', 'allow', 'own',  'deny', 'deny'),
  'PATCH /api/v1/contacts/:id':                         row(user('contacts:write'),       'deny', 'allow', 'allow', 'own',  'deny', 'deny'),
  'DELETE /api/v1/contacts/:id':                        row(user('contacts:write'),       'deny', 'allow', 'allow', 'own',  'deny', 'deny'),

  // --- assets: participants propose for their own organisation, the CERT decides
  'GET /api/v1/organisations/:id/assets':               row(user('assets:read'),    'deny', 'allow', 'allow', 'own',  'own',  'deny'),
  'POST /api/v1/organisations/:id/assets':              row(user('assets:propose'), 'deny', 'allow', 'allow', 'own',  'deny', 'deny'),
  'POST /api/v1/organisations/:id/assets/import':       row(user('assets:propose'), 'deny', 'allow', 'allow', 'own',  'deny', 'deny'),
  'GET /api/v1/assets':                                 row(user('assets:read'),    'deny', 'allow', 'allow', 'own',  'own',  'deny'),
  'POST /api/v1/assets/:id/approve':                    row(user('assets:decide'),  'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/assets/:id/reject':                     row(user('assets:decide'),  'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),

  // --- the audit log: CERT admins only
  'GET /api/v1/audit':                                  row(user('audit:read'),     'deny', 'allow', 'deny',  'deny', 'deny', 'deny'),
  'GET /api/v1/audit/export':                           row(user('audit:read'),     'deny', 'allow', 'deny',  'deny', 'deny', 'deny'),
  'GET /api/v1/audit/verify':                           row(user('audit:read'),     'deny', 'allow', 'deny',  'deny', 'deny', 'deny'),

  // --- documents: everyone logged in reads what TLP allows; only the CERT shares
  'GET /api/v1/documents':                              row(user('documents:read'),  'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/documents/export':                       row(user('documents:read'),  'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/documents':                             row(user('documents:write'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/documents/:id':                          row(user('documents:read'),  'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/documents/:id/download':                 row(user('documents:read'),  'deny', 'allow', 'allow', 'own',   'own',   'own'),

  // --- advisories: everyone logged in reads what TLP allows (products are the CERT's, marked
  //     AMBER+STRICT for the target organisation); only the CERT drafts, reviews and publishes
  'GET /api/v1/advisories':                             row(user('advisories:read'),    'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/advisories':                            row(user('advisories:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/preview':                    row(user('advisories:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/import':                     row(user('advisories:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/advisories/:id':                         row(user('advisories:read'),    'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'PUT /api/v1/advisories/:id/draft':                   row(user('advisories:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/advisories/:id/versions':                row(user('advisories:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/advisories/:id/versions/:revision':      row(user('advisories:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/:id/submit':                 row(user('advisories:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/:id/approve':                row(user('advisories:approve'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/:id/reject':                 row(user('advisories:approve'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/:id/publish':                row(user('advisories:approve'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/:id/withdraw':               row(user('advisories:approve'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/advisories/:id/revisions':               row(user('advisories:read'),    'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/advisories/:id/revisions/:revision':     row(user('advisories:read'),    'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/advisories/:id/diff':                    row(user('advisories:read'),    'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/advisories/:id/csaf':                    row(user('advisories:read'),    'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/advisories/:id/pdf':                     row(user('advisories:read'),    'deny', 'allow', 'allow', 'own',   'own',   'own'),

  // --- public: TLP:CLEAR pages, the Atom feed, security.txt and the CSAF directory (the WHITE part
  //     here; GREEN/AMBER/RED need a token and are checked per TLP in advisories-access.test.ts)
  'GET /public/advisories':                             row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /public/advisories/:identifier':                 row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /public/advisories/:identifier/pdf':             row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /feeds/advisories.atom':                         row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /.well-known/csaf/provider-metadata.json':       row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /.well-known/security.txt':                      row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /.well-known/csaf/openpgp/:file':                row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /.well-known/csaf/:dir/index.txt':               row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /.well-known/csaf/:dir/changes.csv':             row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /.well-known/csaf/:dir/:name':                   row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /.well-known/csaf/:dir/:name/:file':             row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),

  // --- distribution: who a product reaches and how its delivery goes (CERT); answers to alerts
  //     (everyone for their own organisation, on alerts they may read); the alert dashboard (CERT)
  'GET /api/v1/advisories/:id/audience':                row(user('distribution:read'),  'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/advisories/:id/deliveries':              row(user('distribution:read'),  'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/:id/deliveries/retry':       row(user('advisories:approve'), 'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/advisories/:id/responses':               row(user('distribution:read'),  'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/advisories/:id/responses.csv':           row(user('distribution:read'),  'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/advisories/:id/responses':              row(user('alerts:respond'),     'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/advisories/:id/responses/mine':          row(user('advisories:read'),    'deny', 'allow', 'allow', 'own',   'own',   'own'),
  // Webhooks: an organisation's administrator for their own, the CERT for all.
  'GET /api/v1/webhooks':                               row(user('webhooks:manage'),    'deny', 'allow', 'allow', 'own',   'deny',  'deny'),
  'POST /api/v1/webhooks':                              row(user('webhooks:manage'),    'deny', 'allow', 'allow', 'own',   'deny',  'deny'),
  'PATCH /api/v1/webhooks/:id':                         row(user('webhooks:manage'),    'deny', 'allow', 'allow', 'own',   'deny',  'deny'),
  'DELETE /api/v1/webhooks/:id':                        row(user('webhooks:manage'),    'deny', 'allow', 'allow', 'own',   'deny',  'deny'),
  // The portal inbox: one's own notifications only.
  'GET /api/v1/notifications':                          row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /api/v1/notifications/unread-count':             row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/notifications/read':                    row(SELF,                 'deny',    'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /api/v1/notifications/:id/read':                row(SELF,                 'deny',    'own',     'own',     'own',   'own',   'own'),
  // Links in mail: public pages; the signed link in the URL is what grants (tested in distribution-*.test.ts).
  'GET /respond/:token':                                row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /respond/:token':                               row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'GET /m/preferences/:token':                          row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),
  'POST /m/preferences/:token':                         row(PUBLIC,               'allow',   'allow',   'allow',   'allow', 'allow', 'allow'),

  // --- the detection network (ZDN): everyone logged in reads what TLP allows and submits (held for
  //     review) and reports sightings; only the CERT shares directly, reviews and keeps warninglists.
  //     Events and indicators are the CERT's, AMBER+STRICT to the target ('own' = named, like documents).
  'GET /api/v1/zdn/events':                             row(user('zdn:read'),   'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/zdn/events':                            row(user('zdn:submit'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/zdn/events/:id':                         row(user('zdn:read'),   'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/zdn/events/:id/stix':                    row(user('zdn:read'),   'deny', 'allow', 'allow', 'own',   'own',   'own'),
  // Adding to an event: the CERT to any; others to their own organisation's events.
  'POST /api/v1/zdn/events/:id/indicators':             row(user('zdn:submit'), 'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'GET /api/v1/zdn/indicators':                         row(user('zdn:read'),   'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/zdn/indicators/:id':                     row(user('zdn:read'),   'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'POST /api/v1/zdn/indicators/:id/review':             row(user('zdn:write'),  'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/zdn/indicators/:id/sightings':          row(user('zdn:submit'), 'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'POST /api/v1/zdn/sightings':                         row(user('zdn:submit'), 'deny', 'allow', 'allow', 'own',   'own',   'own'),
  'POST /api/v1/zdn/import/misp':                       row(user('zdn:submit'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/zdn/import/stix':                       row(user('zdn:submit'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/zdn/import/csv':                        row(user('zdn:submit'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/zdn/extract':                           row(user('zdn:submit'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/zdn/exports/:format':                    row(user('zdn:read'),   'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/zdn/hits':                               row(user('zdn:read'),   'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/zdn/warninglists':                       row(user('zdn:read'),   'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /api/v1/zdn/warninglists':                      row(user('zdn:write'),  'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'PATCH /api/v1/zdn/warninglists/:id':                 row(user('zdn:write'),  'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/zdn/stream':                             row(user('zdn:read'),   'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  // TAXII 2.1: open routes; the service applies the collection's audience (the participants'
  // collection here: not for partners, who have their own) and TLP. Tokens come as Basic or Bearer.
  'GET /taxii2/':                                       row(PUBLIC,             'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /taxii2/zdn/':                                   row(PUBLIC,             'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /taxii2/zdn/collections/':                       row(PUBLIC,             'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /taxii2/zdn/collections/:collectionId/':         row(PUBLIC,             'deny',  'allow', 'allow', 'allow', 'allow', 'deny'),
  'GET /taxii2/zdn/collections/:collectionId/objects/': row(PUBLIC,             'deny',  'allow', 'allow', 'allow', 'allow', 'deny'),
  'POST /taxii2/zdn/collections/:collectionId/objects/': row(PUBLIC,            'deny',  'allow', 'allow', 'allow', 'allow', 'deny'),
  'GET /taxii2/zdn/collections/:collectionId/manifest/': row(PUBLIC,            'deny',  'allow', 'allow', 'allow', 'allow', 'deny'),
  'GET /taxii2/zdn/collections/:collectionId/objects/:objectId/': row(PUBLIC,   'deny',  'allow', 'allow', 'own',   'own',   'deny'),
  'GET /taxii2/zdn/collections/:collectionId/objects/:objectId/versions/': row(PUBLIC, 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
  'GET /taxii2/zdn/status/:statusId/':                  row(PUBLIC,             'deny',  'allow', 'allow', 'own',   'own',   'own'),
  // The MISP feed: open; without a token it holds TLP:CLEAR only.
  'GET /feeds/misp/manifest.json':                      row(PUBLIC,             'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /feeds/misp/hashes.csv':                         row(PUBLIC,             'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /feeds/misp/:file':                              row(PUBLIC,             'deny',  'allow', 'allow', 'own',   'own',   'own'),
  'POST /feeds/misp/events/restSearch':                 row(PUBLIC,             'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),

  // --- monitoring: findings are about one participant's systems (a participant sees and answers its own,
  //     another's is not found; the CERT all, and may also set a finding back to new); stats are of the
  //     actor's organisation or one the CERT names. Reports, sources, blacklist runs, the working-day
  //     calendar, the owner look-up and the sector overview are the CERT's (monitoring:write). Partners
  //     have no part in monitoring.
  'GET /api/v1/monitoring/findings':                    row(user('monitoring:read'),    'deny', 'allow', 'allow', 'own',   'own',   'deny'),
  'GET /api/v1/monitoring/findings/:id':                row(user('monitoring:read'),    'deny', 'allow', 'allow', 'own',   'own',   'deny'),
  'POST /api/v1/monitoring/findings/:id/status':        row(user('monitoring:respond'), 'deny', 'allow', 'allow', 'own',   'own',   'deny'),
  'GET /api/v1/monitoring/stats':                       row(user('monitoring:read'),    'deny', 'allow', 'allow', 'own',   'own',   'deny'),
  'GET /api/v1/monitoring/overview':                    row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/monitoring/reports':                    row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/monitoring/reports':                     row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/monitoring/reports/:id':                 row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/monitoring/reports/:id/failed-rows':     row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/monitoring/sources':                     row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/monitoring/sources':                    row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'PATCH /api/v1/monitoring/sources/:id':               row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/monitoring/sources/:id/run':            row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'POST /api/v1/monitoring/dnsbl/run':                  row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/monitoring/calendar':                    row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'PUT /api/v1/monitoring/calendar':                    row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),
  'GET /api/v1/monitoring/owner':                       row(user('monitoring:write'),   'deny', 'allow', 'allow', 'deny',  'deny',  'deny'),

  // --- incidents: a case belongs to its affected organisations and the suppliers/MSSPs invited into
  //     its room ('own': a case of the actor's organisation, or, for a partner, one it is invited to);
  //     the room reads and answers (incidents:read/respond), a participant reports its own
  //     (incidents:report); changing the case, observables, playbooks and fields are the CERT's.
  'GET /api/v1/incidents':                                       row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/report':                               row(user('incidents:report'), 'deny', 'deny', 'deny', 'allow', 'allow', 'deny'),
  'POST /api/v1/incidents':                                      row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/taxonomy':                              row(user('incidents:read'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /api/v1/incidents/:id':                                   row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'PATCH /api/v1/incidents/:id':                                 row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'PUT /api/v1/incidents/:id/clocks':                            row(user('incidents:respond'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/guests':                           row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'DELETE /api/v1/incidents/:id/guests/:organisationId':         row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/links':                            row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'DELETE /api/v1/incidents/:id/links/:childId':                 row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/merge':                            row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/:id/tasks':                             row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/tasks':                            row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'PATCH /api/v1/incidents/:id/tasks/:childId':                  row(user('incidents:respond'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/apply-template':                   row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/:id/timeline':                          row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/timeline':                         row(user('incidents:respond'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'PATCH /api/v1/incidents/:id/timeline/:childId':               row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/timeline/:childId/observables':    row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/:id/observables':                       row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/observables':                      row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/observables/share':                row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/:id/messages':                          row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/messages':                         row(user('incidents:respond'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'GET /api/v1/incident-templates':                              row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incident-templates':                             row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incident-fields':                                 row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incident-fields':                                row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'DELETE /api/v1/incident-fields/:key':                         row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  // evidence: the room lists and downloads what is shared with it or its organisations uploaded, and
  // uploads; verifying, hand-overs, the four-eyes deletion and the custody log are the CERT's
  'GET /api/v1/incidents/:id/evidence':                          row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/evidence':                         row(user('incidents:respond'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'GET /api/v1/incidents/:id/evidence/:childId/download':        row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/evidence/:childId/verify':         row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/evidence/:childId/handover':       row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/evidence/:childId/deletion':       row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/evidence/:childId/deletion/approve': row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/incidents/:id/evidence/:childId/deletion/refuse': row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/:id/custody':                           row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/:id/evidence-requests':                 row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/evidence-requests':                row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  // the CERT's deadlines and dashboard over all cases; a case's exports (the room: its view); the
  // sector info message drafted from a case
  'GET /api/v1/incidents/deadlines':                             row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/dashboard':                             row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/incidents/:id/timeline.csv':                      row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'GET /api/v1/incidents/:id/report.pdf':                        row(user('incidents:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/incidents/:id/info-message':                     row(user('incidents:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),

  // --- coordinated vulnerability disclosure (CVD): a case is the CERT's and its parties'. 'Own' is a
  //     case the CERT made the actor's organisation a party to (a participant; for a partner: as the
  //     manufacturer); "other" a case the actor's organisation is no party to, which does not exist
  //     for it. A party lists its cases, reads its own channel and answers in it; it never gets the
  //     CERT's view of the case, and the CERT does not use the party's view (it is no party). Taking
  //     reports in by hand, dates, scope, parties, relaying, notes and passing files on are the CERT's.
  //     The finder has no account: the private link (public pages below) is their way in.
  'GET /api/v1/cvd/cases':                                       row(user('cvd:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/cvd/cases':                                      row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/cvd/dashboard':                                   row(user('cvd:read'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/cvd/cases/:id':                                   row(user('cvd:read'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'PATCH /api/v1/cvd/cases/:id':                                 row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/cvd/cases/:id/scope-check':                      row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/cvd/cases/:id/parties':                          row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/cvd/cases/:id/parties/from-scope':               row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/cvd/cases/:id/parties/from-products':            row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'PATCH /api/v1/cvd/cases/:id/parties/:partyId':                row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/cvd/cases/:id/parties/:partyId/link':            row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/cvd/cases/:id/messages':                         row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/cvd/cases/:id/notes':                            row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  // The CERT any file of a case; a party through this route too, but only what was passed on to it.
  'GET /api/v1/cvd/cases/:id/attachments/:attachmentId':         row(user('cvd:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  'POST /api/v1/cvd/cases/:id/attachments/:attachmentId/share':  row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/cvd/party-cases/:id':                             row(user('cvd:read'), 'deny', 'deny', 'deny', 'own', 'own', 'own'),
  'POST /api/v1/cvd/party-cases/:id/messages':                   row(user('cvd:respond'), 'deny', 'deny', 'deny', 'own', 'own', 'own'),
  'PATCH /api/v1/cvd/party-cases/:id':                           row(user('cvd:respond'), 'deny', 'deny', 'deny', 'own', 'own', 'own'),
  'GET /api/v1/cvd/party-cases/:id/attachments/:attachmentId':   row(user('cvd:read'), 'deny', 'deny', 'deny', 'own', 'own', 'own'),
  // disclosure: the advisory drafted from a case and its CVE record are the CERT's, as is recording a
  // participant's delegation of its CVD; the security.txt of a delegating organisation is read like
  // the organisation (the CERT any, each organisation its own)
  'POST /api/v1/cvd/cases/:id/advisory':                         row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/cvd/cases/:id/cve-record':                        row(user('cvd:read'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'PUT /api/v1/cvd/delegations/:organisationId':                 row(user('cvd:write'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/organisations/:id/security-txt':                  row(user('organisations:read'), 'deny', 'allow', 'allow', 'own', 'own', 'own'),
  // Public: the report form, the CERT key and the form's scripts, the acknowledgements; the private
  // link's pages, where the token in the URL is what grants (one case, one channel: tested in
  // cvd-ways-out.test.ts), whoever else is logged in.
  'GET /cvd':                                                    row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /cvd':                                                   row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /cvd/pgp-key.asc':                                        row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /cvd/assets/:name':                                       row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /cvd/acknowledgements':                                   row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /cvd/case/:token':                                        row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /cvd/case/:token/messages':                              row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /cvd/case/:token/consent':                               row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'POST /cvd/case/:token/status':                                row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  'GET /cvd/case/:token/attachments/:attachmentId':              row(PUBLIC,            'allow', 'allow', 'allow', 'allow', 'allow', 'allow'),

  // --- knowledge sharing: each module's rows live beside its access-matrix requests
  ...COMMUNITY_POLICY,
  ...MEETING_POLICY,
  ...REQUEST_POLICY,
  ...PUBLICATION_POLICY,
  ...CHAT_POLICY,
  ...DIGEST_POLICY,
  ...INTAKE_POLICY,
  // the portal-wide search: every role; each source filters as its own list does (tested in knowledge-done-when.test.ts)
  'GET /api/v1/search':                                 row(user('publications:read'), 'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),

  // --- the realtime stream (tokens may use it: not session-only)
  'GET /api/v1/events':                                 row(SELF,            'deny', 'allow', 'allow', 'allow', 'allow', 'allow'),
} satisfies Record<RouteKey, PolicyRow>;

/** The routes in the table, as literal types: a test keyed on them must handle every one. */
export type PolicyKey = keyof typeof POLICY;

/** Routes that the OpenAPI document does not list (schema.hide) and that must still be in the table. */
export const HIDDEN_FROM_OPENAPI: readonly PolicyKey[] = ['GET /api/openapi.json'];

export const POLICY_KEYS = Object.keys(POLICY) as PolicyKey[];

export function splitKey(key: string): { method: HttpMethod; url: string } {
  const [method, url] = key.split(' ') as [HttpMethod, string];
  return { method, url };
}

// ---- Reading the routes an app really has, to compare with the table.

/** Every operation the OpenAPI document lists, as `METHOD /url/:param`. */
export async function routesFromOpenApi(app: App): Promise<Set<string>> {
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${res.statusCode}`);
  const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>();
  const keys = new Set<string>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const method of Object.keys(operations)) keys.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  return keys;
}

/**
 * Every route in the router itself (hidden or not), read from `printRoutes`: each line is a tree node
 * whose path continues its parent's, e.g. `│   ├── /:id/disable (POST)`. HEAD routes that Fastify adds
 * for every GET are left out: they share the GET route's declaration.
 */
export function routesFromRouter(app: App): Set<string> {
  const keys = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?$/u.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (depth > 0 ? (stack[depth - 1] ?? '') : '') + m[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      if (method !== 'HEAD') keys.add(`${method} ${path}`);
    }
  }
  return keys;
}
