/**
 * Fuzzing the JSON API (fast-check): for every route in the OpenAPI document, malformed bodies
 * (shaped by the route's own schema but with hostile values, random JSON, deep nesting, oversized,
 * invalid UTF-8, not JSON at all, empty, the wrong content type), malformed query strings (unknown
 * parameters, random values, garbage cursors, broken percent-encoding) and malformed path ids — as a
 * logged-in CERT admin (who may do everything) and anonymously. Whatever comes in: never a 5xx, every
 * 4xx in the error shape `{ error: { code, message } }`, and no stack trace or source path in any answer.
 *
 * FUZZ_RUNS (runs per route as the CERT admin, default 40), FUZZ_SEED (replay a reported seed) and
 * FUZZ_TIMEOUT (ms) allow a longer hunt: FUZZ_RUNS=200 FUZZ_TIMEOUT=900000 npx vitest run … api-fuzz.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken, sha256 } from '../../src/modules/identity/secrets.ts';
import * as identityRepo from '../../src/modules/identity/identity.repository.ts';
import * as contactRepo from '../../src/modules/organisations/contact.repository.ts';
import * as assetRepo from '../../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../../src/modules/organisations/asset-normalise.ts';
import * as documentRepo from '../../src/modules/documents/document.repository.ts';
import * as passkeyRepo from '../../src/modules/identity/passkey.repository.ts';
import { upsertFindings } from '../../src/modules/monitoring/finding.repository.ts';
import * as reportRepo from '../../src/modules/monitoring/report.repository.ts';
import { authHeaders, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';

let t: TestApp;
let certAdmin: TestUser;
let adminCreds: Credentials;
/** Ids of real objects, so fuzzed requests also reach handlers and the database with an existing target. */
let realIds: string[] = [];
const ids = { orgA: '', orgB: '', cert: '', partner: '', member: '', admin: '', contact: '', asset: '', document: '', finding: '', report: '', source: '' };
/** Real ids of the kind a field names: organisation ids for `organisationId`, user ids for `userId`. */
function idsFor(field: string): string[] {
  if (/organi[sz]ation/i.test(field)) return [ids.orgA, ids.orgB, ids.cert, ids.partner];
  if (/user/i.test(field)) return [ids.member, ids.admin];
  return realIds;
}

// ---- the routes, from the OpenAPI document

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}
interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string; // OpenAPI form: /api/v1/users/{id}/disable
  pathParams: string[];
  query: Record<string, JsonSchema>;
  body: JsonSchema | null;
}

async function operations(): Promise<Operation[]> {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  const doc = res.json<{
    paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: JsonSchema }[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>>;
  }>();
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

// ---- hostile values

const NASTY = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '🦠💉',
  '0000-01-01',
  '0000-01-01T00:00:00Z',
  '2026-02-30',
  '9999-12-31T23:59:59.999999Z',
  '-1',
  'NaN',
  'null',
  'true',
  '__proto__',
  'constructor',
  "'; DROP TABLE users; --",
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '0.0.0.0/0',
  '::/0',
  'AS4294967296',
  '*.example',
  'cpe:2.3:a:*:*:*:*:*:*:*:*:*:*',
  '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnonsense\n-----END PGP PUBLIC KEY BLOCK-----',
  'type,value\ndomain,a.example\n"unclosed',
  '\ufeffbom',
  'x'.repeat(5000),
];
const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)), maxLength: 8 }) },
);
const nastyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5));
const isoDate = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());

/** A value the schema accepts, or nearly: gets a request past validation, into the handler and the database. */
function plausible(schema: JsonSchema, depth: number, field = ''): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => plausible(s, depth, field)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const type: string = (Array.isArray(schema.type) ? schema.type[0] : schema.type) ?? 'any';
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...idsFor(field)) }, { weight: 1, arbitrary: fc.uuid() });
      if (schema.format === 'date') return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'date-time') return fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'byte') return fc.uint8Array({ minLength: 1, maxLength: 48 }).map((b) => Buffer.from(b).toString('base64'));
      if (schema.format === 'email') return fc.stringMatching(/^[a-z0-9]{1,12}$/).map((l) => `${l}@test.example`);
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, 40);
      if (schema.pattern) {
        try {
          const re = new RegExp(schema.pattern);
          return fc.stringMatching(re).filter((v) => v.length >= min && v.length <= (schema.maxLength ?? Infinity));
        } catch {
          // a pattern JavaScript cannot read: fall through to a plain string
        }
      }
      return fc.stringMatching(/^[A-Za-z0-9 ._-]*$/).map((v) => (v.trim() || 'x').slice(0, Math.max(max, 1)).padEnd(Math.max(min, 1), 'x'));
    }
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 3) return fc.constant([]);
      const item = plausible(schema.items ?? {}, depth + 1, field);
      const list = fc.array(item, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
      // The same item twice: lists of ids, names, recipients.
      return fc.oneof({ weight: 3, arbitrary: list }, { weight: 1, arbitrary: item.map((x) => [x, x]) });
    }
    case 'object': {
      if (depth > 3) return fc.constant({});
      const props = schema.properties ?? {};
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, plausible(s, depth + 1, k)])), { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.constant(null);
  }
}

