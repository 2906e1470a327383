// Monitoring at scale, on the PostgreSQL server (DATABASE_URL; a database of its own is created and
// dropped). Three figures, each with what it is compared with:
// - ingest: ROWS (default 1,000,000) Shadowserver scan_rdp rows, generated into a file, read as a
//   stream, matched against 5,000 participants with 20,000 prefixes and stored as findings through
//   the service layer (ingestReport, in a process of its own); rows/s end to end and that process's
//   peak RSS (maxRSS), against the same
//   file loaded with COPY and matched in SQL with a GiST inet join (longest prefix per row);
// - matcher: 1,000,000 random IPv4 lookups against 20,000 and 1,000,000 random prefixes, one core;
// - dnsbl: 50,000 addresses and 10,000 names against 4 zones served by a local rbldnsd.
// Data stays in documentation space: the participants' 20,000 prefixes are /48s of 2001:db8::/32
// (IPv4's documentation ranges hold three /24s), so the report is Shadowserver's IPv6 RDP report; the
// matcher's random IPv4 prefixes and lookups are numbers in memory that never leave the process; the
// blacklist queries ask for the 768 documentation IPv4 addresses and IPv6 addresses of 2001:db8::/32
// on 127.0.0.1. Prints one JSON line.
// Options: --rows N, --participants N, --prefixes N, --dnsbl-ips N, --dnsbl-domains N, --keep-db.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadConfig } from '../src/server/config.ts';
import { parseIpRange } from '../src/lib/ip.ts';
import { ConstituencyMatcher, type ConstituencyAsset } from '../src/modules/monitoring/constituency.ts';
import { SHADOWSERVER_REPORTS } from '../src/modules/monitoring/shadowserver-reports.ts';
import { checkZone } from '../src/modules/monitoring/dnsbl.ts';
import { reserveQueries } from '../src/modules/monitoring/schedule.repository.ts';
import { startRbldnsd } from '../test/helpers/rbldnsd.ts';
import { mulberry32, round } from './lib/measure.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    participants: { type: 'string', default: '5000' },
    prefixes: { type: 'string', default: '20000' },
    'dnsbl-ips': { type: 'string', default: '50000' },
    'dnsbl-domains': { type: 'string', default: '10000' },
    'keep-db': { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const PARTICIPANTS = Number(values.participants);
const PREFIXES = Number(values.prefixes);
const DNSBL_IPS = Number(values['dnsbl-ips']);
const DNSBL_DOMAINS = Number(values['dnsbl-domains']);
const rnd = mulberry32(20261128);

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('The monitoring benchmark runs on the PostgreSQL server: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
  process.exit(2);
}
const dbName = `wp_bench_mon_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;
const work = await mkdtemp(path.join(tmpdir(), 'wp-bench-mon-'));
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://wachtpost.bench.example', DATABASE_URL: dbUrl.toString() });
const database = await openDatabase({ databaseUrl: config.databaseUrl });
await migrate(database);
const serverVersion = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(database.db)).rows[0]!.v;

// ---- the constituency: PARTICIPANTS organisations holding PREFIXES /48s of 2001:db8::/32 between them.
const toIp = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const hex4 = (n: number) => n.toString(16);
const orgIds: string[] = [];
{
  const r = await sql<{ id: string }>`INSERT INTO organisations (kind, name, segment, membership_status)
    SELECT 'participant', 'Bench participant ' || g, 'hospital', 'active' FROM generate_series(1, ${PARTICIPANTS}) g RETURNING id`.execute(database.db);
  orgIds.push(...r.rows.map((x) => x.id));
}
const blocks: number[] = [];
const owned = new Set<number>();
{
  while (blocks.length < PREFIXES) {
    const block = Math.floor(rnd() * 65536);
    if (owned.has(block)) continue;
    owned.add(block);
    blocks.push(block);
  }
  const rows = blocks.map((block, i) => ({ org: orgIds[i % orgIds.length]!, range: parseIpRange(`2001:db8:${hex4(block)}::/48`)! }));
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000);
    await sql`INSERT INTO assets (organisation_id, type, value, range_start, range_end, status)
      SELECT o, 'ip_range', v, s, e, 'approved' FROM unnest(${part.map((p) => p.org)}::uuid[], ${part.map((p) => p.range.cidr)}::text[],
        ${part.map((p) => p.range.start)}::text[], ${part.map((p) => p.range.end)}::text[]) AS x(o, v, s, e)`.execute(database.db);
  }
}

// ---- 1. ingest: a generated report file, read as a stream
const report = SHADOWSERVER_REPORTS.find((r) => r.type === 'scan6_rdp')!;
const file = path.join(work, '2026-11-27-scan6_rdp-bench-geo.csv');
{
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`${report.columns.join(',')}\n`);
  const cols = report.columns;
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    // 90 % of rows inside a participant's /48, the rest in /48s nobody holds.
    let block = blocks[Math.floor(rnd() * blocks.length)]!;
    if (rnd() >= 0.9) while (owned.has(block)) block = Math.floor(rnd() * 65536);
    const ip = `2001:db8:${hex4(block)}:${hex4(Math.floor(rnd() * 65536))}::${hex4(1 + Math.floor(rnd() * 4096))}`;
    const row: Record<string, string> = {
      timestamp: `2026-11-27 0${Math.floor(rnd() * 10)}:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00`,
      severity: 'high',
      ip,
      protocol: 'tcp',
      port: rnd() < 0.8 ? '3389' : '3390',
      hostname: '',
      tag: 'rdp',
      asn: '64500',
      geo: 'NL',
      region: 'NOORD-HOLLAND',
      city: 'AMSTERDAM',
      naics: '622110',
      sector: 'Healthcare',
      handshake: 'SSL',
      rdp_protocol: 'RDP',
      subject_common_name: `host-${i % 9973}.zorg.example`,
      issuer_common_name: `host-${i % 9973}.zorg.example`,
      ssl_version: 'TLSv1.2',
    };
    chunk += `${cols.map((c) => row[c] ?? '').join(',')}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
}
const inputBytes = statSync(file).size;
const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'monitoring-ingest.child.ts'), file, config.databaseUrl!], { maxBuffer: 1 << 20 });
if (child.status !== 0) throw new Error(`ingest failed: ${child.stderr.toString()}`);
const ingest = JSON.parse(child.stdout.toString().trim().split('\n').pop()!) as { ms: number; rows: number; failed: number; maxRssMb: number };
const ingestMs = ingest.ms;
const result = { rowsFailed: ingest.failed };
const peakRss = ingest.maxRssMb * 2 ** 20;

