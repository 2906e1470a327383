import type { Updateable } from 'kysely';
import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict, forbidden, notFound } from '#server/errors.ts';
import { authorize, caseScopeSql } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import { notifyCertStaff, notifyUsers } from '#modules/notifications/notification.service.ts';
import { activeUserIdsOf, activeUsersOf } from '#modules/identity/users.repository.ts';
import type { IncidentCasesTable } from '#db/schema-incidents.ts';
import type { Permission } from '#modules/access/permissions.ts';
import { isRsitCategory } from '#lib/rsit.ts';
import { decodeCursor, encodeCursor } from '#server/pagination.ts';
import { loadCase, requireCert, requireOpenForWork, type LoadedCase } from './case-access.ts';
import * as repo from './case.repository.ts';
import * as work from './case-work.repository.ts';
import * as records from './case-record.repository.ts';
import { presentCase, presentSummary } from './incident.presenter.ts';
import type { CaseCreateInput, CaseListQuery, CaseOut, CasePatch, CaseReportInput, ClockInput } from './incident.schema.ts';
import { acknowledgement, roomNotice } from './intake-mail-text.ts';
import { recordMailedEvidence, type StoredMailFile } from './mailed-evidence.ts';

export async function listCases(ctx: Ctx, q: CaseListQuery) {
  authorize(ctx.actor, 'incidents:read');
  let after: { at: string; id: string } | null = null;
  try {
    after = decodeCursor(q.cursor);
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this server gave out; start again without it.', { field: 'cursor' });
  }
  const rows = await repo.listCases(ctx.db, {
    scope: caseScopeSql(ctx.actor, 'incidents:read', 'c.id'),
    status: q.status,
    severity: q.severity,
    organisationId: q.organisationId,
    q: q.q,
    after,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(presentSummary), nextCursor: rows.length > q.limit && last ? encodeCursor(last.opened_at, last.id) : null };
}

export async function getCase(ctx: Ctx, id: string): Promise<CaseOut> {
  const c = await loadCase(ctx, id, 'incidents:read');
  await record(ctx, { action: 'incident.read', targetType: 'incident_case', targetId: id, details: { access: c.access } });
  return present(ctx, c);
}

async function present(ctx: Ctx, c: LoadedCase): Promise<CaseOut> {
  const cert = c.access === 'cert';
  const [assignees, related, tasks] = await Promise.all([
    cert ? repo.assigneesOf(ctx.db, c.row.id) : Promise.resolve([]),
    cert ? repo.relatedCases(ctx.db, c.row.id) : Promise.resolve([]),
    work.listTasks(ctx.db, c.row.id, cert ? undefined : 'participant'),
  ]);
  return presentCase(
    c.row,
    c.parties,
    c.access,
    { assignees, related, openTasks: tasks.filter((t) => t.status === 'open').length },
    ctx.services.config.incidents.reminderHours,
  );
}

/** The case as it stands after a change, read with the permission the change needed (a token may hold only that). */
async function reload(ctx: Ctx, id: string, permission: Permission = 'incidents:write'): Promise<CaseOut> {
  return present(ctx, await loadCase(ctx, id, permission));
}

/** A participant reports through the portal's guided form: a case in triage for its own organisation. */
export async function reportCase(ctx: Ctx, input: CaseReportInput): Promise<CaseOut> {
  authorize(ctx.actor, 'incidents:report');
  const actor = ctx.actor;
  if (actor.organisationKind !== 'participant')
    throw forbidden('Only a participant organisation reports its own incidents here; the CERT logs a case with POST /api/v1/incidents.');
  const id = await inTransaction(ctx, async (tx) => {
    const caseId = await repo.insertCase(tx.db, {
      title: input.title,
      description: input.whatHappened,
      intake: 'portal',
      status: 'triage',
      report: { ...input },
      reporterUserId: actor.userId,
      reporterName: input.contactName,
      reporterEmail: input.contactEmail ?? actor.email,
      reporterPhone: input.contactPhone,
      awareAt: input.discoveredAt,
      occurredAt: input.startedAt,
      personalData: input.personalData === 'yes',
      severity: input.patientCareImpact === 'severe' ? 'critical' : input.patientCareImpact === 'limited' ? 'high' : undefined,
      priority: input.patientCareImpact === 'severe' ? 'p1' : input.patientCareImpact === 'limited' ? 'p2' : undefined,
      createdBy: actor.userId,
      organisationIds: [actor.organisationId],
    });
    await records.insertTimeline(tx.db, {
      caseId,
      at: new Date(),
      source: 'portal',
      text: 'Incident reported through the portal.',
      shared: true,
      authorUserId: actor.userId,
      authorOrganisationId: actor.organisationId,
    });
    await afterIntake(tx, caseId, input.contactEmail ?? actor.email);
    return caseId;
  });
  return reload(ctx, id, 'incidents:report');
}

/** The CERT logs a case itself: a phone call, or something it found. */
export async function createCase(ctx: Ctx, input: CaseCreateInput): Promise<CaseOut> {
  authorize(ctx.actor, 'incidents:write');
  const actor = ctx.actor;
  await checkAffected(ctx, input.organisationIds);
  if (input.categoryClass !== undefined || input.categoryType !== undefined)
    checkCategory(input.categoryClass ?? 'other', input.categoryType ?? 'undetermined');
  const id = await inTransaction(ctx, async (tx) => {
    const caseId = await repo.insertCase(tx.db, {
      title: input.title,
      description: input.description,
      intake: input.intake,
      status: 'triage',
      categoryClass: input.categoryClass,
      categoryType: input.categoryType,
      severity: input.severity,
      priority: input.priority,
      tlp: input.tlp,
      report: input.intake === 'phone' ? { loggedBy: actor.email, reporterName: input.reporterName ?? null, reporterPhone: input.reporterPhone ?? null } : {},
      reporterUserId: null,
      reporterName: input.reporterName ?? null,
      reporterEmail: input.reporterEmail ?? null,
      reporterPhone: input.reporterPhone ?? null,
      awareAt: input.awareAt,
      nis2Applies: input.nis2Applies,
      personalData: input.personalData,
      createdBy: actor.userId,
      organisationIds: [...new Set(input.organisationIds)],
    });
    const text = input.intake === 'phone' ? `Phone call from ${input.reporterName ?? 'the organisation'} logged by the CERT.` : 'Case opened by the CERT.';
    await records.insertTimeline(tx.db, {
      caseId,
      at: new Date(),
      source: 'CERT',
      text,
      shared: true,
      authorUserId: actor.userId,
      authorOrganisationId: actor.organisationId,
    });
    await afterIntake(tx, caseId, input.reporterEmail ?? null);
    return caseId;
  });
  return reload(ctx, id);
}

export interface IntakeMail {
  fromAddress: string;
  fromName: string | null;
  subject: string;
  text: string;
  messageId: string | null;
  receivedAt: Date;
  /** The mail's attachments, already in the evidence store (mailed-evidence.ts): evidence of the new case. */
  files?: readonly StoredMailFile[];
}

/**
 * A report by mail to the intake address. The sender's organisation is found from its users and
 * contacts; an unknown sender still opens a case, for the CERT to assign, and gets no reply (no
 * backscatter to forged senders). The same Message-ID twice opens one case.
 */
export async function openCaseFromMail(ctx: Ctx, mail: IntakeMail): Promise<{ id: string; reference: string; created: boolean }> {
  return inTransaction(ctx, async (tx) => {
    if (mail.messageId) {
      const existing = await repo.caseFromMessageId(tx.db, mail.messageId);
      if (existing) return { ...existing, created: false };
    }
    const sender = await repo.senderOrganisation(tx.db, mail.fromAddress);
    const title = (mail.subject.replace(/[\r\n]+/g, ' ').trim() || 'Incident reported by mail').slice(0, 200);
    const caseId = await repo.insertCase(tx.db, {
      title,
      description: mail.text.slice(0, 20_000),
      intake: 'mail',
      status: 'triage',
      report: {
        from: mail.fromAddress,
        fromName: mail.fromName,
        subject: mail.subject,
        messageId: mail.messageId,
        receivedAt: mail.receivedAt.toISOString(),
        senderKnown: Boolean(sender),
      },
      reporterUserId: sender?.user_id ?? null,
      reporterName: mail.fromName ?? sender?.name ?? null,
      reporterEmail: mail.fromAddress,
      reporterPhone: null,
      awareAt: mail.receivedAt.toISOString(),
      createdBy: null,
      organisationIds: sender ? [sender.organisation_id] : [],
    });
    await records.insertTimeline(tx.db, {
      caseId,
      at: mail.receivedAt,
      source: 'mail',
      text: `Incident reported by mail from ${mail.fromAddress}.`,
      shared: true,
      authorUserId: null,
      authorOrganisationId: null,
    });
    await recordMailedEvidence(tx, caseId, mail, sender ? { userId: sender.user_id, organisationId: sender.organisation_id } : null);
    await record(tx, {
      action: 'incident.intake.mail',
      targetType: 'incident_case',
      targetId: caseId,
      details: { from: mail.fromAddress, known: Boolean(sender) },
    });
    const row = await afterIntake(tx, caseId, sender ? mail.fromAddress : null);
    return { id: caseId, reference: row.reference, created: true };
  });
}

/** Every intake ends the same way: the reporter gets an acknowledgement, the CERT a notice. */
async function afterIntake(tx: Ctx, caseId: string, reporterEmail: string | null): Promise<repo.CaseRow> {
  const row = await repo.findCase(tx.db, caseId);
  if (!row) throw notFound('case');
  if (reporterEmail) {
    const mail = acknowledgement(row.reference, row.title, `${tx.services.config.publicUrl}/incidents/${caseId}`);
    await queueMail(tx, `incident-ack:${caseId}`, { to: reporterEmail, subject: mail.subject, text: mail.text });
  }
  await notifyCertStaff(tx, {
    kind: 'incident.reported',
    title: `New incident ${row.reference}`,
    body: row.title,
    link: `/incidents/${caseId}`,
    subjectType: 'incident_case',
    subjectId: caseId,
    dedupeKey: `incident-reported:${caseId}`,
  });
  await record(tx, { action: 'incident.create', targetType: 'incident_case', targetId: caseId, details: { intake: row.intake } });
  return row;
}

async function checkAffected(ctx: Ctx, ids: readonly string[]): Promise<void> {
  const found = await repo.organisationsOfKinds(ctx.db, ids);
  for (const id of ids) {
    const o = found.find((f) => f.id === id);
    if (!o) throw badRequest('organisation_unknown', `Organisation ${id} does not exist.`, { field: 'organisationIds' });
    if (o.kind !== 'participant')
      throw badRequest('not_a_participant', `${o.name} is not a participant; invite a supplier or MSSP as a guest instead.`, { field: 'organisationIds' });
  }
}

/** The class and type a case ends up with must be one RSIT pair (a class given alone keeps a type of another class). */
function checkCategory(cls: string, type: string): void {
  if (!isRsitCategory(cls, type))
    throw badRequest('category_invalid', `"${type}" is not an RSIT type of class "${cls}"; give the class with one of its types.`, { field: 'categoryType' });
}

const STATUS_ORDER = ['reported', 'triage', 'in_progress', 'contained', 'recovered', 'closed'] as const;

/** The CERT changes a case; status moves stamp their times, and the room hears about them. */
export async function patchCase(ctx: Ctx, id: string, patch: CasePatch): Promise<CaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, id, 'incidents:write', { forUpdate: true });
    requireCert(c);
    requireOpenForWork(c);
    const row = c.row;
    if (patch.categoryClass !== undefined || patch.categoryType !== undefined)
      checkCategory(patch.categoryClass ?? row.category_class, patch.categoryType ?? row.category_type);
    const set: Updateable<IncidentCasesTable> = {};
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.categoryClass !== undefined) set.category_class = patch.categoryClass;
    if (patch.categoryType !== undefined) set.category_type = patch.categoryType;
    if (patch.severity !== undefined) set.severity = patch.severity;
    if (patch.priority !== undefined) set.priority = patch.priority;
    if (patch.tlp !== undefined) set.tlp = patch.tlp;
    if (patch.pap !== undefined) set.pap = patch.pap;
    if (patch.advice !== undefined) set.advice = patch.advice;
    if (patch.nis2Applies !== undefined) set.nis2_applies = patch.nis2Applies;
    if (patch.personalData !== undefined) set.personal_data = patch.personalData;
    if (patch.awareAt !== undefined) set.aware_at = patch.awareAt;
    if (patch.status !== undefined && patch.status !== row.status) {
      const now = new Date();
      set.status = patch.status;
      const rank = STATUS_ORDER.indexOf(patch.status);
      if (rank >= STATUS_ORDER.indexOf('in_progress') && !row.first_response_at) set.first_response_at = now;
      if (rank >= STATUS_ORDER.indexOf('contained') && !row.contained_at) set.contained_at = now;
      if (rank >= STATUS_ORDER.indexOf('recovered') && !row.recovered_at) set.recovered_at = now;
      set.closed_at = patch.status === 'closed' ? now : null;
      await records.insertTimeline(tx.db, {
        caseId: id,
        at: now,
        source: 'CERT',
        text: `Status: ${row.status} → ${patch.status}.`,
        shared: true,
        authorUserId: c.actor.userId,
        authorOrganisationId: c.actor.organisationId,
      });
      await notifyRoom(tx, c, `Incident ${row.reference}: ${patch.status.replace('_', ' ')}`, `status:${patch.status}:${now.getTime()}`);
    }
    if (patch.customFields !== undefined)
      set.custom_fields = JSON.stringify(
        await checkCustomFields(tx, { ...(row.custom_fields as Record<string, string | number | boolean | null>), ...patch.customFields }),
      );
    if (patch.organisationIds !== undefined) {
      await checkAffected(tx, patch.organisationIds);
      await repo.setOrganisations(tx.db, id, [...new Set(patch.organisationIds)]);
    }
    if (patch.assigneeIds !== undefined) {
      const ids = [...new Set(patch.assigneeIds)];
      const staff = await work.certUsers(tx.db, ids);
      if (staff.length !== ids.length) throw badRequest('assignee_not_cert', 'Only CERT staff can be assigned to a case.', { field: 'assigneeIds' });
      await repo.setAssignees(tx.db, id, ids);
    }
    if (Object.keys(set).length) await repo.updateCase(tx.db, id, set);
    await record(tx, { action: 'incident.update', targetType: 'incident_case', targetId: id, details: { fields: Object.keys(patch) } });
  });
  return reload(ctx, id);
}

