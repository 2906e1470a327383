import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB } from '#db/schema.ts';
import type { ChecklistItem, IncidentTasksTable, IncidentTemplatesTable, TaskSide, TemplateTask } from '#db/schema-incidents.ts';

export type TaskRow = Selectable<IncidentTasksTable> & { assignee_name: string | null };
export type TemplateRow = Selectable<IncidentTemplatesTable>;

export async function listTasks(db: Kysely<DB>, caseId: string, side?: TaskSide): Promise<TaskRow[]> {
  let q = db
    .selectFrom('incident_tasks as t')
    .leftJoin('users as u', 'u.id', 't.assignee_user_id')
    .selectAll('t')
    .select('u.name as assignee_name')
    .where('t.case_id', '=', caseId);
  if (side) q = q.where('t.side', '=', side);
  return q.orderBy('t.position').orderBy('t.created_at').execute();
}

export async function findTask(db: Kysely<DB>, caseId: string, taskId: string): Promise<TaskRow | undefined> {
  return db
    .selectFrom('incident_tasks as t')
    .leftJoin('users as u', 'u.id', 't.assignee_user_id')
    .selectAll('t')
    .select('u.name as assignee_name')
    .where('t.case_id', '=', caseId)
    .where('t.id', '=', taskId)
    .executeTakeFirst();
}

export interface NewTask {
  title: string;
  side: TaskSide;
  assigneeUserId: string | null;
  dueAt: Date | string | null;
  checklist: ChecklistItem[];
  templateId?: string | null;
}

export async function insertTasks(db: Kysely<DB>, caseId: string, tasks: readonly NewTask[]): Promise<string[]> {
  if (!tasks.length) return [];
  const base = await db.selectFrom('incident_tasks').select(sql<number>`coalesce(max(position), 0)::int`.as('p')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
  const rows = await db
    .insertInto('incident_tasks')
    .values(
      tasks.map((t, i) => ({
        case_id: caseId,
        title: t.title,
        side: t.side,
        assignee_user_id: t.assigneeUserId,
        due_at: t.dueAt,
        checklist: JSON.stringify(t.checklist),
        position: base.p + i + 1,
        template_id: t.templateId ?? null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function updateTask(db: Kysely<DB>, taskId: string, set: Updateable<IncidentTasksTable>): Promise<void> {
  await db.updateTable('incident_tasks').set(set).where('id', '=', taskId).execute();
}

export async function listTemplates(db: Kysely<DB>): Promise<TemplateRow[]> {
  return db.selectFrom('incident_templates').selectAll().orderBy('name').execute();
}

export async function findTemplate(db: Kysely<DB>, id: string): Promise<TemplateRow | undefined> {
  return db.selectFrom('incident_templates').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function upsertTemplate(db: Kysely<DB>, t: { name: string; categoryClass: string; categoryType: string | null; advice: string; tasks: TemplateTask[] }): Promise<string> {
  const row = await db
    .insertInto('incident_templates')
    .values({ name: t.name, category_class: t.categoryClass, category_type: t.categoryType, advice: t.advice, tasks: JSON.stringify(t.tasks) })
    .onConflict((oc) => oc.column('name').doUpdateSet({ category_class: t.categoryClass, category_type: t.categoryType, advice: t.advice, tasks: JSON.stringify(t.tasks) }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listCustomFields(db: Kysely<DB>) {
  return db.selectFrom('incident_custom_fields').selectAll().orderBy('position').orderBy('key').execute();
}

export async function upsertCustomField(db: Kysely<DB>, f: { key: string; label: string; kind: 'text' | 'number' | 'boolean' | 'select'; options: string[] }): Promise<void> {
  await db
    .insertInto('incident_custom_fields')
    .values({ key: f.key, label: f.label, kind: f.kind, options: f.options })
    .onConflict((oc) => oc.column('key').doUpdateSet({ label: f.label, kind: f.kind, options: f.options }))
    .execute();
}

export async function deleteCustomField(db: Kysely<DB>, key: string): Promise<boolean> {
  const r = await db.deleteFrom('incident_custom_fields').where('key', '=', key).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** CERT staff that can be assigned (active users of the CERT's organisation). */
export async function certUsers(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.name'])
    .where('u.id', 'in', ids)
    .where('o.kind', '=', 'cert')
    .execute();
}

/** Users of the given organisations (a participant task's assignee must be one of the room's people). */
export async function usersOfOrganisations(db: Kysely<DB>, userId: string, organisationIds: readonly string[]) {
  if (!organisationIds.length) return undefined;
  return db.selectFrom('users').select(['id', 'name']).where('id', '=', userId).where('organisation_id', 'in', organisationIds).executeTakeFirst();
}