// ---- the baseline: COPY the same file and match in SQL with a GiST inet join
const columnsDdl = report.columns.map((c) => `"${c}" text`).join(', ');
const baselineSql = `
\\timing off
CREATE UNLOGGED TABLE bench_rows (${columnsDdl});
\\copy bench_rows FROM '${file}' WITH (FORMAT csv, HEADER true)
CREATE UNLOGGED TABLE bench_prefixes AS SELECT organisation_id, id AS asset_id, value::inet AS net FROM assets WHERE type = 'ip_range' AND status = 'approved';\nANALYZE bench_rows;\nANALYZE bench_prefixes;
CREATE INDEX ON bench_prefixes USING gist (net inet_ops);
CREATE UNLOGGED TABLE bench_findings AS
  SELECT DISTINCT ON (p.organisation_id, r.ip, r.port) p.organisation_id, p.asset_id, r.ip, r.port::int AS port, r.timestamp::timestamptz AS seen
  FROM bench_rows r CROSS JOIN LATERAL (SELECT organisation_id, asset_id FROM bench_prefixes b WHERE b.net >>= r.ip::inet ORDER BY masklen(b.net) DESC LIMIT 1) p
  ORDER BY p.organisation_id, r.ip, r.port, r.timestamp DESC;
SELECT count(*) FROM bench_findings;
`;
const b0 = performance.now();
const baseline = spawnSync('psql', [config.databaseUrl!, '-qAt', '-v', 'ON_ERROR_STOP=1'], { input: baselineSql, maxBuffer: 1 << 26 });
const baselineMs = performance.now() - b0;
if (baseline.status !== 0) throw new Error(`psql baseline failed: ${baseline.stderr.toString()}`);
const baselineFindings = Number(baseline.stdout.toString().trim().split('\n').pop());

