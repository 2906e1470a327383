import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { authorize, canSeeMarked } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import type { Actor } from '#modules/access/actor.ts';
import { record } from '#modules/audit/audit.service.ts';
import { notifyCertStaff } from '#modules/notifications/notification.service.ts';
import { auditedRead, tlpLabel } from '#lib/tlp.ts';
import { normaliseIndicator } from './indicator-types.ts';
import * as eventRepo from './event.repository.ts';
import * as repo from './indicator.repository.ts';
import * as sightings from './sighting.repository.ts';
import { recordHits } from './hits.service.ts';
import { valueRow } from './ingest.service.ts';
import { notifyStreams } from './stream.service.ts';
import type { IndicatorListQuery, IndicatorOut, SightingInput, ValueSightingInput } from './zdn.schema.ts';

// Reads of TLP:AMBER and above are audited (NEN 7513: who saw what).
/** How much one false-positive report lowers the confidence of every indicator holding the value. */
export const FALSE_POSITIVE_PENALTY = 20;

const certStaff = (actor: Actor) => isCertRole(actor.role);

function present(row: repo.IndicatorRow, actor: Actor, alsoIn: number): IndicatorOut {
  const hideSource = row.source_anonymous && !certStaff(actor) && row.owner_organisation_id !== actor.organisationId;
  return {
    id: row.id,
    eventId: row.event_id,
    eventTitle: row.event_title,
    type: row.type,
    value: row.value,
    tlp: row.tlp,
    pap: row.pap,
    confidence: row.confidence,
    firstSeen: row.first_seen?.toISOString() ?? null,
    lastSeen: row.last_seen?.toISOString() ?? null,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until?.toISOString() ?? null,
    expired: row.expired,
    tags: row.tags,
    comment: row.comment,
    status: row.status,
    warning: row.warning,
    forDetection: row.for_detection,
    sourceOrganisationId: hideSource ? null : row.owner_organisation_id,
    alsoInEvents: alsoIn,
    createdAt: row.created_at.toISOString(),
    modifiedAt: row.modified_at.toISOString(),
  };
}

export async function listIndicators(ctx: Ctx, q: IndicatorListQuery) {
  authorize(ctx.actor, 'zdn:read');
  const actor = ctx.actor;
  const page = await repo.listVisibleIndicators(ctx.db, actor, certStaff(actor), { ...q, includeExpired: q.includeExpired === 'true' });
  const alsoIn = await repo.correlationCounts(ctx.db, actor, page.rows);
  const counts = await sightings.sightingCounts(ctx.db, page.rows.map((r) => r.value_id));
  if (page.rows.some((r) => auditedRead(r.tlp))) await record(ctx, { action: 'zdn.indicators.list', targetType: 'zdn_indicator', details: { count: page.rows.length } });
  return {
    items: page.rows.map((r) => ({ ...present(r, actor, alsoIn.get(r.id) ?? 0), sightings: summary(counts.get(r.value_id), []) })),
    nextCursor: page.nextCursor,
  };
}

function summary(c: sightings.SightingCounts | undefined, named: { organisation_id: string; name: string; kind: 'seen' | 'blocked' | 'false-positive'; seen_at: Date }[]) {
  return {
    organisations24h: c?.organisations24h ?? 0,
    organisations7d: c?.organisations7d ?? 0,
    organisationsTotal: c?.organisationsTotal ?? 0,
    sightings: c?.sightings ?? 0,
    falsePositives: c?.falsePositives ?? 0,
    lastSeenAt: c?.lastSeenAt ? new Date(c.lastSeenAt).toISOString() : null,
    named: named.map((n) => ({ organisationId: n.organisation_id, name: n.name, kind: n.kind, seenAt: new Date(n.seen_at).toISOString() })),
  };
}

/** One indicator the actor may see: shared ones under TLP, pending and held ones only to the CERT and the submitter. */
async function loadVisible(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'zdn:read');
  const row = await repo.findIndicator(ctx.db, id);
  if (!row) throw notFound('indicator');
  const recipients = await eventRepo.eventRecipients(ctx.db, row.event_id);
  const statusOk = row.status === 'active' || certStaff(ctx.actor) || row.owner_organisation_id === ctx.actor.organisationId;
  if (!statusOk || !canSeeMarked(ctx.actor, { tlp: row.tlp, ownerOrganisationId: row.owner_organisation_id, recipients })) {
    await record(ctx, { action: 'zdn.indicator.read', targetType: 'zdn_indicator', targetId: id, outcome: 'denied', details: { tlp: row.tlp } });
    throw notFound('indicator');
  }
  return { row, recipients };
}

export async function getIndicator(ctx: Ctx, id: string): Promise<IndicatorOut> {
  const { row } = await loadVisible(ctx, id);
  const actor = ctx.actor!;
  const alsoIn = await repo.correlationCounts(ctx.db, actor, [row]);
  const counts = await sightings.sightingCounts(ctx.db, [row.value_id]);
  // The CERT sees who saw it; others see only the organisations that chose to be named.
  const named = await sightings.sightingOrganisations(ctx.db, row.value_id, !certStaff(actor));
  if (auditedRead(row.tlp)) await record(ctx, { action: 'zdn.indicator.read', targetType: 'zdn_indicator', targetId: id, details: { tlp: row.tlp } });
  return { ...present(row, actor, alsoIn.get(row.id) ?? 0), sightings: summary(counts.get(row.value_id), named) };
}

