import { notifyRoom } from './case.service.ts';
import type { Readable } from 'node:stream';
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, conflict, notFound } from '#server/errors.ts';
import { csvCell } from '#lib/csv.ts';
import { record } from '#modules/audit/audit.service.ts';
import { loadCase, requireCert, requireOpenForWork, type LoadedCase } from './case-access.ts';
import * as store from './evidence-store.ts';
import * as repo from './evidence.repository.ts';
import type { CustodyOut, EvidenceOut } from './incident.schema.ts';

export interface EvidenceRequestView {
  id: string;
  description: string;
  requestedAt: string;
  fulfilledAt: string | null;
}

// --- Presenters: the explicit response shapes; a room reader never sees the CERT's deletion workflow. ---

function presentEvidence(e: repo.EvidenceView, access: LoadedCase['access']): EvidenceOut {
  return {
    id: e.id,
    fileName: e.file_name,
    description: e.description,
    sizeBytes: Number(e.size_bytes),
    sha256: e.sha256,
    encrypted: e.encrypted,
    shared: e.shared,
    requestId: e.request_id,
    uploadedBy: e.uploader_name,
    uploadedAt: e.uploaded_at.toISOString(),
    deletionRequested:
      access === 'cert' && e.deletion_requested_at
        ? { by: e.deletion_requester_name, at: new Date(e.deletion_requested_at).toISOString(), reason: e.deletion_reason ?? '' }
        : null,
    deletedAt: e.deleted_at ? new Date(e.deleted_at).toISOString() : null,
  };
}

function presentCustody(c: Omit<repo.CustodyRow, 'file_name'>, fileName: string): CustodyOut {
  return {
    id: String(c.id),
    evidenceId: c.evidence_id,
    fileName,
    action: c.action,
    actor: c.actor_name,
    reason: c.reason,
    sha256: c.sha256,
    details: c.details,
    at: c.at.toISOString(),
  };
}

function presentRequest(r: Awaited<ReturnType<typeof repo.listRequests>>[number]): EvidenceRequestView {
  return {
    id: r.id,
    description: r.description,
    requestedAt: r.requested_at.toISOString(),
    fulfilledAt: r.fulfilled_at ? new Date(r.fulfilled_at).toISOString() : null,
  };
}

// --- Who sees which evidence ---

const roomOrganisations = (c: LoadedCase): string[] => [...c.parties.affected, ...c.parties.guests].map((o) => o.id);

function visibleInRoom(c: LoadedCase, e: repo.EvidenceView): boolean {
  return !e.deleted_at && (e.shared || (e.uploaded_by_organisation_id !== null && roomOrganisations(c).includes(e.uploaded_by_organisation_id)));
}

/** One evidence item as this reader may reach it: hidden from the room unless shared; deleted is gone. */
async function loadEvidence(ctx: Ctx, c: LoadedCase, evidenceId: string): Promise<repo.EvidenceView> {
  const e = await repo.findEvidenceView(ctx.db, c.row.id, evidenceId);
  if (!e || (c.access === 'room' && !visibleInRoom(c, e))) throw notFound('evidence');
  if (e.deleted_at) throw new AppError('gone', 'evidence_deleted', 'This evidence was deleted (with a second analyst’s approval); its custody log remains.');
  return e;
}

async function lockLive(ctx: Ctx, c: LoadedCase, evidenceId: string): Promise<repo.EvidenceRow> {
  const e = await repo.lockEvidence(ctx.db, c.row.id, evidenceId);
  if (!e) throw notFound('evidence');
  if (e.deleted_at) throw new AppError('gone', 'evidence_deleted', 'This evidence was deleted (with a second analyst’s approval); its custody log remains.');
  return e;
}

async function reload(ctx: Ctx, c: LoadedCase, evidenceId: string): Promise<EvidenceOut> {
  const e = await repo.findEvidenceView(ctx.db, c.row.id, evidenceId);
  if (!e) throw notFound('evidence');
  return presentEvidence(e, c.access);
}

const custodyStep = async (
  ctx: Ctx,
  c: LoadedCase,
  e: { id: string; sha256: string },
  action: repo.NewCustody['action'],
  reason: string,
  details: Record<string, unknown> = {},
) =>
  repo.insertCustody(ctx.db, {
    evidenceId: e.id,
    caseId: c.row.id,
    action,
    actorUserId: c.actor.userId,
    actorName: await repo.actorLabel(ctx.db, c.actor.userId),
    reason,
    sha256: e.sha256,
    details,
  });

