import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TLP_LEVELS } from '#lib/tlp.ts';
import {
  AdvisoryContent,
  type AdvisoryContentInput,
  PRODUCT_KINDS,
  PRODUCT_STATUSES,
  REMEDIATION_CATEGORIES,
  Reference,
  type ProductStatus,
  type PublicationMeta,
  type Publisher,
} from '#modules/advisories/advisory.content.ts';
import { type CsafBranch } from '#modules/advisories/csaf/csaf-document.ts';
import { toCsaf } from '#modules/advisories/csaf/csaf-export.ts';
import { fromCsaf } from '#modules/advisories/csaf/csaf-import.ts';
import { toCsafTlpLabel } from '#modules/advisories/csaf/csaf-tlp.ts';
import { validateCsaf } from '#modules/advisories/csaf/csaf-validate.ts';

const RUNS = Number(process.env.CSAF_PROPERTY_RUNS ?? 300);

// Text: any Unicode (graphemes, and raw UTF-16 units including lone surrogates) plus a few nasty constants.
const text = (maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    { weight: 1, arbitrary: fc.constantFrom('', '   ', 'Ziekenhuis — “zorg” ✓ 🏥', '<script>alert(1)</script>', 'a\u0000b\u202e', 'Ω≈ç√∫ 中文 العربية') },
  );
const nonBlank = (maxLength: number, fallback: string) => text(maxLength).map((s) => (s.trim() === '' ? fallback : s));

const url = fc
  .oneof(
    fc.webUrl({ validSchemes: ['https', 'http'], withQueryParameters: true, withFragments: true }),
    fc.constantFrom('https://例え.jp/パス?q=ü|x[1]#a#b', 'http://cert.example:8080/a%20b/{x}^`', 'https://xn--bcher-kva.example/ä', 'https://cert.example/%zz'),
  )
  .filter((u) => u.length <= 2000 && Reference.shape.url.safeParse(u).success);

const V3 = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N/E:P/RL:O',
  'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
  'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N',
];
const V4 = [
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  'CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:P',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U/CR:L/MSI:S',
];
const V2 = ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 'AV:L/AC:H/Au:S/C:N/I:P/A:C/E:POC'];
// Content may hold vectors that do not parse (the editor flags them); export must cope.
const vector = (valid: readonly string[]) =>
  fc.option(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: fc.constantFrom('CVSS:3.1/AV:Q', 'garbage') }), {
    nil: null,
  });

const product = (id: string) =>
  fc.record({
    id: fc.constant(id),
    vendor: nonBlank(30, 'MedTech'),
    name: fc.oneof(fc.constantFrom('Infusion Manager', 'Gateway'), nonBlank(40, 'Monitor')),
    versions: fc.oneof(fc.constantFrom('', '2.4.1', '>=2.0 <2.4.1', 'vers:generic/>=2.0|<2.4.1', 'all versions', '1.0 and later', 'prior to 4.2'), text(30)),
    cpe: fc.option(
      fc.constantFrom(
        'cpe:2.3:a:medtech:infusion_manager:2.4.1:*:*:*:*:*:*:*',
        'cpe:2.3:h:philips:intellivue_mx800:-:*:*:*:*:*:*:*',
        'cpe:2.3:a:ven dor:prod:1.0:*:*:*:*:*:*:*',
        'cpe:2.3:o:ü:x:1:*:*:*:*:*:*:*',
      ),
      { nil: null },
    ),
    purl: fc.option(
      fc.constantFrom(
        'pkg:npm/lodash@4.17.21',
        'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        'pkg:npm/%zz',
        'pkg:pypi/ü@1',
        'pkg:npm/a b',
        'pkg:deb/debian/curl@7.50.3-1?arch=i386',
      ),
      { nil: null },
    ),
    medicalDevice: fc.boolean(),
    model: fc.option(nonBlank(30, 'IM-200'), { nil: null }),
  });

const vulnerability = (ids: readonly string[]) =>
  fc.record({
    cve: fc.option(fc.constantFrom('CVE-2026-0001', 'CVE-2026-0002', 'cve-2025-123456'), { nil: null }),
    title: text(60),
    description: text(200),
    cwe: fc.option(fc.constantFrom({ id: 'CWE-79', name: 'XSS' }, { id: 'CWE-787', name: 'Out-of-bounds Write' }, { id: 'CWE-999999', name: 'Onbekend' }), {
      nil: null,
    }),
    cvssV3: vector(V3),
    cvssV4: vector(V4),
    cvssV2: vector(V2),
    knownExploited: fc.boolean(),
    productStatus: ids.length
      ? fc.array(fc.record({ productId: fc.constantFrom(...ids), status: fc.constantFrom(...PRODUCT_STATUSES) }), { maxLength: 6 })
      : fc.constant<{ productId: string; status: ProductStatus }[]>([]),
    remediations: ids.length
      ? fc.array(
          fc.record({
            category: fc.constantFrom(...REMEDIATION_CATEGORIES),
            details: nonBlank(100, 'Update.'),
            fixedVersion: fc.option(nonBlank(20, '2.4.1'), { nil: null }),
            url: fc.option(url, { nil: null }),
            productIds: fc.subarray([...ids], { minLength: 1 }),
          }),
          { maxLength: 3 },
        )
      : fc.constant<NonNullable<AdvisoryContentInput['vulnerabilities']>[number]['remediations']>([]),
  });

