import { parseCvss2, parseCvss3, parseCvss4 } from '#lib/cvss.ts';
import { type Tlp } from '#lib/tlp.ts';
import {
  AdvisoryContent,
  type AdvisoryContentInput,
  type ProductKind,
  type ProductStatus,
  Reference,
  Remediation,
  type RemediationCategory,
  Source,
} from '#modules/advisories/advisory.content.ts';
import { type CsafDocument, type CsafNote, type CsafProductStatusKey, type CsafReference, type CsafVulnerability } from './csaf-document.ts';
import { fromCsafAcknowledgments } from './csaf-acknowledgments.ts';
import { CSAF_GENERATOR } from './csaf-export.ts';
import { importProductTree } from './csaf-import-products.ts';
import { CVSS_NOTE_TEXT, FIXED_VERSION_LINE, NOTE, clip, clipMarkdown } from './csaf-text.ts';
import { fromCsafTlp } from './csaf-tlp.ts';
import { type CsafFinding, validateCsaf } from './csaf-validate.ts';

/**
 * CSAF 2.0 document → AdvisoryContent. The document is validated first (strict schema and all
 * mandatory tests); an invalid document is refused with the failures.
 *
 * Kind: csaf_security_advisory and csaf_vex become an 'advisory', as does any other document with
 * /vulnerabilities (e.g. a vendor's own csaf_base category): an 'info' cannot carry vulnerabilities in
 * CSAF, and re-exporting it would lose them. Everything else becomes 'info'.
 *
 * Products: the branches are walked (vendor, product_family/product_name, product_version(_range);
 * other branch levels such as architecture or service_pack are added to the versions), then
 * full_product_names, then relationships (named by their full_product_name; vendor of the referenced
 * product). The CSAF product_id is kept as the product id, except that white space, which Wachtpost
 * ids cannot contain, becomes "_" (see `renamedProductIds`). Product groups are expanded wherever
 * remediations refer to them.
 *
 * Product status: first/known/last_affected → affected; first_fixed/fixed → fixed;
 * known_not_affected → not_affected; under_investigation → under_investigation. 'recommended'
 * (a version with a fix the vendor recommends) counts as fixed for a product that has no other status,
 * and adds nothing otherwise. A product keeps its first status.
 *
 * Scores: Wachtpost keeps one vector per CVSS version per vulnerability: the first cvss_v3 and cvss_v2
 * of /scores (CSAF allows product-specific score sets). Further, different vectors are listed at the
 * end of the description with their products, so nothing is silently lost. CVSS 4.0 comes from the
 * note titled "CVSS v4.0" that our export writes.
 *
 * Remediation categories map one to one; the details lose the "Fixed version:" line our export adds
 * (it becomes fixedVersion). Threats of category exploit_status set knownExploited when their text
 * says the vulnerability is exploited (and does not deny it).
 *
 * Credit: /document/acknowledgments become `acknowledgments`, with those of the vulnerabilities (see
 * `fromCsafAcknowledgments`).
 *
 * Text: CSAF 2.0 has one language per document; whatever the language, the text goes into the
 * required Dutch fields (`nl`), ready for translation, except the " (English)" notes of our own
 * export, which go back into `en`. Text longer than the content model allows is cut, ending in "…".
 */

export interface CsafImportSource {
  trackingId: string;
  /** Name of the CSAF publisher. */
  publisher: string;
  publisherCategory: string;
  namespace: string;
  version: string;
  currentReleaseDate: string;
  /** The CSAF /document/category as published. */
  category: string;
  lang: string | null;
}

export type CsafImportResult =
  | {
      ok: true;
      kind: ProductKind;
      /** Null when the document carries no TLP label. */
      tlp: Tlp | null;
      title: string;
      content: AdvisoryContent;
      source: CsafImportSource;
      /** CSAF product_id → Wachtpost product id, for the ids that had to change. */
      renamedProductIds: Record<string, string>;
      /** What the mapping simplified or left out, in plain words. */
      notices: string[];
    }
  | { ok: false; failures: CsafFinding[]; warnings: CsafFinding[] };

const REMEDIATION_CATEGORY_SET: ReadonlySet<string> = new Set<RemediationCategory>([
  'vendor_fix',
  'workaround',
  'mitigation',
  'none_available',
  'no_fix_planned',
]);

const LIMITS = { vulnerabilities: 500, productStatus: 2000, remediations: 200, remediationProducts: 500, references: 200, tags: 50 } as const;

const CVE = /^CVE-\d{4}-\d{4,}$/;
const CWE = /^CWE-[1-9]\d{0,5}$/;

