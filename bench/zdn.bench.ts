// The detection network at scale, on the PostgreSQL server (DATABASE_URL; a database of its own is
// created and dropped). Three figures, each with what it is compared with:
// - ingest: N indicators (default 1,000,000) in 100 events, 30 % of them values already seen in other
//   events, through the service layer (addIndicators: normalisation, warninglists, correlation,
//   change log, hits), in requests of 10,000 with two in flight (--concurrency), timed from the first
//   request to the last answer (the values are made up before);
// - TAXII: a full pull of the participants' collection over HTTP on 127.0.0.1 with limit=1000, as a
//   participant (so the TLP rule runs), by a client in a process of its own, against
//   `COPY (the same rows) TO STDOUT` through psql;
// - stream: 1,000 subscribers with mixed filters (in a process of their own) while 200 indicators/s
//   are added for 30 s; the delay from commit to delivery and what was lost.
// Only documentation addresses (2001:db8::/32) and names under .example. Prints one JSON line.
// Options: --indicators N, --events N, --repeat F, --concurrency N, --page N, --subscribers N, --rate N, --seconds N.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import pino from 'pino';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadConfig } from '../src/server/config.ts';
import { buildApp } from '../src/server/app.ts';
import { systemContext, type Ctx } from '../src/server/context.ts';
import { RealtimeHub } from '../src/modules/realtime/realtime.hub.ts';
import { buildActor } from '../src/modules/identity/actor-builder.ts';
import { findUserWithOrgById, insertToken } from '../src/modules/identity/identity.repository.ts';
import { randomToken, sha256 } from '../src/modules/identity/secrets.ts';
import { insertUser } from '../src/modules/identity/users.repository.ts';
import * as orgRepo from '../src/modules/organisations/organisation.repository.ts';
import * as assetRepo from '../src/modules/organisations/asset.repository.ts';
import { normaliseAsset } from '../src/modules/organisations/asset-normalise.ts';
import { addIndicators, createEvent } from '../src/modules/zdn/ingest.service.ts';
import type { IndicatorInput } from '../src/modules/zdn/zdn.schema.ts';
import { normaliseIndicator } from '../src/modules/zdn/indicator-types.ts';
import { mulberry32, percentile, round } from './lib/measure.ts';

const { values } = parseArgs({
  options: {
    indicators: { type: 'string', default: '1000000' },
    events: { type: 'string', default: '100' },
    repeat: { type: 'string', default: '0.3' },
    page: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '2' },
    subscribers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '30' },
    'keep-db': { type: 'boolean', default: false },
  },
});
const N = Number(values.indicators);
const EVENTS = Number(values.events);
const REPEAT = Number(values.repeat);
const PAGE = Number(values.page);
const CONCURRENCY = Math.max(1, Number(values.concurrency));
const SUBSCRIBERS = Number(values.subscribers);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const BATCH = 10_000;
const root = path.resolve(import.meta.dirname, '..');
const log = pino({ level: 'silent' });
const now = () => performance.timeOrigin + performance.now();

