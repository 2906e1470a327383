import { describe, expect, it } from 'vitest';
import { AdvisoryContent, type AdvisoryContentInput, type PublicationMeta, type Publisher } from '#modules/advisories/advisory.content.ts';
import { type CsafBranch, type CsafDocument } from '#modules/advisories/csaf/csaf-document.ts';
import { toCsaf } from '#modules/advisories/csaf/csaf-export.ts';
import { csafFilename } from '#modules/advisories/csaf/csaf-filename.ts';
import { fromCsaf, saysExploited } from '#modules/advisories/csaf/csaf-import.ts';
import { fromCsafTlp, toCsafDistribution } from '#modules/advisories/csaf/csaf-tlp.ts';
import { checkProhibitedCategory, csafTestId, validateCsaf } from '#modules/advisories/csaf/csaf-validate.ts';

const V4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V4_LOCAL = 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

const PUBLISHER: Publisher = {
  name: 'Z-CERT',
  namespace: 'https://cert.example',
  contactDetails: 'cert@cert.example, +31 70 000 0000',
  issuingAuthority: 'Sectoraal CERT voor de zorg.',
};

const input: AdvisoryContentInput = {
  nl: {
    title: 'Kwetsbaarheden in MedTech Infusion Manager',
    summary: 'Twee kwetsbaarheden in de Infusion Manager maken het mogelijk de pomp op afstand over te nemen.',
    body: '## Wat is er aan de hand?\n\nDe webinterface controleert invoer **niet**.',
    advice: 'Installeer versie 2.4.1.',
  },
  en: {
    title: 'Vulnerabilities in MedTech Infusion Manager',
    summary: 'Two vulnerabilities.',
    body: 'The web interface does not check input.',
    advice: 'Install 2.4.1.',
  },
  urgency: 'urgent',
  probability: 'high',
  impact: 'high',
  references: [{ url: 'https://medtech.example/psirt/2026-01', summary: 'Advisory of the vendor' }],
  sources: [{ name: 'MedTech PSIRT', url: 'https://medtech.example/psirt', reference: 'MT-2026-01' }],
  tags: ['infuuspomp', 'medische hulpmiddelen'],
  products: [
    {
      id: 'WP-P1',
      vendor: 'MedTech',
      name: 'Infusion Manager',
      versions: '>=2.0 <2.4.1',
      cpe: 'cpe:2.3:a:medtech:infusion_manager:*:*:*:*:*:*:*:*',
      medicalDevice: true,
      model: 'IM-200',
    },
    { id: 'WP-P2', vendor: 'MedTech', name: 'Infusion Manager', versions: '2.4.1', cpe: 'cpe:2.3:a:medtech:infusion_manager:2.4.1:*:*:*:*:*:*:*' },
    { id: 'WP-P3', vendor: 'MedTech', name: 'Gateway', purl: 'pkg:npm/medtech-gateway@1.2.3' },
  ],
  vulnerabilities: [
    {
      cve: 'CVE-2026-10001',
      title: 'Cross-site scripting in de webinterface',
      description: 'Een aanvaller kan via een gemanipuleerde link scripts uitvoeren.',
      cwe: { id: 'CWE-79', name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')" },
      cvssV4: V4,
      knownExploited: true,
      productStatus: [
        { productId: 'WP-P1', status: 'affected' },
        { productId: 'WP-P2', status: 'fixed' },
        { productId: 'WP-P3', status: 'not_affected' },
      ],
      remediations: [
        {
          category: 'vendor_fix',
          details: 'Installeer de update.',
          fixedVersion: '2.4.1',
          url: 'https://medtech.example/downloads/2.4.1',
          productIds: ['WP-P1'],
        },
      ],
    },
    {
      cve: 'CVE-2026-10002',
      title: 'Hard-coded wachtwoord',
      description: 'De gateway bevat een vast beheerwachtwoord.',
      cwe: { id: 'CWE-798', name: 'Use of Hard-coded Credentials' },
      cvssV3: V31,
      cvssV4: V4_LOCAL,
      productStatus: [
        { productId: 'WP-P3', status: 'affected' },
        { productId: 'WP-P1', status: 'under_investigation' },
      ],
      remediations: [{ category: 'workaround', details: 'Blokkeer poort 8443 op de firewall.', productIds: ['WP-P3'] }],
    },
  ],
};
const content = AdvisoryContent.parse(input);

const meta = (over: Partial<PublicationMeta> = {}): PublicationMeta => ({
  kind: 'advisory',
  identifier: 'WP-2026-0042',
  tlp: 'CLEAR',
  revisions: [
    { number: 1, date: '2026-03-02T09:00:00Z', summary: 'Eerste versie.' },
    { number: 2, date: '2026-03-03T14:30:00+01:00', summary: 'CVE-2026-10002 toegevoegd.' },
  ],
  initialReleaseDate: '2026-03-02T09:00:00Z',
  currentReleaseDate: '2026-03-03T13:30:00Z',
  status: 'final',
  selfUrl: 'https://cert.example/advisories/WP-2026-0042',
  ...over,
});

/** Absent and null optional fields mean the same. */
const withoutNulls = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v === null ? undefined : v)));

