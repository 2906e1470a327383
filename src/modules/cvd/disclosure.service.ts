import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import { inTransaction, type Ctx } from '#server/context.ts';
import { conflict } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { AdvisoryContent, type AdvisoryContentInput, type Level } from '#modules/advisories/advisory.content.ts';
import { createProduct, parseStoredContent } from '#modules/advisories/advisory.service.ts';
import { scrub } from '#modules/incidents/info-message.service.ts';
import { finderTerms } from './finder-redaction.ts';
import { parseCvssVector, type CvssSeverity } from '#lib/cvss.ts';
import * as repo from './cvd.repository.ts';
import * as disclosureRepo from './disclosure.repository.ts';
import { loadCvdCase, requireCvdCert } from './cvd-access.ts';
import { buildCveRecord, checkCveRecord, type CveRecord, type CveRecordInput, type CveVersionInput } from './cve-record.ts';

/**
 * Disclosure of a CVD case: the advisory drafted from the case (advisories module, published with
 * four eyes as any other), and the CVE JSON 5 record the CNA submits, built from the case and the
 * published advisory. The finder is named only as they chose (credit, credit_name): never their
 * party row's name or address, and what they wrote is scrubbed of both before it travels.
 */

export type DraftTlp = 'CLEAR' | 'GREEN' | 'AMBER';
type Lang = 'nl' | 'en';

const CWE_NAMES = new Map(weaknesses.map((w) => [w.id, w.name]));

const TEXT = {
  nl: {
    inProduct: (what: string) => `Een kwetsbaarheid in ${what}.`,
    inService: 'Een kwetsbaarheid in een website of systeem van een deelnemer; de deelnemer heeft die verholpen of neemt maatregelen.',
    coordinated: (cert: string) => `De melding is via gecoördineerde openbaarmaking (CVD) bij ${cert} gedaan; ${cert} heeft de openbaarmaking gecoördineerd.`,
    product: 'Product',
    version: 'versie',
    description: 'Beschrijving',
    impact: 'Gevolgen',
    original: 'De melding is in het Engels gedaan; de tekst hieronder is nog niet vertaald.',
  },
  en: {
    inProduct: (what: string) => `A vulnerability in ${what}.`,
    inService: 'A vulnerability in a website or system of a participant; the participant has fixed it or is taking measures.',
    coordinated: (cert: string) =>
      `The vulnerability was reported to ${cert} through coordinated vulnerability disclosure (CVD); ${cert} coordinated its disclosure.`,
    product: 'Product',
    version: 'version',
    description: 'Description',
    impact: 'Impact',
    original: 'The report was made in Dutch; the text below has not been translated yet.',
  },
} as const;

/** What the anonymous credit says, in the advisory's language and in English (the CVE record has its own). */
const ANONYMOUS = 'Een anonieme onderzoeker (an anonymous researcher)';

/** Cuts a text to `max` characters with an ellipsis (the content model's limits). */
const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

const SEVERITY_LEVEL: Record<CvssSeverity, Level> = { NONE: 'low', LOW: 'low', MEDIUM: 'medium', HIGH: 'high', CRITICAL: 'high' };

function parseVector(vector: string | null) {
  if (!vector) return null;
  const r = parseCvssVector(vector);
  return r.ok ? r : null;
}

/** The case's CWE as the content model takes it, named from the CWE catalogue (by its id when the catalogue does not know it). */
function cweOf(id: string | null): { id: string; name: string } | null {
  if (!id || !/^CWE-[1-9]\d{0,5}$/.test(id)) return null;
  return { id, name: CWE_NAMES.get(id) ?? id };
}

/** Who the finder asked to be credited as. A name or alias that is missing (intake requires one) falls back to anonymous credit: never to the finder's own details. */
function acknowledgmentsOf(row: repo.CvdCaseRow): NonNullable<AdvisoryContentInput['acknowledgments']> {
  const name = row.credit_name?.trim();
  switch (row.credit) {
    case 'none':
      return [];
    case 'name':
    case 'alias':
      return name ? [{ names: [cut(name, 200)] }] : [{ summary: ANONYMOUS }];
    case 'anonymous':
      return [{ summary: ANONYMOUS }];
  }
}