// ---- a database of its own on the server
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('The zdn benchmark runs on the PostgreSQL server: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
  process.exit(2);
}
const dbName = `wp_bench_zdn_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://wachtpost.bench.example', DATABASE_URL: dbUrl.toString() });
const database = await openDatabase({ databaseUrl: config.databaseUrl });
await migrate(database);
const services = { config, database, log };
const system = systemContext(services, 'bench');
const db = database.db;

const cert = await orgRepo.insertOrganisation(db, { kind: 'cert', name: 'CERT voor de zorg', shortName: null, segment: null, membershipStatus: 'active', memberSince: null, memberUntil: null });
const hospitals = [];
for (let i = 0; i < 10; i++) {
  const org = await orgRepo.insertOrganisation(db, { kind: 'participant', name: `Ziekenhuis ${i}`, shortName: null, segment: 'hospital', membershipStatus: 'active', memberSince: null, memberUntil: null });
  // Declared networks, so the hit check has something to join with (none of the generated values fall inside).
  const n = normaliseAsset({ type: 'ip_range', value: `2001:db8:ffff:${i}::/64`, includeSubdomains: false });
  if ('asset' in n) await assetRepo.insertAsset(db, org.id, n.asset, null, 'approved');
  const d = normaliseAsset({ type: 'domain', value: `ziekenhuis-${i}.example`, includeSubdomains: true });
  if ('asset' in d) await assetRepo.insertAsset(db, org.id, d.asset, null, 'approved');
  hospitals.push(org);
}
const userOf = async (organisationId: string, role: 'cert-analyst' | 'participant-member') => {
  const u = await insertUser(db, { email: `bench-${randomBytes(4).toString('hex')}@bench.example`, name: 'Bench', role, organisationId, passwordHash: null, status: 'active' });
  return (await findUserWithOrgById(db, u.id))!;
};
const analystUser = await userOf(cert.id, 'cert-analyst');
const analyst: Ctx = { ...system, actor: await buildActor(db, analystUser, { sessionId: 'bench' }) };
const tokenFor = async (userId: string) => {
  const token = `wp_${randomBytes(4).toString('hex')}_${randomToken(32)}`;
  await insertToken(db, { userId, name: 'bench', prefix: randomBytes(4).toString('hex'), tokenHash: sha256(token), scopes: ['zdn:read'], expiresAt: null });
  return token;
};
const readers = await Promise.all(hospitals.slice(0, 4).map(async (h) => tokenFor((await userOf(h.id, 'participant-member')).id)));

// ---- values: IPv6 in 2001:db8::/32, names under .example, hashes
// mulberry32, not lcg: the repeated values are drawn from hundreds of thousands, where lcg falls into
// short cycles and draws the same ones again (which a request then holds once).
const rnd = mulberry32(20261128);
const TYPES = ['ipv6', 'domain', 'url', 'sha256'] as const;
function valueOf(n: number): IndicatorInput {
  const type = TYPES[n % TYPES.length]!;
  const hex = n.toString(16).padStart(8, '0');
  const value =
    type === 'ipv6' ? `2001:db8:${hex.slice(0, 4)}:${hex.slice(4)}::1` : type === 'domain' ? `c2-${n}.bench.example` : type === 'url' ? `https://d${n % 5000}.bench.example/p/${n}` : sha256(`bench ${n}`);
  // Stored (and streamed) in canonical form: the stream clients compare values as the server sends them.
  const canonical = normaliseIndicator(type, value);
  if ('error' in canonical) throw new Error(canonical.error);
  return { type, value: canonical.value, confidence: Math.floor(rnd() * 101) };
}

