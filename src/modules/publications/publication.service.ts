import { createHash } from 'node:crypto';
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, conflict, notFound } from '#server/errors.ts';
import { authorize, can } from '#modules/access/policy.ts';
import { isPublicationEditor } from '#modules/access/policy-publications.ts';
import { record } from '#modules/audit/audit.service.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import { renderMarkdown } from '#lib/markdown.ts';
import { auditedRead } from '#lib/tlp.ts';
import type { SearchHit } from '#modules/search/search.types.ts';
import * as repo from './publication.repository.ts';
import { renderPublicationPdf } from './publication-pdf.ts';
import { MAX_PUBLICATION_PDF_BYTES, type Audience, type PublicationInput, type PublicationListQuery, type PublicationPatch } from './publication.schema.ts';

/**
 * The publications library. Every read goes through policy-publications (publicationVisibilitySql):
 * the list, the detail, search, the downloads and the public site are one rule. Writes need
 * publications:write (the CERT). Downloads are counted once per reader per day (publication_downloads),
 * and every download from the public site, where there is no person to count.
 */

type Recipients = readonly { organisationId: string; userId?: string | null | undefined }[];

export async function listPublications(ctx: Ctx, q: PublicationListQuery) {
  authorize(ctx.actor, 'publications:read');
  return repo.listVisible(ctx.db, ctx.actor, q);
}

/** The portal-wide search's part: the publications the reader may see that match, best first. */
export async function searchPublications(ctx: Ctx, query: string, limit: number): Promise<SearchHit[]> {
  // The portal-wide search asks every module: a reader without publications:read simply finds none here.
  if (!can(ctx.actor, 'publications:read')) return [];
  const text = query.trim().slice(0, 200);
  if (!text) return [];
  const { rows } = await repo.listVisible(ctx.db, ctx.actor, { q: text, limit: Math.min(Math.max(limit, 1), 100) });
  return rows.map((r) => ({
    kind: 'publication' as const,
    id: r.id,
    title: r.title,
    snippet: r.summary.length > 240 ? `${r.summary.slice(0, 239)}…` : r.summary,
    url: `/publications/${r.id}`,
    updatedAt: r.updated_at.toISOString(),
  }));
}

/** Loads a publication the actor may see; otherwise it does not exist for them (and the refusal is audited). */
export async function loadVisible(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'publications:read');
  const pub = await repo.findPublication(ctx.db, id);
  if (!pub) throw notFound('publication');
  if (!(await repo.isVisible(ctx.db, ctx.actor, id))) {
    await record(ctx, { action: 'publication.read', targetType: 'publication', targetId: id, outcome: 'denied', details: { tlp: pub.tlp } });
    throw notFound('publication');
  }
  return pub;
}

export async function getPublication(ctx: Ctx, id: string) {
  const pub = await loadVisible(ctx, id);
  const editor = isPublicationEditor(ctx.actor);
  const all = await repo.listVersions(ctx.db, id);
  // Readers get the current version only; the CERT every version, with its download count.
  const versions = editor ? all : all.filter((v) => v.version === pub.current_version);
  const markdown = editor ? await repo.latestMarkdown(ctx.db, id, null) : null;
  const shown = editor ? markdown : await repo.latestMarkdown(ctx.db, id, pub.current_version);
  const recipients = editor ? await repo.recipientsOf(ctx.db, id) : null;
  if (auditedRead(pub.tlp)) await record(ctx, { action: 'publication.read', targetType: 'publication', targetId: id, details: { tlp: pub.tlp } });
  return { pub, versions, editor, markdown, html: shown === null ? null : renderMarkdown(shown), recipients };
}

export async function listReviewDue(ctx: Ctx) {
  authorize(ctx.actor, 'publications:write');
  return repo.listReviewDue(ctx.db, new Date().toISOString().slice(0, 10));
}

export function previewMarkdown(ctx: Ctx, markdown: string): { html: string } {
  authorize(ctx.actor, 'publications:write');
  return { html: renderMarkdown(markdown) };
}

async function checkRecipients(ctx: Ctx, recipients: Recipients) {
  // Each recipient once (the unique index); a named person must be a user of the named organisation.
  const unique = recipients.filter(
    (r, i, all) => all.findIndex((x) => x.organisationId === r.organisationId && (x.userId ?? null) === (r.userId ?? null)) === i,
  );
  for (const r of unique) {
    if (!(await orgRepo.findOrganisation(ctx.db, r.organisationId)))
      throw badRequest('recipient_unknown', `Recipient organisation ${r.organisationId} does not exist.`, { field: 'recipients' });
    if (r.userId && (await findUserWithOrgById(ctx.db, r.userId))?.organisation_id !== r.organisationId) {
      throw badRequest('recipient_unknown', `Recipient ${r.userId} is not a user of organisation ${r.organisationId}.`, { field: 'recipients' });
    }
  }
  return unique;
}