// --- Evidence ---

export async function listEvidence(ctx: Ctx, caseId: string): Promise<EvidenceOut[]> {
  const c = await loadCase(ctx, caseId, 'incidents:read');
  const rows = await repo.listEvidence(ctx.db, caseId, c.access === 'cert' ? null : roomOrganisations(c));
  return rows.map((e) => presentEvidence(e, c.access));
}

/**
 * The name the file is known by: its base name only (a browser or tool may send a whole path), one
 * line of at most 255 characters. It is only ever shown and offered as a download name; the file
 * on disk has a random name.
 */
export function evidenceFileName(raw: string): string {
  const base = (raw.split(/[\\/]/).pop() ?? '').trim();
  const problem =
    base === '' || base === '.' || base === '..'
      ? 'Name the file (fileName), e.g. memory.dmp.'
      : [...base].length > 255
        ? 'A file name is at most 255 characters.'
        : [...base].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)
          ? 'A file name cannot hold control characters or line breaks.'
          : null;
  if (problem) throw badRequest('evidence_file_name', problem, { field: 'fileName' });
  return base;
}

export interface UploadInput {
  fileName: string;
  description: string;
  requestId?: string | undefined;
  shared?: boolean | undefined;
  /** The Content-Length the client announced, if any: refused early when it is over the limit. */
  declaredBytes: number | null;
}

/**
 * Stores an upload and records it in the chain of custody. The case is checked before a byte is
 * read; the file is streamed to disk outside any transaction (an upload of gigabytes must not hold
 * the database), then one short transaction writes the row, the custody step and the audit entry.
 * If that fails the stored file is removed again.
 */
export async function uploadEvidence(ctx: Ctx, caseId: string, input: UploadInput, body: Readable): Promise<EvidenceOut> {
  const c = await loadCase(ctx, caseId, 'incidents:respond');
  requireOpenForWork(c);
  const fileName = evidenceFileName(input.fileName);
  if (input.requestId && !(await repo.findRequest(ctx.db, caseId, input.requestId))) {
    throw badRequest('evidence_request_unknown', 'This case has no evidence request with that id.', { field: 'requestId' });
  }
  const cfg = ctx.services.config.incidents;
  if (input.declaredBytes !== null && input.declaredBytes > cfg.evidenceMaxBytes) throw store.tooLarge(cfg.evidenceMaxBytes);
  if (input.declaredBytes === 0) throw store.emptyFile();
  const stored = await store.storeEvidence(body, { dir: cfg.evidenceDir, maxBytes: cfg.evidenceMaxBytes, key: cfg.evidenceKey });
  // What the affected side hands in is theirs to see: room uploads are always shared.
  const shared = c.access === 'room' ? true : (input.shared ?? false);
  try {
    return await inTransaction(ctx, async (tx) => {
      const id = await repo.insertEvidence(tx.db, {
        caseId,
        requestId: input.requestId ?? null,
        fileName,
        description: input.description,
        sizeBytes: stored.sizeBytes,
        sha256: stored.sha256,
        storageName: stored.storageName,
        encrypted: stored.encrypted,
        shared,
        uploadedBy: c.actor.userId,
        uploadedByOrganisationId: c.actor.organisationId,
      });
      await custodyStep(tx, c, { id, sha256: stored.sha256 }, 'upload', input.description, {
        sizeBytes: stored.sizeBytes,
        encrypted: stored.encrypted,
        ...(input.requestId && { requestId: input.requestId }),
      });
      if (input.requestId) await repo.fulfilRequest(tx.db, input.requestId);
      await record(tx, {
        action: 'incident.evidence.upload',
        targetType: 'incident_evidence',
        targetId: id,
        details: { caseId, sha256: stored.sha256, sizeBytes: stored.sizeBytes, shared },
      });
      return reload(tx, c, id);
    });
  } catch (err) {
    await store.removeEvidenceFile(cfg.evidenceDir, stored.storageName).catch(() => undefined);
    throw err;
  }
}

const storedRef = (e: repo.EvidenceRow | repo.EvidenceView): store.StoredRef => ({
  storageName: e.storage_name,
  encrypted: e.encrypted,
  sizeBytes: Number(e.size_bytes),
});

/**
 * A download: the stored file is verified against its recorded SHA-256 (and, when encrypted, its
 * GCM tag) before the first byte is sent, so altered bytes are refused rather than delivered. That
 * reads the file twice; for evidence, delivering what was handed in matters more than the wait.
 */