// ---- 1. ingest
// The values are made up first (what clients would send), then sent: CONCURRENCY requests in flight,
// as several clients (or one that pipelines) would; the figure is the wall time of the sending.
const perEvent = Math.ceil(N / EVENTS);
const distinctTotal = Math.round(N * (1 - REPEAT));
let nextDistinct = 0;
let generated = 0;
const planned: { tlp: 'AMBER' | 'CLEAR' | 'GREEN'; indicators: IndicatorInput[] }[] = [];
for (let e = 0; e < EVENTS && generated < N; e++) {
  // Mostly GREEN (the whole community), some CLEAR, every tenth AMBER to the reading hospitals.
  const tlp = e % 10 === 9 ? 'AMBER' : e % 10 === 4 ? 'CLEAR' : 'GREEN';
  const firstOfEvent = nextDistinct;
  const indicators: IndicatorInput[] = [];
  for (let k = 0; k < perEvent && generated < N; k++, generated++) {
    // A repeated value comes from an earlier event, so (event, value) stays unique and correlation grows.
    const repeat = firstOfEvent > 0 && (nextDistinct >= distinctTotal || rnd() < REPEAT);
    indicators.push(valueOf(repeat ? Math.floor(rnd() * firstOfEvent) : nextDistinct++));
  }
  planned.push({ tlp, indicators });
}
const eventIds: string[] = [];
const inFlight: Promise<unknown>[] = [];
const t0 = performance.now();
for (const [e, { tlp, indicators }] of planned.entries()) {
  const recipients = tlp === 'AMBER' ? hospitals.slice(0, 4).map((h) => ({ organisationId: h.id })) : [];
  const event = await createEvent(analyst, { title: `Campaign ${e}`, description: '', tlp, recipients, threatLevel: 2, analysis: 1, tags: [], sourceAnonymous: false });
  eventIds.push(event.id);
  for (let b = 0; b < indicators.length; b += BATCH) {
    if (inFlight.length >= CONCURRENCY) await inFlight.shift();
    inFlight.push(addIndicators(analyst, event.id, indicators.slice(b, b + BATCH), { strict: true }));
  }
}
await Promise.all(inFlight);
const ingestS = (performance.now() - t0) / 1000;
// The made-up values are not kept through the read figures (a million objects to scan in every GC).
planned.length = 0;
// What autovacuum does after a bulk load, done at once so the read figures do not depend on when it runs.
await sql`ANALYZE`.execute(db);
const counts = (await sql<{ indicators: number; distinct_values: number }>`SELECT (SELECT count(*) FROM zdn_indicators)::int AS indicators, (SELECT count(*) FROM zdn_values)::int AS distinct_values`.execute(db)).rows[0]!;

// ---- the server on 127.0.0.1
const hub = new RealtimeHub();
await hub.start(database);
const app = await buildApp({ services, hub, webDir: '/nonexistent', rateLimitPerMinute: 10_000_000 });
const base = await app.listen({ port: 0, host: '127.0.0.1' });

