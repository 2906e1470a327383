import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import { makeUser } from '../helpers/factories.ts';
import type { ActorRole } from './policy-table.ts';
import { storeEvidence } from '../../src/modules/incidents/evidence-store.ts';

/**
 * The access-matrix requests for incidents. A case is seen by the CERT and by its room: the users of
 * its affected organisations and of the suppliers/MSSPs invited as guests. "Own" is a case of the
 * actor's organisation (for a partner: a case of its client with the partner invited); "other" a
 * case of the foreign organisation (a partner not invited). Each organisation has one case set up
 * with something of everything, CERT-only parts included, for the read routes and their checks;
 * every change is made on a fresh case (or fresh evidence, task, entry) of its own.
 */

export type Target = 'own' | 'other' | null;
export interface IncidentActor {
  role: ActorRole;
  home: string;
  foreign: string;
  user: { id: string; organisationId: string } | null;
}
interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  /** A raw request body (an evidence upload), sent as application/octet-stream. */
  rawBody?: Buffer;
}
export interface IncidentCase {
  targeted: boolean;
  build(a: IncidentActor, target: Target): Promise<Req>;
  check?: (res: LightMyRequestResponse, a: IncidentActor, target: Target) => void;
  needsChromium?: boolean;
}

let t: TestApp;
/** The participant whose cases the partner is invited into (its client). */
let client: string;
const partners = new Set<string>();
/** A CERT analyst other than the actors: the first of the two analysts of a deletion. */
let requester: string;
let certOrg: string;
let templateId: string;
/** Every case made here, with the organisations of its room (affected and invited). */
const rooms = new Map<string, Set<string>>();

/** The set-up case of each organisation (for a partner: its client's case it is invited into), and its evidence. */
interface SeededCase {
  id: string;
  /** Evidence uploaded by an organisation of the room (unshared): the room may download it. */
  roomEvidenceId: string;
}
const seeded = new Map<string, SeededCase>();

const unique = () => randomBytes(4).toString('hex');
const org = (a: IncidentActor, target: Target) => (target === 'other' ? a.foreign : a.home);
const isCert = (a: IncidentActor) => a.role === 'cert-admin' || a.role === 'cert-analyst';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const body = <T>(res: LightMyRequestResponse) => res.json<T>();

const SHARED_TEXT = 'Servers isolated by the hospital';
const INTERNAL_TEXT = 'CERT-ONLY: looks like the group of last week';
const INTERNAL_NOTE = 'CERT-ONLY note: call the supplier';
const CERT_TASK = 'Identify the ransomware family';
const ROOM_TASK = 'Upload the ransom note';
const HIDDEN_FILE = 'cert-memory.raw';
const ROOM_FILE = 'ransom-note.txt';
const ROOM_CONTENT = Buffer.from('pay us or else');
const UPLOAD = Buffer.from('a memory image, abridged');

// ---- direct factories