/** A plausible object with one property made hostile (or dropped, or one added): what finds the deep faults. */
function oneBadField(schema: JsonSchema): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  if (!props.length) return plausible(schema, 0);
  return fc
    .tuple(plausible(schema, 0), fc.nat(props.length), fc.oneof(...props.map(([, s]) => valueFor(s, 1))))
    .map(([base, i, bad]) => {
      const obj = { ...(base as Record<string, unknown>) };
      if (i === props.length) obj.unexpected = bad;
      else obj[props[i]![0]] = bad;
      return obj;
    });
}

/** A value for a schema: mostly well-typed but hostile, sometimes anything at all. */
function valueFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const chaos = depth > 3 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => valueFor(s, depth)));
  if (schema.const !== undefined) return fc.oneof({ weight: 4, arbitrary: fc.constant(schema.const) }, { weight: 1, arbitrary: chaos });
  if (schema.enum?.length) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: nastyString });
  const type: string = (Array.isArray(schema.type) ? schema.type[0] : schema.type) ?? 'any';
  let typed: fc.Arbitrary<unknown>;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid') typed = fc.oneof(fc.constantFrom(...realIds), fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000'));
      else if (schema.format === 'email') typed = fc.oneof(fc.emailAddress(), nastyString.map((s) => `${s}@test.example`));
      else if (schema.format === 'date') typed = isoDate.map((d) => d.slice(0, 10));
      else if (schema.format === 'date-time') typed = isoDate;
      else if (schema.format === 'byte') typed = fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')), fc.constant(''));
      else typed = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom(...realIds));
      // A formatted string is mostly well-formed (to get past validation), a free one often hostile.
      typed = fc.oneof({ weight: schema.format ? 6 : 2, arbitrary: typed }, { weight: 2, arbitrary: nastyString });
      break;
    case 'integer':
    case 'number':
      typed = nastyNumber;
      break;
    case 'boolean':
      typed = fc.boolean();
      break;
    case 'null':
      typed = fc.constant(null);
      break;
    case 'array':
      // Lists of ids and names, now and then with the same item twice.
      typed = depth > 3 ? fc.constant([]) : fc.oneof(fc.array(valueFor(schema.items ?? {}, depth + 1), { maxLength: 4 }), valueFor(schema.items ?? {}, depth + 1).map((x) => [x, x]));
      break;
    case 'object': {
      if (depth > 3) return fc.constant({});
      const props = schema.properties ?? {};
      const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, valueFor(s, depth + 1)])), { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
      // Now and then a property the schema does not know.
      typed = fc.tuple(record, fc.option(fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'id', ''), chaos), { freq: 5 })).map(([r, extra]) =>
        extra ? { ...r, ...(JSON.parse(`{${JSON.stringify(extra[0])}:${JSON.stringify(extra[1])}}`) as Record<string, unknown>) } : r,
      );
      break;
    }
    default:
      return chaos;
  }
  return fc.oneof({ weight: 6, arbitrary: typed }, { weight: 1, arbitrary: chaos });
}

// ---- request parts

interface Body {
  payload?: string | Buffer;
  contentType?: string;
}
const json = (v: unknown): Body => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' });
let hugeBody: Body;

