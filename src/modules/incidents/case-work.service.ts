import type { Updateable } from 'kysely';
import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, forbidden, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import type { IncidentTasksTable } from '#db/schema-incidents.ts';
import { isRsitCategory } from '#lib/rsit.ts';
import { loadCase, requireCert, requireOpenForWork, type LoadedCase } from './case-access.ts';
import * as repo from './case.repository.ts';
import * as work from './case-work.repository.ts';
import { notifyRoom } from './case.service.ts';
import { presentTask, presentTemplate } from './incident.presenter.ts';
import type { CustomFieldInput, TaskInput, TaskPatch, TemplateInput } from './incident.schema.ts';

/** The CERT sees every task; the room only the participant's side. */
export async function listTasks(ctx: Ctx, caseId: string) {
  const c = await loadCase(ctx, caseId, 'incidents:read');
  return (await work.listTasks(ctx.db, caseId, c.access === 'cert' ? undefined : 'participant')).map(presentTask);
}

async function checkAssignee(ctx: Ctx, c: LoadedCase, side: 'cert' | 'participant', userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const ok =
    side === 'cert'
      ? (await work.certUsers(ctx.db, [userId])).length === 1
      : Boolean(
          await work.usersOfOrganisations(
            ctx.db,
            userId,
            [...c.parties.affected, ...c.parties.guests].map((o) => o.id),
          ),
        );
  if (!ok)
    throw badRequest(
      'assignee_invalid',
      side === 'cert' ? 'A CERT task goes to CERT staff.' : "A participant's task goes to someone of the affected organisation or its invited supplier.",
      { field: 'assigneeUserId' },
    );
}

export async function addTask(ctx: Ctx, caseId: string, input: TaskInput) {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:write');
    requireCert(c);
    requireOpenForWork(c);
    await checkAssignee(tx, c, input.side, input.assigneeUserId);
    const [id] = await work.insertTasks(tx.db, caseId, [
      {
        title: input.title,
        side: input.side,
        assigneeUserId: input.assigneeUserId ?? null,
        dueAt: input.dueAt ?? null,
        checklist: input.checklist.map((text) => ({ text, done: false })),
      },
    ]);
    if (input.side === 'participant')
      await notifyRoom(tx, c, `Incident ${c.row.reference}: new task "${input.title}"`, `task:${id}`, {
        nl: 'een nieuwe taak voor uw organisatie',
        en: 'a new task for your organisation',
      });
    await record(tx, { action: 'incident.task.add', targetType: 'incident_case', targetId: caseId, details: { taskId: id, side: input.side } });
    return presentTask((await work.findTask(tx.db, caseId, id!))!);
  });
}

/** The CERT changes any task; the room ticks off its own (status and checklist), nothing else. */
export async function patchTask(ctx: Ctx, caseId: string, taskId: string, patch: TaskPatch) {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:respond');
    requireOpenForWork(c);
    const task = await work.findTask(tx.db, caseId, taskId);
    if (!task || (c.access === 'room' && task.side !== 'participant')) throw notFound('task');
    if (c.access === 'room' && (patch.title !== undefined || patch.assigneeUserId !== undefined || patch.dueAt !== undefined)) {
      throw forbidden('The CERT sets the title, owner and due date of a task; you can tick it off and its checklist.');
    }
    if (patch.checklist && c.access === 'room') {
      // The room ticks items; it does not rewrite the CERT's list.
      const same = patch.checklist.length === task.checklist.length && patch.checklist.every((item, i) => item.text === task.checklist[i]!.text);
      if (!same) throw badRequest('checklist_changed', 'Tick items of the checklist; its items are set by the CERT.', { field: 'checklist' });
    }
    await checkAssignee(tx, c, task.side, patch.assigneeUserId);
    const set: Updateable<IncidentTasksTable> = {};
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.assigneeUserId !== undefined) set.assignee_user_id = patch.assigneeUserId;
    if (patch.dueAt !== undefined) set.due_at = patch.dueAt;
    if (patch.checklist !== undefined) set.checklist = JSON.stringify(patch.checklist);
    if (patch.status !== undefined && patch.status !== task.status) {
      set.status = patch.status;
      set.done_at = patch.status === 'done' ? new Date() : null;
    }
    if (Object.keys(set).length) await work.updateTask(tx.db, taskId, set);
    await record(tx, { action: 'incident.task.update', targetType: 'incident_case', targetId: caseId, details: { taskId, fields: Object.keys(patch) } });
    return presentTask((await work.findTask(tx.db, caseId, taskId))!);
  });
}

