import { createHash } from 'node:crypto';

/** The fields of an audit entry that its hash covers, in a fixed order. */
export interface HashedAuditFields {
  id: string;
  at: Date;
  actorUserId: string | null;
  actorEmail: string | null;
  actorOrganisationId: string | null;
  onBehalfOf: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
  prevHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, so a JSONB round trip (which reorders keys) hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(f: HashedAuditFields): string {
  const payload = canonicalJson([
    f.id,
    f.at.toISOString(),
    f.actorUserId,
    f.actorEmail,
    f.actorOrganisationId,
    f.onBehalfOf,
    f.action,
    f.targetType,
    f.targetId,
    f.outcome,
    f.ip,
    f.userAgent,
    f.requestId,
    f.details,
    f.prevHash,
  ]);
  return createHash('sha256').update(payload).digest('hex');
}
