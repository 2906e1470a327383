import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import type { Ctx, Services } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { AppError, badRequest, forbidden, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { openEvidence, removeEvidenceFile, storeEvidence, type StoredFile } from '#modules/incidents/evidence-store.ts';
import { auditedRead } from '#lib/tlp.ts';
import * as repo from './community.repository.ts';
import { loadPost } from './community-access.ts';

/**
 * Attachments of community posts, stored like incident evidence (random names, hashed, encrypted at
 * rest when the evidence key is set) in a folder of their own. The type is what the bytes are, not
 * what the name says; only a few harmless kinds are taken, and a file is only ever served as a
 * download, through the same check as its post.
 */

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_POST = 5;
const SNIFF_BYTES = 4096;

function attachmentDir(services: Services): string {
  return path.join(services.config.incidents.evidenceDir, 'community');
}

const startsWith = (head: Buffer, magic: number[]) => magic.every((b, i) => head[i] === b);

/** The media type the first bytes show, or null when it is none of the kinds we take. */
export function sniffMediaType(head: Buffer): string | null {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  // Office documents (docx, xlsx, pptx) and plain archives are ZIP containers.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  // Text: valid UTF-8 without NUL or other control bytes than tab, CR, LF, FF; and not markup a browser would run.
  if (head.includes(0)) return null;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, head.length - 3 > 0 ? head.length - 3 : head.length));
  if (text.includes('\uFFFD')) return null;
  if ([...text].some(isForbiddenControl)) return null;
  if (/^\s*<(?:!doctype|html|script|svg|\?xml)/i.test(text)) return null;
  return 'text/plain';
}

// Control characters other than tab, LF, FF and CR do not occur in text people write.
function isForbiddenControl(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f;
}

function cleanFileName(name: string): string {
  // No path separators and no control characters at all (tabs and line breaks neither) in a header value.
  const base = [...name.replace(/[\\/]/g, '_')]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  return (base || 'attachment').slice(0, 200);
}

/** Stores one uploaded file for a post of the actor's own, or refuses it (and leaves nothing behind). */
export async function addAttachment(ctx: Ctx, postId: string, file: { fileName: string; stream: Readable }) {
  const { post, thread } = await loadPost(ctx, postId, 'community:post');
  if (post.author_user_id !== ctx.actor!.userId) throw forbidden('Only the author attaches files to a post.');
  if ((await repo.countAttachments(ctx.db, post.id)) >= MAX_ATTACHMENTS_PER_POST)
    throw badRequest('community_too_many_attachments', `A post holds at most ${MAX_ATTACHMENTS_PER_POST} files.`, { field: 'file' });
  // The first bytes are kept as they pass (a transform, so nothing is read ahead of the store).
  let head = Buffer.alloc(0);
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
      done(null, chunk);
    },
  });
  file.stream.on('error', (err) => tap.destroy(err));
  file.stream.pipe(tap);
  let stored: StoredFile;
  try {
    stored = await storeEvidence(tap, { dir: attachmentDir(ctx.services), maxBytes: MAX_ATTACHMENT_BYTES, key: ctx.services.config.incidents.evidenceKey });
  } catch (err) {
    if (err instanceof AppError && err.code === 'evidence_too_large')
      throw new AppError('payload_too_large', 'community_attachment_too_large', `A file may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB.`, {
        maxBytes: MAX_ATTACHMENT_BYTES,
      });
    if (err instanceof AppError && err.code === 'evidence_empty') throw badRequest('community_attachment_empty', 'The file is empty.', { field: 'file' });
    throw err;
  }
  const mediaType = sniffMediaType(head);
  if (!mediaType) {
    await removeEvidenceFile(attachmentDir(ctx.services), stored.storageName).catch(() => undefined);
    throw new AppError(
      'unsupported_media_type',
      'community_attachment_type',
      'Attach PDF, PNG, JPEG, GIF, plain text or an Office/ZIP file; this file is none of those.',
      { field: 'file' },
    );
  }
  try {
    const id = await inTransaction(ctx, async (tx) => {
      const id = await repo.insertAttachment(tx.db, {
        postId: post.id,
        fileName: cleanFileName(file.fileName),
        mediaType,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        storageName: stored.storageName,
        encrypted: stored.encrypted,
        uploadedBy: tx.actor!.userId,
      });
      await record(tx, {
        action: 'community.attachment.add',
        targetType: 'community_post',
        targetId: post.id,
        details: { attachmentId: id, mediaType, sizeBytes: stored.sizeBytes, sha256: stored.sha256 },
      });
      return id;
    });
    return { id, threadId: thread.id, fileName: cleanFileName(file.fileName), mediaType, sizeBytes: stored.sizeBytes };
  } catch (err) {
    await removeEvidenceFile(attachmentDir(ctx.services), stored.storageName).catch(() => undefined);
    throw err;
  }
}

/** A file of a post the actor may see; otherwise it does not exist. */
export async function openAttachment(ctx: Ctx, attachmentId: string) {
  authorize(ctx.actor, 'community:read');
  const a = await repo.findAttachment(ctx.db, attachmentId);
  if (!a) throw notFound('attachment');
  const { post } = await loadPost(ctx, a.post_id).catch(() => {
    throw notFound('attachment');
  });
  if (auditedRead(post.tlp))
    await record(ctx, { action: 'community.attachment.download', targetType: 'community_attachment', targetId: a.id, details: { tlp: post.tlp } });
  const stream = await openEvidence(
    attachmentDir(ctx.services),
    { storageName: a.storage_name, encrypted: a.encrypted, sizeBytes: Number(a.size_bytes) },
    ctx.services.config.incidents.evidenceKey,
    a.sha256,
  );
  return { fileName: a.file_name, mediaType: a.media_type, stream };
}