/** CSAF status key → Wachtpost status, in the order in which a product's first status is taken. */
const STATUS_ORDER: [CsafProductStatusKey, ProductStatus][] = [
  ['known_affected', 'affected'],
  ['first_affected', 'affected'],
  ['last_affected', 'affected'],
  ['fixed', 'fixed'],
  ['first_fixed', 'fixed'],
  ['known_not_affected', 'not_affected'],
  ['under_investigation', 'under_investigation'],
  ['recommended', 'fixed'],
];

const EXPLOITED =
  /\b(known to be exploited|actively exploited|exploited in the wild|exploitation in the wild|active exploitation|known exploited|kev|actief misbruik|wordt (actief )?misbruikt|misbruik is bekend)\b/i;
const NOT_EXPLOITED = /\b(no|not|none|never|unproven|unknown|geen|niet|nooit)\b/i;

/** True when an exploit_status text says the vulnerability is exploited. */
export function saysExploited(details: string): boolean {
  return EXPLOITED.test(details) && !NOT_EXPLOITED.test(details);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Maps a validated CSAF document to content. Pure apart from validation; never throws. */
export async function fromCsaf(input: unknown): Promise<CsafImportResult> {
  const validation = await validateCsaf(input);
  if (!validation.valid) return { ok: false, failures: validation.failures, warnings: validation.warnings };
  try {
    return mapDocument(input as CsafDocument);
  } catch (e) {
    return {
      ok: false,
      failures: [{ test: 'import', message: `the document could not be mapped: ${e instanceof Error ? e.message : String(e)}`, path: '' }],
      warnings: validation.warnings,
    };
  }
}

function mapDocument(doc: CsafDocument): CsafImportResult {
  const d = doc.document;
  const notices: string[] = [];
  const ours = d.tracking.generator?.engine.name === CSAF_GENERATOR;
  const publisherName = clip(d.publisher.name, 200) || 'Unknown publisher';
  const fallbackVendor = d.publisher.category === 'vendor' ? publisherName : 'Unknown vendor';

  // ---- products -------------------------------------------------------------------------------
  const { products, renamed, mapId, expand, included } = importProductTree(doc.product_tree, fallbackVendor, notices);

  // ---- document notes -------------------------------------------------------------------------
  const summaries: string[] = [];
  const body: string[] = [];
  const advice: string[] = [];
  const english = { title: '', summary: '', body: '', advice: '' };
  let tags: string[] = [];
  let assessment: Pick<AdvisoryContentInput, 'urgency' | 'probability' | 'impact'> = {};
  const toBody = (n: CsafNote) => body.push(n.title && n.title !== NOTE.description ? `## ${n.title}\n\n${n.text}` : n.text);
  for (const n of d.notes ?? []) {
    const title = n.title?.trim();
    if (ours) {
      if (title === NOTE.englishTitle) {
        english.title = n.text;
        continue;
      }
      if (title === NOTE.summary + NOTE.english) {
        english.summary = n.text;
        continue;
      }
      if (title === NOTE.description + NOTE.english) {
        english.body = n.text;
        continue;
      }
      if (title === NOTE.advice + NOTE.english) {
        english.advice = n.text;
        continue;
      }
      if (title === NOTE.assessment) {
        assessment = parseAssessment(n.text);
        continue;
      }
      if (title === NOTE.tags) {
        tags = n.text.split('\n');
        continue;
      }
      if (title === NOTE.sources || title === NOTE.withdrawn) continue;
    }
    if (n.category === 'summary' && summaries.length === 0) summaries.push(n.text);
    else if (n.category === 'general' && title && /^(advice|advies|recommendations?|solution)$/i.test(title)) advice.push(n.text);
    else toBody(n);
  }
  let summary = summaries[0] ?? '';
  // Our export repeats the title as summary when there is none (the profiles need a summary note).
  if (ours && summary.trim() === d.title.trim()) summary = '';
  if (summary.trim().length > 2000) {
    body.unshift(summary);
    summary = clip(summary, 2000);
    notices.push('The summary was longer than 2000 characters: it was cut, and the whole text is at the top of the body.');
  }

  // ---- vulnerabilities ------------------------------------------------------------------------
  const vulnerabilities = (doc.vulnerabilities ?? [])
    .slice(0, LIMITS.vulnerabilities)
    .map((v) => mapVulnerability(v, { mapId, expand, included, ours, notices }));
  if ((doc.vulnerabilities?.length ?? 0) > LIMITS.vulnerabilities) notices.push(`Only the first ${LIMITS.vulnerabilities} vulnerabilities were kept.`);

  // ---- references and sources -----------------------------------------------------------------
  const references: AdvisoryContentInput['references'] = [];
  const seenRefs = new Set<string>();
  const addReference = (r: CsafReference) => {
    const parsed = Reference.safeParse({ url: r.url, summary: clip(r.summary, 500), category: r.category ?? 'external' });
    if (!parsed.success || seenRefs.has(parsed.data.url) || references.length >= LIMITS.references) return;
    seenRefs.add(parsed.data.url);
    references.push(parsed.data);
  };
  for (const r of d.references ?? []) addReference(r);
  for (const v of doc.vulnerabilities ?? []) for (const r of v.references ?? []) addReference({ ...r, category: 'external' });

  const source = Source.safeParse({ name: publisherName, url: d.publisher.namespace, reference: clip(d.tracking.id, 200) });
  const sources = source.success ? [source.data] : [{ name: publisherName, reference: clip(d.tracking.id, 200) }];

  const acknowledgments = fromCsafAcknowledgments(doc, notices);

  const nlTitle = clip(d.title, 300) || clip(d.tracking.id, 300);
  const content: AdvisoryContentInput = {
    nl: { title: nlTitle, summary, body: clipMarkdown(body.join('\n\n'), 100_000), advice: clipMarkdown(advice.join('\n\n'), 100_000) },
    ...(english.title.trim()
      ? {
          en: {
            title: clip(english.title, 300),
            summary: clip(english.summary, 2000),
            body: clipMarkdown(english.body, 100_000),
            advice: clipMarkdown(english.advice, 100_000),
          },
        }
      : {}),
    ...assessment,
    references,
    sources,
    tags: [...new Set(tags.map((t) => clip(t, 60)).filter((t) => t !== ''))].slice(0, LIMITS.tags),
    products,
    vulnerabilities,
    acknowledgments,
  };
  const parsed = AdvisoryContent.safeParse(content);
  if (!parsed.success) {
    return {
      ok: false,
      failures: parsed.error.issues.map((i) => ({ test: 'import', message: i.message, path: `/${i.path.map(String).join('/')}` })),
      warnings: [],
    };
  }

  const category = d.category;
  const kind: ProductKind = category === 'csaf_security_advisory' || category === 'csaf_vex' || vulnerabilities.length > 0 ? 'advisory' : 'info';
  if (d.lang && !/^nl\b/i.test(d.lang) && !ours) notices.push(`The document is in "${d.lang}"; its text is in the Dutch fields, ready for translation.`);
  return {
    ok: true,
    kind,
    tlp: fromCsafTlp(d.distribution?.tlp?.label, d.distribution?.text),
    title: parsed.data.nl.title,
    content: parsed.data,
    source: {
      trackingId: d.tracking.id,
      publisher: d.publisher.name,
      publisherCategory: d.publisher.category,
      namespace: d.publisher.namespace,
      version: d.tracking.version,
      currentReleaseDate: d.tracking.current_release_date,
      category,
      lang: d.lang ?? null,
    },
    renamedProductIds: renamed,
    notices,
  };
}

function parseAssessment(text: string): Pick<AdvisoryContentInput, 'urgency' | 'probability' | 'impact'> {
  const urgency = /urgency=(urgent|normal)\b/.exec(text)?.[1];
  const probability = /probability=(high|medium|low)\b/.exec(text)?.[1];
  const impact = /impact=(high|medium|low)\b/.exec(text)?.[1];
  return {
    ...(urgency === 'urgent' || urgency === 'normal' ? { urgency } : {}),
    ...(probability === 'high' || probability === 'medium' || probability === 'low' ? { probability } : {}),
    ...(impact === 'high' || impact === 'medium' || impact === 'low' ? { impact } : {}),
  };
}

interface VulnerabilityContext {
  mapId: (original: string) => string;
  expand: (productIds: readonly string[] | undefined, groupIds: readonly string[] | undefined) => string[];
  included: ReadonlySet<string>;
  ours: boolean;
  notices: string[];
}

const CVSS_NOTE_TITLE = /^CVSS v(4\.0|3\.[01]|2\.0)$/;

function mapVulnerability(v: CsafVulnerability, ctx: VulnerabilityContext): NonNullable<AdvisoryContentInput['vulnerabilities']>[number] {
  const label = v.cve ?? v.title ?? 'a vulnerability';
  const cveText = str(v.cve).trim().toUpperCase();
  const cveFromIds = (v.ids ?? []).map((i) => i.text.trim().toUpperCase()).find((t) => CVE.test(t));
  const cve = CVE.test(cveText) ? cveText : (cveFromIds ?? null);

  // Notes: CVSS notes (any publisher), our CWE note, the rest is the description.
  const vectors: Partial<Record<'4.0' | '3' | '2.0', string>> = {};
  let cweFromNote: { id: string; name: string } | undefined;
  const description: { title?: string; text: string }[] = [];
  for (const n of v.notes ?? []) {
    const title = n.title?.trim() ?? '';
    const cvssVersion = CVSS_NOTE_TITLE.exec(title)?.[1];
    const vector = CVSS_NOTE_TEXT.exec(n.text)?.[1];
    if (cvssVersion && vector) {
      const key = cvssVersion === '4.0' ? '4.0' : cvssVersion === '2.0' ? '2.0' : '3';
      vectors[key] ??= vector;
      continue;
    }
    if (ctx.ours && title === NOTE.cwe) {
      const m = /^(CWE-[1-9]\d{0,5}): (.+)$/s.exec(n.text.trim());
      if (m?.[1] && m[2]) cweFromNote = { id: m[1], name: clip(m[2], 500) };
      continue;
    }
    description.push({ ...(title ? { title } : {}), text: n.text });
  }
  const descriptionText =
    description.length === 1 && description[0]
      ? description[0].text
      : description.map((n) => (n.title && n.title !== NOTE.description ? `${n.title}: ${n.text}` : n.text)).join('\n\n');

  // Scores: the first vector per version; further different vectors are listed in the description.
  let cvssV3: string | undefined;
  let cvssV2: string | undefined;
  const extra: string[] = [];
  for (const s of v.scores ?? []) {
    const products = s.products.map(ctx.mapId).join(', ');
    if (s.cvss_v3?.vectorString) {
      const r = parseCvss3(s.cvss_v3.vectorString);
      const vector = r.ok ? r.vector : s.cvss_v3.vectorString.trim();
      if (cvssV3 === undefined) cvssV3 = vector;
      else if (vector !== cvssV3) extra.push(`${vector} (${products})`);
    }
    if (s.cvss_v2?.vectorString) {
      const r = parseCvss2(s.cvss_v2.vectorString);
      const vector = r.ok ? r.vector : s.cvss_v2.vectorString.trim();
      if (cvssV2 === undefined) cvssV2 = vector;
      else if (vector !== cvssV2) extra.push(`${vector} (${products})`);
    }
  }
  if (cvssV3 === undefined && vectors['3']) {
    const r = parseCvss3(vectors['3']);
    if (r.ok) cvssV3 = r.vector;
  }
  if (cvssV2 === undefined && vectors['2.0']) {
    const r = parseCvss2(vectors['2.0']);
    if (r.ok) cvssV2 = r.vector;
  }
  const v4 = vectors['4.0'] ? parseCvss4(vectors['4.0']) : undefined;
  if (extra.length) ctx.notices.push(`${label}: ${extra.length} product-specific CVSS vectors beyond the first are listed in the description.`);
  const extraText = extra.length ? `Other CVSS vectors in the source document: ${extra.join('; ')}` : '';
  const fullDescription = [descriptionText, extraText].filter((t) => t.trim() !== '').join('\n\n');

  // Product status: a product keeps its first status; 'recommended' only adds products without one.
  const status = new Map<string, ProductStatus>();
  for (const [key, mapped] of STATUS_ORDER) {
    for (const original of v.product_status?.[key] ?? []) {
      const id = ctx.mapId(original);
      if (ctx.included.has(id) && !status.has(id) && status.size < LIMITS.productStatus) status.set(id, mapped);
    }
  }

  const remediations: NonNullable<NonNullable<AdvisoryContentInput['vulnerabilities']>[number]['remediations']> = [];
  for (const r of v.remediations ?? []) {
    const productIds = ctx.expand(r.product_ids, r.group_ids);
    if (!productIds.length) {
      ctx.notices.push(`${label}: a remediation without (known) products was left out.`);
      continue;
    }
    const fixed = FIXED_VERSION_LINE.exec(r.details);
    const details = clip(fixed ? r.details.replace(FIXED_VERSION_LINE, '') : r.details, 5000) || '-';
    const url = Remediation.shape.url.safeParse(r.url);
    const category: RemediationCategory = REMEDIATION_CATEGORY_SET.has(r.category) ? r.category : 'mitigation';
    for (let i = 0; i < productIds.length && remediations.length < LIMITS.remediations; i += LIMITS.remediationProducts) {
      remediations.push({
        category,
        details,
        fixedVersion: fixed?.[1] ? clip(fixed[1], 100) : null,
        url: url.success ? url.data : null,
        productIds: productIds.slice(i, i + LIMITS.remediationProducts),
      });
    }
  }

  const cwe = v.cwe && CWE.test(v.cwe.id) && v.cwe.name.trim() ? { id: v.cwe.id, name: clip(v.cwe.name, 500) } : (cweFromNote ?? null);
  return {
    cve,
    title: clip(str(v.title), 500),
    description: clip(fullDescription, 10_000),
    cwe,
    cvssV3: cvssV3 ? clip(cvssV3, 200) : null,
    cvssV4: v4?.ok ? v4.vector : null,
    cvssV2: cvssV2 ? clip(cvssV2, 200) : null,
    knownExploited: (v.threats ?? []).some((t) => t.category === 'exploit_status' && saysExploited(t.details)),
    productStatus: [...status].map(([productId, s]) => ({ productId, status: s })),
    remediations,
  };
}
