/**
 * Route declarations: (a) every API route declares its access, as the policy table says, and the app
 * refuses to register one that does not; (b) API tokens reach no further than their scopes, and not
 * at all into session-only routes.
 */
import { upsertFindings } from '../../src/modules/monitoring/finding.repository.ts';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { registerRoutes } from '../../src/server/routes.ts';
import type { App, RouteAccess } from '../../src/server/http-types.ts';
import { randomToken, sha256 } from '../../src/modules/identity/secrets.ts';
import * as identityRepo from '../../src/modules/identity/identity.repository.ts';
import { TOKEN_SCOPES, type TokenScope } from '../../src/modules/access/permissions.ts';
import { authHeaders, call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { makeCertTeam, productInState, type CertTeam } from '../helpers/products.ts';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { POLICY, POLICY_KEYS, routesFromOpenApi, routesFromRouter, splitKey, type PolicyKey } from './policy-table.ts';

let t: TestApp;
const unique = () => randomBytes(4).toString('hex');
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** The routes every module registers, with their declared access, as the app's own onRoute hook sees them. */
async function declaredRoutes(): Promise<Map<string, RouteAccess | undefined>> {
  const bare = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  bare.setValidatorCompiler(validatorCompiler);
  bare.setSerializerCompiler(serializerCompiler);
  const seen = new Map<string, RouteAccess | undefined>();
  bare.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') seen.set(`${method} ${route.url}`, route.config?.access);
  });
  await bare.register(async (api) => registerRoutes(api as unknown as App, { services: t.services, hub: t.hub }));
  await bare.ready();
  await bare.close();
  return seen;
}

describe('(a) every API route declares its access', () => {
  it('declares exactly the access the policy table states, for every route of every module', async () => {
    const declared = await declaredRoutes();
    expect(declared.size).toBeGreaterThan(30);
    for (const [key, access] of declared) {
      expect(access, `${key} declares no config.access`).toBeDefined();
      expect(POLICY_KEYS, `${key} has no row in policy-table.ts`).toContain(key);
      expect(access, `${key}: declared access differs from policy-table.ts`).toEqual(POLICY[key as PolicyKey].access);
    }
    // The collector saw the same routes as the running app has (app.ts adds only the OpenAPI document).
    const inApp = routesFromRouter(t.app);
    expect(new Set([...declared.keys(), 'GET /api/openapi.json'])).toEqual(inApp);
    // And the OpenAPI document lists every /api/v1 route.
    const documented = await routesFromOpenApi(t.app);
    expect([...inApp].filter((k) => splitKey(k).url.startsWith('/api/v1/') && !documented.has(k))).toEqual([]);
  });

  it('every route of the running app declares access (checked through the requests it answers)', async () => {
    // A route without a declaration would be treated as public: anonymous requests to 'user' and
    // 'pending' routes must all be refused before any handler runs, GET and HEAD alike.
    for (const key of POLICY_KEYS) {
      const { access } = POLICY[key];
      if (access.auth === 'public') continue;
      const { method, url } = splitKey(key);
      const concrete = url.replace(/:id/g, crypto.randomUUID());
      for (const m of method === 'GET' ? (['GET', 'HEAD'] as const) : [method]) {
        const res = await t.app.inject({ method: m, url: concrete });
        expect(res.statusCode, `${m} ${url} as anonymous: ${res.body}`).toBe(401);
        if (m !== 'HEAD') expect(res.json().error.code).toBe('unauthenticated');
      }
    }
  });

  it('refuses to register an /api/v1 route without config.access (deny by default)', async () => {
    const app = await buildApp({ services: t.services, hub: t.hub, webDir: '/nonexistent' });
    try {
      expect(() => app.get('/api/v1/undeclared', async () => ({ secret: true }))).toThrow(/declares no access/);
      expect(() => app.post('/api/v1/organisations/:id/undeclared', { config: {} }, async () => ({ secret: true }))).toThrow(/declares no access/);
    } finally {
      await app.close().catch(() => undefined);
    }
  });

  it('refuses it also from a plugin whose prefix makes it an /api/v1 route', async () => {
    const app = await buildApp({ services: t.services, hub: t.hub, webDir: '/nonexistent' });
    try {
      await expect(
        app.register(
          async (plugin) => {
            plugin.get('/hidden', async () => ({ secret: true }));
          },
          { prefix: '/api/v1' },
        ),
      ).rejects.toThrow(/GET \/api\/v1\/hidden declares no access/);
    } finally {
      await app.close().catch(() => undefined);
    }
  });

  it('accepts a declared route, and enforces the declaration', async () => {
    const app = await buildApp({ services: t.services, hub: t.hub, webDir: '/nonexistent' });
    try {
      app.get('/api/v1/declared', { config: { access: { auth: 'user', permission: 'self' } } }, async () => ({ secret: true }));
      await app.ready();
      const res = await app.inject({ method: 'GET', url: '/api/v1/declared' });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('secret');
    } finally {
      await app.close();
    }
  });
});

