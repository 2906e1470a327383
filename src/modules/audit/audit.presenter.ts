import { csvCell } from '#lib/csv.ts';
import { z } from 'zod';
import type { AuditRow } from '#db/schema.ts';

export const AuditEntry = z.object({
  seq: z.number(),
  id: z.string(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  actorOrganisationId: z.string().nullable(),
  onBehalfOf: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.enum(['success', 'denied', 'failure']),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

export function presentAuditEntry(r: AuditRow): z.infer<typeof AuditEntry> {
  return {
    seq: r.seq,
    id: r.id,
    at: r.at.toISOString(),
    actorUserId: r.actor_user_id,
    actorEmail: r.actor_email,
    actorOrganisationId: r.actor_organisation_id,
    onBehalfOf: r.on_behalf_of,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: r.details,
    hash: r.hash,
  };
}

export function presentAuditCsv(rows: AuditRow[]): string {
  const header = ['seq', 'at', 'actor_email', 'actor_user_id', 'actor_organisation_id', 'on_behalf_of', 'action', 'target_type', 'target_id', 'outcome', 'ip', 'user_agent', 'request_id', 'details', 'hash'];
  const lines = rows.map((r) =>
    [r.seq, r.at.toISOString(), r.actor_email, r.actor_user_id, r.actor_organisation_id, r.on_behalf_of, r.action, r.target_type, r.target_id, r.outcome, r.ip, r.user_agent, r.request_id, r.details, r.hash].map(csvCell).join(','),
  );
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
