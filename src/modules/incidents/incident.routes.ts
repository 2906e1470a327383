import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { RSIT } from '#lib/rsit.ts';
import * as cases from './case.service.ts';
import * as work from './case-work.service.ts';
import * as records from './case-record.service.ts';
import {
  ApplyTemplateInput,
  CaseChildParams,
  CaseCreateInput,
  CaseIdParams,
  CaseListQuery,
  CaseOrgParams,
  CaseOut,
  CasePatch,
  CaseReportInput,
  CaseSummaryOut,
  ClockInput,
  CustomFieldInput,
  CustomFieldOut,
  GuestInput,
  LinkInput,
  MergeInput,
  MessageInput,
  MessageOut,
  ObservableInput,
  ObservableOut,
  ShareObservablesInput,
  TaskInput,
  TaskOut,
  TaskPatch,
  TemplateInput,
  TemplateOut,
  TimelineInput,
  TimelineOut,
  TimelinePatch,
} from './incident.schema.ts';

const READ = { access: { auth: 'user', permission: 'incidents:read' } } as const;
const REPORT = { access: { auth: 'user', permission: 'incidents:report' } } as const;
const RESPOND = { access: { auth: 'user', permission: 'incidents:respond' } } as const;
const WRITE = { access: { auth: 'user', permission: 'incidents:write' } } as const;
const tags = ['incidents'];
const FieldParams = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'This is not a field key.') }).strict();