async function checkCustomFields(ctx: Ctx, values: Record<string, string | number | boolean | null>): Promise<Record<string, string | number | boolean>> {
  const defs = await work.listCustomFields(ctx.db);
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null) continue;
    const def = defs.find((d) => d.key === key);
    if (!def)
      throw badRequest('custom_field_unknown', `There is no custom field "${key}"; the CERT defines them under /api/v1/incident-fields.`, {
        field: `customFields.${key}`,
      });
    const ok =
      (def.kind === 'text' && typeof value === 'string') ||
      (def.kind === 'number' && typeof value === 'number') ||
      (def.kind === 'boolean' && typeof value === 'boolean') ||
      (def.kind === 'select' && typeof value === 'string' && def.options.includes(value));
    if (!ok)
      throw badRequest(
        'custom_field_invalid',
        def.kind === 'select' ? `"${def.label}" is one of: ${def.options.join(', ')}.` : `"${def.label}" takes a ${def.kind}.`,
        { field: `customFields.${key}` },
      );
    out[key] = value;
  }
  return out;
}

/** The affected organisation (or the CERT) records the notifications it made to the authorities. */
export async function setClocks(ctx: Ctx, id: string, input: ClockInput): Promise<CaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, id, 'incidents:respond', { forUpdate: true });
    requireOpenForWork(c);
    const set: Updateable<IncidentCasesTable> = {};
    if (input.earlyWarningAt !== undefined) set.early_warning_at = input.earlyWarningAt;
    if (input.notificationAt !== undefined) set.notification_at = input.notificationAt;
    if (input.finalReportAt !== undefined) set.final_report_at = input.finalReportAt;
    if (input.dpaNotifiedAt !== undefined) set.dpa_notified_at = input.dpaNotifiedAt;
    if (Object.keys(set).length) await repo.updateCase(tx.db, id, set);
    await record(tx, { action: 'incident.clocks', targetType: 'incident_case', targetId: id, details: input });
  });
  return reload(ctx, id, 'incidents:respond');
}

