import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { findOrganisationIds } from '#modules/organisations/organisation.repository.ts';
import { validateVulnerabilityScores } from '#lib/cvss.ts';
import type { TlpText } from '#db/schema.ts';
import { AdvisoryContent, type ProductKind } from './advisory.content.ts';
import type { CreateProductInput, SaveDraftInput } from './advisory.schema.ts';
import * as repo from './advisory.repository.ts';

/**
 * Drafting and review: every save is a version, two editors never overwrite each other silently,
 * and the four-eyes rule is enforced here (not in the UI). Publication lives in publication.service.
 */

/** How many approvals a draft needs: TLP:RED and operational alerts need two, besides the editors. */
export function approvalsRequired(p: { kind: ProductKind; draft_tlp: TlpText }): number {
  return p.kind === 'alert' || p.draft_tlp === 'RED' ? 2 : 1;
}

/** CVSS vectors are checked here, so an invalid one is a field error that names the metric. */
function checkScores(content: AdvisoryContent): void {
  const issues = validateVulnerabilityScores(content);
  if (issues.length) {
    const withField = issues.map((i) => ({ field: ['content', ...i.path].join('.'), in: 'body', message: i.message }));
    const first = withField[0];
    throw badRequest('validation_failed', first ? `${first.field}: ${first.message}` : 'A CVSS vector is not valid.', { issues: withField });
  }
}

async function checkRecipients(ctx: Ctx, tlp: TlpText, recipients: string[]): Promise<string[]> {
  const unique = [...new Set(recipients)];
  if (unique.length === 0) return unique;
  const found = new Set(await findOrganisationIds(ctx.db, unique));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length)
    throw badRequest('recipient_not_found', `These recipient organisations do not exist: ${missing.join(', ')}.`, { field: 'recipients', missing });
  if (tlp === 'CLEAR' || tlp === 'GREEN') return [];
  return unique;
}

function kindCheck(kind: ProductKind, content: AdvisoryContent): void {
  if (kind !== 'advisory' && content.vulnerabilities.length > 0)
    throw badRequest('vulnerabilities_not_allowed', 'Only advisories describe vulnerabilities; an info message or alert lists affected products only.', {
      field: 'content.vulnerabilities',
    });
}

export async function createProduct(ctx: Ctx, input: CreateProductInput) {
  authorize(ctx.actor, 'advisories:write');
  const actor = ctx.actor;
  kindCheck(input.kind, input.content);
  checkScores(input.content);
  return inTransaction(ctx, async (tx) => {
    const recipients = await checkRecipients(tx, input.tlp, input.recipients);
    const id = await repo.insertProduct(tx.db, {
      kind: input.kind,
      owner: actor.organisationId,
      authorId: actor.userId,
      tlp: input.tlp,
      recipients,
      content: input.content,
      title: input.content.nl.title,
    });
    await repo.insertVersion(tx.db, { productId: id, version: 1, tlp: input.tlp, recipients, content: input.content, savedBy: actor.userId });
    await record(tx, { action: 'product.create', targetType: 'product', targetId: id, details: { kind: input.kind, tlp: input.tlp } });
    return id;
  });
}

/** Creates a draft from imported content (CSAF import); the source is recorded on the product. */
export async function createImported(ctx: Ctx, d: { kind: ProductKind; tlp: TlpText; content: AdvisoryContent; source: unknown }) {
  authorize(ctx.actor, 'advisories:write');
  const actor = ctx.actor;
  return inTransaction(ctx, async (tx) => {
    const id = await repo.insertProduct(tx.db, {
      kind: d.kind,
      owner: actor.organisationId,
      authorId: actor.userId,
      tlp: d.tlp,
      recipients: [],
      content: d.content,
      title: d.content.nl.title,
      importSource: d.source,
    });
    await repo.insertVersion(tx.db, { productId: id, version: 1, tlp: d.tlp, recipients: [], content: d.content, savedBy: actor.userId });
    await record(tx, { action: 'product.import', targetType: 'product', targetId: id, details: { kind: d.kind, source: d.source } });
    return id;
  });
}

/** Loads a product for an editor; other roles never learn that a draft exists. */
export async function loadForEditor(ctx: Ctx, id: string, opts: { forUpdate?: boolean } = {}) {
  authorize(ctx.actor, 'advisories:write');
  const p = await repo.findProduct(ctx.db, id, opts);
  if (!p) throw notFound('product');
  return p;
}