/** Cases, the room, tasks, playbooks, timeline, observables and messages. Evidence and reports have their own files. */
export function incidentRoutes(app: App): void {
  app.get('/api/v1/incidents', { config: READ, schema: { tags, summary: 'Incident cases I take part in (the CERT: all)', querystring: CaseListQuery, response: { 200: z.object({ items: z.array(CaseSummaryOut), nextCursor: z.string().nullable() }) } } }, async (req) =>
    cases.listCases(req.ctx, req.query),
  );
  app.post('/api/v1/incidents/report', { config: REPORT, schema: { tags, summary: 'Report an incident of my organisation (guided form)', body: CaseReportInput, response: { 201: CaseOut } } }, async (req, reply) =>
    reply.status(201).send(await cases.reportCase(req.ctx, req.body)),
  );
  app.post('/api/v1/incidents', { config: WRITE, schema: { tags, summary: 'Open a case: a logged phone call or the CERT’s own finding', body: CaseCreateInput, response: { 201: CaseOut } } }, async (req, reply) =>
    reply.status(201).send(await cases.createCase(req.ctx, req.body)),
  );
  app.get('/api/v1/incidents/taxonomy', { config: READ, schema: { tags, summary: 'The RSIT classes and types', response: { 200: z.record(z.string(), z.array(z.string())) } } }, async () => Object.fromEntries(Object.entries(RSIT).map(([k, v]) => [k, [...v]])));
  app.get('/api/v1/incidents/:id', { config: READ, schema: { tags, summary: 'One case (the room sees what is shared with it)', params: CaseIdParams, response: { 200: CaseOut } } }, async (req) => cases.getCase(req.ctx, req.params.id));
  app.patch('/api/v1/incidents/:id', { config: WRITE, schema: { tags, summary: 'Change a case: status, category, severity, TLP, advice, parties, assignees, custom fields', params: CaseIdParams, body: CasePatch, response: { 200: CaseOut } } }, async (req) =>
    cases.patchCase(req.ctx, req.params.id, req.body),
  );
  app.put('/api/v1/incidents/:id/clocks', { config: RESPOND, schema: { tags, summary: 'Record the notifications made (NIS2 early warning, notification, final report; the DPA)', params: CaseIdParams, body: ClockInput, response: { 200: CaseOut } } }, async (req) =>
    cases.setClocks(req.ctx, req.params.id, req.body),
  );

  app.post('/api/v1/incidents/:id/guests', { config: WRITE, schema: { tags, summary: 'Invite an IT supplier or MSSP into the room', params: CaseIdParams, body: GuestInput, response: { 200: CaseOut } } }, async (req) =>
    cases.inviteGuest(req.ctx, req.params.id, req.body.organisationId),
  );
  app.delete('/api/v1/incidents/:id/guests/:organisationId', { config: WRITE, schema: { tags, summary: 'Withdraw an invitation', params: CaseOrgParams, response: { 200: CaseOut } } }, async (req) =>
    cases.revokeGuest(req.ctx, req.params.id, req.params.organisationId),
  );
  app.post('/api/v1/incidents/:id/links', { config: WRITE, schema: { tags, summary: 'Link a related case', params: CaseIdParams, body: LinkInput, response: { 200: CaseOut } } }, async (req) => cases.linkCase(req.ctx, req.params.id, req.body.caseId));
  app.delete('/api/v1/incidents/:id/links/:childId', { config: WRITE, schema: { tags, summary: 'Unlink a related case', params: CaseChildParams, response: { 200: CaseOut } } }, async (req) =>
    cases.linkCase(req.ctx, req.params.id, req.params.childId, true),
  );
  app.post('/api/v1/incidents/:id/merge', { config: WRITE, schema: { tags, summary: 'Merge this case into another', params: CaseIdParams, body: MergeInput, response: { 200: CaseOut } } }, async (req) =>
    cases.mergeCase(req.ctx, req.params.id, req.body.intoCaseId),
  );

  app.get('/api/v1/incidents/:id/tasks', { config: READ, schema: { tags, summary: 'Tasks (the room: its own)', params: CaseIdParams, response: { 200: z.array(TaskOut) } } }, async (req) => work.listTasks(req.ctx, req.params.id));
  app.post('/api/v1/incidents/:id/tasks', { config: WRITE, schema: { tags, summary: 'Add a task for the CERT or the participant', params: CaseIdParams, body: TaskInput, response: { 201: TaskOut } } }, async (req, reply) =>
    reply.status(201).send(await work.addTask(req.ctx, req.params.id, req.body)),
  );
  app.patch('/api/v1/incidents/:id/tasks/:childId', { config: RESPOND, schema: { tags, summary: 'Tick off a task or its checklist (the CERT: change it)', params: CaseChildParams, body: TaskPatch, response: { 200: TaskOut } } }, async (req) =>
    work.patchTask(req.ctx, req.params.id, req.params.childId, req.body),
  );
  app.post('/api/v1/incidents/:id/apply-template', { config: WRITE, schema: { tags, summary: 'Apply a playbook: its tasks, advice and category', params: CaseIdParams, body: ApplyTemplateInput, response: { 200: z.array(TaskOut) } } }, async (req) =>
    work.applyTemplate(req.ctx, req.params.id, req.body.templateId),
  );

  app.get('/api/v1/incidents/:id/timeline', { config: READ, schema: { tags, summary: 'The timeline (the room: shared entries)', params: CaseIdParams, response: { 200: z.array(TimelineOut) } } }, async (req) => records.listTimeline(req.ctx, req.params.id));
  app.post('/api/v1/incidents/:id/timeline', { config: RESPOND, schema: { tags, summary: 'Add a timeline entry', params: CaseIdParams, body: TimelineInput, response: { 201: TimelineOut } } }, async (req, reply) =>
    reply.status(201).send(await records.addTimeline(req.ctx, req.params.id, req.body)),
  );
  app.patch('/api/v1/incidents/:id/timeline/:childId', { config: WRITE, schema: { tags, summary: 'Share or unshare an entry, or correct its text', params: CaseChildParams, body: TimelinePatch, response: { 200: TimelineOut } } }, async (req) =>
    records.patchTimeline(req.ctx, req.params.id, req.params.childId, req.body),
  );
  app.post('/api/v1/incidents/:id/timeline/:childId/observables', { config: WRITE, schema: { tags, summary: 'Take an indicator from a timeline entry (one step)', params: CaseChildParams, body: ObservableInput, response: { 201: ObservableOut } } }, async (req, reply) =>
    reply.status(201).send(await records.addObservable(req.ctx, req.params.id, req.body, req.params.childId)),
  );

  app.get('/api/v1/incidents/:id/observables', { config: WRITE, schema: { tags, summary: 'Observables with sightings elsewhere and other cases holding them', params: CaseIdParams, response: { 200: z.array(ObservableOut) } } }, async (req) =>
    records.listObservables(req.ctx, req.params.id),
  );
  app.post('/api/v1/incidents/:id/observables', { config: WRITE, schema: { tags, summary: 'Add an observable', params: CaseIdParams, body: ObservableInput, response: { 201: ObservableOut } } }, async (req, reply) =>
    reply.status(201).send(await records.addObservable(req.ctx, req.params.id, req.body)),
  );
  app.post('/api/v1/incidents/:id/observables/share', { config: WRITE, schema: { tags, summary: 'Share selected observables with the detection network (a new event)', params: CaseIdParams, body: ShareObservablesInput, response: { 201: z.object({ eventId: z.uuid(), shared: z.number(), added: z.number(), held: z.number() }) } } }, async (req, reply) =>
    reply.status(201).send(await records.shareObservables(req.ctx, req.params.id, req.body)),
  );

  app.get('/api/v1/incidents/:id/messages', { config: READ, schema: { tags, summary: 'The thread with the CERT (the CERT also sees its internal notes)', params: CaseIdParams, response: { 200: z.array(MessageOut) } } }, async (req) =>
    records.listMessages(req.ctx, req.params.id),
  );
  app.post('/api/v1/incidents/:id/messages', { config: RESPOND, schema: { tags, summary: 'Write in the thread (the CERT: or an internal note)', params: CaseIdParams, body: MessageInput, response: { 201: MessageOut } } }, async (req, reply) =>
    reply.status(201).send(await records.postMessage(req.ctx, req.params.id, req.body)),
  );

  app.get('/api/v1/incident-templates', { config: WRITE, schema: { tags, summary: 'Playbooks', response: { 200: z.array(TemplateOut) } } }, async (req) => work.listTemplates(req.ctx));
  app.post('/api/v1/incident-templates', { config: WRITE, schema: { tags, summary: 'Save a playbook (by name)', body: TemplateInput, response: { 200: TemplateOut } } }, async (req) => work.saveTemplate(req.ctx, req.body));
  app.get('/api/v1/incident-fields', { config: WRITE, schema: { tags, summary: 'Custom fields of cases', response: { 200: z.array(CustomFieldOut) } } }, async (req) => work.listCustomFields(req.ctx));
  app.post('/api/v1/incident-fields', { config: WRITE, schema: { tags, summary: 'Define a custom field (by key)', body: CustomFieldInput, response: { 200: CustomFieldOut } } }, async (req) => work.saveCustomField(req.ctx, req.body));
  app.delete('/api/v1/incident-fields/:key', { config: WRITE, schema: { tags, summary: 'Remove a custom field', params: FieldParams } }, async (req, reply) => {
    await work.deleteCustomField(req.ctx, req.params.key);
    return reply.status(204).send();
  });
}