async function expectValid(doc: CsafDocument) {
  const v = await validateCsaf(doc);
  expect(v.failures).toEqual([]);
  expect(v.valid).toBe(true);
}

const leaves = (branches: readonly CsafBranch[] | undefined, path: string[] = []): { path: string[]; id: string; name: string; helper: unknown }[] =>
  (branches ?? []).flatMap((b) => {
    const here = [...path, `${b.category}:${b.name}`];
    return [
      ...(b.product ? [{ path: here, id: b.product.product_id, name: b.product.name, helper: b.product.product_identification_helper }] : []),
      ...leaves(b.branches, here),
    ];
  });

describe('toCsaf: a security advisory with two CVEs', () => {
  const doc = toCsaf(content, meta(), PUBLISHER);

  it('passes the strict schema and every mandatory test', async () => {
    await expectValid(doc);
  });

  it('fills the document metadata', () => {
    const d = doc.document;
    expect(d.category).toBe('csaf_security_advisory');
    expect(d.csaf_version).toBe('2.0');
    expect(d.lang).toBe('nl');
    expect(d.title).toBe('Kwetsbaarheden in MedTech Infusion Manager');
    expect(d.publisher).toEqual({
      category: 'coordinator',
      name: 'Z-CERT',
      namespace: 'https://cert.example/',
      contact_details: 'cert@cert.example, +31 70 000 0000',
      issuing_authority: 'Sectoraal CERT voor de zorg.',
    });
    expect(d.tracking).toMatchObject({
      id: 'WP-2026-0042',
      version: '2',
      status: 'final',
      initial_release_date: '2026-03-02T09:00:00.000Z',
      current_release_date: '2026-03-03T13:30:00.000Z',
      generator: { engine: { name: 'Wachtpost' } },
    });
    expect(d.tracking.revision_history).toEqual([
      { date: '2026-03-02T09:00:00.000Z', number: '1', summary: 'Eerste versie.' },
      { date: '2026-03-03T13:30:00.000Z', number: '2', summary: 'CVE-2026-10002 toegevoegd.' },
    ]);
    expect(csafFilename(d.tracking.id)).toBe('wp-2026-0042.json');
  });

  it('marks TLP:CLEAR as WHITE', () => {
    expect(doc.document.distribution?.tlp).toEqual({ label: 'WHITE', url: 'https://www.first.org/tlp/' });
    expect(doc.document.distribution?.text).toContain('TLP:CLEAR');
  });

  it('writes the Dutch text, the English text and the assessment as notes', () => {
    const notes = doc.document.notes ?? [];
    const byTitle = (t: string) => notes.find((n) => n.title === t);
    expect(byTitle('Summary')).toEqual({ category: 'summary', title: 'Summary', text: input.nl.summary });
    expect(byTitle('Description')).toEqual({ category: 'description', title: 'Description', text: input.nl.body });
    expect(byTitle('Advice')).toEqual({ category: 'general', title: 'Advice', text: 'Installeer versie 2.4.1.' });
    expect(byTitle('Title (English)')?.text).toBe('Vulnerabilities in MedTech Infusion Manager');
    expect(byTitle('Description (English)')?.category).toBe('description');
    expect(byTitle('Assessment')?.text).toBe('urgency=urgent; probability=high; impact=high');
  });

  it('adds the portal page as self reference, and references and sources as external ones', () => {
    expect(doc.document.references).toEqual([
      { category: 'self', summary: 'WP-2026-0042 op de website van Z-CERT', url: 'https://cert.example/advisories/WP-2026-0042' },
      { category: 'external', summary: 'Advisory of the vendor', url: 'https://medtech.example/psirt/2026-01' },
      { category: 'external', summary: 'Bron: MedTech PSIRT (MT-2026-01)', url: 'https://medtech.example/psirt' },
    ]);
  });

  it('builds the product tree vendor → product name → version (range)', () => {
    expect(leaves(doc.product_tree?.branches)).toEqual([
      {
        path: ['vendor:MedTech', 'product_name:Infusion Manager', 'product_version_range:>=2.0 <2.4.1'],
        id: 'WP-P1',
        name: 'MedTech Infusion Manager >=2.0 <2.4.1 (medical device, model IM-200)',
        helper: { cpe: 'cpe:2.3:a:medtech:infusion_manager:*:*:*:*:*:*:*:*', model_numbers: ['IM-200'] },
      },
      {
        path: ['vendor:MedTech', 'product_name:Infusion Manager', 'product_version:2.4.1'],
        id: 'WP-P2',
        name: 'MedTech Infusion Manager 2.4.1',
        helper: { cpe: 'cpe:2.3:a:medtech:infusion_manager:2.4.1:*:*:*:*:*:*:*' },
      },
      { path: ['vendor:MedTech', 'product_name:Gateway'], id: 'WP-P3', name: 'MedTech Gateway', helper: { purl: 'pkg:npm/medtech-gateway@1.2.3' } },
    ]);
  });

  it('maps the first vulnerability: status, CVSS 4.0 note, CWE, threats, remediation', () => {
    const v = doc.vulnerabilities?.[0];
    expect(v?.cve).toBe('CVE-2026-10001');
    expect(v?.title).toBe('Cross-site scripting in de webinterface');
    expect(v?.cwe).toEqual({ id: 'CWE-79', name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')" });
    expect(v?.product_status).toEqual({ known_affected: ['WP-P1'], fixed: ['WP-P2'], known_not_affected: ['WP-P3'] });
    expect(v?.scores).toBeUndefined(); // CVSS 4.0 has no place in CSAF 2.0 scores
    expect(v?.notes).toEqual([
      { category: 'description', title: 'Description', text: 'Een aanvaller kan via een gemanipuleerde link scripts uitvoeren.' },
      { category: 'other', title: 'CVSS v4.0', text: `${V4} (base score 9.3, CRITICAL)` },
    ]);
    expect(v?.threats).toEqual([
      { category: 'impact', details: 'Deze producten zijn niet kwetsbaar voor deze kwetsbaarheid.', product_ids: ['WP-P3'] },
      { category: 'exploit_status', details: 'Actief misbruik is bekend (known to be exploited).' },
    ]);
    expect(v?.remediations).toEqual([
      {
        category: 'vendor_fix',
        details: 'Installeer de update.\n\nFixed version: 2.4.1',
        product_ids: ['WP-P1'],
        url: 'https://medtech.example/downloads/2.4.1',
      },
    ]);
  });

  it('maps the second vulnerability: a computed CVSS 3.1 score next to the CVSS 4.0 note', () => {
    const v = doc.vulnerabilities?.[1];
    expect(v?.product_status).toEqual({ known_affected: ['WP-P3'], under_investigation: ['WP-P1'] });
    expect(v?.scores).toEqual([{ products: ['WP-P3', 'WP-P1'], cvss_v3: { version: '3.1', vectorString: V31, baseScore: 9.8, baseSeverity: 'CRITICAL' } }]);
    expect(v?.notes?.find((n) => n.title === 'CVSS v4.0')).toEqual({ category: 'other', title: 'CVSS v4.0', text: `${V4_LOCAL} (base score 8.5, HIGH)` });
    expect(v?.threats).toBeUndefined();
  });

  it('imports back into the same content', async () => {
    const back = await fromCsaf(doc);
    if (!back.ok) throw new Error(JSON.stringify(back.failures));
    expect(back.kind).toBe('advisory');
    expect(back.tlp).toBe('CLEAR');
    expect(back.source).toMatchObject({ trackingId: 'WP-2026-0042', publisher: 'Z-CERT', version: '2' });
    expect(back.content.nl).toEqual(content.nl);
    expect(back.content.en).toEqual(content.en);
    expect(withoutNulls(back.content.products)).toEqual(withoutNulls(content.products));
    expect(withoutNulls(back.content.vulnerabilities)).toEqual(withoutNulls(content.vulnerabilities));
    expect(back.content.tags).toEqual(content.tags);
    expect([back.content.urgency, back.content.probability, back.content.impact]).toEqual(['urgent', 'high', 'high']);
  });
});

describe('toCsaf: TLP', () => {
  it('writes AMBER+STRICT as AMBER with the restriction in the distribution text, and reads it back', async () => {
    const doc = toCsaf(content, meta({ tlp: 'AMBER+STRICT' }), PUBLISHER);
    expect(doc.document.distribution?.tlp?.label).toBe('AMBER');
    expect(doc.document.distribution?.text).toMatch(/^TLP:AMBER\+STRICT\b.*alleen delen binnen de eigen organisatie/i);
    await expectValid(doc);
    const back = await fromCsaf(doc);
    expect(back.ok && back.tlp).toBe('AMBER+STRICT');
  });

  it.each([
    ['CLEAR', 'WHITE'],
    ['GREEN', 'GREEN'],
    ['AMBER', 'AMBER'],
    ['AMBER+STRICT', 'AMBER'],
    ['RED', 'RED'],
  ] as const)('maps TLP:%s to CSAF %s and back', (tlp, label) => {
    const d = toCsafDistribution(tlp);
    expect(d.tlp.label).toBe(label);
    expect(fromCsafTlp(d.tlp.label, d.text)).toBe(tlp);
  });

  it('reads plain TLP 1.0 labels', () => {
    expect(fromCsafTlp('WHITE')).toBe('CLEAR');
    expect(fromCsafTlp('AMBER', 'Copyright 2026')).toBe('AMBER');
    expect(fromCsafTlp(undefined)).toBeNull();
  });
});

describe('toCsaf: other kinds and edge cases', () => {
  it('writes an info message as an informational advisory without /vulnerabilities, with a fallback external reference', async () => {
    const info = AdvisoryContent.parse({ ...input, references: [], sources: [] });
    const doc = toCsaf(info, meta({ kind: 'info' }), PUBLISHER);
    expect(doc.document.category).toBe('csaf_informational_advisory');
    expect(doc.vulnerabilities).toBeUndefined();
    expect(doc.product_tree?.branches).toHaveLength(1);
    expect(doc.document.references?.filter((r) => r.category === 'external')).toEqual([
      { category: 'external', summary: 'Z-CERT', url: 'https://cert.example/' },
    ]);
    expect(doc.document.notes?.find((n) => n.title === 'Vulnerabilities')?.text).toBe(
      [
        `- CVE-2026-10001: Cross-site scripting in de webinterface — ${V4} (base score 9.3, CRITICAL)`,
        `- CVE-2026-10002: Hard-coded wachtwoord — ${V4_LOCAL} (base score 8.5, HIGH); ${V31} (base score 9.8, CRITICAL)`,
      ].join('\n'),
    );
    await expectValid(doc);
  });

  it('writes an alert without products or vulnerabilities', async () => {
    const alert = AdvisoryContent.parse({ nl: { title: 'Phishingcampagne gericht op ziekenhuizen' } });
    const doc = toCsaf(alert, meta({ kind: 'alert', revisions: [] }), { name: 'Z-CERT', namespace: 'https://cert.example', contactDetails: '' });
    expect(doc.document.category).toBe('csaf_informational_advisory');
    expect(doc.product_tree).toBeUndefined();
    expect(doc.document.notes?.[0]).toEqual({ category: 'summary', title: 'Summary', text: 'Phishingcampagne gericht op ziekenhuizen' });
    expect(doc.document.tracking.revision_history).toHaveLength(1);
    await expectValid(doc);
  });

  it('writes an advisory without products as csaf_base, with the CVSS vectors in notes', async () => {
    const noProducts = AdvisoryContent.parse({
      ...input,
      products: [],
      vulnerabilities: input.vulnerabilities?.map((v) => ({ ...v, productStatus: [], remediations: [] })),
    });
    const doc = toCsaf(noProducts, meta(), PUBLISHER);
    expect(doc.document.category).toBe('csaf_base');
    expect(doc.vulnerabilities?.[1]?.notes?.map((n) => n.title)).toEqual(['Description', 'CVSS v4.0', 'CVSS v3.1']);
    await expectValid(doc);
    const back = await fromCsaf(doc);
    expect(back.ok && back.content.vulnerabilities[1]?.cvssV3).toBe(V31);
  });

  it('keeps a withdrawn advisory final and says so', async () => {
    const doc = toCsaf(content, meta({ withdrawn: true }), PUBLISHER);
    expect(doc.document.tracking.status).toBe('final');
    expect(doc.document.tracking.revision_history.at(-1)?.summary).toBe('CVE-2026-10002 toegevoegd. Ingetrokken (withdrawn).');
    expect(doc.document.notes?.[0]).toMatchObject({ category: 'general', title: 'Withdrawn' });
    await expectValid(doc);
  });

  it('renumbers a revision history that does not count 1, 2, 3 and keeps the old numbers', async () => {
    const doc = toCsaf(
      content,
      meta({
        revisions: [
          { number: 3, date: '2026-03-04T00:00:00Z', summary: 'Later.' },
          { number: 0, date: '2026-03-01T00:00:00Z', summary: 'Concept.' },
          { number: 3, date: '2026-03-05T00:00:00Z', summary: '' },
        ],
      }),
      PUBLISHER,
    );
    expect(doc.document.tracking.revision_history).toEqual([
      { date: '2026-03-01T00:00:00.000Z', number: '1', summary: 'Concept.', legacy_version: '0' },
      { date: '2026-03-04T00:00:00.000Z', number: '2', summary: 'Later.', legacy_version: '3' },
      { date: '2026-03-05T00:00:00.000Z', number: '3', summary: 'Revisie 3.' },
    ]);
    expect(doc.document.tracking.version).toBe('3');
    await expectValid(doc);
  });

  it('leaves out what CSAF would refuse and resolves conflicts', async () => {
    const odd = AdvisoryContent.parse({
      nl: { title: 'Randgevallen' },
      references: [{ url: 'https://例え.jp/パス?q=ü|x[1]#a#b', summary: '' }],
      products: [
        { id: 'A', vendor: 'V', name: 'N', versions: 'all versions', cpe: 'cpe:2.3:a:ven dor:prod:1.0:*:*:*:*:*:*:*', purl: 'pkg:npm/%zz' },
        { id: 'B', vendor: 'V', name: 'N', versions: '' },
      ],
      vulnerabilities: [
        {
          cve: 'CVE-2026-1234',
          cwe: { id: 'CWE-999999', name: 'Onbekend' },
          cvssV3: 'CVSS:3.1/AV:Q',
          productStatus: [
            { productId: 'A', status: 'affected' },
            { productId: 'A', status: 'fixed' },
          ],
        },
        { cve: 'CVE-2026-1234', title: 'Dezelfde CVE nog eens' },
      ],
    });
    const doc = toCsaf(odd, meta(), PUBLISHER);
    await expectValid(doc);
    expect(doc.document.references?.[1]?.url).toBe('https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%C3%BC%7Cx%5B1%5D#a%23b');
    expect(leaves(doc.product_tree?.branches).map((l) => [l.path.at(-1), l.helper])).toEqual([
      ['product_name:N', undefined],
      ['product_version_range:all versions', undefined],
    ]);
    const [first, second] = doc.vulnerabilities ?? [];
    expect(first?.cwe).toBeUndefined();
    expect(first?.notes?.find((n) => n.title === 'CWE')?.text).toBe('CWE-999999: Onbekend');
    expect(first?.scores).toBeUndefined();
    expect(first?.product_status).toEqual({ known_affected: ['A'] });
    expect(second?.cve).toBeUndefined();
    expect(second?.ids).toEqual([{ system_name: 'CVE', text: 'CVE-2026-1234' }]);
    expect(second?.product_status).toEqual({ under_investigation: ['A', 'B'] });
  });
});

describe('validateCsaf', () => {
  it('refuses anything that is not an object, without throwing', async () => {
    for (const value of [null, undefined, 42, 'csaf', [], true]) {
      const v = await validateCsaf(value);
      expect(v).toEqual({ valid: false, failures: [{ test: 'schema', message: 'a CSAF document is a JSON object', path: '' }], warnings: [] });
    }
  });

  it('derives test ids from the library function names', () => {
    expect(csafTestId('mandatoryTest_6_1_26')).toBe('6.1.26');
    expect(csafTestId('mandatoryTest_6_1_27_10')).toBe('6.1.27.10');
    expect(csafTestId('optionalTest_6_2_3')).toBe('6.2.3');
  });

  it('checks 6.1.26 against profile names and values', () => {
    const category = (c: string) => checkProhibitedCategory({ document: { category: c } }).map((f) => f.test);
    for (const bad of [
      'csafsecurityadvisory',
      'Csaf_a',
      'Informational Advisory',
      'security-incident-response',
      'Security      Advisory',
      'veX',
      'V_eX',
      'CSAF–VEX',
    ])
      expect(category(bad), bad).toEqual(['6.1.26']);
    for (const good of ['csaf_base', 'csaf_vex', 'Example Company Security Notice', 'Cisco Security Advisory']) expect(category(good), good).toEqual([]);
  });

  // Loading the optional tests compiles their schemas: slow on a busy machine.
  it('reports optional tests as warnings when asked', { timeout: 120_000 }, async () => {
    const doc = toCsaf(content, meta(), PUBLISHER, { canonicalUrl: 'https://cert.example/.well-known/csaf/white/2026/wp-2026-0042.json' });
    expect(doc.document.references?.[0]).toEqual({
      category: 'self',
      summary: 'Canonieke URL van WP-2026-0042',
      url: 'https://cert.example/.well-known/csaf/white/2026/wp-2026-0042.json',
    });
    const v = await validateCsaf(doc, { optional: true });
    expect(v.valid).toBe(true);
    expect(v.warnings.every((w) => /^6\.2\.\d+$/.test(w.test))).toBe(true);
    // Keys are sorted (6.2.13) and the canonical URL is there (6.2.11).
    expect(v.warnings.map((w) => w.test)).not.toContain('6.2.13');
    expect(v.warnings.map((w) => w.test)).not.toContain('6.2.11');
  });
});

describe('saysExploited', () => {
  it('reads exploit_status texts', () => {
    expect(saysExploited('Actief misbruik is bekend (known to be exploited).')).toBe(true);
    expect(saysExploited('This vulnerability is actively exploited in the wild.')).toBe(true);
    expect(saysExploited('The Cisco PSIRT is not aware of any public announcements or malicious use.')).toBe(false);
    expect(saysExploited('No known exploitation in the wild.')).toBe(false);
  });
});
