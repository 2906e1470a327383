import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import { mandatoryTest_6_1_13 } from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { parseCvss2, parseCvss3, parseCvss4, parseCvssVector } from '#lib/cvss.ts';
import {
  type AdvisoryContent,
  type AffectedProduct,
  type ProductStatus,
  type PublicationMeta,
  type Publisher,
  type Vulnerability,
} from '#modules/advisories/advisory.content.ts';
import {
  type CsafBranch,
  type CsafDocument,
  type CsafFullProductName,
  type CsafNote,
  type CsafProductIdentificationHelper,
  type CsafProductStatus,
  type CsafProductStatusKey,
  type CsafProductTree,
  type CsafReference,
  type CsafRemediation,
  type CsafRevision,
  type CsafScore,
  type CsafThreat,
  type CsafVulnerability,
} from './csaf-document.ts';
import { CSAF_CPE, CSAF_PURL, NOTE, cvssNoteText, fixedVersionLine, toCsafDate, toCsafUri } from './csaf-text.ts';
import { toCsafDistribution } from './csaf-tlp.ts';
import { toCsafAcknowledgments } from './csaf-acknowledgments.ts';

/**
 * AdvisoryContent + publication metadata → CSAF 2.0 document.
 *
 * Profile (/document/category):
 * - kind 'advisory' with vulnerabilities and products → csaf_security_advisory (§4.4).
 * - kind 'advisory' with vulnerabilities but no products → csaf_base: a security advisory needs a
 *   product tree and a product status per vulnerability, and inventing products would be wrong. The
 *   vulnerabilities stay (CVE, CWE, notes); CVSS vectors go into notes, as scores need products.
 * - kind 'info' and 'alert', and an 'advisory' without vulnerabilities → csaf_informational_advisory
 *   (§4.3): no /vulnerabilities; every product in the product tree counts as affected. Vulnerabilities
 *   of an info message or alert are listed in a "Vulnerabilities" note instead.
 *
 * Language: the document is Dutch (lang "nl"). CSAF 2.0 has one language per document, so the English
 * text, when present, travels as extra notes whose titles end in " (English)" (plus a "Title (English)"
 * note); import reads them back into `en`.
 *
 * Versions: integer versioning throughout (6.1.30). The revision history is sorted by date and
 * numbered 1…n, so it starts at 1 and has no gaps (6.1.14, 6.1.18, 6.1.21, 6.1.22); a revision whose
 * own number differs keeps it in `legacy_version`. /document/tracking/version is the last number (6.1.16).
 *
 * Withdrawn products: CSAF 2.0 has no withdrawn status or profile (that arrives with CSAF 2.1's
 * csaf_withdrawn). Following the practice of 2.0 publishers, a withdrawn product stays a "final"
 * document; the withdrawal is a new revision whose summary says so, plus a "Withdrawn" note. Products
 * and vulnerabilities stay so consumers can match the withdrawal to what they imported earlier.
 *
 * Credit: `acknowledgments` become /document/acknowledgments (names, organization, summary, urls).
 *
 * Values that the CSAF schema or a mandatory test would refuse are left out rather than emitted:
 * CPEs outside the CSAF pattern, purls that fail 6.1.13, CWE ids unknown to the CWE catalogue (6.1.11;
 * known ids get the catalogue's name), CVSS vectors that do not parse, product references to
 * undefined products, and contradicting statuses of one product (the first one given wins, 6.1.6).
 * A CVE used by two vulnerabilities stays on the first one; the later ones carry it in `ids` (6.1.23).
 */

export const CSAF_GENERATOR = 'Wachtpost';

type Profile = 'csaf_security_advisory' | 'csaf_informational_advisory' | 'csaf_base';

const CVE = /^CVE-\d{4}-\d{4,}$/;

const CWE_NAMES = new Map(weaknesses.map((w) => [w.id, w.name]));

const STATUS_KEY: Record<ProductStatus, CsafProductStatusKey> = {
  affected: 'known_affected',
  fixed: 'fixed',
  not_affected: 'known_not_affected',
  under_investigation: 'under_investigation',
};

/** Substrings that make a version a range (test 6.1.31's list, plus vers URIs and wildcards). */
const RANGE_MARKERS = ['<', '>', 'after', 'all', 'before', 'earlier', 'later', 'prior', 'versions', 'vers:', '|', '*', ' - '];
const isVersionRange = (versions: string): boolean => {
  const v = versions.toLowerCase();
  return RANGE_MARKERS.some((m) => v.includes(m));
};

