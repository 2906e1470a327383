import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import type { ActorRole } from './policy-row.ts';

/**
 * The access-matrix requests of information requests and the knowledge base. A request is its
 * organisation's: "own" is a request of the actor's organisation (for CERT staff, of their home
 * participant), "other" one of the foreign organisation, which does not exist for the actor. Every
 * request that changes something gets a fresh object of its own; every request carries an internal
 * note and a held reply, which the participant's view must never show.
 */

type Target = 'own' | 'other' | null;
interface RequestActor {
  role: ActorRole;
  home: string;
  foreign: string;
  user: { id: string; organisationId: string } | null;
}
interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
}
interface RequestCase {
  targeted: boolean;
  build(a: RequestActor, target: Target): Promise<Req>;
  check?: (res: LightMyRequestResponse, a: RequestActor, target: Target) => void;
  rowOrgs?: (body: unknown) => string[];
}

let t: TestApp;
let participants: string[] = [];
const unique = () => randomBytes(4).toString('hex');
const org = (a: RequestActor, target: Target) => (target === 'other' ? a.foreign : a.home);
const isCert = (a: RequestActor) => a.role === 'cert-admin' || a.role === 'cert-analyst';
const NOTE = 'MATRIX-INTERNAL-NOTE';
const HELD = 'MATRIX-HELD-REPLY';

