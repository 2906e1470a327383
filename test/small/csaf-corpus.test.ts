import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCvss2, parseCvss3 } from '#lib/cvss.ts';
import { type PublicationMeta, type Publisher } from '#modules/advisories/advisory.content.ts';
import { type CsafBranch, type CsafDocument } from '#modules/advisories/csaf/csaf-document.ts';
import { toCsaf } from '#modules/advisories/csaf/csaf-export.ts';
import { csafFilename } from '#modules/advisories/csaf/csaf-filename.ts';
import { fromCsaf } from '#modules/advisories/csaf/csaf-import.ts';
import { validateCsaf } from '#modules/advisories/csaf/csaf-validate.ts';
import { testdataDir } from '../helpers/testdata.ts';

// The OASIS CSAF 2.0 corpus (oasis-tcs/csaf csaf_2.0/test and csaf_2.0/examples), see ../shared/testdata/README.md.
const TESTDATA = testdataDir();
const ROOT = path.join(TESTDATA ?? '/nonexistent', 'csaf-2.0');
const present = TESTDATA !== null;
if (!present) console.warn('Skipping the OASIS CSAF corpus: the shared test data is not there (set WACHTPOST_TESTDATA_DIR).');
const DATA = path.join(ROOT, 'test/validator/data');
const EXAMPLES = path.join(ROOT, 'examples/csaf');

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

interface TestCases {
  tests: { id: string; group: string; failures?: { name: string }[]; valid?: { name: string }[] }[];
}
const mandatory = present ? (readJson(path.join(DATA, 'testcases.json')) as TestCases).tests.filter((t) => t.group === 'mandatory') : [];
// For the mandatory group, membership counts: a file under `failures` must fail that test, a file under `valid` must be valid.
const validCases = mandatory.flatMap((t) => (t.valid ?? []).map((v) => [v.name, t.id] as const));
const failureCases = mandatory.flatMap((t) => (t.failures ?? []).map((f) => [f.name, t.id] as const));