const nonEmpty = (value: string | null | undefined): string | undefined => {
  const v = value?.trim();
  return v ? v : undefined;
};

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

const purlIsValid = (purl: string): boolean => {
  if (!CSAF_PURL.test(purl)) return false;
  // The schema's "uri" format: ASCII only, no spaces, valid percent escapes.
  if (!/^[A-Za-z][A-Za-z0-9+\-.]*:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]*$/.test(purl) || /%(?![0-9A-Fa-f]{2})/.test(purl) || purl.split('#').length > 2)
    return false;
  try {
    const probe = { product_tree: { full_product_names: [{ name: 'probe', product_id: 'probe', product_identification_helper: { purl } }] } };
    const result = mandatoryTest_6_1_13(probe);
    return !(result instanceof Promise) && result.isValid !== false;
  } catch {
    return false;
  }
};

function fullProductName(p: AffectedProduct): CsafFullProductName {
  const versions = nonEmpty(p.versions);
  const model = nonEmpty(p.model);
  const medical = p.medicalDevice ? (model ? ` (medical device, model ${model})` : ' (medical device)') : '';
  const helper: CsafProductIdentificationHelper = {};
  const cpe = nonEmpty(p.cpe);
  if (cpe && CSAF_CPE.test(cpe)) helper.cpe = cpe;
  const purl = nonEmpty(p.purl);
  if (purl && purlIsValid(purl)) helper.purl = purl;
  if (model) helper.model_numbers = [model];
  return {
    name: `${p.vendor.trim()} ${p.name.trim()}${versions ? ` ${versions}` : ''}${medical}`.trim() || p.id,
    product_id: p.id,
    ...(Object.keys(helper).length ? { product_identification_helper: helper } : {}),
  };
}

/** vendor → product_name → product_version | product_version_range → product. */
function buildProductTree(products: readonly AffectedProduct[]): CsafProductTree | undefined {
  const byVendor = new Map<string, Map<string, AffectedProduct[]>>();
  for (const p of products) {
    const vendor = nonEmpty(p.vendor) ?? 'Unknown vendor';
    const name = nonEmpty(p.name) ?? p.id;
    const names = byVendor.get(vendor) ?? new Map<string, AffectedProduct[]>();
    byVendor.set(vendor, names);
    names.set(name, [...(names.get(name) ?? []), p]);
  }
  const branches: CsafBranch[] = [];
  for (const [vendor, names] of byVendor) {
    const children: CsafBranch[] = [];
    for (const [name, list] of names) {
      const versioned = list.filter((p) => nonEmpty(p.versions));
      // A branch holds either one product or child branches: products for all versions get their own branch.
      for (const p of list.filter((q) => !nonEmpty(q.versions))) children.push({ category: 'product_name', name, product: fullProductName(p) });
      if (versioned.length) {
        children.push({
          category: 'product_name',
          name,
          branches: versioned.map((p) => {
            const versions = p.versions.trim();
            return { category: isVersionRange(versions) ? 'product_version_range' : 'product_version', name: versions, product: fullProductName(p) };
          }),
        });
      }
    }
    branches.push({ category: 'vendor', name: vendor, branches: children });
  }
  return branches.length ? { branches } : undefined;
}

function revisionHistory(meta: PublicationMeta): CsafRevision[] {
  const given = meta.revisions.length ? meta.revisions : [{ number: 1, date: meta.currentReleaseDate, summary: 'Eerste versie.' }];
  const sorted = given.map((r, i) => ({ ...r, i, time: Date.parse(toCsafDate(r.date)) })).sort((a, b) => a.time - b.time || a.i - b.i);
  const history = sorted.map((r, i): CsafRevision => {
    const number = i + 1;
    return {
      date: toCsafDate(r.date),
      number: String(number),
      summary: nonEmpty(r.summary) ?? `Revisie ${number}.`,
      ...(r.number !== number ? { legacy_version: String(r.number) } : {}),
    };
  });
  const last = history[history.length - 1];
  if (meta.withdrawn && last && !/ingetrokken|withdrawn/i.test(last.summary)) last.summary = `${last.summary} Ingetrokken (withdrawn).`;
  return history;
}

