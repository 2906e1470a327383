import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import { makeUser } from '../helpers/factories.ts';
import type { ActorRole } from './policy-table.ts';
import * as repo from '../../src/modules/community/community.repository.ts';
import { storeEvidence } from '../../src/modules/incidents/evidence-store.ts';
import { renderMarkdown, markdownToText } from '../../src/lib/markdown.ts';

/**
 * The access-matrix requests of the community. Each organisation of the world has a space of its
 * own (it alone is named; every role admitted): an 'own' target is in the space of the actor's home
 * organisation, an 'other' target in the space of its foreign one, which does not exist for anyone
 * but the CERT. What the request changes is made fresh for it, authored by the actor (edits and
 * uploads are the author's), so every request stands on its own.
 */

type Target = 'own' | 'other' | null;
interface CommunityActor {
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
export interface CommunityCase {
  targeted: boolean;
  build(a: CommunityActor, target: Target): Promise<Req>;
  check?: (res: LightMyRequestResponse, a: CommunityActor, target: Target) => void;
}

let t: TestApp;
const spaceOf = new Map<string, string>();
/** A user of each organisation, to author what an anonymous request points at. */
const authorOf = new Map<string, { id: string; organisationId: string }>();
const seededAttachment = new Map<string, string>();
const FILE = Buffer.from('%PDF-1.4\n% matrix file\n');
const unique = () => randomBytes(4).toString('hex');

const org = (a: CommunityActor, target: Target) => (target === 'other' ? a.foreign : a.home);
const author = (a: CommunityActor, target: Target) => a.user ?? authorOf.get(org(a, target))!;
const space = (a: CommunityActor, target: Target) => spaceOf.get(org(a, target))!;

async function freshThread(spaceId: string, by: { id: string; organisationId: string }): Promise<{ threadId: string; openingId: string; replyId: string }> {
  const db = t.system.db;
  const threadId = await repo.insertThread(db, { spaceId, title: `Matrix ${unique()}`, userId: by.id, organisationId: by.organisationId });
  const md = 'Een **bericht** voor de matrix.';
  const post = {
    md,
    html: renderMarkdown(md),
    text: markdownToText(md),
    tlp: 'GREEN' as const,
    userId: by.id,
    organisationId: by.organisationId,
    recipients: [],
  };
  const openingId = await repo.insertPost(db, { threadId, opening: true, ...post });
  const replyId = await repo.insertPost(db, { threadId, opening: false, ...post });
  return { threadId, openingId, replyId };
}

const forTarget = async (a: CommunityActor, target: Target) => freshThread(space(a, target), author(a, target));

function multipart(content: Buffer): { rawBody: Buffer; headers: Record<string, string> } {
  const boundary = `----matrix${unique()}`;
  return {
    rawBody: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="matrix.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function setupCommunityWorld(app: TestApp, orgs: { cert: string; participants: string[]; partners: string[] }): Promise<void> {
  t = app;
  const db = t.system.db;
  for (const o of [...orgs.participants, ...orgs.partners]) {
    const id = await repo.insertSpace(db, {
      name: `Matrix space ${unique()}`,
      description: '',
      roles: ['participant-admin', 'participant-member', 'partner'],
      kinds: [],
      segments: [],
      createdBy: (await makeUser(t, orgs.cert, 'cert-analyst')).id,
    });
    await repo.setSpaceMembers(db, id, [o]);
    spaceOf.set(o, id);
    const u = await makeUser(t, o, orgs.partners.includes(o) ? 'partner' : 'participant-admin');
    authorOf.set(o, { id: u.id, organisationId: o });
    const { openingId } = await freshThread(id, authorOf.get(o)!);
    const stored = await storeEvidence(Readable.from([FILE]), {
      dir: path.join(t.services.config.incidents.evidenceDir, 'community'),
      maxBytes: 1024 * 1024,
      key: t.services.config.incidents.evidenceKey,
    });
    const attachmentId = await repo.insertAttachment(db, {
      postId: openingId,
      fileName: 'matrix.pdf',
      mediaType: 'application/pdf',
      sizeBytes: stored.sizeBytes,
      sha256: stored.sha256,
      storageName: stored.storageName,
      encrypted: stored.encrypted,
      uploadedBy: u.id,
    });
    seededAttachment.set(o, attachmentId);
  }
}

const json = <T>(res: LightMyRequestResponse) => JSON.parse(res.body) as T;

export const COMMUNITY_CASES = {
  'GET /api/v1/community/spaces': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/community/spaces' }),
    check: (res, a) => {
      const ids = json<{ items: { id: string }[] }>(res).items.map((s) => s.id);
      expect(ids).toContain(spaceOf.get(a.home));
      if (a.role === 'cert-admin' || a.role === 'cert-analyst') expect(ids).toContain(spaceOf.get(a.foreign));
      else expect(ids).not.toContain(spaceOf.get(a.foreign));
    },
  },
  'POST /api/v1/community/spaces': {
    targeted: false,
    build: async () => ({
      method: 'POST',
      url: '/api/v1/community/spaces',
      body: { name: `Nieuw ${unique()}`, roles: ['participant-admin'], organisationKinds: ['participant'] },
    }),
  },
  'GET /api/v1/community/spaces/:spaceId': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/community/spaces/${space(a, target)}` }),
    check: (res, a, target) => expect(json<{ id: string }>(res).id).toBe(space(a, target)),
  },
  'PATCH /api/v1/community/spaces/:spaceId': {
    targeted: true,
    build: async (a, target) => ({ method: 'PATCH', url: `/api/v1/community/spaces/${space(a, target)}`, body: { description: `Bijgewerkt ${unique()}` } }),
  },
  'GET /api/v1/community/spaces/:spaceId/organisations': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/community/spaces/${space(a, target)}/organisations` }),
    check: (res, a, target) => expect(json<{ items: { id: string }[] }>(res).items.map((o) => o.id)).toContain(org(a, target)),
  },
  'GET /api/v1/community/spaces/:spaceId/threads': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/community/spaces/${space(a, target)}/threads` }),
    check: (res) => expect(json<{ items: unknown[] }>(res).items.length).toBeGreaterThan(0),
  },
  'POST /api/v1/community/spaces/:spaceId/threads': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/community/spaces/${space(a, target)}/threads`,
      body: { title: 'Vraag', body: 'Hoe doen jullie dit?', tlp: 'GREEN' },
    }),
  },
  'PUT /api/v1/community/spaces/:spaceId/preference': {
    targeted: true,
    build: async (a, target) => ({ method: 'PUT', url: `/api/v1/community/spaces/${space(a, target)}/preference`, body: { mode: 'instant' } }),
  },
  'GET /api/v1/community/threads/:threadId': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/community/threads/${(await forTarget(a, target)).threadId}` }),
    check: (res) => expect(json<{ posts: unknown[] }>(res).posts).toHaveLength(2),
  },
  'PATCH /api/v1/community/threads/:threadId': {
    targeted: true,
    build: async (a, target) => ({ method: 'PATCH', url: `/api/v1/community/threads/${(await forTarget(a, target)).threadId}`, body: { pinned: true } }),
  },
  'POST /api/v1/community/threads/:threadId/posts': {
    targeted: true,
    build: async (a, target) => ({
      method: 'POST',
      url: `/api/v1/community/threads/${(await forTarget(a, target)).threadId}/posts`,
      body: { body: 'Antwoord', tlp: 'GREEN' },
    }),
  },
  'PUT /api/v1/community/threads/:threadId/answer': {
    targeted: true,
    build: async (a, target) => {
      const th = await forTarget(a, target);
      return { method: 'PUT', url: `/api/v1/community/threads/${th.threadId}/answer`, body: { postId: th.replyId } };
    },
  },
  'PATCH /api/v1/community/posts/:postId': {
    targeted: true,
    build: async (a, target) => ({
      method: 'PATCH',
      url: `/api/v1/community/posts/${(await forTarget(a, target)).replyId}`,
      body: { body: 'Aangepast', version: 1 },
    }),
  },
  'GET /api/v1/community/posts/:postId/versions': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/community/posts/${(await forTarget(a, target)).replyId}/versions` }),
  },
  'POST /api/v1/community/posts/:postId/hide': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/community/posts/${(await forTarget(a, target)).replyId}/hide`, body: { reason: 'Matrix' } }),
  },
  'POST /api/v1/community/posts/:postId/unhide': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/community/posts/${(await forTarget(a, target)).replyId}/unhide` }),
  },
  'PUT /api/v1/community/posts/:postId/reactions/:kind': {
    targeted: true,
    build: async (a, target) => ({ method: 'PUT', url: `/api/v1/community/posts/${(await forTarget(a, target)).replyId}/reactions/heart` }),
  },
  'DELETE /api/v1/community/posts/:postId/reactions/:kind': {
    targeted: true,
    build: async (a, target) => ({ method: 'DELETE', url: `/api/v1/community/posts/${(await forTarget(a, target)).replyId}/reactions/heart` }),
  },
  'POST /api/v1/community/posts/:postId/attachments': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/community/posts/${(await forTarget(a, target)).replyId}/attachments`, ...multipart(FILE) }),
    check: (res) => expect(json<{ mediaType: string }>(res).mediaType).toBe('application/pdf'),
  },
  'GET /api/v1/community/attachments/:attachmentId': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/community/attachments/${seededAttachment.get(org(a, target))}` }),
    check: (res) => {
      expect(res.rawPayload.equals(FILE)).toBe(true);
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    },
  },
  'GET /api/v1/community/search': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/community/search?q=bericht' }),
  },
} satisfies Record<string, CommunityCase>;
