import { parse as parseCsv } from 'csv-parse/sync';
import type { FindingStatus } from '#db/schema-monitoring.ts';
import { authorize, can, organisationScope } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import * as repo from './finding.repository.ts';
import * as stats from './stats.repository.ts';
import type { FindingListQuery, StatusInput } from './monitoring.schema.ts';

/** Sources that can look again when a participant says a finding is fixed. */
const RECHECKABLE_PREFIXES = ['dnsbl:', 'check:'];

export function presentFinding(f: Omit<repo.FindingRow, 'cursor_at'>) {
  return {
    id: f.id,
    organisationId: f.organisation_id,
    organisationName: f.organisation_name,
    assetId: f.asset_id,
    asset: f.asset_value,
    type: f.type,
    subject: f.subject,
    port: f.port || null,
    severity: f.severity,
    status: f.status,
    sources: f.sources,
    firstSeen: f.first_seen.toISOString(),
    lastSeen: f.last_seen.toISOString(),
    reopenedCount: f.reopened_count,
    reopenedAt: f.reopened_at?.toISOString() ?? null,
    notifiedAt: f.notified_at?.toISOString() ?? null,
    resolvedAt: f.resolved_at?.toISOString() ?? null,
    recheckPending: f.recheck_requested_at !== null,
    recheckable: f.sources.some((s) => RECHECKABLE_PREFIXES.some((p) => s.startsWith(p))),
  };
}

/** Findings of the organisations the actor may see: a participant its own, the CERT all of them. */
export async function listFindings(ctx: Ctx, query: FindingListQuery) {
  authorize(ctx.actor, 'monitoring:read');
  const page = await repo.listFindings(ctx.db, {
    organisationIds: organisationScope(ctx.actor, 'monitoring:read'),
    organisationId: query.organisationId,
    status: query.status,
    open: query.open,
    type: query.type,
    severity: query.severity,
    source: query.source,
    q: query.q,
    cursor: query.cursor,
    limit: query.limit,
  });
  return { items: page.rows.map(presentFinding), nextCursor: page.nextCursor };
}

async function visibleFinding(ctx: Ctx, id: string, permission: 'monitoring:read' | 'monitoring:respond') {
  const f = await repo.findFinding(ctx.db, id);
  if (!f) throw notFound('finding');
  authorize(ctx.actor, permission, { organisationId: f.organisation_id, notFoundAs: 'finding' });
  return f;
}

export async function getFinding(ctx: Ctx, id: string) {
  return presentDetail(ctx, await visibleFinding(ctx, id, 'monitoring:read'));
}

/** The stored evidence as a person reads it: a raw CSV line becomes its columns again (the non-empty ones). */
function readableEvidence(evidence: Record<string, unknown>, raw: string | null, columns: string[] | null): Record<string, unknown> {
  if (raw === null || !columns?.length) return evidence;
  let cells: string[] = [];
  try {
    const parsed: string[][] = parseCsv(raw, { relax_column_count: true });
    cells = parsed[0] ?? [];
  } catch {
    return { ...evidence, raw };
  }
  const row: Record<string, string> = {};
  columns.forEach((c, i) => {
    if (cells[i]) row[c] = cells[i];
  });
  return { ...evidence, row };
}

/** A finding the caller has already been allowed to see, with its evidence and history. */
async function presentDetail(ctx: Ctx, f: NonNullable<Awaited<ReturnType<typeof repo.findFinding>>>) {
  const history = await repo.findingEvents(ctx.db, f.id);
  return {
    ...presentFinding(f),
    evidence: readableEvidence(f.evidence, f.evidence_raw, f.evidence_columns),
    history: [
      { kind: 'opened', from: null, to: 'new', source: f.sources[0] ?? null, note: '', actor: null, at: f.first_seen.toISOString() },
      ...history.map((h) => ({
        kind: h.kind,
        from: h.from_status,
        to: h.to_status,
        source: h.source,
        note: h.note,
        actor: h.actor_name,
        at: h.at.toISOString(),
      })),
    ],
  };
}