export async function downloadEvidence(ctx: Ctx, caseId: string, evidenceId: string, reason: string): Promise<{ evidence: EvidenceOut; stream: Readable }> {
  const c = await loadCase(ctx, caseId, 'incidents:read');
  const e = await loadEvidence(ctx, c, evidenceId);
  const cfg = ctx.services.config.incidents;
  const check = await store.hashStored(cfg.evidenceDir, storedRef(e), cfg.evidenceKey).catch(async (err: unknown) => {
    if (err instanceof AppError && err.code === 'evidence_file_missing') await integrityAlarm(ctx, caseId, e.id, 'missing');
    throw err;
  });
  if (!check.intact || check.sha256 !== e.sha256) {
    await integrityAlarm(ctx, caseId, e.id, check.intact ? 'hash_mismatch' : 'tag_failed');
    throw store.integrityFailed();
  }
  await inTransaction(ctx, async (tx) => {
    await custodyStep(tx, c, e, 'download', reason);
    await record(tx, { action: 'incident.evidence.download', targetType: 'incident_evidence', targetId: e.id, details: { caseId, sha256: e.sha256 } });
  });
  const stream = await store.openEvidence(cfg.evidenceDir, storedRef(e), cfg.evidenceKey, e.sha256);
  return { evidence: presentEvidence(e, c.access), stream };
}

async function integrityAlarm(ctx: Ctx, caseId: string, evidenceId: string, problem: 'missing' | 'hash_mismatch' | 'tag_failed'): Promise<void> {
  await record(ctx, {
    action: 'incident.evidence.integrity',
    targetType: 'incident_evidence',
    targetId: evidenceId,
    outcome: 'failure',
    details: { caseId, problem },
  });
}

/** Re-hashes the stored file: does it still hold what was handed in? */
export async function verifyEvidence(ctx: Ctx, caseId: string, evidenceId: string): Promise<{ sha256: string | null; matches: boolean }> {
  const c = await loadCase(ctx, caseId, 'incidents:write');
  requireCert(c);
  const e = await loadEvidence(ctx, c, evidenceId);
  const cfg = ctx.services.config.incidents;
  let result: { sha256: string | null; matches: boolean };
  try {
    const check = await store.hashStored(cfg.evidenceDir, storedRef(e), cfg.evidenceKey);
    result = { sha256: check.sha256, matches: check.intact && check.sha256 === e.sha256 };
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'evidence_file_missing')) throw err;
    result = { sha256: null, matches: false };
  }
  await record(ctx, {
    action: 'incident.evidence.verify',
    targetType: 'incident_evidence',
    targetId: e.id,
    outcome: result.matches ? 'success' : 'failure',
    details: { caseId, ...result },
  });
  return result;
}

export async function handOver(ctx: Ctx, caseId: string, evidenceId: string, input: { to: string; reason: string }): Promise<CustodyOut> {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:write');
    requireCert(c);
    const e = await lockLive(tx, c, evidenceId);
    const step = await custodyStep(tx, c, e, 'handover', input.reason, { to: input.to });
    await record(tx, { action: 'incident.evidence.handover', targetType: 'incident_evidence', targetId: e.id, details: { caseId, to: input.to } });
    return presentCustody(step, e.file_name);
  });
}

/** The first of the two analysts: asks for the evidence to be deleted; nothing is removed yet. */
export async function requestDeletion(ctx: Ctx, caseId: string, evidenceId: string, reason: string): Promise<EvidenceOut> {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:write');
    requireCert(c);
    const e = await lockLive(tx, c, evidenceId);
    if (e.deletion_requested_at) throw conflict('deletion_already_requested', 'Deletion of this evidence is already waiting for a second analyst.');
    await repo.setDeletionRequest(tx.db, e.id, { by: c.actor.userId, reason });
    await custodyStep(tx, c, e, 'deletion_requested', reason);
    await record(tx, { action: 'incident.evidence.deletion_request', targetType: 'incident_evidence', targetId: e.id, details: { caseId, reason } });
    return reload(tx, c, e.id);
  });
}

async function pendingDeletion(tx: Ctx, caseId: string, evidenceId: string) {
  const c = await loadCase(tx, caseId, 'incidents:write');
  requireCert(c);
  const e = await lockLive(tx, c, evidenceId);
  if (!e.deletion_requested_at) throw conflict('deletion_not_requested', 'Nobody has asked to delete this evidence; request the deletion first.');
  return { c, e };
}

