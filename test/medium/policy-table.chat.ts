import { row, user, type PolicyRow, type RouteKey } from './policy-row.ts';

// The secure chat: a chat is an information request of its organisation. The organisation's users
// (requests:read/ask) and the CERT (requests:read/answer) see it; another organisation's chat is 404.
// 'own' is a chat of the actor's organisation (for the CERT: of its home participant).
// Columns: anonymous, cert-admin, cert-analyst, participant-admin, participant-member, partner.

// prettier-ignore
export const CHAT_POLICY = {
  'POST /api/v1/chats':                    row(user('requests:ask'), 'deny', 'deny', 'deny', 'allow', 'allow', 'deny'),
  'GET /api/v1/chats':                     row(user('requests:read'), 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
  'GET /api/v1/chats/:id':                 row(user('requests:read'), 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
  'GET /api/v1/chats/:id/messages':        row(user('requests:read'), 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
  'POST /api/v1/chats/:id/messages':       row(user('requests:read'), 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
  'POST /api/v1/chats/:id/pick-up':        row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/chats/:id/end':            row(user('requests:read'), 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
  'POST /api/v1/chats/:id/convert':        row(user('requests:answer'), 'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/chats/:id/socket':          row(user('requests:read'), 'deny', 'allow', 'allow', 'own', 'own', 'deny'),
} satisfies Record<RouteKey, PolicyRow>;
