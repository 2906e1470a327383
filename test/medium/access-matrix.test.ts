/**
 * The access matrix: every API route × every kind of actor × (own target, another organisation's
 * target), sent as a real, valid request and compared with the hand-written policy table
 * (policy-table.ts). A route the table does not know fails the build; so does a route whose answers
 * drift from the table.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/modules/identity/totp.ts';
import { randomToken, sha256 } from '../../src/modules/identity/secrets.ts';
import * as identityRepo from '../../src/modules/identity/identity.repository.ts';
import * as passkeyRepo from '../../src/modules/identity/passkey.repository.ts';
import * as orgRepo from '../../src/modules/organisations/organisation.repository.ts';
import * as contactRepo from '../../src/modules/organisations/contact.repository.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import * as documentRepo from '../../src/modules/documents/document.repository.ts';
import { chromiumAvailable } from '../../src/lib/pdf.ts';
import { ADVISORY_CASES, setupAdvisoryWorld } from './access-matrix.advisories.ts';
import { DISTRIBUTION_CASES, setupDistributionWorld } from './access-matrix.distribution.ts';
import { ZDN_CASES, setupZdnWorld } from './access-matrix.zdn.ts';
import { MONITORING_CASES, setupMonitoringWorld } from './access-matrix.monitoring.ts';
import { INCIDENT_CASES, setupIncidentWorld } from './access-matrix.incidents.ts';
import { CVD_CASES, setupCvdWorld } from './access-matrix.cvd.ts';
import { COMMUNITY_CASES, setupCommunityWorld } from './access-matrix.community.ts';
import { MEETING_CASES, setupMeetingWorld } from './access-matrix.meetings.ts';
import { REQUEST_CASES, setupRequestWorld } from './access-matrix.requests.ts';
import { PUBLICATION_CASES, setupPublicationWorld } from './access-matrix.publications.ts';
import { CHAT_CASES, setupChatWorld } from './access-matrix.chat.ts';
import { DIGEST_CASES, setupDigestWorld } from './access-matrix.digests.ts';
import { INTAKE_CASES, setupIntakeWorld } from './access-matrix.intake.ts';
import { zdnStreamHub } from '../../src/modules/zdn/stream.routes.ts';
import type { Role } from '../../src/modules/access/permissions.ts';
import type { Tlp } from '../../src/lib/tlp.ts';
import { authHeaders, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { TEST_PASSWORD, login, makeOrganisation, makeUser, type OrgKind, type TestUser } from '../helpers/factories.ts';
import {
  HIDDEN_FROM_OPENAPI,
  POLICY,
  POLICY_KEYS,
  routesFromOpenApi,
  routesFromRouter,
  splitKey,
  type ActorRole,
  type HttpMethod,
  type PolicyKey,
} from './policy-table.ts';

let t: TestApp;
const unique = () => randomBytes(4).toString('hex');

interface Actor {
  label: string;
  role: ActorRole;
  user: TestUser | null;
  creds: Credentials | null;
  /** The organisation of 'own' targets: the actor's own; for CERT staff, a participant (they serve all). */
  home: string;
  /** The organisation of 'other' targets: one the actor has no part in. */
  foreign: string;
  /** Each actor calls from its own address, so per-address rate limits do not mix actors up. */
  ip: string;
}

type Target = 'own' | 'other';

interface Req {
  method: HttpMethod;
  url: string;
  body?: unknown;
  /** Other credentials than the actor's main session (a throwaway or pending session of the same role). */
  creds?: Credentials | null;
  /** The response is a never-ending event stream: read the head, then hang up. */
  stream?: boolean;
  headers?: Record<string, string>;
  /** A raw body instead of JSON (an evidence upload), sent as application/octet-stream. */
  rawBody?: Buffer;
}

interface RouteCase {
  /** The route acts on an object or organisation named in the request: tried on an own and an other target. */
  targeted: boolean;
  build(a: Actor, target: Target | null): Promise<Req>;
  /** For lists: the organisations of the rows of a 2xx answer. */
  rowOrgs?: (body: unknown) => string[];
  /** More checks on a 2xx answer. */
  check?: (res: LightMyRequestResponse, a: Actor, target: Target | null) => void;
  /** Renders with Chromium: where it is absent (never under CI) a 503 pdf_unavailable stands for success. */
  needsChromium?: boolean;
  /** A form post that sends the browser back to its page: success is a 303 See Other, not a 2xx. */
  redirects?: true;
}