function documentNotes(content: AdvisoryContent, meta: PublicationMeta): CsafNote[] {
  const notes: CsafNote[] = [];
  const note = (category: CsafNote['category'], title: string, text: string | undefined) => {
    if (text !== undefined && text.trim() !== '') notes.push({ category, title, text });
  };
  if (meta.withdrawn) note('general', NOTE.withdrawn, 'Dit bericht is ingetrokken. Zie de revisiegeschiedenis voor de reden.');
  // A summary note is always present: the profiles of §4.2/4.3 need one (6.1.27.1).
  note('summary', NOTE.summary, nonEmpty(content.nl.summary) ?? content.nl.title);
  note('description', NOTE.description, content.nl.body);
  note('general', NOTE.advice, content.nl.advice);
  if (content.en) {
    note('other', NOTE.englishTitle, content.en.title);
    note('summary', NOTE.summary + NOTE.english, content.en.summary);
    note('description', NOTE.description + NOTE.english, content.en.body);
    note('general', NOTE.advice + NOTE.english, content.en.advice);
  }
  note('other', NOTE.assessment, `urgency=${content.urgency}; probability=${content.probability}; impact=${content.impact}`);
  if (content.tags.length) note('other', NOTE.tags, content.tags.join('\n'));
  if (content.sources.length) {
    note(
      'other',
      NOTE.sources,
      content.sources.map((s) => [s.name, nonEmpty(s.reference), nonEmpty(s.url)].filter((x) => x !== undefined).join(' — ')).join('\n'),
    );
  }
  return notes;
}

function documentReferences(
  content: AdvisoryContent,
  meta: PublicationMeta,
  publisher: Publisher,
  needsExternal: boolean,
  canonicalUrl?: string,
): CsafReference[] {
  const refs: CsafReference[] = [];
  const seen = new Set<string>();
  const add = (url: string | null | undefined, summary: string, category: 'external' | 'self') => {
    const uri = url ? toCsafUri(url) : null;
    if (!uri || seen.has(`${category} ${uri}`)) return;
    seen.add(`${category} ${uri}`);
    refs.push({ category, summary: nonEmpty(summary) ?? uri, url: uri });
  };
  if (canonicalUrl) add(canonicalUrl, `Canonieke URL van ${meta.identifier}`, 'self');
  add(meta.selfUrl, `${meta.identifier} op de website van ${publisher.name}`, 'self');
  for (const r of content.references) add(r.url, r.summary, r.category);
  for (const s of content.sources) add(s.url, `Bron: ${s.name}${s.reference ? ` (${s.reference})` : ''}`, 'external');
  // §4.2/4.3 need an external reference (6.1.27.2); without any, the publisher's own site is the honest fallback.
  if (needsExternal && !refs.some((r) => r.category === 'external')) add(publisher.namespace, publisher.name, 'external');
  if (needsExternal && !refs.some((r) => r.category === 'external'))
    refs.push({ category: 'external', summary: 'FIRST Traffic Light Protocol', url: 'https://www.first.org/tlp/' });
  return refs;
}

interface VulnerabilityContext {
  profile: Profile;
  productIds: ReadonlySet<string>;
  allProductIds: readonly string[];
  seenCves: Set<string>;
}

function cvssNotes(v: Vulnerability, includeV3V2: boolean): { notes: CsafNote[]; v3?: ReturnType<typeof parseCvss3>; v2?: ReturnType<typeof parseCvss2> } {
  const notes: CsafNote[] = [];
  const v4 = nonEmpty(v.cvssV4) ? parseCvss4(v.cvssV4 ?? '') : undefined;
  if (v4?.ok) notes.push({ category: 'other', title: NOTE.cvssV4, text: cvssNoteText(v4.vector, v4.baseScore, v4.baseSeverity) });
  const v3 = nonEmpty(v.cvssV3) ? parseCvss3(v.cvssV3 ?? '') : undefined;
  const v2 = nonEmpty(v.cvssV2) ? parseCvss2(v.cvssV2 ?? '') : undefined;
  if (includeV3V2) {
    if (v3?.ok) notes.push({ category: 'other', title: NOTE.cvssV3(v3.version), text: cvssNoteText(v3.vector, v3.baseScore, v3.baseSeverity) });
    if (v2?.ok) notes.push({ category: 'other', title: NOTE.cvssV2, text: cvssNoteText(v2.vector, v2.baseScore, v2.baseSeverity) });
  }
  return { notes, ...(v3 ? { v3 } : {}), ...(v2 ? { v2 } : {}) };
}

