import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { authorize, canSeeMarked } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { auditedRead, type Tlp } from '#lib/tlp.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import * as repo from './document.repository.ts';
import { MAX_DOCUMENT_BYTES, type DocumentInput } from './document.schema.ts';

// Reads of TLP:AMBER and above are audited (NEN 7513: who saw what).

export async function listDocuments(ctx: Ctx, q: { cursor?: string | undefined; limit: number; tlp?: Tlp | undefined }) {
  authorize(ctx.actor, 'documents:read');
  return repo.listVisible(ctx.db, ctx.actor, q);
}

/** Loads one document if the TLP rule lets the actor see it; otherwise it does not exist for them. */
async function loadVisible(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'documents:read');
  const doc = await repo.findDocument(ctx.db, id);
  if (!doc) throw notFound('document');
  const recipients = await repo.recipientsOf(ctx.db, id);
  if (!canSeeMarked(ctx.actor, { tlp: doc.tlp, ownerOrganisationId: doc.owner_organisation_id, recipients })) {
    await record(ctx, { action: 'document.read', targetType: 'document', targetId: id, outcome: 'denied', details: { tlp: doc.tlp } });
    throw notFound('document');
  }
  return doc;
}

export async function getDocument(ctx: Ctx, id: string) {
  const doc = await loadVisible(ctx, id);
  if (auditedRead(doc.tlp)) await record(ctx, { action: 'document.read', targetType: 'document', targetId: id, details: { tlp: doc.tlp } });
  return doc;
}

export async function downloadDocument(ctx: Ctx, id: string) {
  const doc = await loadVisible(ctx, id);
  const content = await repo.findContent(ctx.db, id);
  if (!content) throw notFound('document');
  if (auditedRead(doc.tlp)) await record(ctx, { action: 'document.download', targetType: 'document', targetId: id, details: { tlp: doc.tlp } });
  return { doc, content: content.content };
}

/** Exports the list the actor may see; the export is audited when it holds AMBER or above. */
export async function exportDocuments(ctx: Ctx) {
  authorize(ctx.actor, 'documents:read');
  const rows = (await repo.listVisible(ctx.db, ctx.actor, { limit: 10_000 })).rows;
  if (rows.some((r) => auditedRead(r.tlp))) await record(ctx, { action: 'document.export', targetType: 'document', details: { count: rows.length } });
  return rows;
}

export async function createDocument(ctx: Ctx, input: DocumentInput) {
  authorize(ctx.actor, 'documents:write');
  const content = Buffer.from(input.contentBase64, 'base64');
  if (content.byteLength === 0) throw badRequest('document_empty', 'The file is empty.', { field: 'contentBase64' });
  if (content.byteLength > MAX_DOCUMENT_BYTES) throw badRequest('document_too_large', 'A document may be at most 1 MiB.', { field: 'contentBase64' });
  // Each recipient once (the same one twice would break the unique index); a named person must be a user of the named organisation.
  const recipients = input.recipients.filter((r, i, all) => all.findIndex((x) => x.organisationId === r.organisationId && (x.userId ?? null) === (r.userId ?? null)) === i);
  for (const r of recipients) {
    if (!(await orgRepo.findOrganisation(ctx.db, r.organisationId))) throw badRequest('recipient_unknown', `Recipient organisation ${r.organisationId} does not exist.`, { field: 'recipients' });
    if (r.userId && (await findUserWithOrgById(ctx.db, r.userId))?.organisation_id !== r.organisationId) {
      throw badRequest('recipient_unknown', `Recipient ${r.userId} is not a user of organisation ${r.organisationId}.`, { field: 'recipients' });
    }
  }
  return inTransaction(ctx, async (tx) => {
    const id = await repo.insertDocument(tx.db, {
      owner: tx.actor!.organisationId,
      title: input.title,
      description: input.description,
      tlp: input.tlp,
      fileName: input.fileName,
      mediaType: input.mediaType,
      content,
      createdBy: tx.actor!.userId,
      recipients,
    });
    await record(tx, { action: 'document.create', targetType: 'document', targetId: id, details: { tlp: input.tlp, recipients: recipients.length } });
    const doc = await repo.findDocument(tx.db, id);
    if (!doc) throw notFound('document');
    return doc;
  });
}