/** The advisory's content, from the case alone (plus the CERT's name and the finder's details to scrub). */
export function contentFromCase(row: repo.CvdCaseRow, opts: { certName: string; scrubbed: readonly string[] }): AdvisoryContent {
  const clean = (s: string) => scrub(s, opts.scrubbed).trim();
  const productCase = row.target_kind === 'product' && !!row.vendor && !!row.product;
  const what = [row.vendor, row.product, row.model].filter((x): x is string => !!x).join(' ');
  const vector = parseVector(row.cvss_vector);
  const title = clean(row.title) || row.reference;

  // The steps to reproduce are left out on purpose: they are often a working exploit, and the
  // advisory's readers need what is affected and what to do, not how to attack it. An analyst who
  // finds a detail useful for defenders (a log line to look for) adds it by hand.
  // For a website or system the target itself is left out too: the text may travel wider than the
  // participant (TLP raised while editing), and the participant knows its system from its channel.
  const text = (lang: Lang) => {
    const t = TEXT[lang];
    const productLine = productCase ? `**${t.product}:** ${what}${row.version ? `, ${t.version} ${row.version}` : ''}\n\n` : '';
    const untranslated = row.language !== lang ? `_${t.original}_\n\n` : '';
    const impact = clean(row.impact);
    return {
      title,
      summary: cut(`${productCase ? t.inProduct(what) : t.inService} ${t.coordinated(opts.certName)}`, 2000),
      body: `${productLine}${untranslated}## ${t.description}\n\n${clean(row.description)}${impact ? `\n\n## ${t.impact}\n\n${impact}` : ''}`,
      advice: '',
    };
  };

  const cvss = vector ? (vector.version === '4.0' ? { cvssV4: vector.vector } : { cvssV3: vector.vector }) : {};
  const input: AdvisoryContentInput = {
    nl: text('nl'),
    en: text('en'),
    impact: vector ? SEVERITY_LEVEL[vector.baseSeverity] : 'medium',
    tags: ['cvd'],
    // A model is named for medical devices (the form asks for it there), so a model marks one.
    products: productCase
      ? [
          {
            id: 'P1',
            vendor: cut(row.vendor ?? '', 200),
            name: cut(row.product ?? '', 300),
            versions: row.version ?? '',
            medicalDevice: !!row.model,
            model: row.model,
          },
        ]
      : [],
    vulnerabilities: [
      {
        cve: row.cve_id,
        title: cut(title, 500),
        description: cut(clean(row.description), 10_000),
        cwe: cweOf(row.cwe_id),
        ...cvss,
        productStatus: productCase ? [{ productId: 'P1', status: 'affected' }] : [],
      },
    ],
    acknowledgments: acknowledgmentsOf(row),
  };
  return AdvisoryContent.parse(input);
}

/**
 * Drafts the case's advisory. Always kind 'advisory', as only advisories carry vulnerabilities:
 * - a product case: the product, TLP:CLEAR by default (the sector and the world run the product);
 * - a website or system case: no products (a participant's own service is no product others run;
 *   the CSAF export makes it a csaf_base document), TLP:AMBER by default, addressed to the
 *   participants on the case. The analyst widens it when the lesson is worth sharing.
 * At AMBER the participants and manufacturers with an account on the case are the recipients.
 */
export async function draftAdvisory(ctx: Ctx, caseId: string, opts: { tlp?: DraftTlp | undefined } = {}): Promise<{ productId: string }> {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, caseId, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    authorize(tx.actor, 'advisories:write');
    const row = c.row;
    if (row.status === 'rejected' || row.status === 'out_of_scope')
      throw conflict(
        'cvd_case_closed',
        `Case ${row.reference} is ${row.status.replace('_', ' ')}: it gets no advisory. Reopen it first if that was a mistake.`,
      );
    if (row.advisory_id) {
      const existing = await repo.advisoryOf(tx.db, row.advisory_id);
      const named = existing?.identifier ?? 'a draft that is not published yet';
      throw conflict('cvd_advisory_exists', `Case ${row.reference} already has its advisory (${named}); edit that one instead of drafting another.`, {
        productId: row.advisory_id,
        identifier: existing?.identifier ?? null,
      });
    }
    const finder = c.parties.find((p) => p.kind === 'finder');
    const content = contentFromCase(row, {
      certName: (await disclosureRepo.certName(tx.db)) ?? 'the CERT',
      scrubbed: finderTerms(finder),
    });
    const tlp: DraftTlp = opts.tlp ?? (row.target_kind === 'product' ? 'CLEAR' : 'AMBER');
    const recipients =
      tlp === 'AMBER'
        ? c.parties.flatMap((p) => (p.organisation_id && (p.kind === 'participant' || p.kind === 'manufacturer') ? [p.organisation_id] : []))
        : [];
    const productId = await createProduct(tx, { kind: 'advisory', tlp, recipients, content });
    await disclosureRepo.setAdvisory(tx.db, caseId, productId);
    await repo.insertEvent(tx.db, {
      caseId,
      kind: 'advisory',
      text: `Advisory drafted (TLP:${tlp}); publish it (four eyes), then mark the case disclosed.`,
      actorUserId: tx.actor.userId,
    });
    await record(tx, {
      action: 'cvd.advisory_draft',
      targetType: 'cvd_case',
      targetId: caseId,
      details: { productId, tlp, products: content.products.length },
    });
    return { productId };
  });
}

