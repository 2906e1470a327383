// Lists TLP-marked documents as a participant: the policy applied in SQL (what the API does) side by
// side with the baseline of loading every document and filtering in code with the same rule.
// Prints one JSON line. Options: --documents N (default 20000), --runs N (default 20).
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { canSeeMarked } from '../src/modules/access/policy.ts';
import type { Actor } from '../src/modules/access/actor.ts';
import { listVisible, OBJECT_TYPE } from '../src/modules/documents/document.repository.ts';
import { TLP_LEVELS } from '../src/lib/tlp.ts';
import * as orgRepo from '../src/modules/organisations/organisation.repository.ts';

const { values } = parseArgs({ options: { documents: { type: 'string', default: '20000' }, runs: { type: 'string', default: '20' } } });
const N = Number(values.documents);
const RUNS = Number(values.runs);

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL ? process.env.DATABASE_URL : undefined });
await migrate(database);
const db = database.db;
const org = (kind: 'cert' | 'participant', name: string) =>
  orgRepo.insertOrganisation(db, { kind, name, shortName: null, segment: kind === 'participant' ? 'hospital' : null, membershipStatus: 'active', memberSince: null, memberUntil: null });
const suffix = Date.now().toString(36);
const cert = (await orgRepo.findCert(db)) ?? (await org('cert', `Bench CERT ${suffix}`));
const participants = await Promise.all(Array.from({ length: 50 }, (_, i) => org('participant', `Bench ${suffix} ${i}`)));
const reader = participants[0]!;

// Deterministic pseudo-random marking and recipients.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const content = new TextEncoder().encode('x');
for (let start = 0; start < N; start += 1000) {
  const rows = Array.from({ length: Math.min(1000, N - start) }, (_, i) => ({
    owner_organisation_id: cert.id,
    title: `doc ${start + i}`,
    tlp: TLP_LEVELS[Math.floor(rnd() * TLP_LEVELS.length)]!,
    file_name: 'a.txt',
    media_type: 'text/plain',
    size_bytes: 1,
    content,
  }));
  const inserted = await db.insertInto('documents').values(rows).returning(['id', 'tlp']).execute();
  const recipients = inserted
    .filter((d) => d.tlp !== 'CLEAR' && d.tlp !== 'GREEN')
    .flatMap((d) => [participants[Math.floor(rnd() * participants.length)]!.id].map((o) => ({ object_type: OBJECT_TYPE, object_id: d.id, organisation_id: o, user_id: null })));
  if (recipients.length) await db.insertInto('tlp_recipients').values(recipients).onConflict((oc) => oc.doNothing()).execute();
}

const actor: Actor = {
  userId: '00000000-0000-0000-0000-000000000001',
  email: 'bench@test.example',
  role: 'participant-member',
  organisationId: reader.id,
  organisationKind: 'participant',
  clientOrganisationIds: [],
  partnerOrganisationIds: [],
  sessionId: null,
  tokenId: null,
  tokenPermissions: null,
};

async function sqlFilter(): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await listVisible(db, actor, { cursor, limit: 200 });
    count += page.rows.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return count;
}

async function sqlFirstPage(): Promise<number> {
  return (await listVisible(db, actor, { limit: 50 })).rows.length;
}

// Baseline: every document and every recipient row into memory, then the rule in code.
async function filterInCode(): Promise<number> {
  const docs = await db.selectFrom('documents').select(['id', 'tlp', 'owner_organisation_id']).execute();
  const recips = await db.selectFrom('tlp_recipients').select(['object_id', 'organisation_id', 'user_id']).where('object_type', '=', OBJECT_TYPE).execute();
  const byDoc = new Map<string, { organisationId: string; userId: string | null }[]>();
  for (const r of recips) byDoc.set(r.object_id, [...(byDoc.get(r.object_id) ?? []), { organisationId: r.organisation_id, userId: r.user_id }]);
  return docs.filter((d) => canSeeMarked(actor, { tlp: d.tlp, ownerOrganisationId: d.owner_organisation_id, recipients: byDoc.get(d.id) ?? [] })).length;
}

async function measure(fn: () => Promise<number>) {
  const times: number[] = [];
  let result = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { visible: result, medianMs: +times[Math.floor(times.length / 2)]!.toFixed(2), p95Ms: +times[Math.floor(times.length * 0.95)]!.toFixed(2) };
}

// The baseline has to load and filter everything even for the first page a person looks at.
const firstPage = await measure(sqlFirstPage);
const sqlResult = await measure(sqlFilter);
const baseline = await measure(filterInCode);
if (sqlResult.visible !== baseline.visible) throw new Error(`the SQL filter shows ${sqlResult.visible} documents, the code rule ${baseline.visible}`);
console.log(
  JSON.stringify({
    bench: 'tlp-list',
    database: database.kind,
    documents: N,
    runs: RUNS,
    sql_first_page_of_50: firstPage,
    sql_all_pages_of_200: sqlResult,
    baseline_filter_in_code_all: baseline,
    first_page_speedup_median: +(baseline.medianMs / firstPage.medianMs).toFixed(2),
    all_pages_speedup_median: +(baseline.medianMs / sqlResult.medianMs).toFixed(2),
  }),
);
await database.close();