const audienceValues = (a: Audience) => ({
  audience: a.kind,
  audienceSegments: a.kind === 'segments' ? a.segments : [],
  audienceContactRoles: a.kind === 'contact_roles' ? a.contactRoles : [],
});

/** A file name for the PDF made from the title: ASCII, no path, always .pdf. */
export function pdfFileName(title: string, version: number): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 80);
  return `${base || 'publication'}-v${version}.pdf`;
}

export async function createPublication(ctx: Ctx, input: PublicationInput) {
  authorize(ctx.actor, 'publications:write');
  const recipients = await checkRecipients(ctx, input.recipients);
  return inTransaction(ctx, async (tx) => {
    const id = await repo.insertPublication(tx.db, tx.actor!.organisationId, tx.actor!.userId, {
      kind: input.kind,
      title: input.title,
      summary: input.summary,
      tags: [...new Set(input.tags)],
      language: input.language,
      tlp: input.tlp,
      ...audienceValues(input.audience),
      reviewBy: input.reviewBy ?? null,
    });
    await repo.replaceRecipients(tx.db, id, recipients);
    if (input.markdown !== undefined) {
      await repo.insertVersion(tx.db, {
        publicationId: id,
        version: 1,
        source: 'markdown',
        markdown: input.markdown,
        fileName: pdfFileName(input.title, 1),
        pdf: null,
        sha256: null,
        changeNote: input.changeNote,
        createdBy: tx.actor!.userId,
      });
    }
    await repo.refreshSearch(tx.db, id);
    await record(tx, {
      action: 'publication.create',
      targetType: 'publication',
      targetId: id,
      details: { tlp: input.tlp, recipients: recipients.length, audience: input.audience.kind },
    });
    return id;
  });
}

/** For a write: the publication, locked, or 404. Editors reach every publication. */
async function loadForWrite(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'publications:write');
  const pub = await repo.findPublication(ctx.db, id, { forUpdate: ctx.db.isTransaction });
  if (!pub) throw notFound('publication');
  return pub;
}

export async function updatePublication(ctx: Ctx, id: string, patch: PublicationPatch) {
  authorize(ctx.actor, 'publications:write');
  const recipients = patch.marking ? await checkRecipients(ctx, patch.marking.recipients) : null;
  await inTransaction(ctx, async (tx) => {
    await loadForWrite(tx, id);
    await repo.updatePublication(tx.db, id, {
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.summary !== undefined && { summary: patch.summary }),
      ...(patch.tags !== undefined && { tags: [...new Set(patch.tags)] }),
      ...(patch.language !== undefined && { language: patch.language }),
      ...(patch.marking && { tlp: patch.marking.tlp }),
      ...(patch.audience && audienceValues(patch.audience)),
      ...(patch.reviewBy !== undefined && { reviewBy: patch.reviewBy }),
    });
    if (recipients) await repo.replaceRecipients(tx.db, id, recipients);
    await repo.refreshSearch(tx.db, id);
    await record(tx, {
      action: 'publication.update',
      targetType: 'publication',
      targetId: id,
      details: { fields: Object.keys(patch), ...(patch.marking && { tlp: patch.marking.tlp }) },
    });
  });
}

export async function addMarkdownVersion(ctx: Ctx, id: string, input: { markdown: string; changeNote: string }): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const pub = await loadForWrite(tx, id);
    const version = await repo.nextVersion(tx.db, id);
    await repo.insertVersion(tx.db, {
      publicationId: id,
      version,
      source: 'markdown',
      markdown: input.markdown,
      fileName: pdfFileName(pub.title, version),
      pdf: null,
      sha256: null,
      changeNote: input.changeNote,
      createdBy: tx.actor!.userId,
    });
    await repo.refreshSearch(tx.db, id);
    await record(tx, { action: 'publication.version', targetType: 'publication', targetId: id, details: { version, source: 'markdown' } });
    return version;
  });
}