const orgs = { cert: '', a: '', b: '', partner: '' };
const kindOf = new Map<string, OrgKind>();
let actors: Actor[] = [];

// ---- direct factories (the repositories, not the API: fast, and independent of the routes under test)

function roleFor(organisationId: string): Role {
  const kind = kindOf.get(organisationId);
  if (kind === 'cert') return 'cert-analyst';
  if (kind === 'participant') return 'participant-member';
  return 'partner';
}

async function freshUser(organisationId: string, role: Role = roleFor(organisationId), opts: { totp?: boolean } = {}): Promise<TestUser> {
  return makeUser(t, organisationId, role, opts);
}

/** A session row inserted directly, at any stage: a login without the password hashing. */
async function directSession(userId: string, stage: 'full' | 'totp' | 'totp_setup' = 'full'): Promise<{ id: string; creds: Credentials }> {
  const token = randomToken();
  const csrf = randomToken(24);
  const s = await identityRepo.insertSession(t.system.db, { tokenHash: sha256(token), userId, stage, csrfToken: csrf, ip: null, userAgent: null, expiresAt: new Date(Date.now() + 3600_000) });
  return { id: s.id, creds: { cookie: `wp_session=${token}`, csrf } };
}

/** A fresh user of the actor's role and organisation with its own session, for self-service that changes state. */
async function throwaway(a: Actor, opts: { stage?: 'full' | 'totp' | 'totp_setup'; totp?: boolean } = {}): Promise<{ user: TestUser; creds: Credentials } | null> {
  if (!a.user) return null;
  const user = await freshUser(a.user.organisationId, a.user.role, { totp: opts.totp ?? false });
  return { user, creds: (await directSession(user.id, opts.stage ?? 'full')).creds };
}

async function freshContact(organisationId: string): Promise<string> {
  const row = await contactRepo.insertContact(t.system.db, organisationId, {
    name: `Contact ${unique()}`,
    email: `contact-${unique()}@test.example`,
    kind: 'person',
    roles: [],
    languages: ['nl'],
    phone: null,
    subscriptions: [],
    pgp_public_key: null,
    pgp_fingerprint: null,
    pgp_user_ids: null,
    pgp_expires_at: null,
    user_id: null,
  });
  return row.id;
}

async function freshAsset(organisationId: string, status: 'proposed' | 'approved' = 'proposed'): Promise<string> {
  const n = normaliseAsset({ type: 'domain', value: `${unique()}.example`, includeSubdomains: false });
  if ('error' in n) throw new Error(n.error);
  return (await assetRepo.insertAsset(t.system.db, organisationId, n.asset, null, status)).id;
}

async function freshToken(userId: string): Promise<string> {
  const row = await identityRepo.insertToken(t.system.db, { userId, name: 'matrix', prefix: unique(), tokenHash: sha256(randomToken()), scopes: ['documents:read'], expiresAt: null });
  return row.id;
}

async function freshDocument(owner: string, tlp: Tlp, recipients: string[]): Promise<string> {
  return documentRepo.insertDocument(t.system.db, {
    owner,
    title: `Document ${unique()}`,
    description: '',
    tlp,
    fileName: 'report.txt',
    mediaType: 'text/plain',
    content: new TextEncoder().encode('the content'),
    createdBy: null,
    recipients: recipients.map((organisationId) => ({ organisationId })),
  });
}

const targetOrg = (a: Actor, target: Target | null) => (target === 'other' ? a.foreign : a.home);
/** Whose object a self-service 'own' or 'other' target is: the actor's own user, or a user of the foreign organisation. */
async function ownerOf(a: Actor, target: Target | null): Promise<string> {
  if (target !== 'other' && a.user) return a.user.id;
  return (await freshUser(target === 'other' ? a.foreign : a.home)).id;
}

/**
 * A software WebAuthn authenticator (P-256, "none" attestation): what a browser and a security key
 * would answer, so the passkey routes can be called with valid requests.
 */