const ALLOWED_BY_PARTICIPANT: readonly FindingStatus[] = ['acknowledged', 'resolved', 'accepted_risk'];

/**
 * A participant acknowledges, resolves or accepts a finding; the CERT may also set it back to new.
 * Resolving asks the source for a re-check where it can look again (a blacklist, our own checks).
 */
export async function changeStatus(ctx: Ctx, id: string, input: StatusInput) {
  const f = await visibleFinding(ctx, id, 'monitoring:respond');
  if (!ALLOWED_BY_PARTICIPANT.includes(input.status) && !can(ctx.actor, 'monitoring:write')) {
    throw badRequest('status_not_allowed', `A participant sets a finding to acknowledged, resolved or accepted_risk; '${input.status}' is the CERT's to set.`);
  }
  if (input.status === 'accepted_risk' && !input.note?.trim()) throw badRequest('note_required', 'Say why the risk is accepted (note): the CERT reads it.');
  // The answer is the finding just changed: monitoring:respond on its organisation is what allows it
  // (a token scoped to monitoring:respond alone holds no monitoring:read).
  if (f.status === input.status) return presentDetail(ctx, f);
  const recheck = input.status === 'resolved' && f.sources.some((s) => RECHECKABLE_PREFIXES.some((p) => s.startsWith(p)));
  await inTransaction(ctx, async (tx) => {
    const from = await repo.setStatus(tx.db, id, input.status, { resolvedAt: input.status === 'resolved' ? new Date() : null, recheck });
    if (from === null) throw notFound('finding');
    await repo.insertEvent(tx.db, { findingId: id, kind: 'status', from, to: input.status, actorUserId: tx.actor?.userId ?? null, note: input.note ?? '' });
    if (recheck) await repo.insertEvent(tx.db, { findingId: id, kind: 'recheck', note: 'Re-check requested from the source.' });
    await record(tx, { action: 'monitoring.finding.status', targetType: 'monitoring_finding', targetId: id, details: { from, to: input.status } });
    await publish(tx, { type: 'monitoring.finding.changed', organisationId: f.organisation_id, data: { id, status: input.status } });
  });
  const changed = await repo.findFinding(ctx.db, id);
  if (!changed) throw notFound('finding');
  return presentDetail(ctx, changed);
}

/** A participant's picture: open findings per day over the last 90 days, mean time to resolve, and counts. */
export async function organisationStats(ctx: Ctx, organisationId: string | undefined) {
  authorize(ctx.actor, 'monitoring:read');
  const scope = organisationScope(ctx.actor, 'monitoring:read');
  const target = organisationId ?? (scope ? ctx.actor.organisationId : undefined);
  if (target) authorize(ctx.actor, 'monitoring:read', { organisationId: target, notFoundAs: 'organisation' });
  const [openOverTime, byStatus, byType, mttr] = await Promise.all([
    stats.openPerDay(ctx.db, target ?? null, 90),
    stats.countByStatus(ctx.db, target ?? null),
    stats.openByType(ctx.db, target ?? null),
    stats.meanTimeToResolveHours(ctx.db, target ?? null),
  ]);
  return { organisationId: target ?? null, openOverTime, byStatus, openByType: byType, meanTimeToResolveHours: mttr };
}

/** The CERT's sector view: top finding types, the participants with most open findings, per-source health. */
export async function sectorOverview(ctx: Ctx) {
  authorize(ctx.actor, 'monitoring:write');
  const [byStatus, byType, topOrganisations, sources] = await Promise.all([
    stats.countByStatus(ctx.db, null),
    stats.openByType(ctx.db, null),
    stats.topOrganisations(ctx.db, 10),
    stats.sourceHealth(ctx.db),
  ]);
  return {
    byStatus,
    openByType: byType,
    topOrganisations,
    sources: sources.map((s) => ({
      id: s.id,
      kind: s.kind,
      name: s.name,
      enabled: s.enabled,
      lastRunAt: s.last_run_at?.toISOString() ?? null,
      lastRows: s.last_rows,
      lastErrors: s.last_errors,
      lastError: s.last_error,
      openFindings: s.open_findings,
    })),
  };
}