const localised = fc.record({ title: nonBlank(80, 'Titel'), summary: text(120), body: text(300), advice: text(120) });

const content: fc.Arbitrary<AdvisoryContentInput> = fc
  .uniqueArray(fc.constantFrom('P1', 'P2', 'P3', 'CSAFPID-0001', 'prod:ü', 'x'), { maxLength: 5 })
  .chain((ids) =>
    fc.record({
      nl: localised,
      en: fc.option(localised, { nil: null }),
      urgency: fc.constantFrom('urgent', 'normal'),
      probability: fc.constantFrom('high', 'medium', 'low'),
      impact: fc.constantFrom('high', 'medium', 'low'),
      references: fc.array(fc.record({ url, summary: text(40), category: fc.constantFrom('external', 'self') }), { maxLength: 3 }),
      sources: fc.array(fc.record({ name: nonBlank(40, 'NCSC-NL'), url: fc.option(url, { nil: null }), reference: fc.option(text(20), { nil: null }) }), {
        maxLength: 2,
      }),
      tags: fc.array(nonBlank(20, 'zorg'), { maxLength: 3 }),
      products: ids.length ? fc.tuple(...ids.map(product)) : fc.constant([]),
      vulnerabilities: fc.array(vulnerability(ids), { maxLength: 4 }),
    }),
  );

const date = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());

const meta: fc.Arbitrary<PublicationMeta> = fc.record({
  kind: fc.constantFrom(...PRODUCT_KINDS),
  identifier: fc.constantFrom('WP-2026-0042', 'WP-2026-0001'),
  tlp: fc.constantFrom(...TLP_LEVELS),
  revisions: fc.array(fc.record({ number: fc.integer({ min: 0, max: 4 }), date, summary: text(40) }), { maxLength: 4 }),
  initialReleaseDate: date,
  currentReleaseDate: date,
  status: fc.constantFrom('final', 'interim'),
  withdrawn: fc.boolean(),
  selfUrl: fc.constant('https://cert.example/advisories/WP-2026-0042'),
});

const publisher: fc.Arbitrary<Publisher> = fc.record({
  name: nonBlank(40, 'Z-CERT'),
  namespace: fc.constantFrom('https://cert.example', 'https://zorg-cert.example/csaf/'),
  contactDetails: text(60),
  issuingAuthority: fc.option(text(60), { nil: undefined }),
});

const productIdsOf = (branches: readonly CsafBranch[] | undefined): string[] =>
  (branches ?? []).flatMap((b) => [...(b.product ? [b.product.product_id] : []), ...productIdsOf(b.branches)]);

describe('toCsaf (property)', () => {
  it(`produces a valid CSAF 2.0 document for any content, kind and TLP (${RUNS} runs)`, { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(content, meta, publisher, async (input, m, p) => {
        const c = AdvisoryContent.parse(input);
        const doc = toCsaf(c, m, p);

        const validation = await validateCsaf(doc);
        expect(validation.failures).toEqual([]);

        expect(doc.document.distribution?.tlp?.label).toBe(toCsafTlpLabel(m.tlp));
        expect(new Set(productIdsOf(doc.product_tree?.branches))).toEqual(new Set(c.products.map((x) => x.id)));
        if (doc.document.category === 'csaf_informational_advisory') expect(doc.vulnerabilities).toBeUndefined();
        else expect(doc.vulnerabilities).toHaveLength(c.vulnerabilities.length);
        if (m.kind !== 'advisory') expect(doc.document.category).toBe('csaf_informational_advisory');

        const back = await fromCsaf(doc);
        if (!back.ok) throw new Error(`import refused: ${JSON.stringify(back.failures)}`);
        // The product tree groups products by vendor, so only the order may change.
        expect(back.content.products.map((x) => x.id).sort()).toEqual(c.products.map((x) => x.id).sort());
        expect(back.tlp).toBe(m.tlp);
      }),
      { numRuns: RUNS },
    );
  });
});
