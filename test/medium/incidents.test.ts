import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import type { CaseOut, ObservableOut, TaskOut, TimelineOut, MessageOut } from '../../src/modules/incidents/incident.schema.ts';

let t: TestApp;
let hospital: string;
let otherHospital: string;
let supplier: string;
let analyst: Credentials;
let analystUserId: string;
let ciso: Credentials;
let cisoEmail: string;
let otherCiso: Credentials;
let supplierUser: Credentials;

const report = {
  title: 'Versleutelde bestanden op de afdeling radiologie',
  whatHappened: 'Bestanden op de PACS-server zijn versleuteld en er staat een losgeldbrief op het bureaublad.',
  startedAt: '2026-11-28T01:00:00Z',
  discoveredAt: '2026-11-28T06:30:00Z',
  systems: 'PACS-server, twee werkstations',
  patientCareImpact: 'limited',
  patientCareDetails: 'Beelden van vannacht niet beschikbaar',
  personalData: 'yes',
  contactName: 'Jan de Vries',
  contactPhone: '+31 20 555 0100',
};

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'http://wachtpost.test' });
  const cert = await makeOrganisation(t, 'cert');
  hospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Incident')).id;
  otherHospital = (await makeOrganisation(t, 'participant', 'Ziekenhuis Elders')).id;
  supplier = (await makeOrganisation(t, 'partner', 'IT Leverancier BV')).id;
  const a = await makeUser(t, cert.id, 'cert-analyst');
  analystUserId = a.id;
  analyst = await login(t, a);
  const c = await makeUser(t, hospital, 'participant-admin');
  cisoEmail = c.email;
  ciso = await login(t, c);
  otherCiso = await login(t, await makeUser(t, otherHospital, 'participant-admin'));
  supplierUser = await login(t, await makeUser(t, supplier, 'partner'));
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function reportOne(): Promise<CaseOut> {
  const res = await call(t, 'POST', '/api/v1/incidents/report', ciso, report);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CaseOut>();
}

