import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { authorize, can, canSeeMarked } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import { parseIpRange } from '#lib/ip.ts';
import { tlpLabel, tlpRank, type Tlp } from '#lib/tlp.ts';
import { DEFAULT_VALIDITY_DAYS, normaliseIndicator, stixPattern, type IndicatorType } from './indicator-types.ts';
import * as eventRepo from './event.repository.ts';
import * as repo from './indicator.repository.ts';
import { recordHits } from './hits.service.ts';
import { notifyStreams } from './stream.service.ts';
import { warninglistCheck } from './warninglist.service.ts';
import type { EventInput, IndicatorInput, IngestResultOut } from './zdn.schema.ts';

type Origin = 'api' | 'misp' | 'stix' | 'csv' | 'text' | 'demo';

/** Creates an event. The CERT shares directly; a participant's or partner's event is a submission. */
export async function createEvent(ctx: Ctx, input: EventInput, opts: { origin?: Origin; id?: string } = {}) {
  authorize(ctx.actor, 'zdn:submit');
  await checkRecipients(ctx, input.recipients);
  return inTransaction(ctx, async (tx) => {
    const id = await eventRepo.insertEvent(tx.db, {
      id: opts.id,
      owner: tx.actor!.organisationId,
      title: input.title,
      description: input.description,
      tlp: input.tlp,
      threatLevel: input.threatLevel,
      analysis: input.analysis,
      date: input.date,
      tags: input.tags,
      sourceAnonymous: input.sourceAnonymous,
      origin: opts.origin ?? 'api',
      createdBy: tx.actor!.userId,
      recipients: dedupeRecipients(input.recipients),
    });
    await record(tx, { action: 'zdn.event.create', targetType: 'zdn_event', targetId: id, details: { tlp: input.tlp, origin: opts.origin ?? 'api' } });
    const row = await eventRepo.findEvent(tx.db, id, tx.actor);
    if (!row) throw notFound('event');
    return row;
  });
}

/** An event the actor may add to: the CERT adds to any, others only to their own organisation's events. */
async function loadWritableEvent(ctx: Ctx, eventId: string) {
  authorize(ctx.actor, 'zdn:submit');
  const event = await eventRepo.findEventCore(ctx.db, eventId);
  if (!event) throw notFound('event');
  const recipients = await eventRepo.eventRecipients(ctx.db, eventId);
  const writable = can(ctx.actor, 'zdn:write') || event.owner_organisation_id === ctx.actor.organisationId;
  if (!writable) {
    if (canSeeMarked(ctx.actor, { tlp: event.tlp, ownerOrganisationId: event.owner_organisation_id, recipients })) {
      throw badRequest('event_not_yours', 'Only the CERT and the organisation that shared this event may add to it; submit your indicators in an event of your own.');
    }
    throw notFound('event');
  }
  return { event, recipients };
}

/** A validated, normalised input: what the indicator row will hold, and where it stood in the request. */
type Prepared = { index: number; type: IndicatorType; value: string } & Pick<
  repo.IndicatorRowInput,
  'tlp' | 'pap' | 'confidence' | 'firstSeen' | 'lastSeen' | 'validUntil' | 'validUntilGiven' | 'tags' | 'comment' | 'forDetection'
>;