describe('(b) API tokens are limited to their scopes', () => {
  let orgA: string;
  let orgB: string;
  let admin: TestUser;
  let adminCreds: Credentials;
  let certAdmin: TestUser;

  beforeAll(async () => {
    await makeOrganisation(t, 'cert');
    orgA = (await makeOrganisation(t, 'participant')).id;
    orgB = (await makeOrganisation(t, 'participant')).id;
    admin = await makeUser(t, orgA, 'participant-admin');
    adminCreds = await login(t, admin);
    certAdmin = await makeUser(t, (await makeOrganisation(t, 'cert')).id, 'cert-admin');
  });

  /** A token through the API (as its owner would make it). */
  async function tokenVia(creds: Credentials, scopes: TokenScope[]): Promise<Credentials> {
    const res = await call(t, 'POST', '/api/v1/tokens', creds, { name: `t-${unique()}`, scopes });
    expect(res.statusCode, res.body).toBe(201);
    return { token: res.json<{ token: string }>().token };
  }

  /** A token row inserted directly, with any scopes (even ones the owner could not pick). */
  async function tokenRow(userId: string, scopes: string[]): Promise<Credentials> {
    const token = `wp_${unique()}_${randomToken(32)}`;
    await identityRepo.insertToken(t.system.db, { userId, name: 'direct', prefix: unique(), tokenHash: sha256(token), scopes, expiresAt: null });
    return { token };
  }

  it("a participant admin's organisations:read token reads, but cannot write what the role could", async () => {
    const token = await tokenVia(adminCreds, ['organisations:read']);
    expect((await call(t, 'GET', '/api/v1/organisations', token)).statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/v1/organisations/${orgA}/contacts`, token)).statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/v1/organisations/${orgA}/assets`, token)).statusCode).toBe(200);

    const write = await call(t, 'POST', `/api/v1/organisations/${orgA}/contacts`, token, { name: 'X', email: `x-${unique()}@test.example` });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('forbidden');
    // The same request with the session (same user, same role) is allowed: the scope made the difference.
    expect((await call(t, 'POST', `/api/v1/organisations/${orgA}/contacts`, adminCreds, { name: 'X', email: `x-${unique()}@test.example` })).statusCode).toBe(201);
    // Permissions outside the scope, though the role holds them.
    expect((await call(t, 'GET', '/api/v1/users', token)).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/v1/documents', token)).statusCode).toBe(403);
    expect((await call(t, 'POST', `/api/v1/organisations/${orgA}/assets`, token, { type: 'domain', value: `${unique()}.example` })).statusCode).toBe(403);
    const contacts = await t.system.db.selectFrom('contacts').select('id').where('organisation_id', '=', orgA).execute();
    expect(contacts).toHaveLength(1);
  });

  it('cannot reach any session-only route, not even with every scope', async () => {
    const token = await tokenRow(admin.id, ['organisations:read', 'organisations:write', 'users:read', 'users:write', 'audit:read', 'documents:read', 'documents:write']);
    const sessionOnly = POLICY_KEYS.filter((k) => POLICY[k].access.sessionOnly);
    expect(sessionOnly).toContain('POST /api/v1/tokens');
    for (const key of sessionOnly) {
      const { method, url } = splitKey(key);
      const res = await t.app.inject({ method, url: url.replace(/:id/g, crypto.randomUUID()), headers: authHeaders(token) });
      expect(res.statusCode, `${key} with a token: ${res.body}`).toBe(403);
      expect(res.json().error.code).toBe('session_required');
    }
    // Specifically: a token cannot mint tokens, so a leaked one cannot make itself permanent.
    const mint = await call(t, 'POST', '/api/v1/tokens', token, { name: 'more', scopes: ['organisations:read'] });
    expect(mint.statusCode).toBe(403);
    expect(await t.system.db.selectFrom('api_tokens').select('id').where('user_id', '=', admin.id).where('name', '=', 'more').execute()).toEqual([]);
  });

  it('works without CSRF on the routes that are not session-only, within the role and its organisation', async () => {
    const token = await tokenVia(adminCreds, ['organisations:write', 'organisations:read']);
    const own = await call(t, 'POST', `/api/v1/organisations/${orgA}/contacts`, token, { name: 'Via token', email: `t-${unique()}@test.example` });
    expect(own.statusCode, own.body).toBe(201);
    const other = await call(t, 'POST', `/api/v1/organisations/${orgB}/contacts`, token, { name: 'Via token', email: `t-${unique()}@test.example` });
    expect(other.statusCode).toBe(404);
    // The realtime stream belongs to a browser session: it closes when the session ends, which a token has not.
    const stream = await call(t, 'GET', '/api/v1/events', token);
    expect(stream.statusCode).toBe(403);
    expect(stream.json().error.code).toBe('session_required');
  });

  it('never grants more than the role, whatever scopes the token row holds', async () => {
    const member = await makeUser(t, orgA, 'participant-member');
    const token = await tokenRow(member.id, ['organisations:write', 'users:write', 'users:read', 'audit:read', 'documents:write']);
    expect((await call(t, 'POST', `/api/v1/organisations/${orgA}/contacts`, token, { name: 'X', email: `x-${unique()}@test.example` })).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/v1/users', token)).statusCode).toBe(403);
    expect((await call(t, 'GET', '/api/v1/audit', token)).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/v1/organisations', token, { kind: 'vendor', name: `V ${unique()}` })).statusCode).toBe(403);
    // Nor can the role pick such scopes through the API.
    const memberCreds = await login(t, member);
    const refused = await call(t, 'POST', '/api/v1/tokens', memberCreds, { name: 'x', scopes: ['users:write'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('scope_not_allowed');
  });

  it('each scope unlocks exactly its own routes (a CERT admin, who holds every permission)', async () => {
    await ensureSigningKey(t.system);
    let certTeam: CertTeam | undefined;
    const team = async () => (certTeam ??= await makeCertTeam(t));
    const certCreds = await login(t, certAdmin);
    let findingId: string | undefined;
    const probeFinding = async () => {
      if (findingId) return findingId;
      await upsertFindings(t.system.db, 'probe', [{ organisationId: orgB, assetId: null, type: 'open-rdp', subject: '198.51.100.1', port: 3389, severity: 'high', seenAt: Date.now(), evidence: {} }]);
      findingId = (await t.system.db.selectFrom('monitoring_findings').select('id').where('organisation_id', '=', orgB).executeTakeFirstOrThrow()).id;
      return findingId;
    };
    let caseId: string | undefined;
    const probeCase = async () =>
      (caseId ??= (
        await t.system.db
          .insertInto('incident_cases')
          .values({ reference: `INC-PROBE-${unique()}`, title: 'Probe', intake: 'phone', report: '{}', custom_fields: '{}' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id);
    let cvdCaseId: string | undefined;
    const probeCvd = async () => {
      if (cvdCaseId) return cvdCaseId;
      const row = await t.system.db
        .insertInto('cvd_cases')
        .values({ reference: `CVD-PROBE-${unique()}`, intake: 'analyst', target_kind: 'website', target: 'https://www.probe.example', title: 'Probe', description: 'Probe case for scopes', first_response_due: new Date(), disclosure_due: '2027-03-01' })
        .returning('id')
        .executeTakeFirstOrThrow();
      // The CERT's own organisation as a party, so a cvd:respond token has a channel of its own to answer in.
      const certOrg = (await t.system.db.selectFrom('users').select('organisation_id').where('id', '=', certAdmin.id).executeTakeFirstOrThrow()).organisation_id;
      await t.system.db.insertInto('cvd_parties').values({ case_id: row.id, kind: 'cert', organisation_id: certOrg, name: 'Probe CERT' }).execute();
      cvdCaseId = row.id;
      return cvdCaseId;
    };
    let requestId: string | undefined;
    const probeRequest = async () =>
      (requestId ??= (
        await t.system.db
          .insertInto('info_requests')
          .values({ reference: `REQ-PROBE-${unique()}`, organisation_id: orgB, topic: 'Probe', subject: 'Probe', channel: 'portal', first_answer_due: new Date(), mail_token: `probe${unique()}` })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id);
    // A GREEN meeting in the future, for the meetings:rsvp probe (a CERT admin may answer for itself).
    let meetingId: string | undefined;
    const probeMeeting = async () => {
      if (meetingId) return meetingId;
      const certOrg = (await t.system.db.selectFrom('users').select('organisation_id').where('id', '=', certAdmin.id).executeTakeFirstOrThrow()).organisation_id;
      const row = await t.system.db
        .insertInto('meetings')
        .values({ owner_organisation_id: certOrg, title: 'Probe meeting', starts_at: new Date(Date.now() + 86_400_000), ends_at: new Date(Date.now() + 90_000_000), place: 'Utrecht', online_url: null, capacity: null, rsvp_deadline: null, tlp: 'GREEN', created_by: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      meetingId = row.id;
      return meetingId;
    };
    // A story in the intake, for the intake:write probe.
    let storyId: string | undefined;
    const probeStory = async () =>
      (storyId ??= (await t.system.db.insertInto('intake_stories').values({ title: 'Probe story', products: '[]' }).returning('id').executeTakeFirstOrThrow()).id);
    // One representative request per scope, written out by hand.
    const probes: Record<TokenScope, () => Promise<{ method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; body?: unknown }>> = {
      'organisations:read': async () => ({ method: 'GET', url: `/api/v1/organisations/${orgB}` }),
      'organisations:write': async () => ({ method: 'POST', url: '/api/v1/organisations', body: { kind: 'vendor', name: `Vendor ${unique()}` } }),
      'users:read': async () => ({ method: 'GET', url: '/api/v1/users' }),
      'users:write': async () => ({ method: 'POST', url: '/api/v1/users', body: { email: `inv-${unique()}@test.example`, name: 'Invitee', role: 'participant-member', organisationId: orgB } }),
      'audit:read': async () => ({ method: 'GET', url: '/api/v1/audit' }),
      'documents:read': async () => ({ method: 'GET', url: '/api/v1/documents' }),
      'documents:write': async () => ({
        method: 'POST',
        url: '/api/v1/documents',
        body: { title: 'Note', tlp: 'CLEAR', fileName: 'n.txt', mediaType: 'text/plain', contentBase64: Buffer.from('x').toString('base64') },
      }),
      'advisories:read': async () => ({ method: 'GET', url: '/api/v1/advisories' }),
      'advisories:write': async () => ({ method: 'POST', url: '/api/v1/advisories/preview', body: { kind: 'info', tlp: 'CLEAR', content: { nl: { title: 'Probe' } } } }),
      'distribution:read': async () => ({ method: 'GET', url: `/api/v1/advisories/${(await productInState(t, await team(), 'published', { tlp: 'GREEN' })).id}/deliveries` }),
      'webhooks:write': async () => ({ method: 'POST', url: '/api/v1/webhooks', body: { organisationId: orgB, name: 'Probe', url: 'https://chat.hospital.example/hooks/probe', format: 'json' } }),
      'alerts:respond': async () => ({ method: 'POST', url: `/api/v1/advisories/${(await productInState(t, await team(), 'published', { tlp: 'GREEN', kind: 'alert' })).id}/responses`, body: { status: 'received' } }),
      'zdn:read': async () => ({ method: 'GET', url: '/api/v1/zdn/indicators' }),
      'zdn:submit': async () => ({ method: 'POST', url: '/api/v1/zdn/extract', body: { text: 'C2 at hxxp://evil[.]example/x' } }),
      'zdn:write': async () => ({
        method: 'POST',
        url: '/api/v1/zdn/warninglists',
        body: { name: `Probe ${unique()}`, version: 1, description: 'probe', matching_attributes: ['domain'], type: 'string', list: ['benign.example'] },
      }),
      'monitoring:read': async () => ({ method: 'GET', url: '/api/v1/monitoring/findings' }),
      'monitoring:respond': async () => ({ method: 'POST', url: `/api/v1/monitoring/findings/${await probeFinding()}/status`, body: { status: 'acknowledged' } }),
      'monitoring:write': async () => ({ method: 'GET', url: '/api/v1/monitoring/overview' }),
      'incidents:read': async () => ({ method: 'GET', url: '/api/v1/incidents' }),
      'incidents:respond': async () => ({ method: 'PUT', url: `/api/v1/incidents/${await probeCase()}/clocks`, body: { earlyWarningAt: '2026-11-28T10:00:00Z' } }),
      'incidents:write': async () => ({ method: 'GET', url: '/api/v1/incident-templates' }),
      'cvd:read': async () => ({ method: 'GET', url: '/api/v1/cvd/cases' }),
      'cvd:respond': async () => ({ method: 'PATCH', url: `/api/v1/cvd/party-cases/${await probeCvd()}`, body: { status: 'acknowledged' } }),
      'cvd:write': async () => ({ method: 'POST', url: `/api/v1/cvd/cases/${await probeCvd()}/notes`, body: { body: 'probe' } }),
      'meetings:read': async () => ({ method: 'GET', url: '/api/v1/meetings' }),
      'meetings:rsvp': async () => ({ method: 'PUT', url: `/api/v1/meetings/${await probeMeeting()}/rsvp`, body: { response: 'going' } }),
      'meetings:write': async () => ({
        method: 'POST',
        url: '/api/v1/meetings',
        body: { title: `Probe ${unique()}`, startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 90_000_000).toISOString(), place: 'Utrecht', tlp: 'GREEN' },
      }),
      'publications:read': async () => ({ method: 'GET', url: '/api/v1/publications' }),
      'publications:write': async () => ({ method: 'POST', url: '/api/v1/publications/preview', body: { markdown: '## Probe' } }),
      'requests:read': async () => ({ method: 'GET', url: '/api/v1/requests' }),
      'requests:ask': async () => ({ method: 'POST', url: `/api/v1/requests/${await probeRequest()}/questions`, body: { body: 'probe' } }),
      'requests:answer': async () => ({ method: 'POST', url: `/api/v1/requests/${await probeRequest()}/notes`, body: { body: 'probe' } }),
      'community:read': async () => ({ method: 'GET', url: '/api/v1/community/spaces' }),
      'community:write': async () => ({
        method: 'POST',
        url: `/api/v1/community/spaces/${(await t.system.db.insertInto('community_spaces').values({ name: `Probe ${unique()}`, roles: ['participant-admin'], organisation_kinds: ['participant'] }).returning('id').executeTakeFirstOrThrow()).id}/threads`,
        body: { title: 'Probe', body: 'probe', tlp: 'GREEN' },
      }),
      'intake:read': async () => ({ method: 'GET', url: '/api/v1/intake/stories' }),
      'intake:write': async () => ({ method: 'POST', url: '/api/v1/intake/stories/no-action', body: { ids: [await probeStory()], reason: 'probe' } }),
      'intake:sources': async () => ({ method: 'POST', url: '/api/v1/intake/sources', body: { kind: 'rss', name: `Probe ${unique()}`, url: 'https://news.example/feed.xml', enabled: false } }),
      'digests:read': async () => ({ method: 'GET', url: '/api/v1/digests' }),
      // Opening a week's digest is idempotent: every probe may ask again.
      'digests:write': async () => ({ method: 'POST', url: '/api/v1/digests', body: { kind: 'week', period: '2026-W10' } }),
    };
    const scopes = Object.keys(probes) as TokenScope[];
    for (const scope of scopes) {
      const token = await tokenVia(certCreds, [scope]);
      for (const probeScope of scopes) {
        const p = await probes[probeScope]();
        const res = await call(t, p.method, p.url, token, p.body);
        const where = `token with ${scope} → ${p.method} ${p.url} (needs ${probeScope}): ${res.statusCode} ${res.body.slice(0, 200)}`;
        // A scope unlocks its probe, and any other probe whose permission it carries (zdn:write includes zdn:submit).
        const unlocked = (TOKEN_SCOPES[scope] as readonly string[]).includes(TOKEN_SCOPES[probeScope][0]);
        if (unlocked) expect(res.statusCode >= 200 && res.statusCode < 300, where).toBe(true);
        else expect(res.statusCode, where).toBe(403);
      }
    }
  }, 240_000);
});
