// Advisories at scale: published products in the database, read as a participant. Measures the portal
// list (TLP visibility and relevance in SQL, first page, follow-up pages by cursor, "relevant to us"),
// full-text search, and the CSAF export of the documents, each validated. Side by side, the baselines:
// the list computed by loading every published product and applying canSeeMarked and relevance in
// code, and search as ILIKE over the texts instead of the tsvector and its GIN index.
// Prints one JSON line. Options: --products N (default 10000), --runs N (default 30), --baseline-runs N
// (default 5: each baseline call reads everything), --csaf-sample N (documents exported, evenly spread;
// default 1000, 0 for all), --keep (on PostgreSQL: leave the seeded rows for EXPLAIN; by default a
// run deletes what it inserted).
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { sql, type Insertable } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { DB, TlpText } from '../src/db/schema.ts';
import type { Actor } from '../src/modules/access/actor.ts';
import { canSeeMarked, tlpVisibilitySql } from '../src/modules/access/policy.ts';
import type { AdvisoryContent, ProductKind, PublicationMeta, Publisher } from '../src/modules/advisories/advisory.content.ts';
import { listProducts, OBJECT_TYPE } from '../src/modules/advisories/advisory.repository.ts';
import { parseStoredContent } from '../src/modules/advisories/advisory.service.ts';
import { toCsaf } from '../src/modules/advisories/csaf/csaf-export.ts';
import { csafFilename } from '../src/modules/advisories/csaf/csaf-filename.ts';
import { validateCsaf } from '../src/modules/advisories/csaf/csaf-validate.ts';
import { csafDirectory, formatIdentifier } from '../src/modules/advisories/publication.service.ts';
import { markdownToText } from '../src/lib/markdown.ts';
import * as orgRepo from '../src/modules/organisations/organisation.repository.ts';
import { makeContent } from './lib/advisory-content.ts';
import { Latencies, lcg, pickDistinct, round } from './lib/measure.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '30' },
    'baseline-runs': { type: 'string', default: '5' },
    'csaf-sample': { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.products);
const RUNS = Number(values.runs);
const BASELINE_RUNS = Math.min(RUNS, Number(values['baseline-runs']));
const CSAF_SAMPLE = Number(values['csaf-sample']) > 0 ? Math.min(N, Number(values['csaf-sample'])) : N;
if (!(N > 0 && RUNS > 0 && BASELINE_RUNS > 0)) throw new Error('--products, --runs and --baseline-runs take a positive number');

const LIST_P99_TARGET_MS = 50;
const CSAF_DOCS_PER_S_TARGET = 200;
const PAGE = 50;
const FOLLOW_UP_PAGES = 3;
const BATCH = 500;

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL ? process.env.DATABASE_URL : undefined });
await migrate(database);
const db = database.db;

// What this run inserts, so that a run against a PostgreSQL database leaves nothing behind.
const createdOrganisations: string[] = [];
const insertedProducts: string[] = [];

async function cleanUp(): Promise<void> {
  for (let i = 0; i < insertedProducts.length; i += 1000) {
    const ids = insertedProducts.slice(i, i + 1000);
    await db.deleteFrom('tlp_recipients').where('object_type', '=', OBJECT_TYPE).where('object_id', 'in', ids).execute();
    // Revisions, versions and relevance go with the product (ON DELETE CASCADE).
    await db.deleteFrom('products').where('id', 'in', ids).execute();
  }
  if (createdOrganisations.length) await db.deleteFrom('organisations').where('id', 'in', createdOrganisations).execute();
}