class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly keys: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private counter = 0;
  constructor(private readonly origin: string) {}

  private get rpIdHash(): Buffer {
    return createHash('sha256').update(new URL(this.origin).hostname).digest();
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  register(challenge: string) {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    // flags: user present, user verified, attested credential data
    const authData = Buffer.concat([this.rpIdHash, Buffer.from([0x45]), Buffer.alloc(4), Buffer.alloc(16), idLength, this.credentialId, cose]);
    const attStmt = new Map<string, never>();
    const attestationObject = isoCBOR.encode(new Map<string, string | Uint8Array | Map<string, never>>([['fmt', 'none'], ['attStmt', attStmt], ['authData', authData]]));
    const id = this.credentialId.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: { clientDataJSON: this.clientData('webauthn.create', challenge).toString('base64url'), attestationObject: Buffer.from(attestationObject).toString('base64url'), transports: ['internal'] },
      clientExtensionResults: {},
    };
  }

  assert(challenge: string) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(++this.counter);
    const authData = Buffer.concat([this.rpIdHash, Buffer.from([0x05]), counter]); // user present and verified
    const clientDataJSON = this.clientData('webauthn.get', challenge);
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]), this.keys.privateKey);
    const id = this.credentialId.toString('base64url');
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: { clientDataJSON: clientDataJSON.toString('base64url'), authenticatorData: authData.toString('base64url'), signature: signature.toString('base64url') },
      clientExtensionResults: {},
    };
  }
}

/** Registers a passkey for the user through the API (options, then the authenticator's answer). */
async function enrolPasskey(a: Actor, creds: Credentials): Promise<SoftAuthenticator> {
  const authenticator = new SoftAuthenticator(t.services.config.publicUrl);
  const options = await send(a, { method: 'POST', url: '/api/v1/me/passkeys/options', creds });
  const { challengeId, options: o } = json<{ challengeId: string; options: { challenge: string } }>(options.res);
  const added = await send(a, { method: 'POST', url: '/api/v1/me/passkeys', creds, body: { challengeId, name: 'key', credential: authenticator.register(o.challenge) } });
  if (added.statusCode !== 201) throw new Error(`could not enrol a passkey: ${added.statusCode} ${added.body}`);
  return authenticator;
}

/** A stored passkey row (for listing and removing; no cryptography needed). */
async function freshPasskey(userId: string): Promise<string> {
  const id = randomBytes(16).toString('base64url');
  await passkeyRepo.insertCredential(t.system.db, { id, userId, name: 'stored key', publicKey: randomBytes(77), counter: 0, transports: [], backedUp: false });
  return id;
}

// ---- sending

interface Sent {
  statusCode: number;
  body: string;
  headers: LightMyRequestResponse['headers'];
  res: LightMyRequestResponse;
}

/** Open streams in both hubs (the portal's events and the detection network's feed). */
const streams = () => t.hub.size + (zdnStreamHub(t.services)?.size ?? 0);

async function send(a: Actor, req: Req): Promise<Sent> {
  const creds = req.creds !== undefined ? req.creds : a.creds;
  const res = await t.app.inject({
    method: req.method,
    url: req.url,
    remoteAddress: a.ip,
    headers: {
      ...authHeaders(creds),
      ...(req.body !== undefined && { 'content-type': 'application/json' }),
      ...(req.rawBody !== undefined && { 'content-type': 'application/octet-stream' }),
      ...req.headers,
    },
    ...(req.body !== undefined && { payload: JSON.stringify(req.body) }),
    ...(req.rawBody !== undefined && { payload: req.rawBody }),
    ...(req.stream && { payloadAsStream: true }),
  });
  if (!req.stream) return { statusCode: res.statusCode, body: res.body, headers: res.headers, res };
  if (res.statusCode === 200) {
    // An open event stream: the head says it all. Hang up, and the hub must let the subscriber go.
    const open = streams();
    res.raw.res.req.destroy();
    for (let i = 0; i < 100 && streams() >= open; i++) await new Promise((r) => setTimeout(r, 5));
    expect(streams(), 'the hub still holds a stream whose client hung up').toBeLessThan(open);
    return { statusCode: 200, body: '', headers: res.headers, res };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of res.stream()) chunks.push(chunk as Buffer);
  return { statusCode: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, res };
}

// ---- one valid request per route

const json = <T>(res: LightMyRequestResponse) => res.json<T>();
const items = (body: unknown) => (body as { items: { organisationId?: string; id: string }[] }).items;