const locate = (row: repo.IndicatorRow) => {
  const v = valueRow(row.type, row.value);
  return { rangeStart: v.rangeStart, rangeEnd: v.rangeEnd, host: v.host };
};

/** An analyst shares (approve) or refuses a submitted or warninglisted indicator. */
export async function reviewIndicator(ctx: Ctx, id: string, decision: 'approve' | 'reject', reason?: string) {
  authorize(ctx.actor, 'zdn:write');
  const { row, recipients } = await loadVisible(ctx, id);
  if (row.status !== 'pending' && row.status !== 'held') throw badRequest('indicator_not_in_review', `This indicator is ${row.status}; only pending and held indicators are reviewed.`);
  await inTransaction(ctx, async (tx) => {
    await repo.lockChangeLog(tx.db);
    await repo.setStatus(tx.db, id, decision === 'approve' ? 'active' : 'rejected', reason);
    if (decision === 'approve') {
      const seq = await repo.insertChanges(tx.db, [{ indicatorId: id, change: 'new' }]);
      await recordHits(tx, { eventId: row.event_id, eventTitle: row.event_title, ownerOrganisationId: row.owner_organisation_id, recipients }, [{ id, tlp: row.tlp, type: row.type, value: row.value, ...locate(row) }]);
      if (seq !== null) await notifyStreams(tx, seq);
    }
    await record(tx, { action: `zdn.indicator.${decision}`, targetType: 'zdn_indicator', targetId: id, details: { was: row.status, reason: reason ?? null } });
  });
  return getIndicator(ctx, id);
}

/**
 * A participant or partner reports what it saw. Sightings are about the value, whatever event holds
 * it. An organisation's first false positive on a value lowers the confidence of every shared
 * indicator with that value (the feeds and streams hear the change) and alerts the CERT's analysts;
 * its later ones are recorded only.
 */
export async function addSighting(ctx: Ctx, indicatorId: string, input: SightingInput) {
  authorize(ctx.actor, 'zdn:submit');
  const { row } = await loadVisible(ctx, indicatorId);
  if (row.status !== 'active') throw badRequest('indicator_not_shared', 'Sightings are reported on shared indicators only.');
  const actor = ctx.actor;
  return inTransaction(ctx, async (tx) => {
    const seenAt = input.seenAt ?? new Date().toISOString();
    if (new Date(seenAt).getTime() > Date.now() + 5 * 60_000) throw badRequest('sighting_in_future', 'seenAt lies in the future.', { field: 'seenAt' });
    const falsePositive = input.kind === 'false-positive';
    // The change-log lock also orders false-positive reports: of one organisation's reports on a
    // value only the first lowers the confidence, or one participant could talk any indicator down to 0.
    if (falsePositive) await repo.lockChangeLog(tx.db);
    const repeated = falsePositive && (await sightings.reportedFalsePositive(tx.db, row.value_id, actor.organisationId));
    const s = await sightings.insertSighting(tx.db, { valueId: row.value_id, indicatorId, organisationId: actor.organisationId, userId: actor.userId, kind: input.kind, count: input.count, seenAt, shareIdentity: input.shareIdentity });
    if (falsePositive && !repeated) {
      const changed = await repo.lowerConfidence(tx.db, row.value_id, FALSE_POSITIVE_PENALTY);
      const seq = await repo.insertChanges(tx.db, changed.map((c) => ({ indicatorId: c.id, change: 'changed' })));
      if (seq !== null) await notifyStreams(tx, seq);
      await notifyCertStaff(tx, {
        kind: 'zdn.false_positive',
        title: `[${tlpLabel(row.tlp)}] False positive reported: ${row.type} ${row.value.slice(0, 120)}`,
        body: `Event: ${row.event_title}. Confidence lowered by ${FALSE_POSITIVE_PENALTY} on ${changed.length} indicator(s).`,
        link: `/zdn/indicators/${indicatorId}`,
        subjectType: 'zdn_indicator',
        subjectId: indicatorId,
        dedupeKey: `zdn-fp:${s.id}`,
      });
    }
    await record(tx, { action: 'zdn.sighting.add', targetType: 'zdn_indicator', targetId: indicatorId, details: { kind: input.kind, count: input.count } });
    return { id: s.id, indicatorId, kind: input.kind, count: input.count, seenAt };
  });
}

/** A sighting by value (what a sensor knows), recorded on the first visible indicator holding it. */
export async function addSightingByValue(ctx: Ctx, input: ValueSightingInput) {
  authorize(ctx.actor, 'zdn:submit');
  const normalised = normaliseIndicator(input.type, input.value);
  if ('error' in normalised) throw badRequest('indicator_invalid', normalised.error, { field: 'value' });
  const found = await repo.visibleIndicatorsOfValue(ctx.db, ctx.actor, input.type, normalised.value);
  const first = found[0];
  if (!first) throw notFound('indicator');
  const { type: _t, value: _v, ...sighting } = input;
  return addSighting(ctx, first.id, sighting);
}
