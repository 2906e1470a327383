import { createHash } from 'node:crypto';
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, conflict } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { signDetached } from '#modules/keys/signing-key.service.ts';
import { renderMarkdown, markdownToText } from '#lib/markdown.ts';
import type { TlpText } from '#db/schema.ts';
import type { AdvisoryContent, ProductKind, PublicationMeta, Publisher } from './advisory.content.ts';
import { approvalsRequired, loadForEditor, parseStoredContent } from './advisory.service.ts';
import { toCsaf } from './csaf/csaf-export.ts';
import { validateCsaf } from './csaf/csaf-validate.ts';
import { csafFilename } from './csaf/csaf-filename.ts';
import { computeRelevantOrganisations } from './relevance.service.ts';
import * as repo from './advisory.repository.ts';
import * as relevanceRepo from './relevance.repository.ts';
import { planProductDelivery } from '#modules/distribution/delivery.service.ts';

/**
 * Publication: one transaction writes the revision, its HTML, its CSAF document with hashes and
 * signature, the product's published fields, its recipients, relevance and the delivery outbox row.
 * Any failure (an invalid CSAF document, a missing key) leaves nothing behind.
 */

const KIND_PART: Record<ProductKind, string> = { advisory: '', info: 'INFO-', alert: 'ALERT-' };

/** Formats an identifier from the configured scheme, e.g. "WP-{kind}{year}-{seq:4}" → WP-2026-0042. */
export function formatIdentifier(scheme: string, kind: ProductKind, year: number, seq: number): string {
  return scheme
    .replace(/\{kind\}/g, KIND_PART[kind])
    .replace(/\{year\}/g, String(year))
    .replace(/\{seq(?::(\d))?\}/g, (_m, width: string | undefined) => String(seq).padStart(Number(width ?? 1), '0'));
}

/** The CSAF directory a TLP label lives in (CSAF 2.0 still speaks TLP 1.0). */
export function csafDirectory(tlp: TlpText): 'white' | 'green' | 'amber' | 'red' {
  switch (tlp) {
    case 'CLEAR':
      return 'white';
    case 'GREEN':
      return 'green';
    case 'AMBER':
    case 'AMBER+STRICT':
      return 'amber';
    case 'RED':
      return 'red';
  }
}

export async function publisherOf(ctx: Ctx): Promise<Publisher> {
  const cert = await repo.certOrganisation(ctx.db);
  return {
    name: cert?.name ?? 'Wachtpost CERT',
    namespace: ctx.services.config.publicUrl,
    contactDetails: ctx.services.config.securityContact.replace(/^mailto:/, ''),
  };
}

export function renderHtml(content: AdvisoryContent) {
  const one = (t: AdvisoryContent['nl']) => ({ body: renderMarkdown(t.body), advice: renderMarkdown(t.advice) });
  return { nl: one(content.nl), en: content.en ? one(content.en) : null };
}
export type RenderedHtml = ReturnType<typeof renderHtml>;

export function portalUrl(ctx: Ctx, identifier: string): string {
  return `${ctx.services.config.publicUrl}/advisories/${encodeURIComponent(identifier)}`;
}

function searchText(t: AdvisoryContent['nl'] | null | undefined): string {
  if (!t) return '';
  return [t.title, t.summary, markdownToText(t.body), markdownToText(t.advice)].join('\n');
}

function published(content: AdvisoryContent) {
  const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))];
  return {
    cves: uniq(content.vulnerabilities.map((v) => v.cve ?? '')),
    vendors: uniq(content.products.map((p) => p.vendor)),
    productNames: uniq(content.products.map((p) => p.name)),
  };
}

interface RevisionInput {
  product: repo.ProductRecord;
  content: AdvisoryContent;
  tlp: TlpText;
  recipients: string[];
  changeSummary: string;
  withdrawnReason: string | null;
  approvedBy: string[];
}

