import type { Updateable } from 'kysely';
import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict } from '#server/errors.ts';
import { authorize, cvdScopeSql } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { decodeCursor, encodeCursor } from '#server/pagination.ts';
import { CVD_CLOSED_STATUSES, CVD_NEXT_STATUSES, cvdMoveNeedsReason, type CvdCasesTable } from '#db/schema-cvd.ts';
import * as repo from './cvd.repository.ts';
import { loadCvdCase, requireCvdCert, type LoadedCvdCase } from './cvd-access.ts';
import { presentCase, presentSummary } from './cvd.presenter.ts';
import type { CvdCaseOut, CvdListQuery, CvdPatch, ReportInput } from './cvd.schema.ts';
import { scopeOf, submitReport, workingDayOverrides } from './intake.service.ts';
import { addDays } from './deadlines.ts';
import { amsterdamDay } from '#modules/monitoring/working-days.ts';
import { parseCvssVector } from '#lib/cvss.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import { redactFinder } from './finder-redaction.ts';

/** The CERT's side of a CVD case: the list, the case, its status and dates, the scope check. */

export async function listCases(ctx: Ctx, q: CvdListQuery) {
  authorize(ctx.actor, 'cvd:read');
  let after: { at: string; id: string } | null = null;
  try {
    after = decodeCursor(q.cursor);
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this server gave out; start again without it.', { field: 'cursor' });
  }
  const rows = await repo.listCases(ctx.db, {
    scope: cvdScopeSql(ctx.actor, 'cvd:read', 'c.id'),
    status: q.status,
    open: q.open === undefined ? undefined : q.open === 'true',
    q: q.q,
    after,
    limit: q.limit + 1,
  });
  const overrides = await workingDayOverrides(ctx);
  const now = new Date();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  let items = page.map((r) => presentSummary(r, overrides, now));
  if (!isCertRole(ctx.actor.role)) {
    // A party's list: the finder's own words may name them (as in the party's view of the case).
    const finders = new Map((await repo.findersOf(ctx.db, page.map((r) => r.id))).map((f) => [f.case_id, f]));
    items = items.map((i) => ({ ...i, title: redactFinder(i.title, finders.get(i.id)) }));
  }
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.received_at, last.id) : null };
}

export async function present(ctx: Ctx, c: LoadedCvdCase): Promise<CvdCaseOut> {
  const [messages, attachments, events, advisory, assignee, overrides] = await Promise.all([
    repo.messagesOf(ctx.db, c.row.id),
    repo.attachmentsOf(ctx.db, c.row.id),
    repo.eventsOf(ctx.db, c.row.id),
    c.row.advisory_id ? repo.advisoryOf(ctx.db, c.row.advisory_id) : Promise.resolve(undefined),
    c.row.assignee_user_id ? repo.certUser(ctx.db, c.row.assignee_user_id) : Promise.resolve(undefined),
    workingDayOverrides(ctx),
  ]);
  return presentCase(c.row, {
    parties: c.parties,
    messages,
    attachments,
    events,
    advisory: advisory ? { id: advisory.id, identifier: advisory.identifier, status: advisory.status } : null,
    assignee: assignee ?? null,
    overrides,
    now: new Date(),
  });
}

export async function getCase(ctx: Ctx, id: string): Promise<CvdCaseOut> {
  const c = await loadCvdCase(ctx, id, 'cvd:read');
  requireCvdCert(c);
  await record(ctx, { action: 'cvd.read', targetType: 'cvd_case', targetId: id });
  return present(ctx, c);
}

export async function reload(ctx: Ctx, id: string): Promise<CvdCaseOut> {
  return present(ctx, await loadCvdCase(ctx, id, 'cvd:write'));
}

/** The CERT types in a report it received another way (phone, a conference, a partner CERT's mail). */
export async function logReport(ctx: Ctx, input: ReportInput): Promise<{ case: CvdCaseOut; link: string }> {
  authorize(ctx.actor, 'cvd:write');
  const s = await submitReport(ctx, input, [], { intake: 'analyst', encrypted: false });
  return { case: await reload(ctx, s.id), link: s.link };
}