/** "<4.3.1" and "<=4.3" become ranges from the first version; anything else is one version as written. */
function versionsOf(version: string | null): CveVersionInput[] {
  const v = version?.trim();
  if (!v) return [];
  const range = /^(<=?)\s*(\S.*)$/.exec(v);
  if (range?.[2]) return [{ version: '0', versionType: 'custom', ...(range[1] === '<' ? { lessThan: range[2] } : { lessThanOrEqual: range[2] }) }];
  return [{ version: v }];
}

/**
 * The CVE JSON 5 record of a case, for the CNA to submit. It needs the CVE id, the affected vendor
 * and product, and the published advisory as its reference: the public page (TLP:CLEAR), else the
 * CSAF document (which asks for a token). The English description is the advisory's English
 * summary, so the record says what the published advisory says.
 */
export async function cveRecord(ctx: Ctx, caseId: string): Promise<CveRecord> {
  const c = await loadCvdCase(ctx, caseId, 'cvd:read');
  requireCvdCert(c);
  const row = c.row;
  if (!row.cve_id) throw conflict('cvd_no_cve_id', `Case ${row.reference} has no CVE id: reserve one with the CNA and set it on the case (cveId) first.`);
  if (!row.vendor || !row.product)
    throw conflict(
      'cvd_no_product',
      'A CVE record names the affected vendor and product: set both on the case first (for a hosted service, its provider and the service’s name).',
    );
  const advisory = row.advisory_id ? await disclosureRepo.advisoryForRecord(ctx.db, row.advisory_id) : undefined;
  if (!advisory?.identifier || advisory.current_revision === null || !advisory.csaf_path || !advisory.first_published_at || !advisory.content)
    throw conflict('cvd_no_reference', 'A CVE record points at the advisory: publish the advisory first.');
  if (advisory.withdrawn_at)
    throw conflict(
      'cvd_advisory_withdrawn',
      `The advisory ${advisory.identifier} is withdrawn; a CVE record cannot point at it. Publish a new revision first.`,
    );

  const publicUrl = ctx.services.config.publicUrl;
  const csafUrl = `${publicUrl}/.well-known/csaf/${advisory.csaf_path}`;
  const references: CveRecordInput['references'] =
    advisory.tlp === 'CLEAR'
      ? [
          { url: `${publicUrl}/public/advisories/${encodeURIComponent(advisory.identifier)}`, name: advisory.identifier, tags: ['third-party-advisory'] },
          { url: csafUrl, name: `${advisory.identifier} (CSAF)`, tags: ['third-party-advisory'] },
        ]
      : [{ url: csafUrl, name: `${advisory.identifier} (CSAF)`, tags: ['third-party-advisory', 'permissions-required'] }];

  const content = parseStoredContent(advisory.content);
  // The case's own text is a fallback only; like the advisory, it loses the finder's details first.
  const finder = c.parties.find((p) => p.kind === 'finder');
  const fromCase = (s: string) => scrub(s, finderTerms(finder)).trim();
  const english = content.en?.summary.trim() || (row.language === 'en' ? fromCase(row.description) : '');
  if (!english) throw conflict('cvd_no_english', 'A CVE record needs an English description: give the advisory an English summary and publish it.');
  const dutch = content.nl.summary.trim();
  const cna = ctx.services.config.cvd;
  const cert = (await disclosureRepo.certName(ctx.db)) ?? cna.cnaShortName;
  const cve = buildCveRecord({
    cveId: row.cve_id,
    cna: { orgId: cna.cnaOrgId, shortName: cna.cnaShortName },
    title: content.en?.title.trim() || fromCase(row.title) || row.reference,
    description: english,
    descriptionNl: dutch && dutch !== english ? dutch : undefined,
    vendor: row.vendor,
    product: row.model ? `${row.product} ${row.model}` : row.product,
    versions: versionsOf(row.version),
    cweId: row.cwe_id ?? undefined,
    cweName: row.cwe_id ? CWE_NAMES.get(row.cwe_id) : undefined,
    cvssVector: row.cvss_vector ?? undefined,
    references,
    credit: row.credit,
    // As in the advisory: a name or alias that is missing is credited anonymously.
    ...(row.credit === 'name' || row.credit === 'alias' ? (row.credit_name?.trim() ? { creditName: row.credit_name } : { credit: 'anonymous' as const }) : {}),
    datePublished: advisory.first_published_at,
    dateUpdated: advisory.published_at ?? advisory.first_published_at,
    timeline: [
      { time: row.received_at, value: `Reported to ${cert}` },
      { time: advisory.first_published_at, value: `Advisory ${advisory.identifier} published` },
    ],
  });
  // buildCveRecord checks too; checked again here so that a change there can never hand out a bad record.
  const issues = checkCveRecord(cve);
  if (issues.length) throw conflict('cve_record_invalid', `The CVE record is not valid: ${issues.join('; ')}`, { issues });
  await record(ctx, { action: 'cvd.cve_record', targetType: 'cvd_case', targetId: caseId, details: { cveId: row.cve_id } });
  return cve;
}
