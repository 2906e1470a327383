import type { Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { authorize, can, canSeeMarked } from '#modules/access/policy.ts';
import type { Permission } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import { auditedRead } from '#lib/tlp.ts';
import { diffRevisions } from '#lib/text-diff.ts';
import type { ProductListQuery } from './advisory.schema.ts';
import { approvalState, parseStoredContent } from './advisory.service.ts';
import * as repo from './advisory.repository.ts';
import * as directoryRepo from './directory.repository.ts';
import * as relevanceRepo from './relevance.repository.ts';

/**
 * Everything a reader gets: lists, one product, its revisions, diffs and CSAF. Editors (the CERT)
 * also see drafts; everyone else sees only published revisions their TLP clearance allows, and a
 * product they may not see does not exist for them.
 */


function isEditor(ctx: Ctx): boolean {
  return can(ctx.actor, 'advisories:write');
}

function relevanceOrganisation(ctx: Ctx): string | null {
  const a = ctx.actor;
  return a && a.organisationKind === 'participant' ? a.organisationId : null;
}

export async function listProducts(ctx: Ctx, q: ProductListQuery) {
  authorize(ctx.actor, 'advisories:read');
  const editor = isEditor(ctx);
  if (!editor && q.status && q.status !== 'published' && q.status !== 'withdrawn')
    throw badRequest('status_not_allowed', 'Only published and withdrawn products can be listed.', { field: 'status' });
  return repo.listProducts(ctx.db, ctx.actor, q, { includeUnpublished: editor, relevanceOrganisationId: relevanceOrganisation(ctx) });
}

/** Resolves an id or an identifier (WP-2026-0042) to a product the actor may see. */
/** A product the actor may read, under the given permission (reading, answering an alert, watching its delivery). */
export async function resolveVisible(ctx: Ctx, idOrIdentifier: string, permission: Permission = 'advisories:read') {
  authorize(ctx.actor, permission);
  const id = await repo.resolveProductId(ctx.db, idOrIdentifier);
  const p = id ? await repo.findProduct(ctx.db, id) : undefined;
  if (!p) throw notFound('product');
  if (isEditor(ctx)) return p;
  if (p.current_revision === null || !p.tlp) throw notFound('product');
  const recipients = await repo.recipientsOf(ctx.db, p.id);
  if (!canSeeMarked(ctx.actor, { tlp: p.tlp, ownerOrganisationId: p.owner_organisation_id, recipients })) {
    await record(ctx, { action: 'product.read', targetType: 'product', targetId: p.id, outcome: 'denied', details: { tlp: p.tlp } });
    throw notFound('product');
  }
  return p;
}

/** For the public pages and feed: what an anonymous reader may see, i.e. TLP:CLEAR, decided by the policy. */
export async function getPublicProduct(ctx: Ctx, identifier: string) {
  const id = await repo.findIdByIdentifier(ctx.db, identifier);
  const p = id ? await repo.findProduct(ctx.db, id) : undefined;
  if (!p || p.current_revision === null || !p.tlp || !p.identifier || !p.first_published_at) throw notFound('product');
  if (!canSeeMarked(null, { tlp: p.tlp, ownerOrganisationId: p.owner_organisation_id, recipients: [] })) throw notFound('product');
  const r = await repo.findRevision(ctx.db, p.id, p.current_revision);
  if (!r) throw notFound('product');
  const revisions = await repo.listRevisions(ctx.db, p.id);
  return { product: p, identifier: p.identifier, firstPublishedAt: p.first_published_at, tlp: p.tlp, revision: r, content: parseStoredContent(r.content), revisions };
}

export async function listPublicProducts(ctx: Ctx, limit: number) {
  const rows = await directoryRepo.listPublic(ctx.db, limit);
  // The query selects CLEAR only; the policy check stays the one that decides.
  return rows.filter((r) => r.tlp !== null && canSeeMarked(null, { tlp: r.tlp, ownerOrganisationId: r.owner_organisation_id, recipients: [] }));
}

/** A revision is shown under its own marking and the product's current one, whichever is stricter. */
async function loadRevision(ctx: Ctx, p: repo.ProductRecord, revision: number) {
  const r = await repo.findRevision(ctx.db, p.id, revision);
  if (!r) throw notFound('revision');
  if (!isEditor(ctx)) {
    const recipients = r.recipients.map((organisationId) => ({ organisationId, userId: null }));
    if (!canSeeMarked(ctx.actor, { tlp: r.tlp, ownerOrganisationId: p.owner_organisation_id, recipients })) throw notFound('revision');
  }
  return r;
}

export async function getProduct(ctx: Ctx, idOrIdentifier: string) {
  const p = await resolveVisible(ctx, idOrIdentifier);
  const editor = isEditor(ctx);
  const current = p.current_revision !== null ? await repo.findRevision(ctx.db, p.id, p.current_revision) : undefined;
  if (p.tlp && auditedRead(p.tlp) && !editor) await record(ctx, { action: 'product.read', targetType: 'product', targetId: p.id, details: { tlp: p.tlp } });
  const relevantTo = relevanceOrganisation(ctx);
  return {
    product: p,
    relevant: relevantTo ? await relevanceRepo.isRelevant(ctx.db, p.id, relevantTo) : false,
    published: current ? { revision: current.revision, tlp: current.tlp, content: parseStoredContent(current.content), html: current.html as Record<string, unknown>, publishedAt: current.published_at, changeSummary: current.change_summary } : null,
    draft: editor ? { version: p.draft_version, tlp: p.draft_tlp, recipients: p.draft_recipients, content: parseStoredContent(p.draft_content), ...(await approvalState(ctx, p)) } : null,
  };
}

export async function listRevisions(ctx: Ctx, idOrIdentifier: string) {
  const p = await resolveVisible(ctx, idOrIdentifier);
  const all = await repo.listRevisions(ctx.db, p.id);
  if (isEditor(ctx)) return all;
  return all.filter((r) => canSeeMarked(ctx.actor, { tlp: r.tlp, ownerOrganisationId: p.owner_organisation_id, recipients: r.recipients.map((organisationId) => ({ organisationId, userId: null })) }));
}

export async function getRevision(ctx: Ctx, idOrIdentifier: string, revision: number) {
  const p = await resolveVisible(ctx, idOrIdentifier);
  const r = await loadRevision(ctx, p, revision);
  return { product: p, revision: r, content: parseStoredContent(r.content) };
}

export async function diff(ctx: Ctx, idOrIdentifier: string, from: number, to: number) {
  const p = await resolveVisible(ctx, idOrIdentifier);
  const [a, b] = await Promise.all([loadRevision(ctx, p, from), loadRevision(ctx, p, to)]);
  return diffRevisions(parseStoredContent(a.content), parseStoredContent(b.content));
}

/** The signed CSAF document of the current (or a given) revision, exactly as it was hashed. */
export async function getCsaf(ctx: Ctx, idOrIdentifier: string, revision?: number) {
  const p = await resolveVisible(ctx, idOrIdentifier);
  const n = revision ?? p.current_revision;
  if (n === null) throw notFound('revision');
  const r = await loadRevision(ctx, p, n);
  if (auditedRead(r.tlp)) await record(ctx, { action: 'product.csaf', targetType: 'product', targetId: p.id, details: { revision: n, tlp: r.tlp } });
  return r;
}