const exampleFiles = present
  ? [
      ...fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')),
      ...fs
        .readdirSync(path.join(EXAMPLES, 'csaf_vex'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => `csaf_vex/${f}`),
    ].sort()
  : [];

const PUBLISHER: Publisher = { name: 'Wachtpost CERT', namespace: 'https://cert.example', contactDetails: 'cert@cert.example' };

function productIds(doc: CsafDocument): string[] {
  const ids: string[] = [];
  const walk = (branches: readonly CsafBranch[] | undefined) => {
    for (const b of branches ?? []) {
      if (b.product) ids.push(b.product.product_id);
      walk(b.branches);
    }
  };
  walk(doc.product_tree?.branches);
  ids.push(...(doc.product_tree?.full_product_names ?? []).map((p) => p.product_id));
  ids.push(...(doc.product_tree?.relationships ?? []).map((r) => r.full_product_name.product_id));
  return ids;
}

const cveOf = (v: NonNullable<CsafDocument['vulnerabilities']>[number]): string | undefined => v.cve ?? v.ids?.find((i) => i.system_name === 'CVE')?.text;

/** The first CVSS v3 and v2 vector per vulnerability, normalised: what Wachtpost keeps. */
function firstVectors(doc: CsafDocument): { v3?: string; v2?: string }[] {
  return (doc.vulnerabilities ?? []).map((v) => {
    const v3 = v.scores?.find((s) => s.cvss_v3)?.cvss_v3?.vectorString;
    const v2 = v.scores?.find((s) => s.cvss_v2)?.cvss_v2?.vectorString;
    const n3 = v3 ? parseCvss3(v3) : undefined;
    const n2 = v2 ? parseCvss2(v2) : undefined;
    return { ...(n3?.ok ? { v3: n3.vector } : {}), ...(n2?.ok ? { v2: n2.vector } : {}) };
  });
}

describe.skipIf(!present)('OASIS CSAF 2.0 corpus, mandatory tests (test/validator/data)', () => {
  it('has the expected number of mandatory cases', () => {
    expect(validCases.length).toBe(60);
    expect(failureCases.length).toBe(87);
  });

  it.each(validCases)('%s (valid for %s) validates and imports', async (name) => {
    const doc = readJson(path.join(DATA, name));
    const validation = await validateCsaf(doc);
    expect(validation.failures).toEqual([]);
    const imported = await fromCsaf(doc);
    expect(imported.ok ? [] : imported.failures).toEqual([]);
  });

  it.each(failureCases)('%s is refused for test %s', async (name, id) => {
    const doc = readJson(path.join(DATA, name));
    const validation = await validateCsaf(doc);
    expect(validation.valid).toBe(false);
    expect(validation.failures.map((f) => f.test)).toContain(id);
    const imported = await fromCsaf(doc);
    expect(imported.ok).toBe(false);
  });
});

describe.skipIf(!present)('CSAF filenames (§5.1, test/filenames/data)', () => {
  const dir = path.join(ROOT, 'test/filenames/data');
  const cases = (kind: 'valid' | 'invalid') =>
    present ? fs.readdirSync(path.join(dir, kind)).map((f) => [f, (readJson(path.join(dir, kind, f)) as CsafDocument).document.tracking.id] as const) : [];

  it.each(cases('valid'))('%s is the filename of its tracking id', (file, id) => {
    expect(csafFilename(id)).toBe(file);
  });
  it.each(cases('invalid'))('%s is not the filename of its tracking id', (file, id) => {
    expect(csafFilename(id)).not.toBe(file);
  });
  it.each(exampleFiles)('example %s is named after its tracking id', (file) => {
    const doc = readJson(path.join(EXAMPLES, file)) as CsafDocument;
    expect(csafFilename(doc.document.tracking.id)).toBe(path.basename(file));
  });
});

describe.skipIf(!present)('OASIS CSAF 2.0 examples (examples/csaf): import → export → validate', () => {
  it.each(exampleFiles)('%s', async (file) => {
    const original = readJson(path.join(EXAMPLES, file)) as CsafDocument;
    const validation = await validateCsaf(original);
    if (!validation.valid) return; // only documents that validate are imported

    const imported = await fromCsaf(original);
    if (!imported.ok) throw new Error(`import refused ${file}: ${JSON.stringify(imported.failures)}`);
    const t = original.document.tracking;
    const meta: PublicationMeta = {
      kind: imported.kind,
      identifier: imported.source.trackingId,
      tlp: imported.tlp ?? 'CLEAR',
      revisions: [{ number: 1, date: t.current_release_date, summary: `Imported from ${imported.source.publisher}.` }],
      initialReleaseDate: t.initial_release_date,
      currentReleaseDate: t.current_release_date,
      status: 'final',
      selfUrl: 'https://cert.example/advisories/imported',
    };
    const exported = toCsaf(imported.content, meta, PUBLISHER);
    const revalidation = await validateCsaf(exported);
    expect(revalidation.failures).toEqual([]);

    // Every vulnerability (by CVE, else by title) survives, in order.
    const before = original.vulnerabilities ?? [];
    const after = exported.vulnerabilities ?? [];
    expect(after.length).toBe(before.length);
    expect(after.map((v) => cveOf(v) ?? v.title)).toEqual(before.map((v) => cveOf(v) ?? v.title));

    // Every product id survives (white space in an id becomes "_").
    const rename = (id: string) => imported.renamedProductIds[id] ?? id;
    expect(new Set(productIds(exported))).toEqual(new Set(productIds(original).map(rename)));

    // Every CVSS vector Wachtpost keeps (the first per version and vulnerability) survives with its score.
    expect(firstVectors(exported)).toEqual(firstVectors(original));
    after.forEach((v, i) => {
      const score = before[i]?.scores?.find((s) => s.cvss_v3)?.cvss_v3;
      if (score) expect(v.scores?.[0]?.cvss_v3?.baseScore).toBe(score.baseScore);
    });

    // A second round trip changes nothing that Wachtpost keeps.
    const again = await fromCsaf(exported);
    if (!again.ok) throw new Error(`re-import refused ${file}: ${JSON.stringify(again.failures)}`);
    expect(again.content.products).toEqual(imported.content.products);
    expect(again.content.vulnerabilities).toEqual(imported.content.vulnerabilities);
    expect(again.content.nl).toEqual(imported.content.nl);
    expect(again.tlp).toBe(meta.tlp);
  });
});