/** Validates and normalises inputs; collects the refusals with their reasons instead of stopping at the first. */
export function prepareIndicators(inputs: readonly IndicatorInput[], eventTlp: Tlp, now = new Date()) {
  const accepted = new Map<string, Prepared>();
  const skipped: IngestResultOut['skipped'] = [];
  inputs.forEach((input, index) => {
    const normalised = normaliseIndicator(input.type, input.value);
    if ('error' in normalised) {
      skipped.push({ index, type: input.type, value: input.value.slice(0, 200), reason: normalised.error });
      return;
    }
    const tlp = input.tlp ?? eventTlp;
    if (tlpRank(tlp) < tlpRank(eventTlp)) {
      skipped.push({ index, type: input.type, value: normalised.value.slice(0, 200), reason: `An indicator may not be marked less strictly (${tlpLabel(tlp)}) than its event (${tlpLabel(eventTlp)}).` });
      return;
    }
    if (input.firstSeen && input.lastSeen && input.firstSeen > input.lastSeen) {
      skipped.push({ index, type: input.type, value: normalised.value.slice(0, 200), reason: 'firstSeen is after lastSeen.' });
      return;
    }
    const days = DEFAULT_VALIDITY_DAYS[input.type];
    const validUntil = input.validUntil === null ? null : (input.validUntil ?? (days === null ? null : new Date(now.getTime() + days * 86_400_000).toISOString()));
    // The same value twice in one request is one indicator: the later entry wins.
    accepted.set(repo.valueKey(input.type, normalised.value), {
      index,
      type: input.type,
      value: normalised.value,
      tlp,
      pap: input.pap ?? 'GREEN',
      confidence: input.confidence ?? 50,
      firstSeen: input.firstSeen ?? null,
      lastSeen: input.lastSeen ?? null,
      validUntil,
      validUntilGiven: input.validUntil !== undefined,
      tags: [...new Set(input.tags ?? [])],
      comment: input.comment ?? '',
      forDetection: input.forDetection ?? true,
    });
  });
  return { accepted: [...accepted.values()], skipped };
}

/** The derived columns of a stored value: its address range or host for hits, and its STIX pattern. */
export function valueRow(type: IndicatorType, value: string): repo.ValueRow {
  let rangeStart: string | null = null;
  let rangeEnd: string | null = null;
  let host: string | null = null;
  if (type === 'ipv4' || type === 'ipv6' || type === 'cidr') {
    const range = parseIpRange(value);
    rangeStart = range?.start ?? null;
    rangeEnd = range?.end ?? null;
  } else if (type === 'domain' || type === 'hostname') {
    host = value;
  } else if (type === 'url') {
    try {
      host = new URL(value).hostname.replace(/^\[|\]$/g, '') || null;
    } catch {
      host = null;
    }
  }
  const pattern = stixPattern(type, value);
  return { type, value, rangeStart, rangeEnd, host, pattern: pattern?.pattern ?? null, patternType: pattern?.patternType ?? null };
}

/**
 * Adds indicators to an event in one transaction: values stored once (correlation), warninglists
 * checked before anything is shared, the change log and streams told, hits on participants'
 * declared networks alerted. `strict` refuses the whole request when one value is invalid (the
 * API); otherwise invalid values are skipped and reported (imports).
 */
