import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { record } from '#modules/audit/audit.service.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import { addIndicators, createEvent } from '#modules/zdn/ingest.service.ts';
import { normaliseIndicator, type IndicatorType } from '#modules/zdn/indicator-types.ts';
import { rsitTag } from '#lib/rsit.ts';
import { loadCase, requireCert, requireOpenForWork } from './case-access.ts';
import * as repo from './case.repository.ts';
import * as records from './case-record.repository.ts';
import { notifyRoom } from './case.service.ts';
import { presentMessage, presentObservable, presentTimeline } from './incident.presenter.ts';
import type { ObservableInput, ObservableOut, ShareObservablesInput, TimelineInput } from './incident.schema.ts';

// --- timeline ---

/** The CERT sees the whole timeline; the room only the entries the CERT marked as shared (and its own). */
export async function listTimeline(ctx: Ctx, caseId: string) {
  const c = await loadCase(ctx, caseId, 'incidents:read');
  return (await records.listTimeline(ctx.db, caseId, c.access === 'room')).map(presentTimeline);
}

/** An entry from the room is always shared (it is theirs); the CERT decides for its own entries. */
export async function addTimeline(ctx: Ctx, caseId: string, input: TimelineInput) {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:respond');
    requireOpenForWork(c);
    if (input.evidenceId && !(await records.evidenceBelongsToCase(tx.db, caseId, input.evidenceId)))
      throw badRequest('evidence_unknown', 'That evidence is not part of this case.', { field: 'evidenceId' });
    const room = c.access === 'room';
    const orgName = [...c.parties.affected, ...c.parties.guests].find((o) => o.id === c.actor.organisationId)?.name;
    const id = await records.insertTimeline(tx.db, {
      caseId,
      at: input.at,
      source: room ? (orgName ?? 'participant') : input.source || 'CERT',
      text: input.text,
      shared: room ? true : input.shared,
      evidenceId: input.evidenceId ?? null,
      authorUserId: c.actor.userId,
      authorOrganisationId: c.actor.organisationId,
    });
    await record(tx, {
      action: 'incident.timeline.add',
      targetType: 'incident_case',
      targetId: caseId,
      details: { entryId: id, shared: room || input.shared },
    });
    return presentTimeline((await records.findTimelineView(tx.db, caseId, id))!);
  });
}

export async function patchTimeline(ctx: Ctx, caseId: string, entryId: string, patch: { shared?: boolean | undefined; text?: string | undefined }) {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:write');
    requireCert(c);
    if (!(await records.findTimelineView(tx.db, caseId, entryId))) throw notFound('timeline_entry');
    await records.updateTimeline(tx.db, entryId, {
      ...(patch.shared !== undefined ? { shared: patch.shared } : {}),
      ...(patch.text !== undefined ? { text: patch.text } : {}),
    });
    await record(tx, { action: 'incident.timeline.update', targetType: 'incident_case', targetId: caseId, details: { entryId, ...patch } });
    return presentTimeline((await records.findTimelineView(tx.db, caseId, entryId))!);
  });
}

// --- messages ---

export async function listMessages(ctx: Ctx, caseId: string) {
  const c = await loadCase(ctx, caseId, 'incidents:read');
  return (await records.listMessages(ctx.db, caseId, c.access === 'cert')).map(presentMessage);
}

/** A message in the thread. Internal notes are the CERT's; the room's messages reach the CERT's handlers. */
export async function postMessage(ctx: Ctx, caseId: string, input: { body: string; internal: boolean }) {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:respond');
    requireOpenForWork(c);
    const internal = c.access === 'cert' ? input.internal : false;
    if (c.access === 'room' && input.internal)
      throw badRequest('internal_not_allowed', 'Internal notes are for the CERT; leave "internal" off to write to the CERT.', { field: 'internal' });
    const id = await records.insertMessage(tx.db, {
      caseId,
      body: input.body,
      internal,
      authorUserId: c.actor.userId,
      authorOrganisationId: c.actor.organisationId,
    });
    if (c.access === 'cert' && !internal) {
      if (!c.row.first_response_at) await repo.updateCase(tx.db, caseId, { first_response_at: new Date() });
      await notifyRoom(tx, c, `Incident ${c.row.reference}: a message from the CERT`, `message:${id}`, {
        nl: 'een bericht van het CERT',
        en: 'a message from the CERT',
      });
    } else if (c.access === 'room') {
      const handlers = (await repo.assigneesOf(tx.db, caseId)).map((a) => a.id);
      if (handlers.length)
        await notifyUsers(tx, handlers, {
          kind: 'incident.message',
          title: `Incident ${c.row.reference}: a message from the organisation`,
          link: `/incidents/${caseId}`,
          subjectType: 'incident_case',
          subjectId: caseId,
          dedupeKey: `incident:${caseId}:message:${id}`,
        });
    }
    await record(tx, { action: 'incident.message', targetType: 'incident_case', targetId: caseId, details: { messageId: id, internal } });
    return presentMessage((await records.findMessageView(tx.db, caseId, id))!);
  });
}