/** Whether the bytes are a PDF: by its signature, never by the name or the declared type. */
export function isPdf(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

export async function addUploadedVersion(ctx: Ctx, id: string, input: { bytes: Uint8Array; changeNote: string }): Promise<number> {
  authorize(ctx.actor, 'publications:write');
  if (input.bytes.byteLength === 0) throw badRequest('publication_file_empty', 'The file is empty.', { field: 'file' });
  if (input.bytes.byteLength > MAX_PUBLICATION_PDF_BYTES)
    throw new AppError('payload_too_large', 'publication_pdf_too_large', `A PDF may be at most ${MAX_PUBLICATION_PDF_BYTES / 1024 / 1024} MiB.`, {
      field: 'file',
    });
  if (!isPdf(input.bytes))
    throw new AppError('unsupported_media_type', 'publication_not_pdf', 'Only a PDF can be uploaded: this file does not start as a PDF does (%PDF-).', {
      field: 'file',
    });
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  return inTransaction(ctx, async (tx) => {
    const pub = await loadForWrite(tx, id);
    const version = await repo.nextVersion(tx.db, id);
    await repo.insertVersion(tx.db, {
      publicationId: id,
      version,
      source: 'upload',
      markdown: null,
      fileName: pdfFileName(pub.title, version),
      pdf: input.bytes,
      sha256,
      changeNote: input.changeNote,
      createdBy: tx.actor!.userId,
    });
    await repo.refreshSearch(tx.db, id);
    await record(tx, {
      action: 'publication.version',
      targetType: 'publication',
      targetId: id,
      details: { version, source: 'upload', sha256, bytes: input.bytes.byteLength },
    });
    return version;
  });
}

/**
 * The version's PDF: stored bytes, or (a Markdown version not printed yet, e.g. demo data loaded
 * without Chromium) printed now and kept, so its hash never changes afterwards.
 */
export async function ensurePdf(ctx: Ctx, pub: NonNullable<Awaited<ReturnType<typeof repo.findPublication>>>, version: number) {
  const v = await repo.findVersionContent(ctx.db, pub.id, version);
  if (!v) throw notFound('publication_version');
  if (v.pdf) return { ...v, pdf: v.pdf };
  if (v.markdown === null) throw notFound('publication_version');
  const pdf = await renderPublicationPdf({
    kind: pub.kind,
    title: pub.title,
    summary: pub.summary,
    tags: pub.tags,
    language: pub.language,
    tlp: pub.tlp,
    version,
    date: v.published_at ?? v.created_at,
    certName: await repo.certName(ctx.db),
    markdown: v.markdown,
  });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  await repo.storeRenderedPdf(ctx.db, v.id, pdf, sha256);
  // Another request may have stored its print first: serve what is stored.
  const stored = await repo.findVersionContent(ctx.db, pub.id, version);
  if (!stored?.pdf) throw notFound('publication_version');
  return { ...stored, pdf: stored.pdf };
}

/** Publishes a version (the latest when none is named): its PDF is printed first, so readers never wait on Chromium. */
export async function publishPublication(ctx: Ctx, id: string, version?: number): Promise<void> {
  const pub = await loadForWrite(ctx, id);
  const latest = (await repo.listVersions(ctx.db, id))[0];
  if (!latest) throw conflict('publication_no_version', 'Write or upload a version before publishing.');
  const target = version ?? latest.version;
  const v = await repo.findVersionContent(ctx.db, id, target);
  if (!v) throw badRequest('publication_version_unknown', `There is no version ${target}.`, { field: 'version' });
  if (!v.pdf) await ensurePdf(ctx, pub, target);
  await inTransaction(ctx, async (tx) => {
    await loadForWrite(tx, id);
    await repo.markPublished(tx.db, id, target, new Date());
    await repo.refreshSearch(tx.db, id);
    await record(tx, { action: 'publication.publish', targetType: 'publication', targetId: id, details: { version: target, tlp: pub.tlp } });
  });
}

export async function withdrawPublication(ctx: Ctx, id: string, reason: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const pub = await loadForWrite(tx, id);
    if (pub.status !== 'published') throw conflict('publication_not_published', 'Only a published publication can be withdrawn.');
    await repo.markWithdrawn(tx.db, id, reason, new Date());
    await record(tx, { action: 'publication.withdraw', targetType: 'publication', targetId: id, details: { reason } });
  });
}

/** The current version's PDF for whoever may see the publication; counted, and audited from AMBER up. */
export async function downloadCurrent(ctx: Ctx, id: string) {
  const pub = await loadVisible(ctx, id);
  if (pub.current_version === null) throw notFound('publication_version');
  return download(ctx, pub, pub.current_version);
}

/** Any version, also an earlier one: the CERT only. */
export async function downloadVersion(ctx: Ctx, id: string, version: number) {
  authorize(ctx.actor, 'publications:write');
  const pub = await loadVisible(ctx, id);
  return download(ctx, pub, version);
}

async function download(ctx: Ctx, pub: NonNullable<Awaited<ReturnType<typeof repo.findPublication>>>, version: number) {
  const v = await ensurePdf(ctx, pub, version);
  await repo.countDownload(ctx.db, v.id, ctx.actor?.userId ?? null);
  if (ctx.actor && auditedRead(pub.tlp))
    await record(ctx, { action: 'publication.download', targetType: 'publication', targetId: pub.id, details: { tlp: pub.tlp, version } });
  return { pub, fileName: v.file_name, pdf: v.pdf, sha256: v.pdf_sha256 };
}
