/**
 * The world of incidents-reports.test.ts: a CERT, two hospitals, their users, and six cases written
 * straight into the tables (the case API is not needed to test the reports).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { TestApp } from '../helpers/test-app.ts';
import { makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import type { IncidentCasesTable } from '../../src/db/schema-incidents.ts';

export const HOUR = 3_600_000;
export const TITLE = 'Versleutelde servers op de IC-afdeling';
export const REPORTER = 'Jannie Meldster';
export const SHARED_TEXT = 'Servers geïsoleerd door de afdeling ICT';
export const INTERNAL_TEXT = 'CERT-INTERNAL: lijkt op de groep uit zaak X';
export const CERT_TASK = 'Decryptors nagaan (CERT-taak)';
export const ROOM_TASK = 'Losgeldbrief uploaden';
export const OBSERVABLE = '203.0.113.66';
export const SHARED_FILE = 'losgeldbrief.txt';
export const HIDDEN_FILE = 'geheugenbeeld-intern.raw';
export const ROOM_MESSAGE = 'Kunt u de losgeldbrief uploaden? (bericht aan de kamer)';
export const INTERNAL_NOTE = 'CERT-NOTE: terugbellen om 10:00';

const unique = () => randomBytes(3).toString('hex');
export type CaseKey = 'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6';

export interface World {
  now: Date;
  hospitalA: { id: string; name: string };
  hospitalB: { id: string; name: string };
  admin: TestUser;
  analyst1: TestUser;
  analyst2: TestUser;
  adminA: TestUser;
  memberA: TestUser;
  memberB: TestUser;
  ids: Record<CaseKey, string>;
  refs: Record<CaseKey, string>;
  opened: Record<CaseKey, Date>;
}

export async function seedWorld(t: TestApp, now: Date): Promise<World> {
  const ago = (h: number) => new Date(now.getTime() - h * HOUR);
  const ids = {} as Record<CaseKey, string>;
  const refs = {} as Record<CaseKey, string>;
  const opened = {} as Record<CaseKey, Date>;

  async function seedCase(key: CaseKey, orgId: string, c: Partial<Insertable<IncidentCasesTable>> & { opened_at: Date }) {
    const row = await t.system.db
      .insertInto('incident_cases')
      .values({
        reference: `INC-T-${unique()}`,
        title: `Zaak ${key}`,
        intake: 'analyst',
        report: '{}',
        custom_fields: '{}',
        reporter_user_id: null,
        reporter_name: null,
        reporter_email: null,
        reporter_phone: null,
        aware_at: c.opened_at,
        ...c,
      })
      .returning(['id', 'reference'])
      .executeTakeFirstOrThrow();
    await t.system.db.insertInto('incident_case_organisations').values({ case_id: row.id, organisation_id: orgId }).execute();
    ids[key] = row.id;
    refs[key] = row.reference;
    opened[key] = c.opened_at;
  }

  async function evidence(caseId: string, fileName: string, shared: boolean, orgId: string | null) {
    const sha = createHash('sha256').update(fileName).digest('hex');
    const e = await t.system.db
      .insertInto('incident_evidence')
      .values({
        case_id: caseId,
        request_id: null,
        file_name: fileName,
        size_bytes: 2048,
        sha256: sha,
        storage_name: `s-${unique()}`,
        shared,
        uploaded_by: null,
        uploaded_by_organisation_id: orgId,
        deletion_requested_by: null,
        deletion_requested_at: null,
        deletion_reason: null,
        deleted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.system.db
      .insertInto('incident_custody')
      .values({
        evidence_id: e.id,
        case_id: caseId,
        action: 'upload',
        actor_user_id: null,
        actor_name: 'Custody Clerk',
        reason: 'CUSTODY-REASON',
        sha256: sha,
        details: '{}',
      })
      .execute();
    return e.id;
  }

  const cert = await makeOrganisation(t, 'cert');
  const a = await makeOrganisation(t, 'participant', `Ziekenhuis Noordrand ${unique()}`);
  const b = await makeOrganisation(t, 'participant', `Kliniek Zuidpunt ${unique()}`);
  const admin = await makeUser(t, cert.id, 'cert-admin');
  const analyst1 = await makeUser(t, cert.id, 'cert-analyst');
  const analyst2 = await makeUser(t, cert.id, 'cert-analyst');
  const adminA = await makeUser(t, a.id, 'participant-admin');
  const memberA = await makeUser(t, a.id, 'participant-member');
  const memberB = await makeUser(t, b.id, 'participant-member');
  const gone = await makeUser(t, a.id, 'participant-member');
  await t.system.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', gone.id).execute();
  await t.system.db.updateTable('users').set({ locale: 'en' }).where('id', '=', memberA.id).execute();

  // C1: ransomware in progress at hospital A; the NIS2 early warning is due in 4 hours.
  await seedCase('c1', a.id, {
    title: TITLE,
    description: 'Alle servers van de IC versleuteld; patiëntenzorg op papier.',
    reporter_name: REPORTER,
    reporter_email: 'jannie@noordrand.example',
    advice: `Isoleer de servers bij ${a.name} en bel ${REPORTER} terug.`,
    status: 'in_progress',
    severity: 'high',
    category_class: 'malicious-code',
    category_type: 'ransomware',
    nis2_applies: true,
    opened_at: ago(20),
    first_response_at: ago(18),
  });
  // C2: phishing with personal data, 80 hours ago: the GDPR clock has passed.
  await seedCase('c2', a.id, {
    status: 'triage',
    severity: 'critical',
    category_class: 'fraud',
    category_type: 'phishing',
    personal_data: true,
    opened_at: ago(80),
    first_response_at: ago(76),
    contained_at: ago(70),
  });
  // C3: closed at hospital B (its clocks no longer run).
  await seedCase('c3', b.id, {
    status: 'closed',
    severity: 'low',
    category_class: 'fraud',
    category_type: 'phishing',
    nis2_applies: true,
    opened_at: ago(100),
    first_response_at: ago(94),
    contained_at: ago(80),
    closed_at: ago(60),
  });
  // C4: merged into C1: counted nowhere.
  await seedCase('c4', a.id, {
    status: 'triage',
    severity: 'critical',
    category_class: 'availability',
    category_type: 'ddos',
    nis2_applies: true,
    opened_at: ago(30),
    first_response_at: ago(1),
  });
  await t.system.db.updateTable('incident_cases').set({ merged_into_id: ids.c1 }).where('id', '=', ids.c4).execute();
  // C5: contained at hospital B; notified two days ago, so the final report is due a month after that.
  await seedCase('c5', b.id, {
    status: 'contained',
    severity: 'medium',
    category_class: 'malicious-code',
    category_type: 'ransomware',
    nis2_applies: true,
    opened_at: ago(120),
    early_warning_at: ago(110),
    notification_at: ago(48),
  });
  // C6: thirteen months old: outside the dashboard's twelve months.
  await seedCase('c6', b.id, {
    status: 'closed',
    severity: 'low',
    category_class: 'intrusions',
    category_type: 'burglary',
    opened_at: ago(24 * 400),
    first_response_at: ago(24 * 400 - 1),
    closed_at: ago(24 * 390),
  });

  await t.system.db
    .insertInto('incident_case_assignees')
    .values([
      { case_id: ids.c1, user_id: analyst1.id },
      { case_id: ids.c2, user_id: analyst1.id },
      { case_id: ids.c2, user_id: analyst2.id },
      { case_id: ids.c4, user_id: analyst2.id },
    ])
    .execute();
  await t.system.db
    .insertInto('incident_tasks')
    .values([
      {
        case_id: ids.c1,
        title: CERT_TASK,
        side: 'cert',
        assignee_user_id: analyst1.id,
        checklist: JSON.stringify([
          { text: 'a', done: true },
          { text: 'b', done: false },
        ]),
        position: 1,
        template_id: null,
        due_at: null,
        done_at: null,
      },
      {
        case_id: ids.c1,
        title: 'Klaar (CERT)',
        side: 'cert',
        assignee_user_id: analyst1.id,
        checklist: '[]',
        position: 2,
        status: 'done',
        template_id: null,
        due_at: null,
        done_at: ago(1),
      },
      {
        case_id: ids.c1,
        title: ROOM_TASK,
        side: 'participant',
        assignee_user_id: null,
        checklist: '[]',
        position: 3,
        template_id: null,
        due_at: ago(-4),
        done_at: null,
      },
      {
        case_id: ids.c3,
        title: 'Op een gesloten zaak',
        side: 'cert',
        assignee_user_id: analyst2.id,
        checklist: '[]',
        position: 1,
        template_id: null,
        due_at: null,
        done_at: null,
      },
    ])
    .execute();
  const sharedEvidence = await evidence(ids.c1, SHARED_FILE, true, a.id);
  const hiddenEvidence = await evidence(ids.c1, HIDDEN_FILE, false, null);
  await t.system.db
    .insertInto('incident_timeline')
    .values([
      {
        case_id: ids.c1,
        at: ago(19),
        source: 'ICT',
        text: SHARED_TEXT,
        shared: true,
        evidence_id: sharedEvidence,
        indicator_id: null,
        author_user_id: null,
        author_organisation_id: a.id,
      },
      {
        case_id: ids.c1,
        at: ago(17),
        source: 'analyst',
        text: INTERNAL_TEXT,
        shared: false,
        evidence_id: hiddenEvidence,
        indicator_id: null,
        author_user_id: analyst1.id,
        author_organisation_id: null,
      },
      {
        case_id: ids.c1,
        at: ago(16),
        source: 'CERT',
        text: '=SUM(1) "quoted", comma',
        shared: true,
        evidence_id: hiddenEvidence,
        indicator_id: null,
        author_user_id: analyst1.id,
        author_organisation_id: null,
      },
    ])
    .execute();
  await t.system.db
    .insertInto('incident_messages')
    .values([
      { case_id: ids.c1, body: ROOM_MESSAGE, internal: false, author_user_id: analyst1.id, author_organisation_id: cert.id },
      { case_id: ids.c1, body: INTERNAL_NOTE, internal: true, author_user_id: analyst1.id, author_organisation_id: cert.id },
    ])
    .execute();
  await t.system.db
    .insertInto('incident_observables')
    .values([
      { case_id: ids.c1, type: 'ip-dst', value: OBSERVABLE, timeline_id: null, indicator_id: null, created_by: null },
      { case_id: ids.c1, type: 'ip-dst', value: '203.0.113.67', timeline_id: null, indicator_id: null, created_by: null },
      { case_id: ids.c1, type: 'domain', value: 'noordrand-helpdesk.example', timeline_id: null, indicator_id: null, created_by: null },
    ])
    .execute();
  return {
    now,
    hospitalA: { id: a.id, name: a.name },
    hospitalB: { id: b.id, name: b.name },
    admin,
    analyst1,
    analyst2,
    adminA,
    memberA,
    memberB,
    ids,
    refs,
    opened,
  };
}