// --- observables ---

/** For the analyst: each observable, who else in the network saw it (counts), and other cases holding it. */
export async function listObservables(ctx: Ctx, caseId: string): Promise<ObservableOut[]> {
  const c = await loadCase(ctx, caseId, 'incidents:write');
  requireCert(c);
  const [rows, seen, others] = await Promise.all([
    records.listObservables(ctx.db, caseId),
    records.sightingsByOthers(ctx.db, caseId),
    records.otherCasesWithSameValues(ctx.db, caseId),
  ]);
  return rows.map((o) =>
    presentObservable(
      o,
      seen.get(o.id),
      others.filter((x) => x.observable_id === o.id).map((x) => ({ id: x.case_id, reference: x.reference, organisations: x.organisations })),
    ),
  );
}

function normalised(input: ObservableInput): string {
  const n = normaliseIndicator(input.type, input.value);
  if ('error' in n) throw badRequest('observable_invalid', n.error, { field: 'value' });
  return n.value;
}

export async function addObservable(ctx: Ctx, caseId: string, input: ObservableInput, timelineId: string | null = null): Promise<ObservableOut> {
  const value = normalised(input);
  const id = await inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:write');
    requireCert(c);
    requireOpenForWork(c);
    if (timelineId && !(await records.findTimelineView(tx.db, caseId, timelineId))) throw notFound('timeline_entry');
    const oid = await records.insertObservable(tx.db, { caseId, type: input.type, value, comment: input.comment, timelineId, createdBy: c.actor.userId });
    await record(tx, { action: 'incident.observable.add', targetType: 'incident_case', targetId: caseId, details: { type: input.type, timelineId } });
    return oid;
  });
  return (await listObservables(ctx, caseId)).find((o) => o.id === id)!;
}

/**
 * Shares selected observables with the detection network as one new event under the chosen TLP. The
 * event carries the case's RSIT category as a tag and, by default, hides its source: the network
 * learns the indicators, not which hospital was hit.
 */
export async function shareObservables(ctx: Ctx, caseId: string, input: ShareObservablesInput) {
  const c = await loadCase(ctx, caseId, 'incidents:write');
  requireCert(c);
  requireOpenForWork(c);
  const chosen = (await records.listObservables(ctx.db, caseId)).filter((o) => input.observableIds.includes(o.id));
  if (chosen.length !== new Set(input.observableIds).size)
    throw badRequest('observable_unknown', 'Some of the observables are not part of this case.', { field: 'observableIds' });
  return inTransaction(ctx, async (tx) => {
    const event = await createEvent(tx, {
      title: input.title ?? `Indicators from an incident (${c.row.category_class}/${c.row.category_type})`,
      description: '',
      tlp: input.tlp,
      recipients: input.recipients.map((organisationId) => ({ organisationId })),
      threatLevel: c.row.severity === 'critical' || c.row.severity === 'high' ? 1 : 2,
      analysis: 1,
      tags: [rsitTag(c.row.category_class, c.row.category_type)],
      sourceAnonymous: input.anonymous,
    });
    const result = await addIndicators(
      tx,
      event.id,
      chosen.map((o) => ({ type: o.type as IndicatorType, value: o.value, comment: o.comment || undefined })),
      { strict: true },
    );
    const linked = await records.linkSharedIndicators(
      tx.db,
      caseId,
      chosen.map((o) => o.id),
      event.id,
    );
    await records.insertTimeline(tx.db, {
      caseId,
      at: new Date(),
      source: 'CERT',
      text: `${chosen.length} observable(s) shared with the detection network (TLP:${input.tlp}${input.anonymous ? ', source anonymous' : ''}).`,
      shared: false,
      authorUserId: c.actor.userId,
      authorOrganisationId: c.actor.organisationId,
    });
    await record(tx, {
      action: 'incident.observables.share',
      targetType: 'incident_case',
      targetId: caseId,
      details: { eventId: event.id, count: chosen.length, tlp: input.tlp, anonymous: input.anonymous },
    });
    return { eventId: event.id, shared: linked, added: result.added, held: result.held };
  });
}