// ---- 2. TAXII full pull, page by page (a client in a process of its own), against COPY of the same rows
const taxiiClient = spawn(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench/lib/zdn-taxii-client.ts'), `${base}/taxii2/zdn/collections/zdn-participants/objects/`, readers[0]!, String(PAGE)],
  { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
);
let taxiiOut = '';
taxiiClient.stdout.on('data', (chunk: Buffer) => (taxiiOut += chunk.toString('utf8')));
const taxiiExit = await new Promise<number | null>((resolve) => taxiiClient.on('close', resolve));
if (taxiiExit !== 0) throw new Error(`the TAXII client failed (exit ${taxiiExit})`);
const { objects, pageMs, seconds: taxiiS } = JSON.parse(taxiiOut.trim().split('\n').pop()!) as { objects: number; pageMs: number[]; seconds: number };
const edge = Math.max(1, Math.floor(pageMs.length / 10));
const copySql = `COPY (SELECT i.*, v.type, v.value, v.pattern, v.pattern_type FROM zdn_indicators i JOIN zdn_values v ON v.id = i.value_id
  WHERE i.status = 'active' AND (i.valid_until IS NULL OR i.valid_until >= now()) AND (v.pattern IS NOT NULL OR v.type = 'cve') ORDER BY i.date_added, i.id) TO STDOUT`;
const t2 = performance.now();
const copy = spawnSync('psql', [config.databaseUrl!, '-qAt', '-c', copySql], { maxBuffer: 4 * 1024 ** 3 });
const copyS = (performance.now() - t2) / 1000;
if (copy.status !== 0) throw new Error(`psql COPY failed: ${copy.stderr.toString()}`);
const copyRows = copy.stdout.toString('utf8').split('\n').filter(Boolean).length;

// ---- 3. the stream: subscribers in their own process, writes at RATE per second
const clients = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/lib/zdn-stream-clients.ts')], { stdio: ['pipe', 'pipe', 'inherit'], cwd: root });
const clientLines = readline.createInterface({ input: clients.stdout })[Symbol.asyncIterator]();
const filters = Array.from({ length: SUBSCRIBERS }, (_, i) => ({
  token: readers[i % readers.length]!,
  types: i % 3 === 0 ? null : i % 3 === 1 ? ['domain', 'url'] : ['ipv6', 'sha256'],
  minConfidence: [0, 50, 80][i % 3 === 0 ? Math.floor(i / 3) % 3 : 0]!,
}));
clients.stdin.write(`${JSON.stringify({ url: base, subscribers: filters })}\n`);
if ((await clientLines.next()).value !== 'READY') throw new Error('the stream clients did not start');
const streamEvent = await createEvent(analyst, { title: 'Live campaign', description: '', tlp: 'GREEN', recipients: [], threatLevel: 1, analysis: 0, tags: [], sourceAnonymous: false });
const written: { value: string; type: string; confidence: number; committedAt: number; calledAt: number }[] = [];
const perTick = Math.max(1, Math.round(RATE / 20));
const ticks = Math.round((SECONDS * RATE) / perTick);
const t3 = performance.now();
for (let tick = 0; tick < ticks; tick++) {
  const due = t3 + (tick * 1000 * perTick) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const batch = Array.from({ length: perTick }, (_, k) => valueOf(10_000_000 + tick * perTick + k));
  const calledAt = now();
  await addIndicators(analyst, streamEvent.id, batch, { strict: true });
  const committedAt = now();
  for (const b of batch) written.push({ value: b.value, type: b.type, confidence: b.confidence ?? 50, committedAt, calledAt });
}
const writeS = (performance.now() - t3) / 1000;
await new Promise((r) => setTimeout(r, 2000));
clients.stdin.write(`${JSON.stringify(written)}\n`);
const streamResult = JSON.parse(String((await clientLines.next()).value)) as { delivered: number; lost: number; duplicates: number; p50_from_commit: number; p90_from_commit: number; p99_from_commit: number; p99_from_call: number };

await app.close();
await hub.stop();
await database.close();
if (values['keep-db']) console.error(`kept database ${dbName}`);
else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.end();

const taxiiPerS = objects / taxiiS;
const copyPerS = copyRows / copyS;
console.log(
  JSON.stringify({
    bench: 'zdn',
    ingest_per_s: Math.round(counts.indicators / ingestS),
    taxii_objects_per_s: Math.round(taxiiPerS),
    copy_objects_per_s: Math.round(copyPerS),
    taxii_ratio_vs_copy: round(taxiiPerS / copyPerS, 3),
    taxii_page_p99_ms_first: percentile(pageMs.slice(0, edge), 99),
    taxii_page_p99_ms_last: percentile(pageMs.slice(-edge), 99),
    stream_p99_ms: streamResult.p99_from_commit,
    stream_lost: streamResult.lost,
    database: 'postgresql',
    indicators: counts.indicators,
    distinct_values: counts.distinct_values,
    events: eventIds.length,
    ingest_s: round(ingestS, 1),
    ingest_concurrency: CONCURRENCY,
    taxii_objects: objects,
    taxii_pages: pageMs.length,
    taxii_page_p50_ms: percentile(pageMs, 50),
    copy_rows: copyRows,
    stream_subscribers: SUBSCRIBERS,
    stream_written: written.length,
    stream_write_s: round(writeS, 1),
    stream_delivered: streamResult.delivered,
    stream_duplicates: streamResult.duplicates,
    stream_p50_ms: streamResult.p50_from_commit,
    stream_p90_ms: streamResult.p90_from_commit,
    stream_p99_ms_from_call: streamResult.p99_from_call,
    targets: { ingest_per_s: 50_000, taxii_objects_per_s: 200_000, taxii_page_p99_ms: 50, stream_p99_ms: 20, stream_lost: 0 },
    baseline_note: 'MISP ingests about 340/s (issue); COPY TO STDOUT through psql is the raw read baseline in this run',
    load_average: loadavg().map((x) => round(x, 1)),
  }),
);
process.exit(0);