describe('incident cases', () => {
  it('a participant reports through the guided form: a case in triage for its organisation, acknowledged by mail, the CERT told', async () => {
    const c = await reportOne();
    expect(c).toMatchObject({ status: 'triage', intake: 'portal', access: 'room', personalData: true, severity: 'high', priority: 'p2', tlp: 'AMBER+STRICT' });
    expect(c.reference).toMatch(/^INC-\d{4}-\d{4}$/);
    expect(c.affected.map((o) => o.id)).toEqual([hospital]);
    expect(c.awareAt).toBe('2026-11-28T06:30:00.000Z');
    // Personal data: the GDPR clock runs from the moment of discovery.
    expect(c.clocks.find((k) => k.clock === 'gdpr_breach')?.dueAt).toBe('2026-12-01T06:30:00.000Z');
    const ack = await t.system.db.selectFrom('outbox').select(['payload']).where('dedupe_key', '=', `incident-ack:${c.id}`).executeTakeFirstOrThrow();
    const payload = (typeof ack.payload === 'string' ? JSON.parse(ack.payload) : ack.payload) as { to: string; subject: string; text: string };
    expect(payload.to).toBe(cisoEmail);
    expect(payload.subject).toContain(c.reference);
    expect(payload.text).toContain(`http://wachtpost.test/incidents/${c.id}`);
    const certList = (await call(t, 'GET', '/api/v1/incidents?status=triage', analyst)).json<{ items: { id: string }[] }>();
    expect(certList.items.map((i) => i.id)).toContain(c.id);
  });

  it('refuses a malformed report with the field and a sentence, never a 500', async () => {
    const bad = await call(t, 'POST', '/api/v1/incidents/report', ciso, { ...report, discoveredAt: 'gisteren', contactPhone: 'bel me' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toMatch(/ISO 8601|phone/);
    // The CERT does not report through the participants' form; a partner has no reporting right.
    expect((await call(t, 'POST', '/api/v1/incidents/report', analyst, report)).statusCode).toBe(403);
    expect((await call(t, 'POST', '/api/v1/incidents/report', supplierUser, report)).statusCode).toBe(403);
    const wrongCategory = await call(t, 'POST', '/api/v1/incidents', analyst, {
      intake: 'phone',
      organisationIds: [hospital],
      title: 'x',
      categoryClass: 'fraud',
      categoryType: 'ransomware',
    });
    expect(wrongCategory.statusCode).toBe(400);
    expect(wrongCategory.json().error.code).toBe('category_invalid');
    // A class changed alone would keep a type of another class: the pair the case ends up with is checked.
    const phoned = (
      await call(t, 'POST', '/api/v1/incidents', analyst, {
        intake: 'phone',
        organisationIds: [hospital],
        title: 'x',
        categoryClass: 'fraud',
        categoryType: 'phishing',
      })
    ).json<CaseOut>();
    expect((await call(t, 'PATCH', `/api/v1/incidents/${phoned.id}`, analyst, { categoryClass: 'malicious-code' })).json().error.code).toBe('category_invalid');
    expect((await call(t, 'PATCH', `/api/v1/incidents/${phoned.id}`, analyst, { categoryType: 'masquerade' })).json<CaseOut>()).toMatchObject({
      categoryClass: 'fraud',
      categoryType: 'masquerade',
    });
    expect(
      (await call(t, 'POST', '/api/v1/incidents', analyst, { intake: 'phone', organisationIds: [hospital], title: 'x', categoryClass: 'fraud' })).json().error
        .code,
    ).toBe('category_invalid');
  });

  it('another hospital, a supplier not invited and anonymous callers find nothing', async () => {
    const c = await reportOne();
    for (const path of ['', '/tasks', '/timeline', '/messages']) {
      expect((await call(t, 'GET', `/api/v1/incidents/${c.id}${path}`, otherCiso)).statusCode, path).toBe(404);
      expect((await call(t, 'GET', `/api/v1/incidents/${c.id}${path}`, supplierUser)).statusCode, path).toBe(404);
      expect((await call(t, 'GET', `/api/v1/incidents/${c.id}${path}`, null)).statusCode, path).toBe(401);
    }
    expect((await call(t, 'POST', `/api/v1/incidents/${c.id}/messages`, otherCiso, { body: 'hallo' })).statusCode).toBe(404);
    const list = (await call(t, 'GET', '/api/v1/incidents', otherCiso)).json<{ items: { id: string }[] }>();
    expect(list.items.map((i) => i.id)).not.toContain(c.id);
    // The room cannot change the case itself, only record its notifications.
    expect((await call(t, 'PATCH', `/api/v1/incidents/${c.id}`, ciso, { status: 'closed' })).statusCode).toBe(403);
  });

  it('the ransomware template creates the playbook tasks; the room sees and ticks off only its own', async () => {
    const c = await reportOne();
    const templates = (await call(t, 'GET', '/api/v1/incident-templates', analyst)).json<{ id: string; name: string; tasks: unknown[] }[]>();
    const ransomware = templates.find((x) => x.name === 'Ransomware')!;
    const applied = await call(t, 'POST', `/api/v1/incidents/${c.id}/apply-template`, analyst, { templateId: ransomware.id });
    expect(applied.statusCode, applied.body).toBe(200);
    const tasks = applied.json<TaskOut[]>();
    expect(tasks).toHaveLength(ransomware.tasks.length);
    const after = (await call(t, 'GET', `/api/v1/incidents/${c.id}`, analyst)).json<CaseOut>();
    expect(after).toMatchObject({ categoryClass: 'malicious-code', categoryType: 'ransomware', status: 'in_progress' });
    expect(after.advice).toMatch(/Isolate/);
    expect(after.firstResponseAt).not.toBeNull();

    const roomTasks = (await call(t, 'GET', `/api/v1/incidents/${c.id}/tasks`, ciso)).json<TaskOut[]>();
    expect(roomTasks.length).toBe(tasks.filter((x) => x.side === 'participant').length);
    expect(roomTasks.every((x) => x.side === 'participant')).toBe(true);
    const mine = roomTasks.find((x) => x.checklist.length > 0)!;
    const ticked = mine.checklist.map((item, i) => ({ ...item, done: i === 0 }));
    const tick = await call(t, 'PATCH', `/api/v1/incidents/${c.id}/tasks/${mine.id}`, ciso, { checklist: ticked, status: 'done' });
    expect(tick.statusCode, tick.body).toBe(200);
    expect(tick.json<TaskOut>()).toMatchObject({ status: 'done', checklist: ticked });
    // The room cannot rewrite the list, rename the task, or touch the CERT's tasks.
    expect((await call(t, 'PATCH', `/api/v1/incidents/${c.id}/tasks/${mine.id}`, ciso, { checklist: [{ text: 'iets anders', done: true }] })).statusCode).toBe(
      400,
    );
    expect((await call(t, 'PATCH', `/api/v1/incidents/${c.id}/tasks/${mine.id}`, ciso, { title: 'Nieuw' })).statusCode).toBe(403);
    const certTask = tasks.find((x) => x.side === 'cert')!;
    expect((await call(t, 'PATCH', `/api/v1/incidents/${c.id}/tasks/${certTask.id}`, ciso, { status: 'done' })).statusCode).toBe(404);
  });

  it('the room sees shared timeline entries and the thread, never internal entries or notes', async () => {
    const c = await reportOne();
    const internal = await call(t, 'POST', `/api/v1/incidents/${c.id}/timeline`, analyst, {
      at: '2026-11-28T07:00:00Z',
      text: 'Internal: same actor as the case at another hospital',
      shared: false,
    });
    expect(internal.statusCode, internal.body).toBe(201);
    const shared = await call(t, 'POST', `/api/v1/incidents/${c.id}/timeline`, analyst, {
      at: '2026-11-28T07:05:00Z',
      text: 'Advice sent: isolate the PACS server',
      shared: true,
    });
    expect(shared.statusCode).toBe(201);
    // An entry from the room is shared (it is theirs) even when it says otherwise.
    const fromRoom = await call(t, 'POST', `/api/v1/incidents/${c.id}/timeline`, ciso, {
      at: '2026-11-28T07:10:00Z',
      text: 'PACS server disconnected',
      shared: false,
    });
    expect(fromRoom.json<TimelineOut>()).toMatchObject({ shared: true, source: 'Ziekenhuis Incident' });
    const roomTimeline = (await call(t, 'GET', `/api/v1/incidents/${c.id}/timeline`, ciso)).json<TimelineOut[]>().map((e) => e.text);
    expect(roomTimeline).toContain('Advice sent: isolate the PACS server');
    expect(roomTimeline).toContain('PACS server disconnected');
    expect(roomTimeline.join('\n')).not.toContain('Internal:');
    const certTimeline = (await call(t, 'GET', `/api/v1/incidents/${c.id}/timeline`, analyst)).json<TimelineOut[]>();
    expect(certTimeline.map((e) => e.text)).toContain('Internal: same actor as the case at another hospital');
    expect(certTimeline.map((e) => e.at)).toEqual([...certTimeline.map((e) => e.at)].sort());

    await call(t, 'POST', `/api/v1/incidents/${c.id}/messages`, analyst, { body: 'Note to self: call back at 10:00', internal: true });
    const toRoom = await call(t, 'POST', `/api/v1/incidents/${c.id}/messages`, analyst, { body: 'Kunt u de losgeldbrief uploaden?' });
    expect(toRoom.json<MessageOut>()).toMatchObject({ fromCert: true, internal: false });
    expect((await call(t, 'POST', `/api/v1/incidents/${c.id}/messages`, ciso, { body: 'Ja', internal: true })).statusCode).toBe(400);
    expect((await call(t, 'POST', `/api/v1/incidents/${c.id}/messages`, ciso, { body: 'Komt eraan' })).statusCode).toBe(201);
    const roomThread = (await call(t, 'GET', `/api/v1/incidents/${c.id}/messages`, ciso)).json<MessageOut[]>();
    expect(roomThread.map((m) => m.body)).toEqual(['Kunt u de losgeldbrief uploaden?', 'Komt eraan']);
    const certThread = (await call(t, 'GET', `/api/v1/incidents/${c.id}/messages`, analyst)).json<MessageOut[]>();
    expect(certThread).toHaveLength(3);
    // A message from the CERT counts as its first response.
    expect((await call(t, 'GET', `/api/v1/incidents/${c.id}`, analyst)).json<CaseOut>().firstResponseAt).not.toBeNull();

    // The room's people get a notice by mail for the CERT's message (not for the internal note, and
    // without the text: the content stays behind the login); the other hospital gets nothing.
    const mails = await t.system.db.selectFrom('outbox').select(['dedupe_key', 'payload']).where('dedupe_key', 'like', `incident-room:${c.id}:%`).execute();
    expect(mails).toHaveLength(1);
    const notice = mails[0]!.payload as { to: string; subject: string; text: string };
    expect(notice.to).toBe(cisoEmail);
    expect(notice.subject).toContain(c.reference);
    expect(notice.text).toContain(`http://wachtpost.test/incidents/${c.id}`);
    expect(notice.text).not.toContain('losgeldbrief');
    expect(JSON.stringify(mails)).not.toContain('call back at 10:00');
  });

  it('asks the room for evidence: a notice in the portal and by mail, once', async () => {
    const c = await reportOne();
    const asked = await call(t, 'POST', `/api/v1/incidents/${c.id}/evidence-requests`, analyst, {
      description: 'De losgeldbrief en de firewall-logs van 27 november',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const mails = await t.system.db.selectFrom('outbox').select('payload').where('dedupe_key', 'like', `incident-room:${c.id}:evidence-request:%`).execute();
    expect(mails.map((m) => (m.payload as { to: string }).to)).toEqual([cisoEmail]);
    expect(JSON.stringify(mails)).not.toContain('firewall-logs');
    const inbox = (await call(t, 'GET', '/api/v1/notifications', ciso)).json<{ items: { title: string }[] }>();
    expect(inbox.items.map((n) => n.title)).toContain(`Incident ${c.reference}: the CERT asks for evidence`);
  });

  it('observables: one step from a timeline entry, shared to the detection network anonymously, with sightings elsewhere counted but never named', async () => {
    const c = await reportOne();
    const entry = (
      await call(t, 'POST', `/api/v1/incidents/${c.id}/timeline`, analyst, {
        at: '2026-11-28T07:20:00Z',
        text: 'Beacon to 198.51.100.66 seen in the firewall log',
      })
    ).json<TimelineOut>();
    const fromEntry = await call(t, 'POST', `/api/v1/incidents/${c.id}/timeline/${entry.id}/observables`, analyst, { type: 'ipv4', value: '198.51.100[.]66' });
    expect(fromEntry.statusCode, fromEntry.body).toBe(201);
    expect(fromEntry.json<ObservableOut>()).toMatchObject({ type: 'ipv4', value: '198.51.100.66', timelineId: entry.id });
    const domain = (
      await call(t, 'POST', `/api/v1/incidents/${c.id}/observables`, analyst, { type: 'domain', value: 'Evil-C2.example' })
    ).json<ObservableOut>();
    expect(domain.value).toBe('evil-c2.example');
    const bad = await call(t, 'POST', `/api/v1/incidents/${c.id}/observables`, analyst, { type: 'ipv4', value: '999.1.1.1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('observable_invalid');
    // The room never sees the observables.
    expect((await call(t, 'GET', `/api/v1/incidents/${c.id}/observables`, ciso)).statusCode).toBe(403);

    const share = await call(t, 'POST', `/api/v1/incidents/${c.id}/observables/share`, analyst, {
      observableIds: [fromEntry.json<ObservableOut>().id, domain.id],
      tlp: 'AMBER',
      recipients: [otherHospital],
    });
    expect(share.statusCode, share.body).toBe(201);
    const { eventId, shared } = share.json<{ eventId: string; shared: number }>();
    expect(shared).toBe(2);
    const event = await t.system.db.selectFrom('zdn_events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();
    expect(event.source_anonymous).toBe(true);
    expect(event.tlp).toBe('AMBER');
    expect(event.tags).toContain('rsit:other="undetermined"');
    expect(JSON.stringify(event)).not.toContain('Ziekenhuis Incident');
    const observables = (await call(t, 'GET', `/api/v1/incidents/${c.id}/observables`, analyst)).json<ObservableOut[]>();
    expect(observables.every((o) => o.indicatorId !== null)).toBe(true);
    const timeline = (await call(t, 'GET', `/api/v1/incidents/${c.id}/timeline`, analyst)).json<TimelineOut[]>();
    expect(timeline.find((e) => e.id === entry.id)?.indicatorId).toBe(observables.find((o) => o.type === 'ipv4')!.indicatorId);

    // Another hospital reports a sighting of the same address: the analyst sees "seen at 1 other organisation".
    const sighting = await call(t, 'POST', `/api/v1/zdn/indicators/${observables.find((o) => o.type === 'ipv4')!.indicatorId}/sightings`, otherCiso, {
      kind: 'seen',
    });
    expect(sighting.statusCode, sighting.body).toBe(201);
    const seen = (await call(t, 'GET', `/api/v1/incidents/${c.id}/observables`, analyst)).json<ObservableOut[]>();
    expect(seen.find((o) => o.type === 'ipv4')?.seenByOthers).toMatchObject({ organisations: 1, last7d: 1 });
    expect(JSON.stringify(seen)).not.toContain('Ziekenhuis Elders');

    // A second case holding the same value shows up for the analyst ("this campaign hits … hospitals").
    const second = (
      await call(t, 'POST', '/api/v1/incidents', analyst, { intake: 'phone', organisationIds: [otherHospital], title: 'Beacon', reporterName: 'IT Elders' })
    ).json<CaseOut>();
    await call(t, 'POST', `/api/v1/incidents/${second.id}/observables`, analyst, { type: 'ipv4', value: '198.51.100.66' });
    const linked = (await call(t, 'GET', `/api/v1/incidents/${c.id}/observables`, analyst)).json<ObservableOut[]>();
    expect(linked.find((o) => o.type === 'ipv4')?.otherCases).toEqual([{ id: second.id, reference: second.reference, organisations: ['Ziekenhuis Elders'] }]);
    expect((await call(t, 'POST', `/api/v1/incidents/${c.id}/observables/share`, analyst, { observableIds: [domain.id], tlp: 'RED' })).statusCode).toBe(400);
    expect((await call(t, 'POST', `/api/v1/incidents/${c.id}/observables/share`, analyst, { observableIds: [domain.id], tlp: 'AMBER' })).statusCode).toBe(400);
  });

  it('an invited IT supplier sees the room as the hospital does, and nothing after the invitation is withdrawn', async () => {
    const c = await reportOne();
    await call(t, 'POST', `/api/v1/incidents/${c.id}/timeline`, analyst, { at: '2026-11-28T08:00:00Z', text: 'Internal only', shared: false });
    await call(t, 'POST', `/api/v1/incidents/${c.id}/messages`, analyst, { body: 'Internal note', internal: true });
    await call(t, 'POST', `/api/v1/incidents/${c.id}/observables`, analyst, { type: 'domain', value: 'c2.example' });
    const invited = await call(t, 'POST', `/api/v1/incidents/${c.id}/guests`, analyst, { organisationId: supplier });
    expect(invited.statusCode, invited.body).toBe(200);
    expect(invited.json<CaseOut>().guests.map((g) => g.name)).toEqual(['IT Leverancier BV']);
    const seen = await call(t, 'GET', `/api/v1/incidents/${c.id}`, supplierUser);
    expect(seen.statusCode).toBe(200);
    const body = seen.json<CaseOut>();
    expect(body.access).toBe('room');
    expect(body.assignees).toEqual([]);
    expect(body.customFields).toBeNull();
    expect(JSON.stringify((await call(t, 'GET', `/api/v1/incidents/${c.id}/timeline`, supplierUser)).json())).not.toContain('Internal only');
    expect(JSON.stringify((await call(t, 'GET', `/api/v1/incidents/${c.id}/messages`, supplierUser)).json())).not.toContain('Internal note');
    expect((await call(t, 'GET', `/api/v1/incidents/${c.id}/observables`, supplierUser)).statusCode).toBe(403);
    expect((await call(t, 'POST', `/api/v1/incidents/${c.id}/messages`, supplierUser, { body: 'Wij zijn bezig met herstel' })).statusCode).toBe(201);
    expect((await call(t, 'GET', '/api/v1/incidents', supplierUser)).json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([c.id]);
    // The CERT cannot be a guest, an affected organisation not twice.
    expect((await call(t, 'POST', `/api/v1/incidents/${c.id}/guests`, analyst, { organisationId: hospital })).statusCode).toBe(409);
    expect((await call(t, 'DELETE', `/api/v1/incidents/${c.id}/guests/${supplier}`, analyst)).statusCode).toBe(200);
    expect((await call(t, 'GET', `/api/v1/incidents/${c.id}`, supplierUser)).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/v1/incidents', supplierUser)).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('status moves stamp their times; NIS2 clocks run from awareness and the room records its notifications', async () => {
    const c = await reportOne();
    const nis2 = await call(t, 'PATCH', `/api/v1/incidents/${c.id}`, analyst, { nis2Applies: true, assigneeIds: [analystUserId], severity: 'critical' });
    expect(nis2.statusCode, nis2.body).toBe(200);
    const clocks = nis2.json<CaseOut>().clocks;
    expect(clocks.map((k) => [k.clock, k.dueAt])).toEqual([
      ['nis2_early_warning', '2026-11-29T06:30:00.000Z'],
      ['nis2_notification', '2026-12-01T06:30:00.000Z'],
      ['nis2_final_report', null],
      ['gdpr_breach', '2026-12-01T06:30:00.000Z'],
    ]);
    const recorded = await call(t, 'PUT', `/api/v1/incidents/${c.id}/clocks`, ciso, {
      earlyWarningAt: '2026-11-28T12:00:00Z',
      notificationAt: '2026-11-30T09:00:00Z',
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    const after = recorded.json<CaseOut>().clocks;
    expect(after.find((k) => k.clock === 'nis2_early_warning')?.state).toBe('met');
    expect(after.find((k) => k.clock === 'nis2_final_report')?.dueAt).toBe('2026-12-30T09:00:00.000Z');
    expect((await call(t, 'PUT', `/api/v1/incidents/${c.id}/clocks`, otherCiso, { earlyWarningAt: '2026-11-28T12:00:00Z' })).statusCode).toBe(404);

    const contained = (await call(t, 'PATCH', `/api/v1/incidents/${c.id}`, analyst, { status: 'contained' })).json<CaseOut>();
    expect(contained.containedAt).not.toBeNull();
    expect(contained.firstResponseAt).not.toBeNull();
    const closed = (await call(t, 'PATCH', `/api/v1/incidents/${c.id}`, analyst, { status: 'closed' })).json<CaseOut>();
    expect(closed.closedAt).not.toBeNull();
    expect(closed.assignees.map((a) => a.id)).toEqual([analystUserId]);
    // Only CERT staff can be assigned.
    const notStaff = await call(t, 'PATCH', `/api/v1/incidents/${c.id}`, analyst, { assigneeIds: [(await makeUser(t, hospital, 'participant-member')).id] });
    expect(notStaff.json().error.code).toBe('assignee_not_cert');
  });

  it('custom fields the CERT defines are validated on each case', async () => {
    expect(
      (await call(t, 'POST', '/api/v1/incident-fields', analyst, { key: 'supplier_ticket', label: 'Ticket at the supplier', kind: 'text' })).statusCode,
    ).toBe(200);
    expect(
      (await call(t, 'POST', '/api/v1/incident-fields', analyst, { key: 'ransom_paid', label: 'Ransom paid', kind: 'select', options: ['no', 'yes'] }))
        .statusCode,
    ).toBe(200);
    expect((await call(t, 'POST', '/api/v1/incident-fields', analyst, { key: 'x', label: 'X', kind: 'select' })).statusCode).toBe(400);
    expect((await call(t, 'POST', '/api/v1/incident-fields', ciso, { key: 'y', label: 'Y', kind: 'text' })).statusCode).toBe(403);
    const c = await reportOne();
    const ok = await call(t, 'PATCH', `/api/v1/incidents/${c.id}`, analyst, { customFields: { supplier_ticket: 'SUP-1234', ransom_paid: 'no' } });
    expect(ok.json<CaseOut>().customFields).toEqual({ supplier_ticket: 'SUP-1234', ransom_paid: 'no' });
    expect((await call(t, 'PATCH', `/api/v1/incidents/${c.id}`, analyst, { customFields: { ransom_paid: 'maybe' } })).json().error.code).toBe(
      'custom_field_invalid',
    );
    expect((await call(t, 'PATCH', `/api/v1/incidents/${c.id}`, analyst, { customFields: { nope: 'x' } })).json().error.code).toBe('custom_field_unknown');
    expect((await call(t, 'GET', `/api/v1/incidents/${c.id}`, ciso)).json<CaseOut>().customFields).toBeNull();
  });

  it('links related cases and merges a duplicate into the main case', async () => {
    const main = await reportOne();
    const dup = (
      await call(t, 'POST', '/api/v1/incidents', analyst, {
        intake: 'phone',
        organisationIds: [hospital],
        title: 'Telefoon: radiologie versleuteld',
        reporterName: 'Jan',
      })
    ).json<CaseOut>();
    const other = (
      await call(t, 'POST', '/api/v1/incidents', analyst, { intake: 'analyst', organisationIds: [otherHospital], title: 'Zelfde actor' })
    ).json<CaseOut>();
    expect((await call(t, 'POST', `/api/v1/incidents/${main.id}/links`, analyst, { caseId: other.id })).json<CaseOut>().related.map((r) => r.id)).toEqual([
      other.id,
    ]);
    // The hospital does not learn of the other hospital's case.
    expect((await call(t, 'GET', `/api/v1/incidents/${main.id}`, ciso)).json<CaseOut>().related).toEqual([]);
    await call(t, 'POST', `/api/v1/incidents/${dup.id}/messages`, analyst, { body: 'Bericht in het duplicaat' });
    const merged = await call(t, 'POST', `/api/v1/incidents/${dup.id}/merge`, analyst, { intoCaseId: main.id });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json<CaseOut>().related.map((r) => [r.id, r.relation])).toContainEqual([dup.id, 'merged_from']);
    expect((await call(t, 'GET', `/api/v1/incidents/${main.id}/messages`, ciso)).json<MessageOut[]>().map((m) => m.body)).toContain('Bericht in het duplicaat');
    const gone = (await call(t, 'GET', `/api/v1/incidents/${dup.id}`, analyst)).json<CaseOut>();
    expect(gone).toMatchObject({ status: 'closed', mergedIntoId: main.id });
    expect((await call(t, 'POST', `/api/v1/incidents/${dup.id}/messages`, analyst, { body: 'x' })).json().error.code).toBe('case_merged');
    expect((await call(t, 'GET', '/api/v1/incidents', analyst)).json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(dup.id);
  });
});
