import { randomUUID } from 'node:crypto';
import { inTransaction, type Ctx } from '#server/context.ts';
import { authorize } from '#modules/access/policy.ts';
import type { AuditRow } from '#db/schema.ts';
import { GENESIS_HASH, auditHash } from './audit-hash.ts';
import * as repo from './audit.repository.ts';

export interface AuditEvent {
  /** Dotted verb, e.g. `organisation.create`, `document.read`, `auth.login`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: 'success' | 'denied' | 'failure';
  details?: Record<string, unknown>;
  /** The organisation the actor acted for (a partner acting for a client). */
  onBehalfOf?: string | null;
  /** For events before anyone is logged in (a failed login): who it was about. */
  actorEmail?: string | null;
}

/**
 * Appends one entry to the hash chain, inside the caller's transaction when there is one, so the
 * record and the change it describes commit (or vanish) together.
 */
export async function record(ctx: Ctx, event: AuditEvent): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await repo.lockChain(tx.db);
    const head = await repo.readHead(tx.db);
    const prevHash = head?.hash ?? GENESIS_HASH;
    const fields = {
      id: randomUUID(),
      at: new Date(),
      actorUserId: tx.actor?.userId ?? null,
      actorEmail: tx.actor?.email ?? event.actorEmail ?? null,
      actorOrganisationId: tx.actor?.organisationId ?? null,
      onBehalfOf: event.onBehalfOf ?? null,
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      outcome: event.outcome ?? 'success',
      ip: tx.ip,
      userAgent: tx.userAgent,
      requestId: tx.requestId,
      details: event.details ?? {},
      prevHash,
    };
    await repo.append(tx.db, {
      id: fields.id,
      at: fields.at,
      actor_user_id: fields.actorUserId,
      actor_email: fields.actorEmail,
      actor_organisation_id: fields.actorOrganisationId,
      on_behalf_of: fields.onBehalfOf,
      action: fields.action,
      target_type: fields.targetType,
      target_id: fields.targetId,
      outcome: fields.outcome,
      ip: fields.ip,
      user_agent: fields.userAgent,
      request_id: fields.requestId,
      details: JSON.stringify(fields.details),
      prev_hash: prevHash,
      hash: auditHash(fields),
    });
  });
}

/** Records an attempt the policy refused. Runs outside any transaction that is about to roll back. */
export async function recordDenied(ctx: Ctx, action: string, targetType: string | null, targetId: string | null, reason: string): Promise<void> {
  await record({ ...ctx, db: ctx.services.database.db }, { action, targetType, targetId, outcome: 'denied', details: { reason } });
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: string | null;
}

function rowHash(row: AuditRow): string {
  return auditHash({
    id: row.id,
    at: row.at,
    actorUserId: row.actor_user_id,
    actorEmail: row.actor_email,
    actorOrganisationId: row.actor_organisation_id,
    onBehalfOf: row.on_behalf_of,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    details: row.details,
    prevHash: row.prev_hash,
  });
}

/**
 * Recomputes the chain: a changed entry breaks its own hash, a removed one breaks the link of the
 * next, and a removed tail no longer matches the stored head.
 */
export async function verifyChain(ctx: Ctx): Promise<VerifyResult> {
  // The head is read before the walk: entries appended while it runs lie beyond it and are not
  // mistaken for a removed tail (every request appends, so this happens on a live system).
  const head = await repo.readHead(ctx.db);
  let prev = GENESIS_HASH;
  let checked = 0;
  let lastSeq = 0;
  for await (const row of repo.walk(ctx.db)) {
    if (head && row.seq > head.seq) break;
    if (row.prev_hash !== prev) {
      return { ok: false, checked, firstBadSeq: row.seq, problem: `Entry ${row.seq} does not follow the entry before it: an entry was removed or reordered.` };
    }
    if (rowHash(row) !== row.hash) {
      return { ok: false, checked, firstBadSeq: row.seq, problem: `Entry ${row.seq} was changed after it was written.` };
    }
    prev = row.hash;
    lastSeq = row.seq;
    checked++;
  }
  if (head && (head.seq !== lastSeq || head.hash !== prev)) {
    return { ok: false, checked, firstBadSeq: lastSeq + 1, problem: `The log ends at entry ${lastSeq}, but entry ${head.seq} was written: entries at the end were removed.` };
  }
  if (!head && checked > 0) {
    return { ok: false, checked, firstBadSeq: null, problem: 'The record of the newest entry is missing.' };
  }
  return { ok: true, checked, firstBadSeq: null, problem: null };
}

export async function searchAudit(ctx: Ctx, query: repo.AuditQuery): Promise<AuditRow[]> {
  authorize(ctx.actor, 'audit:read');
  return repo.search(ctx.db, query);
}

export async function verifyAudit(ctx: Ctx): Promise<VerifyResult> {
  authorize(ctx.actor, 'audit:read');
  const result = await verifyChain(ctx);
  await record(ctx, { action: 'audit.verify', details: { ok: result.ok, checked: result.checked } });
  return result;
}