async function run() {
  const suffix = Date.now().toString(36);
  const org = async (kind: 'cert' | 'participant', name: string) => {
    const o = await orgRepo.insertOrganisation(db, {
      kind,
      name,
      shortName: null,
      segment: kind === 'participant' ? 'hospital' : null,
      membershipStatus: 'active',
      memberSince: null,
      memberUntil: null,
    });
    createdOrganisations.push(o.id);
    return o;
  };
  const cert = (await orgRepo.findCert(db)) ?? (await org('cert', `Bench CERT ${suffix}`));
  const participants: { id: string }[] = [];
  for (let i = 0; i < 50; i++) participants.push(await org('participant', `Bench ${suffix} ${i}`));
  const reader = participants[0]!;
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

  const loadStart = round(loadavg()[0]!, 1);
  const seedStart = performance.now();
  const seeded = await seed({ certId: cert.id, participantIds: participants.map((p) => p.id), scheme: `B${suffix.toUpperCase()}-{kind}{year}-{seq:4}` });
  // Production tables are vacuumed and analysed by autovacuum; bulk-loaded ones are not yet.
  await sql`VACUUM ANALYZE products, product_revisions, tlp_recipients, product_relevance`.execute(db);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  // --- Portal list and search: the repository as the API calls it, and the baselines. ---

  const listOpts = { includeUnpublished: false, relevanceOrganisationId: reader.id };
  const searchQueries = ['authenticatie', 'infuuspompen', 'ransomware', 'Example Networks', 'firmware netwerksegment', seeded.sampleCve];

  async function sqlPages(lat: Latencies): Promise<{ first: string[]; relevant: string[] }> {
    const first = await lat.time('list_first', () => listProducts(db, actor, { limit: PAGE }, listOpts));
    let page = first;
    for (let i = 0; i < FOLLOW_UP_PAGES && page.nextCursor; i++) {
      const cursor = page.nextCursor;
      page = await lat.time('list_next', () => listProducts(db, actor, { limit: PAGE, cursor }, listOpts));
    }
    const relevant = await lat.time('list_relevant', () => listProducts(db, actor, { limit: PAGE, relevant: true }, listOpts));
    return { first: first.rows.map((r) => r.id), relevant: relevant.rows.map((r) => r.id) };
  }

  // Baseline: every published product, its recipients and the reader's relevance into memory, then
  // the rule in code, sorted and cut to a page, as a page request would have to without SQL filtering.
  async function inCodePage(relevantOnly: boolean): Promise<string[]> {
    const products = await db
      .selectFrom('products as p')
      .select(['p.id', 'p.kind', 'p.identifier', 'p.status', 'p.tlp', 'p.owner_organisation_id', 'p.title', 'p.summary', 'p.urgency'])
      .select(['p.cves', 'p.vendors', 'p.current_revision', 'p.published_at', 'p.updated_at', 'p.withdrawn_at'])
      .where('p.current_revision', 'is not', null)
      .execute();
    const recipients = await db
      .selectFrom('tlp_recipients')
      .select(['object_id', 'organisation_id', 'user_id'])
      .where('object_type', '=', OBJECT_TYPE)
      .execute();
    const relevance = await db.selectFrom('product_relevance').select('product_id').where('organisation_id', '=', reader.id).execute();
    const byProduct = new Map<string, { organisationId: string; userId: string | null }[]>();
    for (const r of recipients) {
      const list = byProduct.get(r.object_id) ?? [];
      list.push({ organisationId: r.organisation_id, userId: r.user_id });
      byProduct.set(r.object_id, list);
    }
    const relevant = new Set(relevance.map((r) => r.product_id));
    return products
      .filter((p) => p.tlp !== null && canSeeMarked(actor, { tlp: p.tlp, ownerOrganisationId: p.owner_organisation_id, recipients: byProduct.get(p.id) ?? [] }))
      .filter((p) => !relevantOnly || relevant.has(p.id))
      .sort((a, b) => (b.published_at?.getTime() ?? 0) - (a.published_at?.getTime() ?? 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, PAGE)
      .map((p) => p.id);
  }

  async function inCodePages(lat: Latencies): Promise<{ first: string[]; relevant: string[] }> {
    return { first: await lat.time('baseline_first', () => inCodePage(false)), relevant: await lat.time('baseline_relevant', () => inCodePage(true)) };
  }

  // Baseline search: every word as a substring of the title, summary or stored content (ILIKE), no index.
  const visible = tlpVisibilitySql(actor, OBJECT_TYPE, { id: 'p.id', tlp: 'p.tlp', owner: 'p.owner_organisation_id' });
  async function ilikeSearch(q: string) {
    let query = db
      .selectFrom('products as p')
      .innerJoin('product_revisions as r', (j) => j.onRef('r.product_id', '=', 'p.id').onRef('r.revision', '=', 'p.current_revision'))
      .select(['p.id', 'p.kind', 'p.identifier', 'p.status', 'p.tlp', 'p.title', 'p.summary', 'p.urgency', 'p.cves', 'p.vendors', 'p.published_at'])
      .select(sql<boolean>`EXISTS (SELECT 1 FROM product_relevance x WHERE x.organisation_id = ${reader.id} AND x.product_id = p.id)`.as('relevant'))
      .where('p.current_revision', 'is not', null)
      .where(visible);
    for (const word of q.split(/\s+/).filter(Boolean)) {
      const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`(p.title ILIKE ${pattern} OR p.summary ILIKE ${pattern} OR r.content::text ILIKE ${pattern})`);
    }
    return query
      .orderBy('p.published_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(PAGE + 1)
      .execute();
  }

  // Warm-up (not recorded): caches, JIT and query plans; and the check that both ways agree.
  const warm = new Latencies();
  const viaSql = await sqlPages(warm);
  const inCode = await inCodePages(warm);
  if (viaSql.first.join() !== inCode.first.join()) throw new Error('the first page differs between the SQL filter and the rule in code');
  if (viaSql.relevant.join() !== inCode.relevant.join()) throw new Error('the relevant page differs between the SQL filter and the rule in code');
  // Hits on the first page of each query; "50+" when there is a next page.
  const searchHits: string[] = [];
  for (const q of searchQueries) {
    const page = await listProducts(db, actor, { limit: PAGE, q }, listOpts);
    if (!page.rows.length) throw new Error(`the search for "${q}" finds nothing: the seeded texts and the queries have drifted apart`);
    searchHits.push(`${page.rows.length}${page.nextCursor ? '+' : ''}`);
    await ilikeSearch(q);
  }

  const lat = new Latencies();
  for (let run = 0; run < RUNS; run++) {
    const baseline = run < BASELINE_RUNS;
    await sqlPages(lat);
    if (baseline) await inCodePages(lat);
    for (const q of searchQueries) {
      await lat.time('search', () => listProducts(db, actor, { limit: PAGE, q }, listOpts));
      if (baseline) await lat.time('baseline_search', () => ilikeSearch(q));
    }
  }
  const LIST = ['list_first', 'list_next', 'list_relevant'];
  const BASELINE_LIST = ['baseline_first', 'baseline_relevant'];

  // --- CSAF export: current revision → toCsaf → validateCsaf → the serialised document. ---

  const csaf = await exportCsaf(seeded.csafSample, cert.name);

  const listP99 = lat.p(LIST, 99);
  const meetsList = database.kind !== 'postgres' || listP99 <= LIST_P99_TARGET_MS;
  return {
    bench: 'advisories',
    database: database.kind,
    products: N,
    runs: RUNS,
    baseline_runs: BASELINE_RUNS,
    list_p50_ms: lat.p(LIST, 50),
    list_p99_ms: listP99,
    search_p50_ms: lat.p('search', 50),
    search_p99_ms: lat.p('search', 99),
    csaf_docs_per_s: csaf.docsPerSecond,
    csaf_docs_per_cpu_s: csaf.docsPerCpuSecond,
    csaf_sample: csaf.documents,
    csaf_invalid: csaf.invalid,
    list_p99_target_ms: LIST_P99_TARGET_MS,
    list_p99_target_applies_to: 'postgres',
    csaf_docs_per_s_target: CSAF_DOCS_PER_S_TARGET,
    meets_targets: meetsList && csaf.invalid === 0 && csaf.docsPerSecond >= CSAF_DOCS_PER_S_TARGET,
    baseline_list_in_code_p50_ms: lat.p(BASELINE_LIST, 50),
    baseline_list_in_code_p99_ms: lat.p(BASELINE_LIST, 99),
    baseline_search_ilike_p50_ms: lat.p('baseline_search', 50),
    baseline_search_ilike_p99_ms: lat.p('baseline_search', 99),
    list_p99_by_page_ms: { first: lat.p('list_first', 99), follow_up: lat.p('list_next', 99), relevant: lat.p('list_relevant', 99) },
    list_samples: lat.count(LIST),
    search_samples: lat.count('search'),
    search_queries: searchQueries.map((q, i) => `${q} (${searchHits[i]})`),
    visible_to_reader: seeded.visibleToReader,
    relevant_to_reader: seeded.relevantToReader,
    csaf_ms_per_doc: csaf.msPerDoc,
    csaf_first_doc_ms: csaf.firstDocMs,
    seed_s: round(seedSeconds, 1),
    // Latencies on a shared machine depend on what else runs: the load average puts them in context.
    host: { cpus: availableParallelism(), load_avg_1m_start: loadStart, load_avg_1m_end: round(loadavg()[0]!, 1) },
  };
}

interface SeedOptions {
  certId: string;
  participantIds: string[];
  /** Identifier scheme, with a run-specific prefix so runs never collide on the unique identifier. */
  scheme: string;
}

const KIND_WEIGHTS: readonly [ProductKind, number][] = [
  ['advisory', 0.7],
  ['info', 0.2],
  ['alert', 0.1],
];
const TLP_WEIGHTS: readonly [TlpText, number][] = [
  ['CLEAR', 0.25],
  ['GREEN', 0.4],
  ['AMBER', 0.2],
  ['AMBER+STRICT', 0.08],
  ['RED', 0.07],
];
const weighted = <T>(r: number, table: readonly [T, number][]): T => {
  let acc = 0;
  for (const [value, weight] of table) if (r < (acc += weight)) return value;
  return table[table.length - 1]![0];
};

// Revisions store the content and a path; the signed CSAF document is exported and measured separately.
const HTML_PLACEHOLDER = JSON.stringify({ nl: { body: '', advice: '' }, en: null });
const DAY = 86_400_000;

/** The text publication indexes: title, summary, and the Markdown of body and advice as plain text. */
const searchText = (t: AdvisoryContent['nl'] | null | undefined): string =>
  t ? [t.title, t.summary, markdownToText(t.body), markdownToText(t.advice)].join('\n') : '';

/**
 * N published products over three years, oldest first: kinds and TLP levels mixed, recipients for
 * AMBER, AMBER+STRICT and RED among the participants, relevance for ~5% of products per participant,
 * ~15% with an update revision and ~1% withdrawn. Written in batches straight into the tables, with
 * the published columns and the search vector exactly as publication sets them.
 */
async function seed(o: SeedOptions) {
  const rnd = lcg(42);
  const reader = o.participantIds[0]!;
  const end = Date.UTC(2026, 4, 1, 8);
  const span = 3 * 365 * DAY;
  const counters = new Map<string, number>();
  let cve = 10_000;
  const stride = N / CSAF_SAMPLE;
  const csafSample: string[] = [];
  let sampleCve = '';
  let visibleToReader = 0;
  let relevantToReader = 0;

  for (let start = 0; start < N; start += BATCH) {
    const products: Insertable<DB['products']>[] = [];
    const revisions: Insertable<DB['product_revisions']>[] = [];
    const recipients: Insertable<DB['tlp_recipients']>[] = [];
    const relevance: Insertable<DB['product_relevance']>[] = [];
    const search: { id: string; words: string; nl: string; en: string }[] = [];
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      const id = randomUUID();
      const kind = weighted(rnd(), KIND_WEIGHTS);
      const tlp = weighted(rnd(), TLP_WEIGHTS);
      const publishedAt = new Date(end - span + (i + rnd() * 0.9) * (span / N));
      const year = publishedAt.getUTCFullYear();
      const content = makeContent(kind, { rnd, year, nextCve: () => cve++ });
      const counterKey = `${kind}:${year}`;
      const seq = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, seq);
      const identifier = formatIdentifier(o.scheme, kind, year, seq);
      const named = tlp === 'AMBER' || tlp === 'AMBER+STRICT' || tlp === 'RED' ? pickDistinct(rnd, o.participantIds, 1 + Math.floor(rnd() * 5)) : [];
      const updated = rnd() < 0.15;
      const withdrawn = rnd() < 0.01;
      const history = [
        ...(updated ? [{ at: new Date(publishedAt.getTime() - (1 + Math.floor(rnd() * 20)) * DAY), summary: 'Initial publication.' }] : []),
        { at: publishedAt, summary: updated ? 'Update beschikbaar voor alle versies; advies aangevuld.' : 'Initial publication.' },
        ...(withdrawn ? [{ at: new Date(publishedAt.getTime() + DAY), summary: 'Withdrawn: dubbel gepubliceerd.' }] : []),
      ];
      const current = history[history.length - 1]!;
      const firstPublished = history[0]!.at;
      const cves = [...new Set(content.vulnerabilities.flatMap((v) => (v.cve ? [v.cve] : [])))];
      const vendors = [...new Set(content.products.map((p) => p.vendor))];
      const productNames = [...new Set(content.products.map((p) => p.name))];
      if (i === Math.floor(N / 2) || (!sampleCve && cves[0])) sampleCve = cves[0] ?? sampleCve;

      insertedProducts.push(id);
      if (csafSample.length < CSAF_SAMPLE && i >= Math.round(csafSample.length * stride)) csafSample.push(id);
      products.push({
        id,
        kind,
        identifier,
        status: withdrawn ? 'withdrawn' : 'published',
        owner_organisation_id: o.certId,
        author_id: null,
        draft_tlp: tlp,
        draft_recipients: named,
        draft_content: JSON.stringify(content),
        draft_title: content.nl.title,
        tlp,
        current_revision: history.length,
        title: content.nl.title,
        title_en: content.en?.title ?? null,
        summary: content.nl.summary,
        urgency: content.urgency,
        cves,
        vendors,
        product_names: productNames,
        first_published_at: firstPublished,
        published_at: current.at,
        withdrawn_at: withdrawn ? current.at : null,
        withdrawn_reason: withdrawn ? 'dubbel gepubliceerd' : null,
        created_at: firstPublished,
        updated_at: current.at,
      });
      const csafPath = `${csafDirectory(tlp)}/${firstPublished.getUTCFullYear()}/${csafFilename(identifier)}`;
      history.forEach((h, n) =>
        revisions.push({
          product_id: id,
          revision: n + 1,
          tlp,
          recipients: named,
          content: JSON.stringify(content),
          html: HTML_PLACEHOLDER,
          change_summary: h.summary,
          published_by: null,
          published_at: h.at,
          csaf_path: csafPath,
          csaf: '{}',
          csaf_sha256: '',
          csaf_sha512: '',
          csaf_signature: '',
          signing_key_fingerprint: '',
        }),
      );
      for (const organisationId of named) recipients.push({ object_type: OBJECT_TYPE, object_id: id, organisation_id: organisationId, user_id: null });
      // Relevance is computed from content against declared products; here ~5% per participant.
      const relevantTo = withdrawn ? [] : o.participantIds.filter(() => rnd() < 0.05);
      for (const organisationId of relevantTo) relevance.push({ product_id: id, organisation_id: organisationId });
      search.push({ id, words: [identifier, ...cves, ...vendors, ...productNames].join(' '), nl: searchText(content.nl), en: searchText(content.en) });
      const seen = tlp === 'CLEAR' || tlp === 'GREEN' || named.includes(reader);
      if (seen) visibleToReader++;
      if (seen && relevantTo.includes(reader)) relevantToReader++;
    }
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('products').values(products).execute();
      await tx.insertInto('product_revisions').values(revisions).execute();
      if (recipients.length) await tx.insertInto('tlp_recipients').values(recipients).execute();
      if (relevance.length) await tx.insertInto('product_relevance').values(relevance).execute();
      // The statement of markPublished, for a batch of products at once.
      await sql`UPDATE products AS p SET search =
          setweight(to_tsvector('simple', s.words), 'A')
          || setweight(to_tsvector('dutch', s.nl), 'B')
          || setweight(to_tsvector('english', s.en), 'B')
        FROM jsonb_to_recordset(${JSON.stringify(search)}::jsonb) AS s(id uuid, words text, nl text, en text)
        WHERE p.id = s.id`.execute(tx);
    });
  }
  return { csafSample, sampleCve, visibleToReader, relevantToReader };
}

