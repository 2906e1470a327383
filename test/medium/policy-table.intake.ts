import { row, user, type PolicyRow, type RouteKey } from './policy-row.ts';

// --- intake: the CERT's own work. Analysts and admins read and triage (intake:read, intake:write);
//     only administrators keep the sources (intake:sources). Participants and partners see nothing.
// prettier-ignore
export const INTAKE_POLICY = {
  'GET /api/v1/intake/sources':                 row(user('intake:read'),    'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/intake/sources':                row(user('intake:sources'), 'deny', 'allow', 'deny',  'deny', 'deny', 'deny'),
  'GET /api/v1/intake/sources/:id':             row(user('intake:read'),    'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'PATCH /api/v1/intake/sources/:id':           row(user('intake:sources'), 'deny', 'allow', 'deny',  'deny', 'deny', 'deny'),
  'DELETE /api/v1/intake/sources/:id':          row(user('intake:sources'), 'deny', 'allow', 'deny',  'deny', 'deny', 'deny'),
  'POST /api/v1/intake/sources/:id/run':        row(user('intake:sources'), 'deny', 'allow', 'deny',  'deny', 'deny', 'deny'),
  'GET /api/v1/intake/stories':                 row(user('intake:read'),    'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'GET /api/v1/intake/stories/:id':             row(user('intake:read'),    'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/intake/stories/read':           row(user('intake:read'),    'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/intake/stories/no-action':      row(user('intake:write'),   'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/intake/stories/reopen':         row(user('intake:write'),   'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/intake/stories/:id/advisory':   row(user('intake:write'),   'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
  'POST /api/v1/intake/stories/:id/media':      row(user('intake:write'),   'deny', 'allow', 'allow', 'deny', 'deny', 'deny'),
} satisfies Record<RouteKey, PolicyRow>;