/**
 * A portal notice to the people of the room (affected organisations and guests). With `mail`, each
 * also gets a short notice by mail in their language (what happened and the link, never the content),
 * once per user and event: for what asks something of them (a message, a task, an evidence request).
 */
export async function notifyRoom(ctx: Ctx, c: LoadedCase, title: string, key: string, mail?: { nl: string; en: string }): Promise<void> {
  const orgs = [...c.parties.affected, ...c.parties.guests].map((o) => o.id);
  const users = await activeUsersOf(ctx.db, orgs);
  await notifyUsers(
    ctx,
    users.map((u) => u.id),
    {
      kind: 'incident.update',
      title,
      link: `/incidents/${c.row.id}`,
      subjectType: 'incident_case',
      subjectId: c.row.id,
      dedupeKey: `incident:${c.row.id}:${key}`,
    },
  );
  if (!mail) return;
  const link = `${ctx.services.config.publicUrl}/incidents/${c.row.id}`;
  for (const u of users) {
    const m = roomNotice(c.row.reference, mail, link, u.locale);
    await queueMail(ctx, `incident-room:${c.row.id}:${key}:${u.id}`, { to: u.email, subject: m.subject, text: m.text });
  }
}

// --- guests, links, merge ---

export async function inviteGuest(ctx: Ctx, id: string, organisationId: string): Promise<CaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, id, 'incidents:write');
    requireCert(c);
    const [org] = await repo.organisationsOfKinds(tx.db, [organisationId]);
    if (!org) throw badRequest('organisation_unknown', 'That organisation does not exist.', { field: 'organisationId' });
    if (org.kind === 'cert') throw badRequest('guest_is_cert', 'The CERT sees the case already.', { field: 'organisationId' });
    if (c.parties.affected.some((a) => a.id === organisationId))
      throw conflict('guest_is_affected', `${org.name} is an affected organisation of this case already.`);
    await repo.upsertGuest(tx.db, id, organisationId, c.actor.userId);
    await records.insertTimeline(tx.db, {
      caseId: id,
      at: new Date(),
      source: 'CERT',
      text: `${org.name} was invited to the case.`,
      shared: true,
      authorUserId: c.actor.userId,
      authorOrganisationId: c.actor.organisationId,
    });
    const users = await activeUserIdsOf(tx.db, organisationId);
    await notifyUsers(tx, users, {
      kind: 'incident.invited',
      title: `You were invited to incident ${c.row.reference}`,
      link: `/incidents/${id}`,
      subjectType: 'incident_case',
      subjectId: id,
      dedupeKey: `incident-invite:${id}:${organisationId}:${Date.now()}`,
    });
    await record(tx, { action: 'incident.guest.invite', targetType: 'incident_case', targetId: id, details: { organisationId } });
  });
  return reload(ctx, id);
}

