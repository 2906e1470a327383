import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import { makeUser } from '../helpers/factories.ts';
import type { ActorRole } from './policy-row.ts';
import * as repo from '../../src/modules/meetings/meeting.repository.ts';
import { randomToken, sha256 } from '../../src/modules/identity/secrets.ts';
import type { Role } from '../../src/modules/access/permissions.ts';

/**
 * The access-matrix requests of network meetings. Each organisation of the world (the participants
 * and the partner) has a meeting marked TLP:AMBER for it alone, with a material under the same
 * marking: 'own' is the meeting of the actor's home organisation, 'other' that of its foreign one.
 * Changes (edit, cancel) are made on a fresh meeting each. The feed is fetched with a token made for
 * a fresh user of the actor's home organisation (for the anonymous actor too: the token is the key).
 */

type Target = 'own' | 'other' | null;
interface MeetingActor {
  role: ActorRole;
  home: string;
  foreign: string;
  user: { id: string; organisationId: string } | null;
}
interface Req {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  rawBody?: Buffer;
  headers?: Record<string, string>;
}
interface MeetingCase {
  targeted: boolean;
  build(a: MeetingActor, target: Target): Promise<Req>;
  check?: (res: LightMyRequestResponse, a: MeetingActor, target: Target) => void;
}

let t: TestApp;
let cert = '';
const roleOf = new Map<string, Role>();
const seeded = new Map<string, { meetingId: string; materialId: string }>();
let greenId = '';
const unique = () => randomBytes(4).toString('hex');
const orgOf = (a: MeetingActor, target: Target) => (target === 'other' ? a.foreign : a.home);
const future = (h: number) => new Date(Date.now() + h * 3600_000);

async function insertMeeting(tlp: 'GREEN' | 'AMBER', recipient: string | null): Promise<string> {
  const id = await repo.insertMeeting(t.system.db, {
    owner: cert,
    title: `Matrix meeting ${unique()}`,
    description: 'Matrix',
    agenda: '',
    startsAt: future(24 * 30),
    endsAt: future(24 * 30 + 2),
    place: 'Utrecht',
    onlineUrl: null,
    capacity: 50,
    rsvpDeadline: null,
    language: 'nl',
    tlp,
    createdBy: null,
  });
  if (recipient) await repo.setRecipients(t.system.db, repo.MEETING_OBJECT, id, [recipient]);
  return id;
}

export async function setupMeetingWorld(app: TestApp, orgs: { cert: string; participants: string[]; partners: string[] }): Promise<void> {
  t = app;
  cert = orgs.cert;
  for (const p of orgs.participants) roleOf.set(p, 'participant-member');
  for (const p of orgs.partners) roleOf.set(p, 'partner');
  roleOf.set(orgs.cert, 'cert-analyst');
  greenId = await insertMeeting('GREEN', null);
  for (const o of [...orgs.participants, ...orgs.partners]) {
    const meetingId = await insertMeeting('AMBER', o);
    const content = Buffer.from('%PDF-1.7\nmatrix minutes\n%%EOF');
    const materialId = await repo.insertMaterial(t.system.db, {
      meetingId,
      owner: cert,
      kind: 'minutes',
      title: 'Matrix minutes',
      tlp: 'AMBER',
      fileName: 'minutes.pdf',
      mediaType: 'application/pdf',
      content,
      sha256: sha256(content.toString('latin1')),
      uploadedBy: null,
    });
    await repo.setRecipients(t.system.db, repo.MATERIAL_OBJECT, materialId, [o]);
    seeded.set(o, { meetingId, materialId });
  }
}

const meetingOf = (a: MeetingActor, target: Target) => seeded.get(orgOf(a, target))!.meetingId;

