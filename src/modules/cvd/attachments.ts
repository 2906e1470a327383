import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Services } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import { openEvidence, removeEvidenceFile, storeEvidence, type StoredFile } from '#modules/incidents/evidence-store.ts';
import type { CvdAttachmentRow } from './cvd.repository.ts';

/**
 * CVD attachments are stored like incident evidence (random names, SHA-256 of what was handed in,
 * AES-256-GCM at rest when the evidence key is set), in a folder of their own beside the evidence,
 * and always served as downloads, never inline.
 */

export const MAX_ATTACHMENTS = 10;

export function attachmentDir(services: Services): string {
  return path.join(services.config.incidents.evidenceDir, 'cvd');
}

export async function storeAttachment(services: Services, source: Readable): Promise<StoredFile> {
  const maxBytes = services.config.cvd.attachmentMaxBytes;
  try {
    return await storeEvidence(source, { dir: attachmentDir(services), maxBytes, key: services.config.incidents.evidenceKey });
  } catch (err) {
    if (err instanceof AppError && err.code === 'evidence_too_large')
      throw new AppError('payload_too_large', 'cvd_attachment_too_large', `An attachment may be at most ${Math.floor(maxBytes / 1024 / 1024)} MiB; share larger files through a link in your message.`, { maxBytes });
    if (err instanceof AppError && err.code === 'evidence_empty') throw new AppError('bad_request', 'cvd_attachment_empty', 'An attached file is empty; leave it out or attach the right file.');
    throw err;
  }
}

/** Removes files that were stored for a submission that then failed (nothing refers to them). */
export async function discardAttachments(services: Services, files: readonly StoredFile[]): Promise<void> {
  await Promise.all(files.map((f) => removeEvidenceFile(attachmentDir(services), f.storageName).catch(() => undefined)));
}

export async function openAttachment(services: Services, a: CvdAttachmentRow): Promise<Readable> {
  return openEvidence(attachmentDir(services), { storageName: a.storage_name, encrypted: a.encrypted, sizeBytes: Number(a.size_bytes) }, services.config.incidents.evidenceKey, a.sha256);
}