async function insertCase(affected: readonly string[], guests: readonly string[] = []): Promise<string> {
  const row = await t.system.db
    .insertInto('incident_cases')
    .values({ reference: `INC-MX-${unique()}`, title: `Matrix case ${unique()}`, intake: 'phone', report: '{}', custom_fields: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const o of affected) await t.system.db.insertInto('incident_case_organisations').values({ case_id: row.id, organisation_id: o }).execute();
  for (const o of guests) await t.system.db.insertInto('incident_case_guests').values({ case_id: row.id, organisation_id: o, invited_by: requester }).execute();
  rooms.set(row.id, new Set([...affected, ...guests]));
  return row.id;
}

/** A new case of the organisation: affected, or (a partner) invited into its client's case. */
async function caseOf(organisationId: string): Promise<string> {
  return partners.has(organisationId) ? insertCase([client], [organisationId]) : insertCase([organisationId]);
}
const freshCase = (a: IncidentActor, target: Target) => caseOf(org(a, target));
const seededCase = (a: IncidentActor, target: Target): SeededCase => seeded.get(org(a, target))!;

async function evidence(
  caseId: string,
  o: { content?: Buffer; fileName?: string; shared?: boolean; byOrganisation?: string; deletionRequested?: boolean } = {},
): Promise<string> {
  const cfg = t.services.config.incidents;
  const content = o.content ?? Buffer.from(`evidence ${unique()}`);
  const stored = await storeEvidence(Readable.from([content]), { dir: cfg.evidenceDir, maxBytes: cfg.evidenceMaxBytes, key: cfg.evidenceKey });
  const byRoom = o.byOrganisation !== undefined;
  const row = await t.system.db
    .insertInto('incident_evidence')
    .values({
      case_id: caseId,
      file_name: o.fileName ?? `file-${unique()}.bin`,
      size_bytes: stored.sizeBytes,
      sha256: stored.sha256,
      storage_name: stored.storageName,
      encrypted: stored.encrypted,
      shared: o.shared ?? false,
      uploaded_by: byRoom ? null : requester,
      uploaded_by_organisation_id: o.byOrganisation ?? certOrg,
      ...(o.deletionRequested && { deletion_requested_by: requester, deletion_requested_at: new Date(), deletion_reason: 'Not needed any more.' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.system.db
    .insertInto('incident_custody')
    .values({
      evidence_id: row.id,
      case_id: caseId,
      action: 'upload',
      actor_user_id: requester,
      actor_name: 'Matrix analyst',
      sha256: stored.sha256,
      details: '{}',
    })
    .execute();
  return row.id;
}

async function task(caseId: string, side: 'cert' | 'participant', title = `Task ${unique()}`): Promise<string> {
  const row = await t.system.db
    .insertInto('incident_tasks')
    .values({
      case_id: caseId,
      title,
      side,
      assignee_user_id: null,
      due_at: null,
      template_id: null,
      done_at: null,
      checklist: JSON.stringify([{ text: 'Step one', done: false }]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function timelineEntry(caseId: string, text: string, shared: boolean): Promise<string> {
  const row = await t.system.db
    .insertInto('incident_timeline')
    .values({
      case_id: caseId,
      at: new Date(),
      source: 'CERT',
      text,
      shared,
      evidence_id: null,
      indicator_id: null,
      author_user_id: requester,
      author_organisation_id: certOrg,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function observable(caseId: string): Promise<string> {
  const row = await t.system.db
    .insertInto('incident_observables')
    .values({ case_id: caseId, type: 'sha256', value: sha256(randomBytes(16)), timeline_id: null, indicator_id: null, created_by: requester })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function customField(): Promise<string> {
  const key = `f_${unique()}`;
  await t.system.db.insertInto('incident_custom_fields').values({ key, label: 'Supplier ticket', kind: 'text' }).execute();
  return key;
}

/** A case of the organisation with something of everything: CERT-only parts and the room's. */
async function seedCase(organisationId: string): Promise<SeededCase> {
  const id = await caseOf(organisationId);
  await task(id, 'cert', CERT_TASK);
  await task(id, 'participant', ROOM_TASK);
  await timelineEntry(id, SHARED_TEXT, true);
  await timelineEntry(id, INTERNAL_TEXT, false);
  await t.system.db
    .insertInto('incident_messages')
    .values({ case_id: id, internal: false, body: 'Please send the ransom note.', author_user_id: requester, author_organisation_id: certOrg })
    .execute();
  await t.system.db
    .insertInto('incident_messages')
    .values({ case_id: id, internal: true, body: INTERNAL_NOTE, author_user_id: requester, author_organisation_id: certOrg })
    .execute();
  await t.system.db
    .insertInto('incident_evidence_requests')
    .values({ case_id: id, description: 'The ransom note, please.', requested_by: requester, fulfilled_at: null })
    .execute();
  await observable(id);
  await evidence(id, { fileName: 'advice.pdf', shared: true });
  await evidence(id, { fileName: HIDDEN_FILE, shared: false });
  // Unshared, but uploaded by an organisation of the room: theirs to see.
  const roomEvidenceId = await evidence(id, { fileName: ROOM_FILE, content: ROOM_CONTENT, shared: false, byOrganisation: organisationId });
  return { id, roomEvidenceId };
}

/**
 * Participants' cases (the first is the partner's client) and, for each partner, its client's case
 * it is invited into; a temporary evidence folder; a second CERT analyst; the Ransomware playbook.
 */
export async function setupIncidentWorld(app: TestApp, world: { cert: string; participants: string[]; partners: string[] }): Promise<void> {
  t = app;
  certOrg = world.cert;
  client = world.participants[0]!;
  for (const p of world.partners) partners.add(p);
  // The matrix app's evidence folder becomes a temporary one (not ./data/evidence of the checkout).
  t.services.config.incidents.evidenceDir = await mkdtemp(path.join(os.tmpdir(), 'wachtpost-matrix-evidence-'));
  requester = (await makeUser(t, world.cert, 'cert-analyst')).id;
  templateId = (await t.system.db.selectFrom('incident_templates').select('id').where('name', '=', 'Ransomware').executeTakeFirstOrThrow()).id;
  for (const o of [...world.participants, ...world.partners]) seeded.set(o, await seedCase(o));
}

// ---- checks

interface CaseBody {
  id: string;
  access: 'cert' | 'room';
  affected: { id: string }[];
  guests: { id: string }[];
  related: { id: string; relation: string }[];
  severity: string;
  mergedIntoId: string | null;
}

/** A case as the actor sees it: the CERT's view or the room's. */
const seenAs = (res: LightMyRequestResponse, a: IncidentActor) => expect(body<CaseBody>(res).access).toBe(isCert(a) ? 'cert' : 'room');

/** The case answered is the registered case, now with these organisations in its room. */
function reroom(res: LightMyRequestResponse): void {
  const c = body<CaseBody>(res);
  rooms.set(c.id, new Set([...c.affected, ...c.guests].map((o) => o.id)));
}

const sides = (res: LightMyRequestResponse) => new Set(body<{ side: string }[]>(res).map((x) => x.side));
const texts = (res: LightMyRequestResponse) => body<{ text: string }[]>(res).map((x) => x.text);

export const INCIDENT_CASES = {
  'GET /api/v1/incidents': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/incidents?limit=200' }),
    check: (res, a) => {
      const ids = body<{ items: { id: string }[] }>(res).items.map((c) => c.id);
      expect(ids.length).toBeGreaterThan(0);
      const roomsOf = ids.map((id) => rooms.get(id));
      expect(roomsOf.every(Boolean), 'a listed case was not made by the matrix').toBe(true);
      if (isCert(a)) {
        // The CERT: every case, the foreign organisation's too.
        expect(ids).toContain(seeded.get(a.home)!.id);
        expect(ids).toContain(seeded.get(a.foreign)!.id);
      } else {
        // The room: only cases its organisation takes part in, its own set-up case among them.
        expect(roomsOf.every((r) => r!.has(a.user!.organisationId))).toBe(true);
        expect(ids).toContain(seeded.get(a.home)!.id);
      }
    },
  },
  'POST /api/v1/incidents/report': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/incidents/report',
      body: {
        title: 'Encrypted servers in the ICU',
        whatHappened: 'The imaging servers show a ransom note since this morning.',
        discoveredAt: '2026-11-28T07:30:00Z',
        patientCareImpact: 'limited',
        contactName: 'Jannie Meldster',
        contactPhone: '+31 20 123 4567',
      },
    }),
    check: (res, a) => {
      reroom(res);
      expect(body<CaseBody>(res)).toMatchObject({ access: 'room', affected: [{ id: a.user!.organisationId }], severity: 'high' });
    },
  },
  'POST /api/v1/incidents': {
    targeted: false,
    build: async (a) => ({
      method: 'POST',
      url: '/api/v1/incidents',
      body: { intake: 'phone', organisationIds: [a.home], title: 'Phone call: mail server down', reporterName: 'Piet' },
    }),
    check: (res, a) => {
      reroom(res);
      expect(body<CaseBody>(res)).toMatchObject({ access: 'cert', affected: [{ id: a.home }] });
    },
  },
  'GET /api/v1/incidents/taxonomy': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/incidents/taxonomy' }),
    check: (res) => expect(body<Record<string, string[]>>(res)['malicious-code']).toContain('ransomware'),
  },
  'GET /api/v1/incidents/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}` }),
    check: (res, a, target) => {
      expect(body<CaseBody>(res).id).toBe(seededCase(a, target).id);
      seenAs(res, a);
    },
  },
  'PATCH /api/v1/incidents/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'PATCH', url: `/api/v1/incidents/${await freshCase(a, target)}`, body: { severity: 'high' } }),
    check: (res) => expect(body<CaseBody>(res).severity).toBe('high'),
  },
  'PUT /api/v1/incidents/:id/clocks': {
    targeted: true,
    build: async (a, target) => ({
      method: 'PUT',
      url: `/api/v1/incidents/${await freshCase(a, target)}/clocks`,
      body: { earlyWarningAt: '2026-11-28T10:00:00Z' },
    }),
    check: seenAs,
  },
  'POST /api/v1/incidents/:id/guests': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/guests`,
      body: { organisationId: [...partners][0]! },
    }),
    check: (res) => {
      reroom(res);
      expect(body<CaseBody>(res).guests.map((g) => g.id)).toContain([...partners][0]!);
    },
  },
  'DELETE /api/v1/incidents/:id/guests/:organisationId': {
    targeted: true,
    build: async (a, target) => {
      const partner = [...partners][0]!;
      // A case of the target organisation with the partner invited (for a partner's own: its client's).
      const id = await insertCase([partners.has(org(a, target)) ? client : org(a, target)], [partner]);
      return { method: 'DELETE', url: `/api/v1/incidents/${id}/guests/${partner}` };
    },
    check: (res) => {
      reroom(res);
      expect(body<CaseBody>(res).guests).toEqual([]);
    },
  },
  'POST /api/v1/incidents/:id/links': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/links`,
      body: { caseId: await freshCase(a, target) },
    }),
    check: (res) => expect(body<CaseBody>(res).related.map((r) => r.relation)).toEqual(['link']),
  },
  'DELETE /api/v1/incidents/:id/links/:childId': {
    targeted: true,
    build: async (a, target) => {
      const [x, y] = [await freshCase(a, target), await freshCase(a, target)].sort();
      await t.system.db.insertInto('incident_case_links').values({ case_a: x!, case_b: y!, created_by: requester }).execute();
      return { method: 'DELETE', url: `/api/v1/incidents/${x}/links/${y}` };
    },
    check: (res) => expect(body<CaseBody>(res).related).toEqual([]),
  },
  'POST /api/v1/incidents/:id/merge': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/merge`,
      body: { intoCaseId: await freshCase(a, target) },
    }),
    check: (res) => expect(body<CaseBody>(res).related.map((r) => r.relation)).toEqual(['merged_from']),
  },
  'GET /api/v1/incidents/:id/tasks': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/tasks` }),
    // The room sees the participant's side only.
    check: (res, a) => expect(sides(res)).toEqual(new Set(isCert(a) ? ['cert', 'participant'] : ['participant'])),
  },
  'POST /api/v1/incidents/:id/tasks': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/tasks`,
      body: { title: 'Send the firewall logs', side: 'participant', checklist: ['Last 48 hours'] },
    }),
    check: (res) => expect(body(res)).toMatchObject({ side: 'participant', status: 'open' }),
  },
  'PATCH /api/v1/incidents/:id/tasks/:childId': {
    targeted: true,
    build: async (a, target) => {
      // The room ticks off the participant's side: the request is made on such a task.
      const id = await freshCase(a, target);
      return {
        method: 'PATCH',
        url: `/api/v1/incidents/${id}/tasks/${await task(id, 'participant')}`,
        body: { status: 'done', checklist: [{ text: 'Step one', done: true }] },
      };
    },
    check: (res) => expect(body(res)).toMatchObject({ status: 'done', checklist: [{ text: 'Step one', done: true }] }),
  },
  'POST /api/v1/incidents/:id/apply-template': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/incidents/${await freshCase(a, target)}/apply-template`, body: { templateId } }),
    check: (res) => expect(sides(res)).toEqual(new Set(['cert', 'participant'])),
  },
  'GET /api/v1/incidents/:id/timeline': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/timeline` }),
    check: (res, a) => {
      expect(texts(res)).toContain(SHARED_TEXT);
      if (isCert(a)) expect(texts(res)).toContain(INTERNAL_TEXT);
      else expect(body<{ shared: boolean }[]>(res).every((e) => e.shared)).toBe(true);
    },
  },
  'POST /api/v1/incidents/:id/timeline': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/timeline`,
      body: { at: '2026-11-28T09:15:00Z', text: 'Backups checked: intact.' },
    }),
    // An entry from the room is always shared; the CERT's is not unless asked.
    check: (res, a) => expect(body<{ shared: boolean }>(res).shared).toBe(!isCert(a)),
  },
  'PATCH /api/v1/incidents/:id/timeline/:childId': {
    targeted: true,
    build: async (a, target) => {
      const id = await freshCase(a, target);
      return { method: 'PATCH', url: `/api/v1/incidents/${id}/timeline/${await timelineEntry(id, 'An internal finding', false)}`, body: { shared: true } };
    },
    check: (res) => expect(body<{ shared: boolean }>(res).shared).toBe(true),
  },
  'POST /api/v1/incidents/:id/timeline/:childId/observables': {
    targeted: true,
    build: async (a, target) => {
      const id = await freshCase(a, target);
      const entry = await timelineEntry(id, 'Hash of the dropper found', false);
      return { method: 'POST', url: `/api/v1/incidents/${id}/timeline/${entry}/observables`, body: { type: 'sha256', value: sha256(randomBytes(16)) } };
    },
    check: (res) => expect(body<{ timelineId: string | null }>(res).timelineId).not.toBeNull(),
  },
  'GET /api/v1/incidents/:id/observables': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/observables` }),
    check: (res) => expect(body<unknown[]>(res)).toHaveLength(1),
  },
  'POST /api/v1/incidents/:id/observables': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/observables`,
      body: { type: 'sha256', value: sha256(randomBytes(16)).toUpperCase() },
    }),
    check: (res) => expect(body<{ value: string }>(res).value).toMatch(/^[0-9a-f]{64}$/),
  },
  'POST /api/v1/incidents/:id/observables/share': {
    targeted: true,
    build: async (a, target) => {
      const id = await freshCase(a, target);
      return { method: 'POST', url: `/api/v1/incidents/${id}/observables/share`, body: { observableIds: [await observable(id)], tlp: 'GREEN' } };
    },
    check: (res) => expect(body(res)).toMatchObject({ shared: 1, added: 1 }),
  },
  'GET /api/v1/incidents/:id/messages': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/messages` }),
    // Internal notes never reach the room.
    check: (res, a) =>
      expect(
        body<{ body: string }[]>(res)
          .map((m) => m.body)
          .includes(INTERNAL_NOTE),
      ).toBe(isCert(a)),
  },
  'POST /api/v1/incidents/:id/messages': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/messages`,
      body: { body: 'The backups are offline and intact.' },
    }),
    check: (res, a) => expect(body(res)).toMatchObject({ internal: false, fromCert: isCert(a) }),
  },
  'GET /api/v1/incident-templates': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/incident-templates' }),
    check: (res) => expect(body<{ name: string }[]>(res).map((x) => x.name)).toContain('Ransomware'),
  },
  'POST /api/v1/incident-templates': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/incident-templates',
      body: { name: `Playbook ${unique()}`, categoryClass: 'fraud', categoryType: 'phishing', tasks: [{ title: 'Send the .eml', side: 'participant' }] },
    }),
    check: (res) => expect(body(res)).toMatchObject({ categoryClass: 'fraud', tasks: [{ side: 'participant' }] }),
  },
  'GET /api/v1/incident-fields': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/incident-fields' }),
    check: (res) => expect(Array.isArray(body(res))).toBe(true),
  },
  'POST /api/v1/incident-fields': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/incident-fields', body: { key: `f_${unique()}`, label: 'Supplier ticket', kind: 'text' } }),
    check: (res) => expect(body(res)).toMatchObject({ kind: 'text', label: 'Supplier ticket' }),
  },
  'DELETE /api/v1/incident-fields/:key': {
    targeted: false,
    build: async () => ({ method: 'DELETE', url: `/api/v1/incident-fields/${await customField()}` }),
  },

  // --- evidence
  'GET /api/v1/incidents/:id/evidence': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/evidence` }),
    // The room: shared evidence and what its organisations uploaded, never the CERT's unshared files.
    check: (res, a) => {
      const names = body<{ fileName: string }[]>(res).map((e) => e.fileName);
      expect(names).toContain(ROOM_FILE);
      expect(names.includes(HIDDEN_FILE)).toBe(isCert(a));
    },
  },
  'POST /api/v1/incidents/:id/evidence': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/evidence?fileName=memory.dmp&description=Memory%20image`,
      rawBody: UPLOAD,
    }),
    // What the room hands in is shared with it; the CERT's upload is not, unless asked.
    check: (res, a) => expect(body(res)).toMatchObject({ fileName: 'memory.dmp', sha256: sha256(UPLOAD), sizeBytes: UPLOAD.length, shared: !isCert(a) }),
  },
  'GET /api/v1/incidents/:id/evidence/:childId/download': {
    targeted: true,
    build: async (a, target) => {
      const c = seededCase(a, target);
      return { method: 'GET', url: `/api/v1/incidents/${c.id}/evidence/${c.roomEvidenceId}/download?reason=matrix` };
    },
    check: (res) => {
      expect(res.rawPayload.equals(ROOM_CONTENT)).toBe(true);
      expect(res.headers['x-evidence-sha256']).toBe(sha256(ROOM_CONTENT));
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment; /);
    },
  },
  'POST /api/v1/incidents/:id/evidence/:childId/verify': {
    targeted: true,
    build: async (a, target) => {
      const c = seededCase(a, target);
      return { method: 'POST', url: `/api/v1/incidents/${c.id}/evidence/${c.roomEvidenceId}/verify` };
    },
    check: (res) => expect(body(res)).toEqual({ sha256: sha256(ROOM_CONTENT), matches: true }),
  },
  'POST /api/v1/incidents/:id/evidence/:childId/handover': {
    targeted: true,
    build: async (a, target) => {
      const id = await freshCase(a, target);
      return {
        method: 'POST',
        url: `/api/v1/incidents/${id}/evidence/${await evidence(id)}/handover`,
        body: { to: 'Politie, team High Tech Crime', reason: 'For the criminal investigation.' },
      };
    },
    check: (res) => expect(body(res)).toMatchObject({ action: 'handover' }),
  },
  'POST /api/v1/incidents/:id/evidence/:childId/deletion': {
    targeted: true,
    build: async (a, target) => {
      const id = await freshCase(a, target);
      return { method: 'POST', url: `/api/v1/incidents/${id}/evidence/${await evidence(id)}/deletion`, body: { reason: 'Uploaded by mistake.' } };
    },
    check: (res) => expect(body<{ deletionRequested: unknown }>(res).deletionRequested).toMatchObject({ reason: 'Uploaded by mistake.' }),
  },
  'POST /api/v1/incidents/:id/evidence/:childId/deletion/approve': {
    targeted: true,
    // Asked for by another analyst, so the actor may be the second.
    build: async (a, target) => {
      const id = await freshCase(a, target);
      return {
        method: 'POST',
        url: `/api/v1/incidents/${id}/evidence/${await evidence(id, { deletionRequested: true })}/deletion/approve`,
        body: { reason: 'Agreed.' },
      };
    },
    check: (res) => expect(body<{ deletedAt: string | null }>(res).deletedAt).not.toBeNull(),
  },
  'POST /api/v1/incidents/:id/evidence/:childId/deletion/refuse': {
    targeted: true,
    build: async (a, target) => {
      const id = await freshCase(a, target);
      return {
        method: 'POST',
        url: `/api/v1/incidents/${id}/evidence/${await evidence(id, { deletionRequested: true })}/deletion/refuse`,
        body: { reason: 'We still need it.' },
      };
    },
    check: (res) => expect(body(res)).toMatchObject({ deletionRequested: null, deletedAt: null }),
  },
  'GET /api/v1/incidents/:id/custody': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/custody` }),
    check: (res) => expect(body<{ action: string }[]>(res).some((c) => c.action === 'upload')).toBe(true),
  },
  'GET /api/v1/incidents/:id/evidence-requests': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/evidence-requests` }),
    check: (res) => expect(body(res)).toEqual([expect.objectContaining({ description: 'The ransom note, please.', fulfilledAt: null })]),
  },
  'POST /api/v1/incidents/:id/evidence-requests': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/incidents/${await freshCase(a, target)}/evidence-requests`,
      body: { description: 'The firewall logs of the last two days.' },
    }),
    check: (res) => expect(body(res)).toMatchObject({ description: 'The firewall logs of the last two days.', fulfilledAt: null }),
  },

  // --- the CERT's views, a case's exports, the sector info message
  'GET /api/v1/incidents/deadlines': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/incidents/deadlines' }),
    check: (res) => expect(Array.isArray(body(res))).toBe(true),
  },
  'GET /api/v1/incidents/dashboard': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/incidents/dashboard' }),
    check: (res) => expect(body<{ openByStatus: Record<string, number> }>(res).openByStatus['triage']).toBeGreaterThan(0),
  },
  'GET /api/v1/incidents/:id/timeline.csv': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/timeline.csv` }),
    check: (res, a) => {
      expect(String(res.headers['content-type'])).toContain('text/csv');
      expect(res.body).toContain(SHARED_TEXT);
      expect(res.body.includes(INTERNAL_TEXT)).toBe(isCert(a));
    },
  },
  'GET /api/v1/incidents/:id/report.pdf': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/incidents/${seededCase(a, target).id}/report.pdf?lang=en` }),
    needsChromium: true,
    check: (res) => {
      expect(String(res.headers['content-type'])).toContain('application/pdf');
      expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    },
  },
  'POST /api/v1/incidents/:id/info-message': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/incidents/${await freshCase(a, target)}/info-message`, body: { tlp: 'GREEN' } }),
    check: (res) => expect(body<{ productId: string }>(res).productId).toMatch(/^[0-9a-f-]{36}$/),
  },
} satisfies Record<string, IncidentCase>;