function bodyArb(op: Operation): fc.Arbitrary<Body> {
  const deep = fc.tuple(fc.integer({ min: 50, max: 100_000 }), fc.boolean()).map(([n, arr]): Body => ({
    payload: arr ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n),
    contentType: 'application/json',
  }));
  const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes): Body => ({
    payload: Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
    contentType: 'application/json',
  }));
  const notJson = fc.oneof(fc.string(), fc.constantFrom('{', '{"a":}', "{'a':1}", 'undefined', 'NaN', '{"a":1}{"b":2}', '\u0000', '[1,]')).map((s): Body => ({ payload: s, contentType: 'application/json' }));
  const wrongType = fc
    .tuple(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/jsonx', 'application/octet-stream', '*/*'),
    )
    .map(([v, ct]): Body => ({ payload: JSON.stringify(v) ?? 'null', contentType: ct }));
  return fc.oneof(
    { weight: op.body ? 4 : 0, arbitrary: (op.body ? plausible(op.body, 0) : fc.constant({})).map(json) },
    { weight: op.body ? 5 : 0, arbitrary: (op.body ? oneBadField(op.body) : fc.constant({})).map(json) },
    { weight: op.body ? 3 : 1, arbitrary: (op.body ? valueFor(op.body, 0) : fc.constant({})).map(json) },
    { weight: 2, arbitrary: fc.jsonValue().map(json) },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: fc.constant(hugeBody) },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: fc.constant<Body>({ payload: '', contentType: 'application/json' }) },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: fc.constant<Body>({}) },
  );
}

/** Percent-encodes the UTF-8 bytes (encodeURIComponent throws on lone surrogates, which are worth sending). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((byte) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
const encode = (v: unknown) => pct(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
const cursorGarbage = fc.oneof(
  fc.string(),
  fc.base64String({ maxLength: 80 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
  fc.tuple(fc.oneof(isoDate, nastyString, fc.constant('1')), fc.oneof(fc.uuid(), fc.constant('-'.repeat(36)), nastyString)).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
);

function queryArb(op: Operation): fc.Arbitrary<string> {
  const known = Object.entries(op.query).map(([name, schema]) =>
    (name === 'cursor' ? cursorGarbage : fc.oneof(plausible(schema, 1, name), valueFor(schema, 1))).map((v) => `${pct(name)}=${encode(v)}`),
  );
  const part = fc.oneof(
    ...(known.length ? [{ weight: 4, arbitrary: fc.oneof(...known) }] : []),
    { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 })).map(([k, v]) => `${pct(k)}=${pct(v)}`) },
    { weight: 1, arbitrary: cursorGarbage.map((c) => `cursor=${pct(c)}`) },
    { weight: 1, arbitrary: fc.constantFrom('limit=-1', 'limit=1e9', 'limit=abc', 'limit=1&limit=2', 'q=%00', 'q=%', 'a=%zz', 'x=%E0%A4%A', 'q=%ED%A0%80', 'q=%FF', '&&&', '=', 'constructor=1', '__proto__[x]=1', 'dryRun=maybe') },
  );
  return fc.array(part, { maxLength: 4 }).map((parts) => (parts.length ? `?${parts.join('&')}` : ''));
}

const idArb = () => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...realIds) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: nastyString.map(pct) },
  { weight: 1, arbitrary: fc.constantFrom('..', '.', '%', '%zz', '%00', '%2F', '%E0%A4%A', '%ED%A0%80', '%FF', 'x'.repeat(300), 'null', '-1', '0', 'a/b') },
);

interface FuzzRequest {
  id: string;
  query: string;
  body: Body;
  ip: string;
  /** Logged in: whether the CSRF header is sent. Anonymous: a garbage credential, or none. */
  csrf: boolean;
  garbage: Record<string, string>;
}

function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    id: op.pathParams.length ? idArb() : fc.constant(''),
    query: queryArb(op),
    body: bodyArb(op),
    // Mostly fresh addresses, so the per-address rate limits do not end the fuzzing early; some repeats.
    ip: fc.oneof(fc.ipV4(), fc.constantFrom('10.9.9.9', '::1')),
    csrf: fc.oneof({ weight: 15, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    garbage: fc.oneof(
      fc.constant({}),
      fc.stringMatching(/^[\x21-\x7e ]{0,60}$/).map((s) => ({ authorization: s })),
      fc.constantFrom('Bearer', 'Bearer wp_x_y', 'bearer  x', 'Basic Zm9vOmJhcg==', 'Bearer wp_aaaaaaaa_' + 'a'.repeat(43)).map((s) => ({ authorization: s })),
      fc.stringMatching(/^[\x21-\x3a\x3c-\x7e]{0,60}$/).map((s) => ({ cookie: `wp_session=${s}` })),
    ),
  });
}