export async function patchCase(ctx: Ctx, id: string, patch: CvdPatch): Promise<CvdCaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    const row = c.row;
    const actorId = c.actor.userId;
    const set: Updateable<CvdCasesTable> = {};
    if (patch.status !== undefined && patch.status !== row.status) {
      if (!CVD_NEXT_STATUSES[row.status].includes(patch.status))
        throw badRequest('cvd_status_move', `A case cannot go from ${row.status} to ${patch.status}; from ${row.status} it can go to ${CVD_NEXT_STATUSES[row.status].join(', ')}.`, { field: 'status' });
      const reopening = CVD_CLOSED_STATUSES.includes(row.status);
      if (cvdMoveNeedsReason(row.status, patch.status) && !patch.reason)
        throw badRequest('cvd_reason_required', `Say why (reason): ${reopening ? 'reopening a closed case' : `a case set to ${patch.status.replace('_', ' ')}`} tells the finder so.`, { field: 'reason' });
      if (patch.status === 'disclosed') await checkDisclosable(tx, row);
      set.status = patch.status;
      const closing = CVD_CLOSED_STATUSES.includes(patch.status);
      set.closed_at = closing ? new Date() : null;
      if (patch.status === 'disclosed') set.disclosed_at = new Date();
      await repo.insertEvent(tx.db, { caseId: id, kind: 'status', text: `Status ${row.status} → ${patch.status}.`, reason: patch.reason ?? null, actorUserId: actorId });
    }
    if (patch.disclosureDue !== undefined && patch.disclosureDue !== row.disclosure_due) {
      if (!patch.reason) throw badRequest('cvd_reason_required', 'Say why the disclosure date changes (reason): the parties are held to it.', { field: 'reason' });
      if (patch.disclosureDue < amsterdamDay() && !CVD_CLOSED_STATUSES.includes(patch.status ?? row.status))
        throw badRequest('cvd_date_past', 'The new disclosure date lies in the past; pick today or a later day.', { field: 'disclosureDue' });
      if (patch.disclosureDue > addDays(amsterdamDay(row.received_at), 730)) throw badRequest('cvd_date_far', 'A disclosure date more than two years after receipt is not an embargo; agree a nearer date.', { field: 'disclosureDue' });
      set.disclosure_due = patch.disclosureDue;
      await repo.resetReminders(tx.db, id, 'disclosure');
      await repo.insertEvent(tx.db, { caseId: id, kind: 'disclosure_date', text: `Target disclosure date ${row.disclosure_due} → ${patch.disclosureDue}.`, reason: patch.reason, actorUserId: actorId });
    }
    if (patch.assigneeUserId !== undefined) {
      if (patch.assigneeUserId && !(await repo.certUser(tx.db, patch.assigneeUserId)))
        throw badRequest('assignee_not_cert', 'Only active CERT staff can be assigned to a case.', { field: 'assigneeUserId' });
      set.assignee_user_id = patch.assigneeUserId;
    }
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.steps !== undefined) set.steps = patch.steps;
    if (patch.impact !== undefined) set.impact = patch.impact;
    if (patch.targetKind !== undefined) set.target_kind = patch.targetKind;
    if (patch.target !== undefined) set.target = patch.target || null;
    if (patch.vendor !== undefined) set.vendor = patch.vendor || null;
    if (patch.product !== undefined) set.product = patch.product || null;
    if (patch.model !== undefined) set.model = patch.model || null;
    if (patch.version !== undefined) set.version = patch.version || null;
    if (patch.cveId !== undefined) set.cve_id = patch.cveId;
    if (patch.cweId !== undefined) set.cwe_id = patch.cweId;
    if (patch.cvssVector !== undefined) set.cvss_vector = patch.cvssVector ? checkVector(patch.cvssVector) : null;
    if (Object.keys(set).length) await repo.updateCase(tx.db, id, set);
    const targetChanged = ['targetKind', 'target', 'vendor', 'product', 'model'].some((k) => k in patch);
    if (targetChanged) {
      const now = (await repo.findCase(tx.db, id))!;
      await repo.setScope(tx.db, id, await scopeOf(tx, { targetKind: now.target_kind, target: now.target, vendor: now.vendor, product: now.product, model: now.model }));
    }
    await record(tx, { action: 'cvd.update', targetType: 'cvd_case', targetId: id, details: { fields: Object.keys(patch) } });
  });
  return reload(ctx, id);
}

/** A CVSS 3.x or 4.0 vector, in the specification's order; anything else is refused with the reason. */
function checkVector(vector: string): string {
  const r = parseCvssVector(vector);
  if (!r.ok) throw badRequest('cvss_invalid', `The CVSS vector is not valid: ${r.message}`, { field: 'cvssVector' });
  return r.vector;
}

/** A case is disclosed with its advisory out: published, not a draft. */
async function checkDisclosable(ctx: Ctx, row: repo.CvdCaseRow): Promise<void> {
  if (!row.advisory_id) throw conflict('cvd_no_advisory', 'Draft and publish the advisory first (“Draft advisory” on the case); a case is disclosed with its advisory.');
  const advisory = await repo.advisoryOf(ctx.db, row.advisory_id);
  if (advisory?.status !== 'published') throw conflict('cvd_advisory_unpublished', 'The case’s advisory is not published yet; publish it (four eyes) before marking the case disclosed.');
}

/** Runs the scope check again (assets and declared products change). */
export async function recheckScope(ctx: Ctx, id: string): Promise<CvdCaseOut> {
  const c = await loadCvdCase(ctx, id, 'cvd:write');
  requireCvdCert(c);
  await repo.setScope(ctx.db, id, await scopeOf(ctx, { targetKind: c.row.target_kind, target: c.row.target, vendor: c.row.vendor, product: c.row.product, model: c.row.model }));
  await record(ctx, { action: 'cvd.scope_check', targetType: 'cvd_case', targetId: id });
  return reload(ctx, id);
}