function multipart(fields: Record<string, string>, file: { name: string; content: Buffer }): { rawBody: Buffer; headers: Record<string, string> } {
  const boundary = `----matrix${unique()}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const head = Buffer.from(
    `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  return {
    rawBody: Buffer.concat([head, file.content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export const MEETING_CASES = {
  'GET /api/v1/meetings': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/meetings?limit=200' }),
    check: (res, a) => {
      const ids = res.json<{ items: { id: string }[] }>().items.map((m) => m.id);
      expect(ids).toContain(greenId);
      expect(ids).toContain(seeded.get(a.home)!.meetingId);
      const cert = a.role === 'cert-admin' || a.role === 'cert-analyst';
      if (cert) expect(ids).toContain(seeded.get(a.foreign)!.meetingId);
      else expect(ids).not.toContain(seeded.get(a.foreign)!.meetingId);
    },
  },
  'POST /api/v1/meetings': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/meetings',
      body: { title: `Matrix ${unique()}`, startsAt: future(100).toISOString(), endsAt: future(102).toISOString(), place: 'Utrecht', tlp: 'GREEN' },
    }),
  },
  'GET /api/v1/meetings/feed-token': { targeted: false, build: async () => ({ method: 'GET', url: '/api/v1/meetings/feed-token' }) },
  'POST /api/v1/meetings/feed-token': { targeted: false, build: async () => ({ method: 'POST', url: '/api/v1/meetings/feed-token' }) },
  'GET /api/v1/meetings/feed/:token': {
    targeted: false,
    build: async (a) => {
      const owner = await makeUser(t, a.home, roleOf.get(a.home) ?? 'participant-member');
      const token = randomToken();
      await repo.replaceFeedToken(t.system.db, owner.id, sha256(token));
      return { method: 'GET', url: `/api/v1/meetings/feed/${token}.ics` };
    },
    check: (res, a) => {
      expect(res.body).toContain('BEGIN:VCALENDAR');
      expect(res.body).toContain(seeded.get(a.home)!.meetingId);
      expect(res.body).not.toContain(seeded.get(a.foreign)!.meetingId);
    },
  },
  'GET /api/v1/meetings/:id': { targeted: true, build: async (a, target) => ({ method: 'GET', url: `/api/v1/meetings/${meetingOf(a, target)}` }) },
  'PATCH /api/v1/meetings/:id': {
    targeted: true,
    build: async (a, target) => ({
      method: 'PATCH',
      url: `/api/v1/meetings/${await insertMeeting('AMBER', orgOf(a, target))}`,
      body: { agenda: 'Bijgewerkt' },
    }),
  },
  'POST /api/v1/meetings/:id/cancel': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/meetings/${await insertMeeting('AMBER', orgOf(a, target))}/cancel` }),
  },
  'PUT /api/v1/meetings/:id/rsvp': {
    targeted: true,
    build: async (a, target) => ({ method: 'PUT', url: `/api/v1/meetings/${meetingOf(a, target)}/rsvp`, body: { response: 'going' } }),
  },
  'GET /api/v1/meetings/:id/attendees': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/meetings/${meetingOf(a, target)}/attendees` }),
  },
  'GET /api/v1/meetings/:id/ics': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/meetings/${meetingOf(a, target)}/ics` }),
    check: (res) => expect(res.body).toContain('BEGIN:VEVENT'),
  },
  'POST /api/v1/meetings/:id/materials': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/meetings/${meetingOf(a, target)}/materials`,
      ...multipart({ kind: 'slides', title: 'Matrix slides', tlp: 'AMBER' }, { name: 'slides.pdf', content: Buffer.from('%PDF-1.7\nslides\n%%EOF') }),
    }),
  },
  'GET /api/v1/meetings/:id/materials/:materialId': {
    targeted: true,
    build: async (a, target) => {
      const s = seeded.get(orgOf(a, target))!;
      return { method: 'GET', url: `/api/v1/meetings/${s.meetingId}/materials/${s.materialId}` };
    },
    check: (res) => expect(res.headers['content-disposition']).toMatch(/^attachment;/),
  },
} satisfies Record<string, MeetingCase>;