// ---- sending and judging

const STACK_TRACE = /\n\s+at |\bat [\w$.<>]+ \(|\/src\/|node_modules|file:\/\//;

async function directSession(userId: string): Promise<Credentials> {
  const token = randomToken();
  const csrf = randomToken(24);
  await identityRepo.insertSession(t.system.db, { tokenHash: sha256(token), userId, stage: 'full', csrfToken: csrf, ip: null, userAgent: null, expiresAt: new Date(Date.now() + 3600_000) });
  return { cookie: `wp_session=${token}`, csrf };
}

async function fire(op: Operation, r: FuzzRequest, as: 'cert-admin' | 'anonymous'): Promise<{ status: number; body: string }> {
  const url = op.path.replace(/\{(\w+)\}/g, () => r.id) + r.query;
  let headers: Record<string, string> = {};
  if (as === 'cert-admin') {
    // Logging out would end the shared session: that route gets a session of its own.
    const creds = op.path === '/api/v1/auth/logout' ? await directSession(certAdmin.id) : adminCreds;
    headers = authHeaders(r.csrf ? creds : { cookie: creds.cookie });
  } else {
    headers = { ...r.garbage };
  }
  if (r.body.contentType) headers['content-type'] = r.body.contentType;
  const options: InjectOptions = { method: op.method, url, headers, remoteAddress: r.ip, ...(r.body.payload !== undefined && { payload: r.body.payload }) };
  if (op.path === '/api/v1/events' || op.path === '/api/v1/zdn/stream') {
    // The event streams never end: read its head, then hang up.
    const res = await t.app.inject({ ...options, payloadAsStream: true });
    if (res.statusCode === 200) {
      res.raw.res.req.destroy();
      return { status: 200, body: '' };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of res.stream()) chunks.push(chunk as Buffer);
    return { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') };
  }
  const res = await t.app.inject(options);
  return { status: res.statusCode, body: res.body };
}

function judge(status: number, body: string, path = ''): void {
  expect(status, body.slice(0, 300)).toBeLessThan(500);
  expect(STACK_TRACE.test(body), `the answer shows a stack trace or source path: ${body.slice(0, 300)}`).toBe(false);
  if (status >= 400) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Error(`a ${status} answer is not JSON: ${body.slice(0, 200)}`);
    }
    // TAXII routes answer in TAXII's error shape (title, error_code, http_status); a URL that reaches no
    // route (bad encoding, too long, no such path) gets the platform's, like the rest of the API.
    const ours = { error: { code: expect.any(String), message: expect.any(String) } };
    const taxii = { title: expect.any(String), error_code: expect.any(String), http_status: String(status) };
    const isTaxii = path.startsWith('/taxii2/') && typeof parsed === 'object' && parsed !== null && 'title' in parsed;
    expect(parsed, `a ${status} answer without the error shape`).toMatchObject(isTaxii ? taxii : ours);
  }
}

/**
 * Requests that once made the API fail (found by this fuzzer, or shown by it to be near misses): fast-check
 * runs them first, on every run, before the random ones.
 */
