import { Readable } from 'node:stream';
import type { Ctx, Services } from '#server/context.ts';
import { record } from '#modules/audit/audit.service.ts';
import * as repo from './evidence.repository.ts';
import * as store from './evidence-store.ts';
import { evidenceFileName } from './evidence.service.ts';

/**
 * Files attached to a report mail become evidence of the case the mail opens, with their SHA-256 and
 * a first custody step that says where they came from. They are stored before the case's
 * transaction (as uploads are) and removed again when the mail turns out to be a retry of one
 * already taken, or the transaction fails.
 */

export interface StoredMailFile {
  fileName: string;
  contentType: string;
  stored: store.StoredFile;
}

export interface MailAttachment {
  filename?: string | undefined;
  contentType: string;
  content: Buffer;
  /** Inline parts (a logo in a signature) are part of the text, not evidence. */
  related?: boolean | undefined;
}

function evidenceDir(services: Services) {
  return services.config.incidents;
}

export async function storeMailAttachments(services: Services, attachments: readonly MailAttachment[]): Promise<StoredMailFile[]> {
  const cfg = evidenceDir(services);
  const out: StoredMailFile[] = [];
  try {
    for (const [i, a] of attachments.entries()) {
      if (a.related || a.content.length === 0) continue;
      const stored = await store.storeEvidence(Readable.from([a.content]), { dir: cfg.evidenceDir, maxBytes: cfg.evidenceMaxBytes, key: cfg.evidenceKey });
      out.push({ fileName: evidenceFileName(a.filename?.trim() || `attachment-${i + 1}`), contentType: a.contentType, stored });
    }
  } catch (err) {
    await discardMailAttachments(services, out);
    throw err;
  }
  return out;
}

export async function discardMailAttachments(services: Services, files: readonly StoredMailFile[]): Promise<void> {
  for (const f of files) await store.removeEvidenceFile(evidenceDir(services).evidenceDir, f.stored.storageName).catch(() => undefined);
}

/** Inside the case's transaction: one evidence row and its first custody step per file. */
export async function recordMailedEvidence(
  tx: Ctx,
  caseId: string,
  mail: { fromAddress: string; messageId: string | null; files?: readonly StoredMailFile[] | undefined },
  sender: { userId: string | null; organisationId: string } | null,
): Promise<void> {
  for (const f of mail.files ?? []) {
    const id = await repo.insertEvidence(tx.db, {
      caseId,
      requestId: null,
      fileName: f.fileName,
      description: `Attached to the report mail from ${mail.fromAddress}`,
      sizeBytes: f.stored.sizeBytes,
      sha256: f.stored.sha256,
      storageName: f.stored.storageName,
      encrypted: f.stored.encrypted,
      // Handed in by the reporting organisation: theirs to see in the room (nobody's room when the sender is unknown).
      shared: sender !== null,
      uploadedBy: sender?.userId ?? null,
      uploadedByOrganisationId: sender?.organisationId ?? null,
    });
    await repo.insertCustody(tx.db, {
      evidenceId: id,
      caseId,
      action: 'upload',
      actorUserId: sender?.userId ?? null,
      actorName: `${mail.fromAddress} (by mail)`,
      reason: `Received by mail${mail.messageId ? `, Message-ID ${mail.messageId}` : ''}`,
      sha256: f.stored.sha256,
      details: { sizeBytes: f.stored.sizeBytes, encrypted: f.stored.encrypted, contentType: f.contentType, via: 'mail' },
    });
    await record(tx, {
      action: 'incident.evidence.upload',
      targetType: 'incident_evidence',
      targetId: id,
      details: { caseId, sha256: f.stored.sha256, sizeBytes: f.stored.sizeBytes, via: 'mail' },
    });
  }
}