export async function revokeGuest(ctx: Ctx, id: string, organisationId: string): Promise<CaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, id, 'incidents:write');
    requireCert(c);
    if (!(await repo.revokeGuest(tx.db, id, organisationId))) throw notFound('guest');
    await record(tx, { action: 'incident.guest.revoke', targetType: 'incident_case', targetId: id, details: { organisationId } });
  });
  return reload(ctx, id);
}

export async function linkCase(ctx: Ctx, id: string, otherId: string, unlink = false): Promise<CaseOut> {
  if (id === otherId) throw badRequest('link_self', 'A case cannot be linked to itself.', { field: 'caseId' });
  await inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, id, 'incidents:write');
    requireCert(c);
    await loadCase(tx, otherId, 'incidents:write');
    if (unlink) await repo.unlinkCases(tx.db, id, otherId);
    else await repo.linkCases(tx.db, id, otherId, c.actor.userId);
    await record(tx, { action: unlink ? 'incident.unlink' : 'incident.link', targetType: 'incident_case', targetId: id, details: { other: otherId } });
  });
  return reload(ctx, id);
}

/** Merges a case into another: everything moves over, the merged case closes and points at the other. */
export async function mergeCase(ctx: Ctx, id: string, intoId: string): Promise<CaseOut> {
  if (id === intoId) throw badRequest('merge_self', 'A case cannot be merged into itself.', { field: 'intoCaseId' });
  await inTransaction(ctx, async (tx) => {
    const from = await loadCase(tx, id, 'incidents:write', { forUpdate: true });
    requireCert(from);
    requireOpenForWork(from);
    const into = await loadCase(tx, intoId, 'incidents:write', { forUpdate: true });
    requireOpenForWork(into);
    await repo.moveCaseContents(tx.db, id, intoId);
    await repo.updateCase(tx.db, id, { merged_into_id: intoId, status: 'closed', closed_at: new Date() });
    await records.insertTimeline(tx.db, {
      caseId: intoId,
      at: new Date(),
      source: 'CERT',
      text: `Case ${from.row.reference} was merged into this case.`,
      shared: false,
      authorUserId: from.actor.userId,
      authorOrganisationId: from.actor.organisationId,
    });
    await record(tx, { action: 'incident.merge', targetType: 'incident_case', targetId: id, details: { into: intoId } });
  });
  return reload(ctx, intoId);
}
