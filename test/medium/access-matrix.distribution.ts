import { randomBytes } from 'node:crypto';
import type { TestApp } from '../helpers/test-app.ts';
import { makeCertTeam, productInState, type CertTeam, type ProductState } from '../helpers/products.ts';
import { addContact } from '../helpers/distribution.ts';
import { signLink } from '../../src/modules/keys/signed-link.ts';
import { insertWebhook } from '../../src/modules/distribution/webhook.repository.ts';
import { notifyUsers } from '../../src/modules/notifications/notification.service.ts';

/**
 * The access-matrix requests for distribution: audiences and delivery state (CERT), alert answers
 * and the alert dashboard, webhooks (an organisation's administrator), the portal inbox (one's own)
 * and the pages behind links in mail (public, the signed link is the key). Products are the CERT's,
 * marked TLP:AMBER+STRICT for the target organisation.
 */

export type Target = 'own' | 'other' | null;
export interface MatrixActor {
  home: string;
  foreign: string;
  user: { id: string } | null;
}
interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
}
export interface DistributionCase {
  targeted: boolean;
  build(a: MatrixActor, target: Target): Promise<Req>;
  rowOrgs?: (body: unknown) => string[];
}

let t: TestApp;
let team: CertTeam;
const unique = () => randomBytes(4).toString('hex');

export async function setupDistributionWorld(app: TestApp, organisations: string[]): Promise<void> {
  t = app;
  team = await makeCertTeam(t);
  for (const o of organisations) await freshWebhook(o);
}

const org = (a: MatrixActor, target: Target) => (target === 'other' ? a.foreign : a.home);

async function product(a: MatrixActor, target: Target, opts: { state?: ProductState; kind?: 'advisory' | 'alert' } = {}) {
  return productInState(t, team, opts.state ?? 'published', { tlp: 'AMBER+STRICT', recipients: [org(a, target)], kind: opts.kind ?? 'advisory' });
}

async function freshWebhook(organisationId: string): Promise<string> {
  const w = await insertWebhook(t.system.db, { organisationId, name: `hook ${unique()}`, url: 'https://chat.hospital.example/hooks/x', format: 'slack', secret: unique(), maxTlp: 'GREEN', kinds: ['advisory'], createdBy: null });
  return w.id;
}

/** A notification of the actor's own user ('own'), or of a user of another organisation. */
async function notificationOf(a: MatrixActor, target: Target): Promise<string> {
  const userId =
    target !== 'other' && a.user
      ? a.user.id
      : (await t.system.db.selectFrom('users').select('id').where('organisation_id', '=', a.foreign).executeTakeFirstOrThrow()).id;
  const key = `matrix:${unique()}`;
  await notifyUsers(t.system, [userId], { kind: 'test', title: 'Matrix', link: null, subjectType: null, subjectId: null, dedupeKey: key });
  const row = await t.system.db.selectFrom('notifications').select('id').where('user_id', '=', userId).where('dedupe_key', '=', key).executeTakeFirstOrThrow();
  return row.id;
}

async function responseLink(): Promise<string> {
  const cert = await t.system.db.selectFrom('organisations').select('id').where('kind', '=', 'cert').executeTakeFirstOrThrow();
  const alert = await productInState(t, team, 'published', { tlp: 'GREEN', kind: 'alert' });
  return signLink(t.system, 'alert-response', { p: alert.id, o: cert.id, c: '', s: 'received' }, new Date(Date.now() + 86_400_000));
}

async function preferencesLink(): Promise<string> {
  const cert = await t.system.db.selectFrom('organisations').select('id').where('kind', '=', 'cert').executeTakeFirstOrThrow();
  const c = await addContact(t, cert.id, { email: `matrix-${unique()}@cert.example` });
  return signLink(t.system, 'contact-preferences', { c: c.id, k: 'advisory' }, new Date(Date.now() + 86_400_000));
}

const onProduct = (path: string, opts: { state?: ProductState; kind?: 'advisory' | 'alert'; method?: Req['method']; body?: unknown } = {}): DistributionCase => ({
  targeted: true,
  build: async (a, target) => ({ method: opts.method ?? 'GET', url: `/api/v1/advisories/${(await product(a, target, opts)).id}${path}`, ...(opts.body !== undefined && { body: opts.body }) }),
});

const items = (body: unknown) => (body as { items: { organisationId: string }[] }).items;

export const DISTRIBUTION_CASES = {
  'GET /api/v1/advisories/:id/audience': onProduct('/audience', { state: 'approved' }),
  'GET /api/v1/advisories/:id/deliveries': onProduct('/deliveries'),
  'POST /api/v1/advisories/:id/deliveries/retry': onProduct('/deliveries/retry', { method: 'POST' }),
  'GET /api/v1/advisories/:id/responses': onProduct('/responses', { kind: 'alert' }),
  'GET /api/v1/advisories/:id/responses.csv': onProduct('/responses.csv', { kind: 'alert' }),
  'POST /api/v1/advisories/:id/responses': onProduct('/responses', { kind: 'alert', method: 'POST', body: { status: 'received' } }),
  'GET /api/v1/advisories/:id/responses/mine': onProduct('/responses/mine', { kind: 'alert' }),

  'GET /api/v1/webhooks': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/webhooks' }), rowOrgs: (b: unknown) => items(b).map((w) => w.organisationId) },
  'POST /api/v1/webhooks': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: '/api/v1/webhooks', body: { organisationId: org(a, target), name: 'SOC channel', url: 'https://chat.hospital.example/hooks/soc', format: 'slack' } }),
  },
  'PATCH /api/v1/webhooks/:id': { targeted: true, build: async (a, target) => ({ method: 'PATCH', url: `/api/v1/webhooks/${await freshWebhook(org(a, target))}`, body: { enabled: false } }) },
  'DELETE /api/v1/webhooks/:id': { targeted: true, build: async (a, target) => ({ method: 'DELETE', url: `/api/v1/webhooks/${await freshWebhook(org(a, target))}` }) },

  'GET /api/v1/notifications': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/notifications' }) },
  'GET /api/v1/notifications/unread-count': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/notifications/unread-count' }) },
  'POST /api/v1/notifications/read': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/notifications/read', body: { all: true } }) },
  'POST /api/v1/notifications/:id/read': { targeted: true, build: async (a, target) => ({ method: 'POST', url: `/api/v1/notifications/${await notificationOf(a, target)}/read` }) },

  'GET /respond/:token': { targeted: false, build: async () => ({ method: 'GET', url: `/respond/${await responseLink()}` }) },
  'POST /respond/:token': { targeted: false, build: async () => ({ method: 'POST', url: `/respond/${await responseLink()}`, body: { comment: 'Gezien.' } }) },
  'GET /m/preferences/:token': { targeted: false, build: async () => ({ method: 'GET', url: `/m/preferences/${await preferencesLink()}` }) },
  'POST /m/preferences/:token': { targeted: false, build: async () => ({ method: 'POST', url: `/m/preferences/${await preferencesLink()}`, body: { subscriptions: ['advisories'] } }) },
} satisfies Record<string, DistributionCase>;