async function freshRequest(organisationId: string): Promise<string> {
  const id = (
    await t.system.db
      .insertInto('info_requests')
      .values({
        reference: `REQ-M-${unique()}`,
        organisation_id: organisationId,
        topic: 'Matrix',
        subject: 'Matrix question',
        channel: 'portal',
        first_answer_due: new Date(Date.now() + 86_400_000),
        mail_token: `m${unique()}${unique()}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await t.system.db
    .insertInto('info_request_messages')
    .values([
      { request_id: id, kind: 'question', channel: 'portal', author_user_id: null, body: 'What is the matrix?' },
      { request_id: id, kind: 'note', channel: 'portal', author_user_id: null, body: NOTE },
      { request_id: id, kind: 'question', channel: 'mail', author_user_id: null, from_address: 'stranger@elsewhere.example', body: HELD, held: true },
    ])
    .execute();
  return id;
}

async function heldOf(requestId: string): Promise<string> {
  return (
    await t.system.db.selectFrom('info_request_messages').select('id').where('request_id', '=', requestId).where('held', '=', true).executeTakeFirstOrThrow()
  ).id;
}

async function freshArticle(): Promise<string> {
  return (
    await t.system.db
      .insertInto('kb_articles')
      .values({ title: `Matrix article ${unique()}`, body: 'Anonymised.', tags: ['matrix'], tlp: 'GREEN', source_request_id: null, created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

const freshTopic = async () =>
  (
    await t.system.db
      .insertInto('info_request_topics')
      .values({ name_nl: `Onderwerp ${unique()}`, name_en: `Topic ${unique()}` })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const freshCanned = async () =>
  (
    await t.system.db
      .insertInto('info_request_canned_answers')
      .values({ title: `Canned ${unique()}`, body: 'Answer.', created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
const freshHeldMail = async () =>
  (
    await t.system.db
      .insertInto('info_request_held_mail')
      .values({
        message_id: `<held-${unique()}@elsewhere.example>`,
        from_address: 'stranger@elsewhere.example',
        subject: 'Hello',
        body: 'Question',
        pgp: null,
        reason: 'unknown sender',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

/** What only the CERT may see never reaches anyone else's view of a request. */
function noInternals(res: LightMyRequestResponse, a: RequestActor): void {
  if (!isCert(a)) {
    expect(res.body).not.toContain(NOTE);
    expect(res.body).not.toContain(HELD);
  }
}

const json = <T>(res: LightMyRequestResponse): T => JSON.parse(res.body) as T;

export const REQUEST_CASES = {
  'GET /api/v1/requests': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/requests?limit=500' }),
    rowOrgs: (body) => (body as { organisationId: string }[]).map((r) => r.organisationId),
  },
  'POST /api/v1/requests': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/requests', body: { topic: 'Matrix', subject: 'A question', body: 'How?' } }),
  },
  'GET /api/v1/requests/topics': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/requests/topics' }) },
  'POST /api/v1/requests/topics': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/requests/topics', body: { nameNl: `Nieuw ${unique()}`, nameEn: `New ${unique()}` } }),
  },
  'PATCH /api/v1/requests/topics/:id': {
    targeted: false,
    build: async () => ({ method: 'PATCH', url: `/api/v1/requests/topics/${await freshTopic()}`, body: { active: false } }),
  },
  'GET /api/v1/requests/canned-answers': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/requests/canned-answers' }) },
  'POST /api/v1/requests/canned-answers': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/requests/canned-answers', body: { title: 'Canned', body: 'Answer' } }),
  },
  'PATCH /api/v1/requests/canned-answers/:id': {
    targeted: false,
    build: async () => ({ method: 'PATCH', url: `/api/v1/requests/canned-answers/${await freshCanned()}`, body: { title: 'Changed' } }),
  },
  'DELETE /api/v1/requests/canned-answers/:id': {
    targeted: false,
    build: async () => ({ method: 'DELETE', url: `/api/v1/requests/canned-answers/${await freshCanned()}` }),
  },
  'GET /api/v1/requests/held': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/requests/held' }) },
  'POST /api/v1/requests/held-mail/:id/release': {
    targeted: false,
    build: async (a) => ({
      method: 'POST',
      url: `/api/v1/requests/held-mail/${await freshHeldMail()}/release`,
      body: { organisationId: participants.includes(a.home) ? a.home : participants[0] },
    }),
  },
  'DELETE /api/v1/requests/held-mail/:id': {
    targeted: false,
    build: async () => ({ method: 'DELETE', url: `/api/v1/requests/held-mail/${await freshHeldMail()}` }),
  },
  'GET /api/v1/requests/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/requests/${await freshRequest(org(a, target))}` }),
    check: (res, a, target) => {
      expect(json<{ organisationId: string }>(res).organisationId).toBe(org(a, target));
      noInternals(res, a);
      if (isCert(a)) expect(res.body).toContain(NOTE);
    },
  },
  'PATCH /api/v1/requests/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'PATCH', url: `/api/v1/requests/${await freshRequest(org(a, target))}`, body: { status: 'closed' } }),
  },
  'POST /api/v1/requests/:id/questions': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/requests/${await freshRequest(org(a, target))}/questions`, body: { body: 'And also?' } }),
    check: noInternals,
  },
  'POST /api/v1/requests/:id/answers': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/requests/${await freshRequest(org(a, target))}/answers`, body: { body: 'The answer.' } }),
  },
  'POST /api/v1/requests/:id/notes': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/requests/${await freshRequest(org(a, target))}/notes`, body: { body: 'Internal.' } }),
  },
  'POST /api/v1/requests/:id/held/:messageId/release': {
    targeted: true,
    build: async (a, target) => {
      const id = await freshRequest(org(a, target));
      return { method: 'POST', url: `/api/v1/requests/${id}/held/${await heldOf(id)}/release` };
    },
  },
  'DELETE /api/v1/requests/:id/held/:messageId': {
    targeted: true,
    build: async (a, target) => {
      const id = await freshRequest(org(a, target));
      return { method: 'DELETE', url: `/api/v1/requests/${id}/held/${await heldOf(id)}` };
    },
  },
  'GET /api/v1/requests/:id/article-draft': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/requests/${await freshRequest(org(a, target))}/article-draft` }),
  },
  'GET /api/v1/knowledge': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/knowledge' }),
    check: (res, a) => {
      const items = json<{ sourceRequest?: unknown }[]>(res);
      expect(items.length).toBeGreaterThan(0);
      if (!isCert(a)) expect(items.every((i) => i.sourceRequest === undefined)).toBe(true);
    },
  },
  'POST /api/v1/knowledge': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/knowledge', body: { title: 'Matrix', body: 'Anonymised.', tlp: 'CLEAR' } }),
  },
  'GET /api/v1/knowledge/:id': { targeted: false, build: async () => ({ method: 'GET', url: `/api/v1/knowledge/${await freshArticle()}` }) },
  'PATCH /api/v1/knowledge/:id': {
    targeted: false,
    build: async () => ({ method: 'PATCH', url: `/api/v1/knowledge/${await freshArticle()}`, body: { tags: ['changed'] } }),
  },
  'DELETE /api/v1/knowledge/:id': { targeted: false, build: async () => ({ method: 'DELETE', url: `/api/v1/knowledge/${await freshArticle()}` }) },
} satisfies Record<string, RequestCase>;

export async function setupRequestWorld(app: TestApp, orgs: { cert: string; participants: string[]; partners: string[] }): Promise<void> {
  t = app;
  participants = orgs.participants;
  // Something to list in every participant organisation, and an article to read.
  for (const o of orgs.participants) await freshRequest(o);
  await freshArticle();
}