// ---- 2. matcher: random prefixes (lengths /16–/28) in memory, 1,000,000 random lookups
function randomAssets(n: number): ConstituencyAsset[] {
  const out: ConstituencyAsset[] = [];
  for (let i = 0; i < n; i++) {
    const len = 16 + Math.floor(rnd() * 13);
    const size = 2 ** (32 - len);
    const start = Math.floor((rnd() * 2 ** 32) / size) * size;
    // Decoded from bytes, as the database driver hands them over: a concatenation would leave a
    // cons string that the first build has to flatten, a cost no asset read from PostgreSQL has.
    const hex = (x: number) => Buffer.from(`00000000000000000000ffff${x.toString(16).padStart(8, '0')}`, 'latin1').toString('latin1');
    out.push({ assetId: String(i), organisationId: String(i % 5000), type: 'ip_range', value: `${toIp(start)}/${len}`, includeSubdomains: false, rangeStart: hex(start), rangeEnd: hex(start + size - 1) });
  }
  return out;
}
const probes = new Uint32Array(1_000_000);
for (let i = 0; i < probes.length; i++) probes[i] = Math.floor(rnd() * 2 ** 32);
function lookupsPerSecond(m: ConstituencyMatcher, withOwners: boolean): number {
  let hits = 0;
  // A warm-up pass, then the best of three: one core, the JIT settled.
  let best = Infinity;
  for (let pass = 0; pass < 4; pass++) {
    const s = performance.now();
    if (withOwners) for (let i = 0; i < probes.length; i++) hits += m.ownersOfIpv4(probes[i]!).length;
    else for (let i = 0; i < probes.length; i++) hits += m.rangeOfIpv4(probes[i]!) >= 0 ? 1 : 0;
    if (pass > 0) best = Math.min(best, performance.now() - s);
  }
  if (hits < 0) console.error(hits);
  return Math.round(probes.length / (best / 1000));
}
const small = ConstituencyMatcher.build(randomAssets(20_000));
const perSecond20k = lookupsPerSecond(small, false);
const assets1m = randomAssets(1_000_000);
const large = ConstituencyMatcher.build(assets1m);
// A running process rebuilds the matcher on every asset change: the later builds, with the code
// compiled, are reported beside the first.
const rebuildMs = Math.min(...[0, 1].map(() => ConstituencyMatcher.build(assets1m).buildMs));
const perSecond1m = lookupsPerSecond(large, false);
const perSecond1mOwners = lookupsPerSecond(large, true);