/**
 * The second analyst: the file is removed from disk and the row marked deleted; the row and its
 * custody log stay. The file is removed before the transaction commits: should the commit then
 * fail, the evidence stays listed with its file missing (a retry completes it), which is better
 * than a deletion on record while the file is still on disk.
 */
export async function approveDeletion(ctx: Ctx, caseId: string, evidenceId: string, reason: string): Promise<EvidenceOut> {
  return inTransaction(ctx, async (tx) => {
    const { c, e } = await pendingDeletion(tx, caseId, evidenceId);
    if (e.deletion_requested_by === c.actor.userId) throw conflict('second_analyst_required', 'You asked for this deletion; another analyst must approve it.');
    await repo.markDeleted(tx.db, e.id);
    await custodyStep(tx, c, e, 'deletion_approved', reason, { requestedBy: e.deletion_requested_by, requestReason: e.deletion_reason });
    await record(tx, { action: 'incident.evidence.deletion_approve', targetType: 'incident_evidence', targetId: e.id, details: { caseId, sha256: e.sha256 } });
    await store.removeEvidenceFile(tx.services.config.incidents.evidenceDir, e.storage_name);
    return reload(tx, c, e.id);
  });
}

export async function refuseDeletion(ctx: Ctx, caseId: string, evidenceId: string, reason: string): Promise<EvidenceOut> {
  return inTransaction(ctx, async (tx) => {
    const { c, e } = await pendingDeletion(tx, caseId, evidenceId);
    await repo.setDeletionRequest(tx.db, e.id, null);
    await custodyStep(tx, c, e, 'deletion_refused', reason, { requestedBy: e.deletion_requested_by, requestReason: e.deletion_reason });
    await record(tx, { action: 'incident.evidence.deletion_refuse', targetType: 'incident_evidence', targetId: e.id, details: { caseId } });
    return reload(tx, c, e.id);
  });
}

// --- Chain of custody ---

/** The case's custody log, oldest first: for the CERT's screen and the case report. */
export async function custodyLog(ctx: Ctx, caseId: string): Promise<CustodyOut[]> {
  const c = await loadCase(ctx, caseId, 'incidents:write');
  requireCert(c);
  return (await repo.listCustody(ctx.db, caseId)).map((r) => presentCustody(r, r.file_name));
}

const CSV_COLUMNS = ['at', 'evidence_id', 'file_name', 'action', 'actor', 'reason', 'sha256', 'details'] as const;

/** The custody log as CSV (RFC 4180), for handing over with the case. The export is audited. */
export async function custodyCsv(ctx: Ctx, caseId: string): Promise<{ fileName: string; csv: string }> {
  const c = await loadCase(ctx, caseId, 'incidents:write');
  requireCert(c);
  const rows = (await repo.listCustody(ctx.db, caseId)).map((r) => presentCustody(r, r.file_name));
  await record(ctx, { action: 'incident.custody.export', targetType: 'incident_case', targetId: caseId, details: { rows: rows.length } });
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((r) => [r.at, r.evidenceId, r.fileName, r.action, r.actor, r.reason, r.sha256, r.details].map(csvCell).join(',')),
  ];
  return { fileName: `custody-${c.row.reference}.csv`, csv: `${lines.join('\r\n')}\r\n` };
}

// --- Evidence requests: what the CERT asks the affected organisation to upload ---

export async function listEvidenceRequests(ctx: Ctx, caseId: string): Promise<EvidenceRequestView[]> {
  await loadCase(ctx, caseId, 'incidents:read');
  return (await repo.listRequests(ctx.db, caseId)).map(presentRequest);
}

export async function createEvidenceRequest(ctx: Ctx, caseId: string, input: { description: string }): Promise<EvidenceRequestView> {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:write');
    requireCert(c);
    requireOpenForWork(c);
    const row = await repo.insertRequest(tx.db, caseId, input.description, c.actor.userId);
    await record(tx, { action: 'incident.evidence_request.create', targetType: 'incident_evidence_request', targetId: row.id, details: { caseId } });
    await notifyRoom(tx, c, `Incident ${c.row.reference}: the CERT asks for evidence`, `evidence-request:${row.id}`, {
      nl: 'het CERT vraagt u bewijsmateriaal te uploaden',
      en: 'the CERT asks you to upload evidence',
    });
    return presentRequest(row);
  });
}