/** Applies a playbook: its tasks (due from now), its advice when the case has none, its category when unset. */
export async function applyTemplate(ctx: Ctx, caseId: string, templateId: string) {
  return inTransaction(ctx, async (tx) => {
    const c = await loadCase(tx, caseId, 'incidents:write', { forUpdate: true });
    requireCert(c);
    requireOpenForWork(c);
    const t = await work.findTemplate(tx.db, templateId);
    if (!t) throw badRequest('template_unknown', 'That template does not exist.', { field: 'templateId' });
    const now = Date.now();
    await work.insertTasks(
      tx.db,
      caseId,
      t.tasks.map((task) => ({
        title: task.title,
        side: task.side,
        assigneeUserId: null,
        dueAt: task.dueInHours ? new Date(now + task.dueInHours * 3_600_000) : null,
        checklist: task.checklist.map((text) => ({ text, done: false })),
        templateId: t.id,
      })),
    );
    // A playbook that names its RSIT type categorises a case that has none yet.
    const categorise = c.row.category_class === 'other' && t.category_type !== null;
    await repo.updateCase(tx.db, caseId, {
      ...(c.row.advice.trim() ? {} : { advice: t.advice }),
      ...(categorise ? { category_class: t.category_class, category_type: t.category_type! } : {}),
      ...(c.row.status === 'triage' || c.row.status === 'reported'
        ? { status: 'in_progress' as const, first_response_at: c.row.first_response_at ?? new Date() }
        : {}),
    });
    await notifyRoom(tx, c, `Incident ${c.row.reference}: the CERT set out the next steps`, `template:${t.id}`);
    await record(tx, {
      action: 'incident.template.apply',
      targetType: 'incident_case',
      targetId: caseId,
      details: { template: t.name, tasks: t.tasks.length },
    });
    return (await work.listTasks(tx.db, caseId)).map(presentTask);
  });
}

export async function listTemplates(ctx: Ctx) {
  authorize(ctx.actor, 'incidents:write');
  return (await work.listTemplates(ctx.db)).map(presentTemplate);
}

export async function saveTemplate(ctx: Ctx, input: TemplateInput) {
  authorize(ctx.actor, 'incidents:write');
  if (input.categoryType && !isRsitCategory(input.categoryClass, input.categoryType))
    throw badRequest('category_invalid', `"${input.categoryType}" is not an RSIT type of class "${input.categoryClass}".`, { field: 'categoryType' });
  return inTransaction(ctx, async (tx) => {
    const id = await work.upsertTemplate(tx.db, input);
    await record(tx, { action: 'incident.template.save', targetType: 'incident_template', targetId: id, details: { name: input.name } });
    return presentTemplate((await work.findTemplate(tx.db, id))!);
  });
}

export async function listCustomFields(ctx: Ctx) {
  authorize(ctx.actor, 'incidents:write');
  return (await work.listCustomFields(ctx.db)).map((f) => ({ key: f.key, label: f.label, kind: f.kind, options: f.options }));
}

export async function saveCustomField(ctx: Ctx, input: CustomFieldInput) {
  authorize(ctx.actor, 'incidents:write');
  await inTransaction(ctx, async (tx) => {
    await work.upsertCustomField(tx.db, input);
    await record(tx, { action: 'incident.field.save', targetType: 'incident_field', details: { key: input.key } });
  });
  return { key: input.key, label: input.label, kind: input.kind, options: input.options };
}

export async function deleteCustomField(ctx: Ctx, key: string): Promise<void> {
  authorize(ctx.actor, 'incidents:write');
  await inTransaction(ctx, async (tx) => {
    if (!(await work.deleteCustomField(tx.db, key))) throw notFound('custom_field');
    await record(tx, { action: 'incident.field.delete', targetType: 'incident_field', details: { key } });
  });
}