// ---- 3. dnsbl: 4 zones on a local rbldnsd
let dnsbl: { queries: number; wallMs: number } | null = null;
if (existsSync('/usr/sbin/rbldnsd')) {
  // The 768 documentation IPv4 addresses, then IPv6 addresses of 2001:db8::/32 up to DNSBL_IPS.
  const v4 = ['192.0.2', '198.51.100', '203.0.113'].flatMap((net) => Array.from({ length: 256 }, (_, i) => `${net}.${i}`));
  const subjects = [...v4, ...Array.from({ length: Math.max(0, DNSBL_IPS - v4.length) }, (_, i) => `2001:db8:ffff:${hex4(i >>> 16)}::${hex4((i & 0xffff) + 1)}`)].slice(0, DNSBL_IPS);
  const names = Array.from({ length: DNSBL_DOMAINS }, (_, i) => `host-${i}.zorg.example`);
  const rbl = await startRbldnsd([
    { name: 'ip1.bl.test', type: 'ip4set', lines: [':127.0.0.2:Listed', ...subjects.filter((s, i) => !s.includes(':') && i % 97 === 0)] },
    { name: 'ip1.bl.test', type: 'ip6trie', lines: [':127.0.0.2:Listed', ...subjects.filter((s, i) => s.includes(':') && i % 97 === 0)] },
    { name: 'ip2.bl.test', type: 'ip4set', lines: [':127.0.0.3:Listed', ...subjects.filter((s, i) => !s.includes(':') && i % 89 === 0)] },
    { name: 'ip2.bl.test', type: 'ip6trie', lines: [':127.0.0.3:Listed', ...subjects.filter((s, i) => s.includes(':') && i % 89 === 0)] },
    { name: 'dom1.bl.test', type: 'dnset', lines: [':127.0.1.2:Listed', ...names.filter((_, i) => i % 53 === 0)] },
    { name: 'dom2.bl.test', type: 'dnset', lines: [':127.0.1.3:Listed', ...names.filter((_, i) => i % 61 === 0)] },
  ]);
  const day = '2026-11-27';
  const options = { servers: [rbl.server], concurrency: 64, timeoutMs: 3000, reserve: (zone: string, n: number) => reserveQueries(database.db, zone, day, n, 10_000_000) };
  const d0 = performance.now();
  const runs = await Promise.all([
    checkZone({ zone: 'ip1.bl.test', target: 'ip', listedCodes: [], perSecond: 100_000 }, subjects, options),
    checkZone({ zone: 'ip2.bl.test', target: 'ip', listedCodes: [], perSecond: 100_000 }, subjects, options),
    checkZone({ zone: 'dom1.bl.test', target: 'domain', listedCodes: [], perSecond: 100_000 }, names, options),
    checkZone({ zone: 'dom2.bl.test', target: 'domain', listedCodes: [], perSecond: 100_000 }, names, options),
  ]);
  const wallMs = performance.now() - d0;
  await rbl.stop();
  const errors = runs.reduce((n, r) => n + r.results.filter((x) => x.outcome === 'error').length, 0);
  if (errors) console.error(`dnsbl: ${errors} lookups failed`);
  dnsbl = { queries: runs.reduce((n, r) => n + r.queries, 0), wallMs };
} else {
  console.error('rbldnsd is not installed (apt-get install -y rbldnsd): the dnsbl figure is left out.');
}

const findingsStored = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM monitoring_findings`.execute(database.db)).rows[0]!.n);
await database.close();
if (values['keep-db']) console.error(`kept database ${dbName}`);
else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORMAT)`.replace('FORMAT', 'FORCE'));
await admin.end();
await rm(work, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'monitoring',
    matcher_lookups_per_s_20k: perSecond20k,
    matcher_lookups_per_s_1m: perSecond1m,
    matcher_owner_lookups_per_s_1m: perSecond1mOwners,
    matcher_build_ms_1m: round(large.buildMs, 1),
    matcher_rebuild_ms_1m: round(rebuildMs, 1),
    matcher_bytes_per_prefix: round(large.byteSize / large.prefixCount, 1),
    ingest_rows: ROWS,
    ingest_rows_per_s: Math.round(ROWS / (ingestMs / 1000)),
    ingest_findings: findingsStored,
    ingest_rows_failed: result.rowsFailed,
    ingest_peak_rss_mb: round(peakRss / 2 ** 20, 1),
    ingest_input_mb: round(inputBytes / 2 ** 20, 1),
    sql_baseline_rows_per_s: Math.round(ROWS / (baselineMs / 1000)),
    sql_baseline_findings: baselineFindings,
    dnsbl_queries: dnsbl?.queries ?? null,
    dnsbl_queries_per_s: dnsbl ? Math.round(dnsbl.queries / (dnsbl.wallMs / 1000)) : null,
    dnsbl_wall_ms: dnsbl ? Math.round(dnsbl.wallMs) : null,
    database: `postgresql ${serverVersion}`,
  }),
);