function exportVulnerability(v: Vulnerability, ctx: VulnerabilityContext): CsafVulnerability {
  const out: CsafVulnerability = {};
  const cve = v.cve?.trim().toUpperCase();
  if (cve && CVE.test(cve)) {
    if (ctx.seenCves.has(cve)) out.ids = [{ system_name: 'CVE', text: cve }];
    else out.cve = cve;
    ctx.seenCves.add(cve);
  }
  const title = nonEmpty(v.title);
  if (title) out.title = title;
  const notes: CsafNote[] = [];
  if (v.cwe) {
    const name = CWE_NAMES.get(v.cwe.id);
    if (name) out.cwe = { id: v.cwe.id, name };
    else notes.push({ category: 'other', title: NOTE.cwe, text: `${v.cwe.id}: ${v.cwe.name}` });
  }
  // Every vulnerability has notes (6.1.27.5): the description, or what identifies it.
  notes.unshift({ category: 'description', title: NOTE.description, text: nonEmpty(v.description) ?? title ?? cve ?? 'Geen beschrijving beschikbaar.' });
  const withProducts = ctx.profile === 'csaf_security_advisory';
  const cvss = cvssNotes(v, !withProducts);
  notes.push(...cvss.notes);
  out.notes = notes;

  if (!withProducts) return out;

  // Product status: one status per product (6.1.6), only defined products (6.1.1).
  const statusOf = new Map<string, ProductStatus>();
  for (const s of v.productStatus) if (ctx.productIds.has(s.productId) && !statusOf.has(s.productId)) statusOf.set(s.productId, s.status);
  // A security advisory needs a product status per vulnerability (6.1.27.6). Without one, the products
  // are under investigation: the cautious reading, which claims neither affected nor safe.
  if (statusOf.size === 0) for (const id of ctx.allProductIds) statusOf.set(id, 'under_investigation');
  const status: CsafProductStatus = {};
  for (const [id, s] of statusOf) (status[STATUS_KEY[s]] ??= []).push(id);
  out.product_status = status;

  const idsWith = (s: ProductStatus) => [...statusOf].filter(([, x]) => x === s).map(([id]) => id);
  const scored = [...idsWith('affected'), ...idsWith('under_investigation')];
  const scoreProducts = scored.length ? scored : [...statusOf.keys()];
  const score: CsafScore = { products: scoreProducts };
  if (cvss.v3?.ok) score.cvss_v3 = { version: cvss.v3.version, vectorString: cvss.v3.vector, baseScore: cvss.v3.baseScore, baseSeverity: cvss.v3.baseSeverity };
  if (cvss.v2?.ok) score.cvss_v2 = { version: '2.0', vectorString: cvss.v2.vector, baseScore: cvss.v2.baseScore };
  if (score.cvss_v3 || score.cvss_v2) out.scores = [score];

  const remediations: CsafRemediation[] = [];
  for (const r of v.remediations) {
    const productIds = unique(r.productIds.filter((id) => ctx.productIds.has(id)));
    if (!productIds.length) continue;
    const fixed = nonEmpty(r.fixedVersion);
    const url = r.url ? toCsafUri(r.url) : null;
    remediations.push({
      category: r.category,
      details: `${r.details.trim() || '-'}${fixed ? `\n\n${fixedVersionLine(fixed)}` : ''}`,
      product_ids: productIds,
      ...(url ? { url } : {}),
    });
  }
  if (remediations.length) out.remediations = remediations;

  const threats: CsafThreat[] = [];
  const notAffected = idsWith('not_affected');
  // known_not_affected comes with an impact statement (as 6.1.27.9 asks of VEX documents).
  if (notAffected.length)
    threats.push({ category: 'impact', details: 'Deze producten zijn niet kwetsbaar voor deze kwetsbaarheid.', product_ids: notAffected });
  if (v.knownExploited) threats.push({ category: 'exploit_status', details: 'Actief misbruik is bekend (known to be exploited).' });
  if (threats.length) out.threats = threats;
  return out;
}