const CASES: Record<PolicyKey, RouteCase> = {
  'GET /healthz': { targeted: false, build: async () => ({ method: 'GET', url: '/healthz' }) },
  'GET /readyz': { targeted: false, build: async () => ({ method: 'GET', url: '/readyz' }) },
  'GET /api/openapi.json': { targeted: false, build: async () => ({ method: 'GET', url: '/api/openapi.json' }) },

  'POST /api/v1/auth/login': {
    targeted: false,
    build: async (a) => {
      const u = await freshUser(a.user?.organisationId ?? orgs.a, a.user?.role ?? 'participant-member');
      return { method: 'POST', url: '/api/v1/auth/login', body: { email: u.email, password: TEST_PASSWORD } };
    },
    check: (res) => expect(res.cookies.some((c) => c.name === 'wp_session')).toBe(true),
  },
  'POST /api/v1/auth/totp': {
    targeted: false,
    build: async (a) => {
      const tw = await throwaway(a, { stage: 'totp', totp: true });
      return { method: 'POST', url: '/api/v1/auth/totp', creds: tw?.creds ?? null, body: { code: tw ? currentTotp(tw.user.totpSecret!) : '123456' } };
    },
  },
  'POST /api/v1/auth/totp/setup': {
    targeted: false,
    build: async (a) => ({ method: 'POST', url: '/api/v1/auth/totp/setup', creds: (await throwaway(a, { stage: 'totp_setup' }))?.creds ?? null }),
    check: (res) => expect(json<{ otpauthUrl: string }>(res).otpauthUrl).toMatch(/^otpauth:/),
  },
  'POST /api/v1/auth/totp/enable': {
    targeted: false,
    build: async (a) => {
      const tw = await throwaway(a, { stage: 'totp_setup' });
      if (!tw) return { method: 'POST', url: '/api/v1/auth/totp/enable', creds: null, body: { code: '123456' } };
      const setup = await send(a, { method: 'POST', url: '/api/v1/auth/totp/setup', creds: tw.creds });
      const { secret } = json<{ secret: string }>(setup.res);
      return { method: 'POST', url: '/api/v1/auth/totp/enable', creds: tw.creds, body: { code: currentTotp(secret) } };
    },
    check: (res) => expect(json<{ recoveryCodes: string[] }>(res).recoveryCodes).toHaveLength(10),
  },
  'POST /api/v1/auth/logout': {
    targeted: false,
    build: async (a) => ({ method: 'POST', url: '/api/v1/auth/logout', creds: (await throwaway(a))?.creds ?? null }),
  },
  'GET /api/v1/auth/me': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/auth/me' }),
    check: (res, a) => expect(json<{ user: { id: string } }>(res).user.id).toBe(a.user!.id),
  },
  'POST /api/v1/auth/password-reset': {
    targeted: false,
    build: async (a) => ({ method: 'POST', url: '/api/v1/auth/password-reset', body: { email: a.user?.email ?? 'nobody@test.example' } }),
  },
  'POST /api/v1/auth/password-link': {
    targeted: false,
    build: async (a) => {
      const u = await freshUser(a.user?.organisationId ?? orgs.a, a.user?.role ?? 'participant-member');
      const token = randomToken();
      await identityRepo.insertPasswordToken(t.system.db, { userId: u.id, purpose: 'reset', tokenHash: sha256(token), expiresAt: new Date(Date.now() + 3600_000) });
      return { method: 'POST', url: '/api/v1/auth/password-link', body: { token, newPassword: 'een nieuw en heel lang wachtwoord' } };
    },
  },
  'POST /api/v1/auth/passkey/options': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/auth/passkey/options' }),
    check: (res) => expect(json<{ challengeId: string }>(res).challengeId).toMatch(/^[0-9a-f-]{36}$/),
  },
  'POST /api/v1/auth/passkey': {
    targeted: false,
    build: async (a) => {
      // Anonymous: a passwordless login with someone's passkey. Logged in: the second factor of a
      // pending session of the same role, with that user's passkey.
      const org = a.user?.organisationId ?? orgs.a;
      const u = await freshUser(org, a.user?.role ?? 'participant-member', { totp: true });
      const authenticator = await enrolPasskey(a, (await directSession(u.id)).creds);
      const pending = a.user ? (await directSession(u.id, 'totp')).creds : null;
      const options = await send(a, { method: 'POST', url: '/api/v1/auth/passkey/options', creds: pending });
      const { challengeId, options: o } = json<{ challengeId: string; options: { challenge: string } }>(options.res);
      return { method: 'POST', url: '/api/v1/auth/passkey', creds: pending, body: { challengeId, credential: authenticator.assert(o.challenge) } };
    },
    check: (res) => expect(json<{ status: string }>(res).status).toBe('ok'),
  },

  'PATCH /api/v1/me': {
    targeted: false,
    build: async (a) => ({ method: 'PATCH', url: '/api/v1/me', creds: (await throwaway(a))?.creds ?? null, body: { name: 'Renamed', locale: 'en' } }),
  },
  'POST /api/v1/me/password': {
    targeted: false,
    build: async (a) => ({
      method: 'POST',
      url: '/api/v1/me/password',
      creds: (await throwaway(a))?.creds ?? null,
      body: { currentPassword: TEST_PASSWORD, newPassword: 'de kat krabt de krullen van de trap' },
    }),
  },
  'POST /api/v1/me/totp/setup': {
    targeted: false,
    build: async (a) => ({ method: 'POST', url: '/api/v1/me/totp/setup', creds: (await throwaway(a))?.creds ?? null }),
  },
  'POST /api/v1/me/totp/enable': {
    targeted: false,
    build: async (a) => {
      const tw = await throwaway(a);
      if (!tw) return { method: 'POST', url: '/api/v1/me/totp/enable', creds: null, body: { code: '123456' } };
      const setup = await send(a, { method: 'POST', url: '/api/v1/me/totp/setup', creds: tw.creds });
      return { method: 'POST', url: '/api/v1/me/totp/enable', creds: tw.creds, body: { code: currentTotp(json<{ secret: string }>(setup.res).secret) } };
    },
  },
  'POST /api/v1/me/recovery-codes': {
    targeted: false,
    build: async (a) => ({ method: 'POST', url: '/api/v1/me/recovery-codes', creds: (await throwaway(a))?.creds ?? null }),
  },
  'GET /api/v1/me/sessions': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/me/sessions' }),
    check: (res) => expect(json<{ items: { current: boolean }[] }>(res).items.some((s) => s.current)).toBe(true),
  },
  'DELETE /api/v1/me/sessions/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'DELETE', url: `/api/v1/me/sessions/${(await directSession(await ownerOf(a, target))).id}` }),
  },
  'POST /api/v1/me/passkeys/options': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/me/passkeys/options' }),
    check: (res) => expect(json<{ options: { challenge: string } }>(res).options.challenge.length).toBeGreaterThan(10),
  },
  'POST /api/v1/me/passkeys': {
    targeted: false,
    build: async (a) => {
      const tw = await throwaway(a);
      if (!tw) return { method: 'POST', url: '/api/v1/me/passkeys', creds: null, body: { challengeId: crypto.randomUUID(), name: 'key', credential: new SoftAuthenticator(t.services.config.publicUrl).register('x') } };
      const options = await send(a, { method: 'POST', url: '/api/v1/me/passkeys/options', creds: tw.creds });
      const { challengeId, options: o } = json<{ challengeId: string; options: { challenge: string } }>(options.res);
      return { method: 'POST', url: '/api/v1/me/passkeys', creds: tw.creds, body: { challengeId, name: 'My key', credential: new SoftAuthenticator(t.services.config.publicUrl).register(o.challenge) } };
    },
    check: (res) => expect(json<{ name: string }>(res).name).toBe('My key'),
  },
  'GET /api/v1/me/passkeys': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/me/passkeys' }) },
  'DELETE /api/v1/me/passkeys/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'DELETE', url: `/api/v1/me/passkeys/${await freshPasskey(await ownerOf(a, target))}` }),
  },
  'GET /api/v1/tokens': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/tokens' }) },
  'POST /api/v1/tokens': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/tokens', body: { name: 'matrix', scopes: ['documents:read'] } }),
    check: (res) => expect(json<{ token: string }>(res).token).toMatch(/^wp_/),
  },
  'DELETE /api/v1/tokens/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'DELETE', url: `/api/v1/tokens/${await freshToken(await ownerOf(a, target))}` }),
  },

  'GET /api/v1/users': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/users?limit=200' }), rowOrgs: (b) => items(b).map((u) => u.organisationId!) },
  'POST /api/v1/users': {
    targeted: true,
    build: async (a, target) => {
      const org = targetOrg(a, target);
      return { method: 'POST', url: '/api/v1/users', body: { email: `invitee-${unique()}@test.example`, name: 'Invitee', role: roleFor(org), organisationId: org } };
    },
    check: (res, a, target) => expect(json<{ organisationId: string; status: string }>(res)).toMatchObject({ organisationId: targetOrg(a, target), status: 'invited' }),
  },
  'POST /api/v1/users/:id/disable': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/users/${(await freshUser(targetOrg(a, target))).id}/disable` }),
  },
  'POST /api/v1/users/:id/enable': {
    targeted: true,
    build: async (a, target) => {
      const u = await freshUser(targetOrg(a, target));
      await t.system.db.updateTable('users').set({ status: 'disabled', disabled_at: new Date() }).where('id', '=', u.id).execute();
      return { method: 'POST', url: `/api/v1/users/${u.id}/enable` };
    },
  },

  'GET /api/v1/organisations': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/organisations?limit=200' }), rowOrgs: (b) => items(b).map((o) => o.id) },
  'POST /api/v1/organisations': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/organisations', body: { kind: 'vendor', name: `Vendor ${unique()}` } }),
  },
  'GET /api/v1/organisations/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/organisations/${targetOrg(a, target)}` }),
    check: (res, a, target) => expect(json<{ id: string }>(res).id).toBe(targetOrg(a, target)),
  },
  'PATCH /api/v1/organisations/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'PATCH', url: `/api/v1/organisations/${targetOrg(a, target)}`, body: { shortName: `S${unique()}` } }),
  },
  'GET /api/v1/organisations/:id/contacts': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/organisations/${targetOrg(a, target)}/contacts` }),
    check: (res, a, target) => {
      const rows = items(json(res));
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((c) => c.organisationId))).toEqual(new Set([targetOrg(a, target)]));
    },
  },
  'POST /api/v1/organisations/:id/contacts': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/organisations/${targetOrg(a, target)}/contacts`, body: { name: 'New contact', email: `c-${unique()}@test.example` } }),
  },
  'PATCH /api/v1/contacts/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'PATCH', url: `/api/v1/contacts/${await freshContact(targetOrg(a, target))}`, body: { name: 'Renamed contact' } }),
  },
  'DELETE /api/v1/contacts/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'DELETE', url: `/api/v1/contacts/${await freshContact(targetOrg(a, target))}` }),
  },

  'GET /api/v1/organisations/:id/assets': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/organisations/${targetOrg(a, target)}/assets` }),
    check: (res, a, target) => {
      const rows = items(json(res));
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((x) => x.organisationId))).toEqual(new Set([targetOrg(a, target)]));
    },
  },
  'POST /api/v1/organisations/:id/assets': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/organisations/${targetOrg(a, target)}/assets`, body: { type: 'domain', value: `${unique()}.example` } }),
  },
  'POST /api/v1/organisations/:id/assets/import': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/organisations/${targetOrg(a, target)}/assets/import`, body: { csv: `type,value\ndomain,${unique()}.example\n` } }),
    check: (res) => expect(json<{ dryRun: boolean; accepted: number }>(res)).toMatchObject({ dryRun: true, accepted: 1 }),
  },
  'GET /api/v1/assets': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/assets?limit=200' }), rowOrgs: (b) => items(b).map((x) => x.organisationId!) },
  'POST /api/v1/assets/:id/approve': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/assets/${await freshAsset(targetOrg(a, target))}/approve` }),
    check: (res) => expect(json<{ status: string }>(res).status).toBe('approved'),
  },
  'POST /api/v1/assets/:id/reject': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/assets/${await freshAsset(targetOrg(a, target))}/reject`, body: { reason: 'Not yours.' } }),
    check: (res) => expect(json<{ status: string }>(res).status).toBe('rejected'),
  },

  'GET /api/v1/audit': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/audit' }) },
  'GET /api/v1/audit/export': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/audit/export?format=json' }) },
  'GET /api/v1/audit/verify': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/audit/verify' }),
    check: (res) => expect(json(res)).toMatchObject({ ok: true, problem: null }),
  },

  'GET /api/v1/documents': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/documents' }) },
  'GET /api/v1/documents/export': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/documents/export' }) },
  'POST /api/v1/documents': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/documents',
      body: { title: 'Weekly report', tlp: 'GREEN', fileName: 'week.txt', mediaType: 'text/plain', contentBase64: Buffer.from('hello').toString('base64') },
    }),
  },
  'GET /api/v1/documents/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/documents/${await freshDocument(targetOrg(a, target), 'AMBER+STRICT', [targetOrg(a, target)])}` }),
    check: (res, a, target) => expect(json<{ ownerOrganisationId: string }>(res).ownerOrganisationId).toBe(targetOrg(a, target)),
  },
  'GET /api/v1/documents/:id/download': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/documents/${await freshDocument(targetOrg(a, target), 'AMBER+STRICT', [targetOrg(a, target)])}/download` }),
    check: (res) => {
      expect(res.body).toBe('the content');
      expect(res.headers['x-tlp']).toBe('TLP:AMBER+STRICT');
    },
  },

  'GET /api/v1/events': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/events', stream: true }),
    check: (res) => expect(String(res.headers['content-type'])).toContain('text/event-stream'),
  },
  'GET /api/v1/search': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/search?q=matrix' }),
  },

  ...ADVISORY_CASES,
  ...DISTRIBUTION_CASES,
  ...ZDN_CASES,
  ...MONITORING_CASES,
  ...INCIDENT_CASES,
  ...CVD_CASES,
  ...COMMUNITY_CASES,
  ...MEETING_CASES,
  ...REQUEST_CASES,
  ...PUBLICATION_CASES,
  ...CHAT_CASES,
  ...DIGEST_CASES,
  ...INTAKE_CASES,
};

// ---- the world

beforeAll(async () => {
  t = await createTestApp();
  const cert = await makeOrganisation(t, 'cert');
  const a = await makeOrganisation(t, 'participant', `Hospital A ${unique()}`);
  const b = await makeOrganisation(t, 'participant', `Hospital B ${unique()}`);
  const partner = await makeOrganisation(t, 'partner', `MSSP ${unique()}`);
  Object.assign(orgs, { cert: cert.id, a: a.id, b: b.id, partner: partner.id });
  for (const o of [cert, a, b, partner]) kindOf.set(o.id, o.kind);
  // The partner acts for A: still, its role reaches only its own organisation.
  await orgRepo.setClients(t.system.db, partner.id, [a.id]);
  await setupAdvisoryWorld(t);
  await setupDistributionWorld(t, [cert.id, a.id, b.id, partner.id]);
  await setupZdnWorld(t);
  await setupMonitoringWorld(t, [a.id, b.id]);
  await setupIncidentWorld(t, { cert: cert.id, participants: [a.id, b.id], partners: [partner.id] });
  // After the incidents world: CVD attachments go to the temporary evidence folder it made.
  await setupCvdWorld(t, { cert: cert.id, participants: [a.id, b.id], partners: [partner.id] });
  await setupCommunityWorld(t, { cert: cert.id, participants: [a.id, b.id], partners: [partner.id] });
  await setupMeetingWorld(t, { cert: cert.id, participants: [a.id, b.id], partners: [partner.id] });
  await setupRequestWorld(t, { cert: cert.id, participants: [a.id, b.id], partners: [partner.id] });
  await setupPublicationWorld(t, { cert: cert.id, participants: [a.id, b.id], partners: [partner.id] });
  await setupChatWorld(t, { cert: cert.id, participants: [a.id, b.id], partners: [partner.id] });
  await setupDigestWorld(t, { cert: cert.id, participants: [a.id, b.id] });
  await setupIntakeWorld(t);

  const users = {
    certAdmin: await makeUser(t, cert.id, 'cert-admin'),
    certAnalyst: await makeUser(t, cert.id, 'cert-analyst'),
    adminA: await makeUser(t, a.id, 'participant-admin'),
    memberA: await makeUser(t, a.id, 'participant-member'),
    partner: await makeUser(t, partner.id, 'partner'),
    adminB: await makeUser(t, b.id, 'participant-admin'),
  };
  // Something to list in every organisation.
  for (const org of [a.id, b.id, partner.id, cert.id]) await freshContact(org);
  for (const org of [a.id, b.id]) await freshAsset(org, 'approved');

  const actor = async (label: string, role: ActorRole, user: TestUser | null, home: string, foreign: string, i: number): Promise<Actor> => ({
    label,
    role,
    user,
    creds: user ? await login(t, user) : null,
    home,
    foreign,
    ip: `10.0.${i}.1`,
  });
  actors = await Promise.all([
    actor('anonymous', 'anonymous', null, a.id, b.id, 0),
    actor('cert-admin', 'cert-admin', users.certAdmin, a.id, b.id, 1),
    actor('cert-analyst', 'cert-analyst', users.certAnalyst, a.id, b.id, 2),
    actor('participant-admin of A', 'participant-admin', users.adminA, a.id, b.id, 3),
    actor('participant-member of A', 'participant-member', users.memberA, a.id, b.id, 4),
    actor('partner acting for A', 'partner', users.partner, partner.id, a.id, 5),
    actor('participant-admin of B', 'participant-admin', users.adminB, b.id, a.id, 6),
  ]);
});
afterAll(async () => t?.close());

describe('the policy table covers the app', () => {
  it('lists every registered route (OpenAPI and router), and no route that does not exist', async () => {
    const documented = await routesFromOpenApi(t.app);
    const routed = routesFromRouter(t.app);
    const table = new Set<string>(POLICY_KEYS);
    // Sanity: both readings of the app found the routes at all.
    expect(documented.size).toBeGreaterThan(30);
    expect(routed.size).toBeGreaterThanOrEqual(documented.size);

    const missing = [...new Set([...documented, ...routed, ...HIDDEN_FROM_OPENAPI])].filter((k) => !table.has(k));
    expect(missing, 'routes without a row in test/medium/policy-table.ts').toEqual([]);
    const stale = [...table].filter((k) => !routed.has(k));
    expect(stale, 'rows in the policy table for routes the app does not have').toEqual([]);
    // What OpenAPI does not show must be listed as hidden, so nothing is hidden by accident.
    const hidden = [...routed].filter((k) => !documented.has(k));
    expect(hidden.sort()).toEqual([...HIDDEN_FROM_OPENAPI].sort());
  });
});

/** Sends the route's request as one actor, on an own and an other target where it takes one, and compares with the table. */
async function checkActor(key: PolicyKey, a: Actor): Promise<void> {
  const c = CASES[key];
  const { method } = splitKey(key);
  const expected = POLICY[key].outcomes[a.role];
  for (const target of c.targeted ? (['own', 'other'] as const) : [null]) {
    const req = await c.build(a, target);
    expect(req.method).toBe(method);
    const res = await send(a, req);
    const where = `${key} as ${a.label}${target ? ` on ${target === 'own' ? 'an own' : "another organisation's"} target` : ''} (expected ${expected}): ${res.statusCode} ${res.body.slice(0, 300)}`;
    const wantOk = expected === 'allow' || (expected === 'own' && target !== 'other');
    const pdfWithoutChromium = wantOk && c.needsChromium && !chromiumAvailable();
    // Without Chromium (never under CI) the PDF routes answer 503 pdf_unavailable; nothing else may be a 5xx.
    if (!pdfWithoutChromium) expect(res.statusCode, where).toBeLessThan(500);
    if (pdfWithoutChromium) {
      expect(process.env.CI, `${where}: CI installs Chromium (apt-get install -y chromium)`).not.toBe('true');
      expect(res.statusCode, where).toBe(503);
      expect(JSON.parse(res.body).error.code, where).toBe('pdf_unavailable');
    } else if (wantOk) {
      expect(c.redirects ? res.statusCode === 303 : res.statusCode >= 200 && res.statusCode < 300, where).toBe(true);
      if (c.rowOrgs) {
        const rowOrgs = c.rowOrgs(res.res.json());
        expect(rowOrgs.length, where).toBeGreaterThan(0);
        if (expected === 'own') expect(new Set(rowOrgs), where).toEqual(new Set([a.user!.organisationId]));
        else expect(rowOrgs, where).toContain(a.foreign);
      }
      c.check?.(res.res, a, target);
    } else {
      expect(a.role === 'anonymous' ? [401] : [403, 404], where).toContain(res.statusCode);
      // TAXII speaks its own error shape (title, error_code, http_status); everything else ours.
      const shape = key.includes(' /taxii2/') ? { title: expect.any(String), error_code: expect.any(String), http_status: String(res.statusCode) } : { error: { code: expect.any(String), message: expect.any(String) } };
      expect(JSON.parse(res.body), where).toMatchObject(shape);
    }
  }
}

describe('access matrix: every route × every actor × own and other target', () => {
  for (const key of POLICY_KEYS) {
    it(key, async () => {
      expect(CASES[key], `no request for ${key} in access-matrix.test.ts`).toBeDefined();
      // Actors are independent: run them side by side (password hashing runs off the main thread).
      await Promise.all(actors.map((a) => checkActor(key, a)));
    });
  }

  it('closed every event stream it opened', () => {
    expect(streams()).toBe(0);
  });
});

describe('found by the matrix', () => {
  it('verifying the audit chain while other requests append to it reports no tampering', async () => {
    const admin = actors.find((a) => a.role === 'cert-admin')!;
    const member = actors.find((a) => a.role === 'participant-member')!;
    // Each denied request appends an audit entry while the verification walks the chain.
    const [verify] = await Promise.all([
      send(admin, { method: 'GET', url: '/api/v1/audit/verify' }),
      ...Array.from({ length: 20 }, () => send(member, { method: 'GET', url: '/api/v1/audit' })),
    ]);
    expect(verify.statusCode).toBe(200);
    expect(JSON.parse(verify.body)).toMatchObject({ ok: true, problem: null });
    const after = await send(admin, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(JSON.parse(after.body)).toMatchObject({ ok: true, problem: null });
  });
});