export async function addIndicators(ctx: Ctx, eventId: string, inputs: readonly IndicatorInput[], opts: { strict: boolean }): Promise<IngestResultOut> {
  const { event, recipients } = await loadWritableEvent(ctx, eventId);
  const { accepted, skipped } = prepareIndicators(inputs, event.tlp);
  if (opts.strict && skipped.length) {
    throw badRequest('indicator_invalid', skipped.length === 1 ? skipped[0]!.reason : `${skipped.length} indicators are invalid; nothing was stored.`, { skipped: skipped.slice(0, 100) });
  }
  const actor = ctx.actor!;
  // The CERT shares at once; what others send waits for an analyst.
  const direct = isCertRole(actor.role) && can(actor, 'zdn:write');
  const onList = await warninglistCheck(ctx);
  const rows = accepted.map((p) => {
    const lists = onList(p.type, p.value);
    return { p, warning: lists.length ? `On warninglist: ${lists.join(', ')}` : null };
  });
  const values = accepted.map((p) => valueRow(p.type, p.value));
  // Inside a caller's transaction (the demo loader adds many times in one) the change-log lock may
  // already be held from an earlier add: then it is taken before the values as well, so that this
  // transaction never waits for a value while holding the lock another request is waiting for.
  const lockFirst = ctx.db.isTransaction;
  const result = await inTransaction(ctx, async (tx) => {
    if (lockFirst) await repo.lockChangeLog(tx.db);
    // The values first, outside the change-log lock: storing them needs no order (upsertValues keeps
    // one of its own against deadlocks), so another request's indicators can be written meanwhile.
    const ids = await repo.upsertValues(tx.db, values);
    await repo.lockChangeLog(tx.db);
    const written = await repo.upsertIndicators(
      tx.db,
      rows.map(({ p, warning }) => ({
        eventId,
        valueId: ids.get(repo.valueKey(p.type, p.value))!,
        owner: event.owner_organisation_id,
        tlp: p.tlp,
        pap: p.pap,
        confidence: p.confidence,
        firstSeen: p.firstSeen,
        lastSeen: p.lastSeen,
        validUntil: p.validUntil,
        validUntilGiven: p.validUntilGiven,
        tags: p.tags,
        comment: p.comment,
        status: !direct ? 'pending' : warning ? 'held' : 'active',
        warning,
        createdBy: actor.userId,
        forDetection: p.forDetection,
      })),
    );
    const shared = written.filter((w) => w.status === 'active');
    const lastSeq = await repo.insertChanges(tx.db, shared.map((w) => ({ indicatorId: w.id, change: w.inserted ? 'new' : 'changed' })));
    const byValueId = new Map(accepted.map((p, n) => [ids.get(repo.valueKey(p.type, p.value)), { p, v: values[n]! }]));
    await recordHits(
      tx,
      { eventId, eventTitle: event.title, ownerOrganisationId: event.owner_organisation_id, recipients },
      shared.map((w) => {
        const { p, v } = byValueId.get(w.value_id)!;
        return { id: w.id, tlp: p.tlp, type: p.type, value: p.value, rangeStart: v.rangeStart, rangeEnd: v.rangeEnd, host: v.host };
      }),
    );
    await eventRepo.touchEvent(tx.db, eventId);
    const counts = {
      added: written.filter((w) => w.inserted).length,
      updated: written.filter((w) => !w.inserted).length,
      held: written.filter((w) => w.status === 'held').length,
      pending: written.filter((w) => w.status === 'pending').length,
    };
    await record(tx, { action: 'zdn.indicators.add', targetType: 'zdn_event', targetId: eventId, details: { ...counts, skipped: skipped.length } });
    if (lastSeq !== null) await notifyStreams(tx, lastSeq);
    return counts;
  });
  return { eventId, ...result, skipped };
}

async function checkRecipients(ctx: Ctx, recipients: readonly { organisationId: string; userId?: string | null | undefined }[]) {
  for (const r of recipients) {
    if (!(await orgRepo.findOrganisation(ctx.db, r.organisationId))) throw badRequest('recipient_unknown', `Recipient organisation ${r.organisationId} does not exist.`, { field: 'recipients' });
    if (r.userId && (await findUserWithOrgById(ctx.db, r.userId))?.organisation_id !== r.organisationId) {
      throw badRequest('recipient_unknown', `Recipient ${r.userId} is not a user of organisation ${r.organisationId}.`, { field: 'recipients' });
    }
  }
}

function dedupeRecipients<T extends { organisationId: string; userId?: string | null | undefined }>(recipients: readonly T[]): T[] {
  return recipients.filter((r, i, all) => all.findIndex((x) => x.organisationId === r.organisationId && (x.userId ?? null) === (r.userId ?? null)) === i);
}

/** The expiry sweep: indicators whose lifetime ended leave the feeds; streams hear 'expired' once. */
export async function sweepExpired(ctx: Ctx, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await inTransaction(ctx, async (tx) => {
      await repo.lockChangeLog(tx.db);
      const { noted, activeIds } = await repo.noteExpired(tx.db, batch);
      const lastSeq = await repo.insertChanges(tx.db, activeIds.map((id) => ({ indicatorId: id, change: 'expired' })));
      if (lastSeq !== null) await notifyStreams(tx, lastSeq);
      total += activeIds.length;
      return noted < batch;
    });
    if (done) return total;
  }
}