/** The informational profile has no /vulnerabilities; the vulnerabilities of an info message are listed in a note. */
function vulnerabilitiesNote(vulnerabilities: readonly Vulnerability[]): CsafNote | undefined {
  const lines = vulnerabilities.map((v) => {
    const id = nonEmpty(v.cve) ?? nonEmpty(v.title) ?? 'Kwetsbaarheid zonder CVE';
    const title = v.cve && nonEmpty(v.title) ? `: ${v.title.trim()}` : '';
    const vectors = [v.cvssV4, v.cvssV3]
      .map((x) => nonEmpty(x))
      .filter((x): x is string => x !== undefined)
      .map((x) => {
        const r = parseCvssVector(x);
        return r.ok ? cvssNoteText(r.vector, r.baseScore, r.baseSeverity) : undefined;
      })
      .filter((x): x is string => x !== undefined);
    return `- ${id}${title}${vectors.length ? ` — ${vectors.join('; ')}` : ''}`;
  });
  return lines.length ? { category: 'details', title: NOTE.vulnerabilities, text: lines.join('\n') } : undefined;
}

/** Object keys in alphabetical order at every level, as optional test 6.2.13 (Sorting) asks; arrays keep their order. */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => sortKeys(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)])) as T;
}

export interface ToCsafOptions {
  /**
   * Where the CSAF document itself will be published (provider directory), added as a "self"
   * reference: the canonical URL that optional test 6.2.11 looks for.
   */
  canonicalUrl?: string;
}

/** Builds the CSAF 2.0 document for one published revision. Throws only on invalid dates or namespace in `meta`/`publisher`. */
export function toCsaf(content: AdvisoryContent, meta: PublicationMeta, publisher: Publisher, options: ToCsafOptions = {}): CsafDocument {
  const products: AffectedProduct[] = [];
  const productIds = new Set<string>();
  for (const p of content.products) {
    if (productIds.has(p.id)) continue; // 6.1.2: a product id is defined once
    productIds.add(p.id);
    products.push(p);
  }
  const hasVulnerabilities = content.vulnerabilities.length > 0;
  const profile: Profile =
    meta.kind === 'advisory' && hasVulnerabilities ? (products.length ? 'csaf_security_advisory' : 'csaf_base') : 'csaf_informational_advisory';
  const informational = profile === 'csaf_informational_advisory';

  const notes = documentNotes(content, meta);
  if (informational) {
    const listed = vulnerabilitiesNote(content.vulnerabilities);
    if (listed) notes.push(listed);
  }
  const references = documentReferences(content, meta, publisher, informational, options.canonicalUrl);
  const acknowledgments = toCsafAcknowledgments(content.acknowledgments);
  const history = revisionHistory(meta);
  const namespace = toCsafUri(publisher.namespace);
  if (!namespace) throw new Error(`The publisher namespace is not an http(s) URL: ${JSON.stringify(publisher.namespace)}`);

  const doc: CsafDocument = {
    document: {
      category: profile,
      csaf_version: '2.0',
      lang: 'nl',
      title: content.nl.title.trim() || meta.identifier,
      publisher: {
        category: 'coordinator',
        name: nonEmpty(publisher.name) ?? namespace,
        namespace,
        ...(nonEmpty(publisher.contactDetails) ? { contact_details: publisher.contactDetails.trim() } : {}),
        ...(nonEmpty(publisher.issuingAuthority) ? { issuing_authority: publisher.issuingAuthority?.trim() } : {}),
      },
      distribution: toCsafDistribution(meta.tlp),
      tracking: {
        id: meta.identifier.trim(),
        status: meta.status,
        version: String(history.length),
        initial_release_date: toCsafDate(meta.initialReleaseDate),
        current_release_date: toCsafDate(meta.currentReleaseDate),
        revision_history: history,
        generator: { engine: { name: CSAF_GENERATOR } },
      },
      notes,
      ...(references.length ? { references } : {}),
      ...(acknowledgments.length ? { acknowledgments } : {}),
    },
  };
  const tree = buildProductTree(products);
  if (tree) doc.product_tree = tree;
  if (!informational) {
    const ctx: VulnerabilityContext = { profile, productIds, allProductIds: [...productIds], seenCves: new Set() };
    doc.vulnerabilities = content.vulnerabilities.map((v) => exportVulnerability(v, ctx));
  }
  return sortKeys(doc);
}