/**
 * Exports the current revision of each product as publication does: the stored content and revision
 * history become a CSAF document that must pass validation, then the serialised bytes. The first
 * document (loading and compiling the schema) is timed apart; the rate is over all documents.
 */
async function exportCsaf(ids: readonly string[], publisherName: string) {
  const publisher: Publisher = { name: publisherName, namespace: 'https://cert.example', contactDetails: 'cert@cert.example' };
  const spent = { read: 0, parse: 0, export: 0, validate: 0 };
  let invalid = 0;
  let firstDocMs = 0;
  let documents = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < ids.length; i += 100) {
    const batch = ids.slice(i, i + 100);
    const tr = performance.now();
    const rows = await db
      .selectFrom('products as p')
      .innerJoin('product_revisions as r', (j) => j.onRef('r.product_id', '=', 'p.id').onRef('r.revision', '=', 'p.current_revision'))
      .select(['p.id', 'p.kind', 'p.identifier', 'p.tlp', 'p.status', 'p.first_published_at', 'r.content', 'r.published_at'])
      .where('p.id', 'in', batch)
      .execute();
    const history = await db
      .selectFrom('product_revisions')
      .select(['product_id', 'revision', 'published_at', 'change_summary'])
      .where('product_id', 'in', batch)
      .orderBy('product_id')
      .orderBy('revision')
      .execute();
    spent.read += performance.now() - tr;
    for (const row of rows) {
      const tx = performance.now();
      if (!row.identifier || !row.tlp || !row.first_published_at) throw new Error(`product ${row.id} is not published`);
      const meta: PublicationMeta = {
        kind: row.kind,
        identifier: row.identifier,
        tlp: row.tlp,
        revisions: history
          .filter((h) => h.product_id === row.id)
          .map((h) => ({ number: h.revision, date: h.published_at.toISOString(), summary: h.change_summary })),
        initialReleaseDate: row.first_published_at.toISOString(),
        currentReleaseDate: row.published_at.toISOString(),
        status: 'final',
        withdrawn: row.status === 'withdrawn',
        selfUrl: `https://cert.example/advisories/${encodeURIComponent(row.identifier)}`,
      };
      const content = parseStoredContent(row.content);
      const te = performance.now();
      const document = toCsaf(content, meta, publisher);
      const tv = performance.now();
      const validation = await validateCsaf(document);
      const tz = performance.now();
      const bytes = `${JSON.stringify(document, null, 2)}\n`;
      spent.parse += te - tx;
      spent.export += tv - te + (performance.now() - tz);
      spent.validate += tz - tv;
      if (documents === 0) firstDocMs = performance.now() - tx;
      documents++;
      if (!validation.valid) {
        if (invalid === 0)
          console.error(`CSAF document ${row.identifier} (${bytes.length} bytes) is invalid: ${JSON.stringify(validation.failures.slice(0, 5))}`);
        invalid++;
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const per = (ms: number) => round(ms / Math.max(1, documents), 3);
  return {
    documents,
    invalid,
    docsPerSecond: round(documents / seconds, 1),
    // CPU time of this process (all its threads): what the rate would be with a core to itself.
    docsPerCpuSecond: round(documents / ((cpu.user + cpu.system) / 1e6), 1),
    firstDocMs: round(firstDocMs, 1),
    msPerDoc: { read: per(spent.read), parse: per(spent.parse), export: per(spent.export), validate: per(spent.validate) },
  };
}

try {
  console.log(JSON.stringify(await run()));
} finally {
  if (database.kind === 'postgres' && !values.keep) await cleanUp();
  await database.close();
}