export async function saveDraft(ctx: Ctx, id: string, input: SaveDraftInput) {
  authorize(ctx.actor, 'advisories:write');
  const actor = ctx.actor;
  return inTransaction(ctx, async (tx) => {
    const p = await loadForEditor(tx, id, { forUpdate: true });
    kindCheck(p.kind, input.content);
    checkScores(input.content);
    if (input.baseVersion !== p.draft_version) {
      const latest = await repo.listVersions(tx.db, id);
      const newest = latest[0];
      throw conflict(
        'draft_conflict',
        `${newest?.saved_by_name ?? 'Someone'} saved version ${p.draft_version} of this draft while you were editing version ${input.baseVersion}. Reload to see their changes; your text is still in the editor.`,
        { currentVersion: p.draft_version, savedBy: newest?.saved_by_name ?? null, savedAt: newest?.saved_at.toISOString() ?? null },
      );
    }
    const recipients = await checkRecipients(tx, input.tlp, input.recipients);
    const version = p.draft_version + 1;
    await repo.insertVersion(tx.db, { productId: id, version, tlp: input.tlp, recipients, content: input.content, savedBy: actor.userId });
    await repo.updateDraft(tx.db, id, { version, tlp: input.tlp, recipients, content: input.content, title: input.content.nl.title });
    await record(tx, { action: 'product.save', targetType: 'product', targetId: id, details: { version, previousStatus: p.status } });
    return version;
  });
}

export async function submitForReview(ctx: Ctx, id: string, changeSummary: string | undefined) {
  authorize(ctx.actor, 'advisories:write');
  const actor = ctx.actor;
  await inTransaction(ctx, async (tx) => {
    const p = await loadForEditor(tx, id, { forUpdate: true });
    if (p.status !== 'draft') throw conflict('invalid_transition', `Only a draft can be submitted for review; this product is ${p.status.replace('_', ' ')}.`);
    if (p.current_revision !== null && !changeSummary)
      throw badRequest('change_summary_required', 'This product is already published: say what the new revision changes.', { field: 'changeSummary' });
    await repo.setWorkflow(tx.db, id, { status: 'in_review', submittedBy: actor.userId, changeSummary: changeSummary ?? null });
    await record(tx, { action: 'product.submit', targetType: 'product', targetId: id, details: { version: p.draft_version } });
  });
}

export async function approve(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'advisories:approve');
  const actor = ctx.actor;
  return inTransaction(ctx, async (tx) => {
    const p = await loadForEditor(tx, id, { forUpdate: true });
    if (p.status !== 'in_review') throw conflict('invalid_transition', `Only a product in review can be approved; this one is ${p.status.replace('_', ' ')}.`);
    const editors = await repo.editorsSince(tx.db, id, p.published_at);
    if (p.author_id === actor.userId || editors.includes(actor.userId))
      throw forbidden('Four eyes: you wrote or edited this draft, so another analyst must approve it.');
    await repo.insertApproval(tx.db, id, p.draft_version, actor.userId);
    const approvals = await repo.approvalsOf(tx.db, id, p.draft_version);
    const required = approvalsRequired(p);
    const complete = approvals.length >= required;
    if (complete) await repo.setWorkflow(tx.db, id, { status: 'approved' });
    await record(tx, { action: 'product.approve', targetType: 'product', targetId: id, details: { version: p.draft_version, approvals: approvals.length, required } });
    return { approvals: approvals.length, required, status: complete ? ('approved' as const) : ('in_review' as const) };
  });
}

export async function reject(ctx: Ctx, id: string, reason: string) {
  authorize(ctx.actor, 'advisories:approve');
  await inTransaction(ctx, async (tx) => {
    const p = await loadForEditor(tx, id, { forUpdate: true });
    if (p.status !== 'in_review' && p.status !== 'approved')
      throw conflict('invalid_transition', `Only a product in review or approved can be sent back; this one is ${p.status.replace('_', ' ')}.`);
    await repo.setWorkflow(tx.db, id, { status: 'draft', submittedBy: null });
    await record(tx, { action: 'product.reject', targetType: 'product', targetId: id, details: { version: p.draft_version, reason } });
  });
}

export async function listVersions(ctx: Ctx, id: string) {
  await loadForEditor(ctx, id);
  return repo.listVersions(ctx.db, id);
}

export async function getVersion(ctx: Ctx, id: string, version: number) {
  await loadForEditor(ctx, id);
  const v = await repo.findVersion(ctx.db, id, version);
  if (!v) throw notFound('version');
  return { ...v, content: AdvisoryContent.parse(v.content) };
}

export async function approvalState(ctx: Ctx, p: repo.ProductRecord) {
  const approvals = await repo.approvalsOf(ctx.db, p.id, p.draft_version);
  return { approvals, required: approvalsRequired(p) };
}

export function parseStoredContent(value: unknown): AdvisoryContent {
  const parsed = AdvisoryContent.safeParse(value);
  if (!parsed.success) throw new AppError('unavailable', 'content_corrupt', 'The stored content of this product cannot be read; restore an earlier version.');
  return parsed.data;
}
