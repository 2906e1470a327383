import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { CustodyAction, IncidentEvidenceTable } from '#db/schema-incidents.ts';

export type EvidenceRow = Selectable<IncidentEvidenceTable>;

const viewColumns = [
  'e.id',
  'e.case_id',
  'e.request_id',
  'e.file_name',
  'e.description',
  'e.size_bytes',
  'e.sha256',
  'e.storage_name',
  'e.encrypted',
  'e.shared',
  'e.uploaded_by',
  'e.uploaded_by_organisation_id',
  'e.uploaded_at',
  'e.deletion_requested_by',
  'e.deletion_requested_at',
  'e.deletion_reason',
  'e.deleted_at',
  'up.name as uploader_name',
  'dr.name as deletion_requester_name',
] as const;

function views(db: Kysely<DB>) {
  return db
    .selectFrom('incident_evidence as e')
    .leftJoin('users as up', 'up.id', 'e.uploaded_by')
    .leftJoin('users as dr', 'dr.id', 'e.deletion_requested_by')
    .select(viewColumns);
}
export type EvidenceView = NonNullable<Awaited<ReturnType<typeof findEvidenceView>>>;

/**
 * The evidence of a case. `roomOrganisationIds` null: everything (the CERT, deleted ones included).
 * Otherwise the room's rule: shared evidence or what a room organisation uploaded, never deleted.
 */
export async function listEvidence(db: Kysely<DB>, caseId: string, roomOrganisationIds: readonly string[] | null) {
  let q = views(db).where('e.case_id', '=', caseId);
  if (roomOrganisationIds) {
    const orgs = roomOrganisationIds;
    q = q
      .where('e.deleted_at', 'is', null)
      .where((eb) => (orgs.length ? eb.or([eb('e.shared', '=', true), eb('e.uploaded_by_organisation_id', 'in', orgs)]) : eb('e.shared', '=', true)));
  }
  return q.orderBy('e.uploaded_at').orderBy('e.id').execute();
}

export async function findEvidenceView(db: Kysely<DB>, caseId: string, id: string) {
  return views(db).where('e.case_id', '=', caseId).where('e.id', '=', id).executeTakeFirst();
}

/** The row locked for a change: concurrent deletion steps on the same evidence run one after the other. */
export async function lockEvidence(db: Kysely<DB>, caseId: string, id: string): Promise<EvidenceRow | undefined> {
  return db.selectFrom('incident_evidence').selectAll().where('case_id', '=', caseId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface NewEvidence {
  caseId: string;
  requestId: string | null;
  fileName: string;
  description: string;
  sizeBytes: number;
  sha256: string;
  storageName: string;
  encrypted: boolean;
  shared: boolean;
  /** Null for a file that came attached to a report mail from someone without an account. */
  uploadedBy: string | null;
  uploadedByOrganisationId: string | null;
}

export async function insertEvidence(db: Kysely<DB>, e: NewEvidence): Promise<string> {
  const row = await db
    .insertInto('incident_evidence')
    .values({
      case_id: e.caseId,
      request_id: e.requestId,
      file_name: e.fileName,
      description: e.description,
      size_bytes: e.sizeBytes,
      sha256: e.sha256,
      storage_name: e.storageName,
      encrypted: e.encrypted,
      shared: e.shared,
      uploaded_by: e.uploadedBy,
      uploaded_by_organisation_id: e.uploadedByOrganisationId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setDeletionRequest(db: Kysely<DB>, id: string, request: { by: string; reason: string } | null): Promise<void> {
  await db
    .updateTable('incident_evidence')
    .set(
      request
        ? { deletion_requested_by: request.by, deletion_requested_at: sql<Date>`now()`, deletion_reason: request.reason }
        : { deletion_requested_by: null, deletion_requested_at: null, deletion_reason: null },
    )
    .where('id', '=', id)
    .execute();
}

export async function markDeleted(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable('incident_evidence')
    .set({ deleted_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

// --- Chain of custody ---

export interface NewCustody {
  evidenceId: string;
  caseId: string;
  action: CustodyAction;
  actorUserId: string | null;
  actorName: string;
  reason: string;
  sha256: string;
  details: Record<string, unknown>;
}

export async function insertCustody(db: Kysely<DB>, c: NewCustody) {
  return db
    .insertInto('incident_custody')
    .values({
      evidence_id: c.evidenceId,
      case_id: c.caseId,
      action: c.action,
      actor_user_id: c.actorUserId,
      actor_name: c.actorName,
      reason: c.reason,
      sha256: c.sha256,
      details: JSON.stringify(c.details),
    })
    .returning(['id', 'evidence_id', 'action', 'actor_name', 'reason', 'sha256', 'details', 'at'])
    .executeTakeFirstOrThrow();
}

/** The custody log of a case, oldest first (the id is the order of writing, the clock may tie). */
export async function listCustody(db: Kysely<DB>, caseId: string) {
  return db
    .selectFrom('incident_custody as c')
    .innerJoin('incident_evidence as e', 'e.id', 'c.evidence_id')
    .select(['c.id', 'c.evidence_id', 'e.file_name', 'c.action', 'c.actor_name', 'c.reason', 'c.sha256', 'c.details', 'c.at'])
    .where('c.case_id', '=', caseId)
    .orderBy('c.id')
    .execute();
}
export type CustodyRow = Awaited<ReturnType<typeof listCustody>>[number];

/** How a person is named in the custody log: their name and organisation, fixed at the time of the step. */
export async function actorLabel(db: Kysely<DB>, userId: string): Promise<string> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.name', 'u.email', 'o.name as organisation'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  return row ? `${row.name || row.email} (${row.organisation})` : userId;
}

// --- Evidence requests ---

export async function listRequests(db: Kysely<DB>, caseId: string) {
  return db.selectFrom('incident_evidence_requests').selectAll().where('case_id', '=', caseId).orderBy('requested_at').orderBy('id').execute();
}

export async function findRequest(db: Kysely<DB>, caseId: string, id: string) {
  return db.selectFrom('incident_evidence_requests').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
}

export async function insertRequest(db: Kysely<DB>, caseId: string, description: string, requestedBy: string) {
  return db
    .insertInto('incident_evidence_requests')
    .values({ case_id: caseId, description, requested_by: requestedBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The first upload for a request fulfils it; later ones keep its first date. */
export async function fulfilRequest(db: Kysely<DB>, id: string): Promise<void> {
  await db
    .updateTable('incident_evidence_requests')
    .set({ fulfilled_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('fulfilled_at', 'is', null)
    .execute();
}