/** Writes one revision and everything that hangs off it; runs inside the caller's transaction. */
async function writeRevision(tx: Ctx, input: RevisionInput) {
  const { product } = input;
  const now = new Date();
  const identifier = product.identifier ?? formatIdentifier(tx.services.config.productIdScheme, product.kind, now.getUTCFullYear(), await repo.nextCounter(tx.db, product.kind, now.getUTCFullYear()));
  const revision = (product.current_revision ?? 0) + 1;
  const previous = await repo.listRevisions(tx.db, product.id);
  const initial = product.first_published_at ?? now;
  const meta: PublicationMeta = {
    kind: product.kind,
    identifier,
    tlp: input.tlp,
    revisions: [
      ...previous.map((r) => ({ number: r.revision, date: r.published_at.toISOString(), summary: r.change_summary })),
      { number: revision, date: now.toISOString(), summary: input.changeSummary },
    ],
    initialReleaseDate: initial.toISOString(),
    currentReleaseDate: now.toISOString(),
    status: 'final',
    withdrawn: input.withdrawnReason !== null,
    selfUrl: portalUrl(tx, identifier),
  };
  const document = toCsaf(input.content, meta, await publisherOf(tx));
  const validation = await validateCsaf(document);
  if (!validation.valid)
    throw new AppError('bad_request', 'csaf_invalid', `The CSAF document for this product does not pass the mandatory tests (${validation.failures.map((f) => f.test).join(', ')}); fix the draft and try again.`, {
      failures: validation.failures,
    });
  const csaf = `${JSON.stringify(document, null, 2)}\n`;
  const { signature, fingerprint } = await signDetached(tx, csaf);
  const csafPath = `${csafDirectory(input.tlp)}/${initial.getUTCFullYear()}/${csafFilename(identifier)}`;
  await repo.insertRevision(tx.db, {
    productId: product.id,
    revision,
    tlp: input.tlp,
    recipients: input.recipients,
    content: input.content,
    html: renderHtml(input.content),
    changeSummary: input.changeSummary,
    publishedBy: tx.actor?.userId ?? null,
    approvedBy: input.approvedBy,
    publishedAt: now,
    csafPath,
    csaf,
    sha256: createHash('sha256').update(csaf).digest('hex'),
    sha512: createHash('sha512').update(csaf).digest('hex'),
    signature,
    fingerprint,
  });
  await repo.markPublished(tx.db, product.id, {
    identifier,
    status: input.withdrawnReason !== null ? 'withdrawn' : 'published',
    tlp: input.tlp,
    revision,
    title: input.content.nl.title,
    titleEn: input.content.en?.title ?? null,
    summary: input.content.nl.summary,
    urgency: input.content.urgency,
    ...published(input.content),
    searchNl: searchText(input.content.nl),
    searchEn: searchText(input.content.en),
    publishedAt: now,
    withdrawnReason: input.withdrawnReason,
  });
  await repo.replaceRecipients(tx.db, product.id, input.recipients);
  // A withdrawal reaches those the withdrawn revision concerned, so read them before they are cleared.
  const relevantBefore = await relevanceRepo.relevantOrganisationsOf(tx.db, product.id);
  const relevant = input.withdrawnReason !== null ? [] : await computeRelevantOrganisations(tx, input.content);
  await relevanceRepo.replaceRelevance(tx.db, product.id, relevant);
  const relevantForMail = input.withdrawnReason !== null ? relevantBefore : relevant;
  const audience = await planProductDelivery(tx, {
    productId: product.id,
    kind: product.kind,
    tlp: input.tlp,
    ownerOrganisationId: product.owner_organisation_id,
    recipients: input.recipients,
    relevantOrganisationIds: relevantForMail,
    revision,
    identifier,
    title: input.content.nl.title,
    withdrawn: input.withdrawnReason !== null,
  });
  return { identifier, revision, csafPath, audience };
}

export async function publish(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'advisories:approve');
  return inTransaction(ctx, async (tx) => {
    const product = await loadForEditor(tx, id, { forUpdate: true });
    if (product.status !== 'approved') throw conflict('invalid_transition', `Only an approved product can be published; this one is ${product.status.replace('_', ' ')}.`);
    const approvals = await repo.approvalsOf(tx.db, id, product.draft_version);
    if (approvals.length < approvalsRequired(product)) throw conflict('approval_missing', 'This version lacks the approvals it needs; submit it for review again.');
    const result = await writeRevision(tx, {
      product,
      content: parseStoredContent(product.draft_content),
      tlp: product.draft_tlp,
      recipients: product.draft_recipients,
      changeSummary: product.current_revision === null ? 'Initial publication.' : (product.change_summary ?? 'Updated.'),
      withdrawnReason: null,
      approvedBy: approvals.map((a) => a.user_id),
    });
    await record(tx, { action: 'product.publish', targetType: 'product', targetId: id, details: { ...result, tlp: product.draft_tlp } });
    return result;
  });
}

/** Withdrawal is a revision of its own: the record and its history stay, the CSAF document says so. */
export async function withdraw(ctx: Ctx, id: string, reason: string) {
  authorize(ctx.actor, 'advisories:approve');
  return inTransaction(ctx, async (tx) => {
    const product = await loadForEditor(tx, id, { forUpdate: true });
    if (product.current_revision === null || product.status === 'withdrawn' || !product.tlp)
      throw conflict('invalid_transition', product.status === 'withdrawn' ? 'This product is already withdrawn.' : 'Only a published product can be withdrawn.');
    const current = await repo.findRevision(tx.db, id, product.current_revision);
    if (!current) throw conflict('invalid_transition', 'The current revision is missing.');
    const result = await writeRevision(tx, {
      product,
      content: parseStoredContent(current.content),
      tlp: product.tlp,
      recipients: current.recipients,
      changeSummary: `Withdrawn: ${reason}`,
      withdrawnReason: reason,
      approvedBy: [],
    });
    await record(tx, { action: 'product.withdraw', targetType: 'product', targetId: id, details: { ...result, reason } });
    return result;
  });
}