function examples(key: string): FuzzRequest[] {
  const base: FuzzRequest = { id: '', query: '', body: {}, ip: '10.7.7.7', csrf: true, garbage: {} };
  const doc = { title: 'Report', tlp: 'RED', fileName: 'r.txt', mediaType: 'text/plain', contentBase64: 'aGk=' };
  const list: Record<string, Partial<FuzzRequest>[]> = {
    // A named person who does not exist (a foreign key violation), the same recipient twice (a unique index).
    'POST /api/v1/documents': [
      { body: json({ ...doc, recipients: [{ organisationId: ids.orgA, userId: crypto.randomUUID() }] }) },
      { body: json({ ...doc, tlp: 'AMBER', recipients: [{ organisationId: ids.orgA }, { organisationId: ids.orgA }] }) },
      { body: json({ ...doc, title: 'NUL \u0000 in the title' }) },
    ],
    // The same client twice.
    'POST /api/v1/organisations': [
      { body: json({ kind: 'partner', name: `Partner ${randomBytes(4).toString('hex')}`, clientOrganisationIds: [ids.orgA, ids.orgA] }) },
      { body: json({ kind: 'vendor', name: 'NUL \u0000 vendor' }) },
      { body: json({ kind: 'vendor', name: `Old ${randomBytes(4).toString('hex')}`, memberSince: '0000-01-01' }) },
    ],
    'PATCH /api/v1/organisations/{id}': [{ id: ids.partner, body: json({ clientOrganisationIds: [ids.orgB, ids.orgB] }) }, { id: '%E0%A4%A', body: json({}) }, { id: 'x'.repeat(300), body: json({}) }],
    // Search terms and cursors the database cannot take.
    'GET /api/v1/organisations': [{ query: '?q=%00' }, { query: `?cursor=${Buffer.from(JSON.stringify(['1', '00000000-0000-0000-0000-000000000000'])).toString('base64url')}` }],
    'GET /api/v1/documents': [{ query: `?cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', '-'.repeat(36)])).toString('base64url')}` }],
    'GET /api/v1/audit': [{ query: '?action=%00' }, { query: '?from=0000-01-01' }],
    'GET /api/v1/audit/export': [{ query: '?action=%00&format=json' }],
    'POST /api/v1/auth/login': [{ body: json({ email: 'nul\u0000@test.example', password: 'x' }) }],
    'GET /api/v1/organisations/{id}': [{ id: '%E0%A4%A' }, { id: 'x'.repeat(300) }],
    // Monitoring: search terms, filters and cursors the database cannot take; reports with NUL bytes and broken files.
    'GET /api/v1/monitoring/findings': [
      { query: '?q=%00' },
      { query: '?type=%00&source=%00' },
      { query: `?cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', '-'.repeat(36)])).toString('base64url')}` },
    ],
    'GET /api/v1/monitoring/owner': [{ query: '?value=%00' }, { query: '?value=0.0.0.0%2F0' }, { query: '?value=AS4294967296' }],
    'POST /api/v1/monitoring/findings/{id}/status': [{ id: ids.finding, body: json({ status: 'accepted_risk', note: 'NUL \u0000 note' }) }],
    'PUT /api/v1/monitoring/calendar': [{ body: json({ day: '2026-02-30', working: true, note: '' }) }, { body: json({ day: '2026-12-02', working: null, note: 'NUL \u0000' }) }],
    'POST /api/v1/monitoring/reports': [
      { body: json({ format: 'csv', fileName: 'r.csv', sourceId: ids.source, content: 'Address,Port,Seen\n192.0.2.1,23,2026-11-26T10:00:00Z\n"unclosed' }) },
      { body: json({ format: 'csv', fileName: 'r.csv', sourceId: ids.source, content: 'Address,Port,Seen,Note\n192.0.2.1,23,2026-11-26T10:00:00Z,NUL \u0000\n\u0000,\u0000\n' }) },
      { body: json({ format: 'shadowserver', fileName: '2026-11-26-scan_rdp-netherlands-geo.csv', content: 'timestamp,ip,port\n2026-11-26 03:00:00,192.0.2.1\u0000,3389\n' }) },
      { body: json({ format: 'nmap', fileName: 'scan.xml', content: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><nmaprun><host>&b;</host>' }) },
    ],
  };
  return (list[key] ?? []).map((e) => ({ ...base, ...e }));
}

// Routes whose valid-looking requests hash a password (a deliberate, slow step): fewer runs.
const SLOW = new Set(['POST /api/v1/auth/login', 'POST /api/v1/me/password', 'POST /api/v1/auth/password-link']);
// Private-link routes pause before answering a token that is not one (deliberately, against guessing).
const isSlow = (key: string) => SLOW.has(key) || key.includes(' /cvd/case/');

async function fuzzAll(as: 'cert-admin' | 'anonymous', runs: number): Promise<void> {
  const ops = await operations();
  expect(ops.length).toBeGreaterThan(30);
  const failures: string[] = [];
  for (const op of ops) {
    const key = `${op.method} ${op.path}`;
    const details = await fc.check(
      fc.asyncProperty(requestArb(op), async (r) => {
        const { status, body } = await fire(op, r, as);
        judge(status, body, op.path);
      }),
      { numRuns: isSlow(key) ? Math.ceil(runs / 5) : runs, examples: examples(key).map((e) => [e] as [FuzzRequest]), ...(process.env.FUZZ_SEED && { seed: Number(process.env.FUZZ_SEED) }) },
    );
    if (details.failed) failures.push(`${key} as ${as}:\n${fc.defaultReportMessage(details) ?? ''}`.slice(0, 3000));
  }
  expect(failures, failures.join('\n\n')).toEqual([]);
}

beforeAll(async () => {
  t = await createTestApp();
  hugeBody = json({ name: 'x'.repeat(2 * 1024 * 1024 + 10) });
  const cert = await makeOrganisation(t, 'cert');
  const a = await makeOrganisation(t, 'participant');
  const b = await makeOrganisation(t, 'participant');
  const partner = await makeOrganisation(t, 'partner');
  certAdmin = await makeUser(t, cert.id, 'cert-admin');
  adminCreds = await login(t, certAdmin);
  const member = await makeUser(t, a.id, 'participant-member');
  const contact = await contactRepo.insertContact(t.system.db, a.id, {
    name: 'Fuzz target',
    email: `fuzz-${randomBytes(4).toString('hex')}@test.example`,
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
  const n = normaliseAsset({ type: 'ip_range', value: '192.0.2.0/24', includeSubdomains: false });
  if ('error' in n) throw new Error(n.error);
  const asset = await assetRepo.insertAsset(t.system.db, a.id, n.asset, null, 'proposed');
  const doc = await documentRepo.insertDocument(t.system.db, {
    owner: cert.id,
    title: 'Fuzz',
    description: '',
    tlp: 'RED',
    fileName: 'f.txt',
    mediaType: 'text/plain',
    content: new TextEncoder().encode('x'),
    createdBy: null,
    recipients: [{ organisationId: b.id }],
  });
  const token = await identityRepo.insertToken(t.system.db, { userId: certAdmin.id, name: 'fuzz', prefix: 'fuzzfuzz', tokenHash: sha256(randomToken()), scopes: ['documents:read'], expiresAt: null });
  const passkey = randomBytes(16).toString('base64url');
  await passkeyRepo.insertCredential(t.system.db, { id: passkey, userId: certAdmin.id, name: 'k', publicKey: randomBytes(77), counter: 0, transports: [], backedUp: false });
  // Monitoring: a finding, a report on file, and a CSV source with a saved mapping (reports naming it
  // reach the mapped-CSV reader; it is no blacklist zone, so a fuzzed run never queries DNS).
  await upsertFindings(t.system.db, 'Fuzz scan', [{ organisationId: a.id, assetId: null, type: 'open-rdp', subject: '192.0.2.10', port: 3389, severity: 'high', seenAt: Date.now(), evidence: {} }]);
  const finding = (await t.system.db.selectFrom('monitoring_findings').select('id').where('organisation_id', '=', a.id).executeTakeFirstOrThrow()).id;
  const report = await reportRepo.insertReport(t.system.db, { sourceId: null, sourceKind: 'shadowserver', reportType: 'scan_rdp', fileName: 'fuzz.csv', via: 'upload', createdBy: null });
  const source = await reportRepo.insertSource(t.system.db, {
    kind: 'csv',
    name: 'Fuzz scanner',
    config: { columns: { ip: 'Address', port: 'Port', timestamp: 'Seen' }, findingType: 'open-telnet', severity: 'high' },
    enabled: true,
  });
  realIds = [a.id, b.id, cert.id, partner.id, member.id, certAdmin.id, contact.id, asset.id, doc, token.id, passkey, finding, report, source];
  Object.assign(ids, { orgA: a.id, orgB: b.id, cert: cert.id, partner: partner.id, member: member.id, admin: certAdmin.id, contact: contact.id, asset: asset.id, document: doc, finding, report, source });
});
afterAll(async () => t?.close());

describe('fuzzing every route of the OpenAPI document', () => {
  it('as a logged-in CERT admin: no 5xx, every 4xx in the error shape, no stack traces', async () => {
    await fuzzAll('cert-admin', Number(process.env.FUZZ_RUNS ?? 40));
  }, Number(process.env.FUZZ_TIMEOUT ?? 300_000));

  it('anonymously (with garbage credentials now and then): the same', async () => {
    await fuzzAll('anonymous', 15);
  }, 60_000);

  it('the CERT admin session survived the fuzzing (the requests were really authenticated)', async () => {
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: authHeaders(adminCreds) });
    expect(me.statusCode).toBe(200);
  });
});
