import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import { makeUser } from '../helpers/factories.ts';
import type { ActorRole } from './policy-table.ts';
import * as chatRepo from '../../src/modules/chat/chat.repository.ts';

/**
 * The access-matrix requests of the secure chat. Each participant has a chat to read and talk in
 * (never ended); every change of state (pick up, end, convert) gets a fresh waiting chat of the
 * target's organisation. "own" is a chat of the actor's home organisation (the CERT's home is a
 * participant), "other" one of the foreign organisation. A partner has no chats: its "own" target is
 * a chat of the participant it acts for (refused all the same).
 */

export type Target = 'own' | 'other' | null;
export interface ChatActor {
  role: ActorRole;
  home: string;
  foreign: string;
  user: { id: string; organisationId: string } | null;
}
interface Req {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
}
export interface ChatCase {
  targeted: boolean;
  build(a: ChatActor, target: Target): Promise<Req>;
  rowOrgs?: (body: unknown) => string[];
  check?: (res: LightMyRequestResponse, a: ChatActor, target: Target) => void;
}

let t: TestApp;
const askers = new Map<string, string>();
const talk = new Map<string, string>();
let fallbackOrg = '';

async function freshChat(organisationId: string): Promise<string> {
  const org = askers.has(organisationId) ? organisationId : fallbackOrg;
  const reference = await chatRepo.nextReference(t.system.db, new Date());
  return chatRepo.insertChat(t.system.db, {
    reference,
    organisationId: org,
    askerUserId: askers.get(org)!,
    askerEmail: 'asker@hospital.test',
    askerName: 'Matrix asker',
    topic: 'chat',
    subject: 'A question for the matrix',
    language: 'en',
    firstAnswerDue: new Date(Date.now() + 5 * 86_400_000),
  });
}

const orgOf = (a: ChatActor, target: Target): string => (target === 'other' ? a.foreign : a.home);
const chatOf = (a: ChatActor, target: Target): string => talk.get(orgOf(a, target)) ?? talk.get(fallbackOrg)!;
const items = (body: unknown) => (body as { items: { organisationId: string }[] }).items.map((c) => c.organisationId);

export async function setupChatWorld(app: TestApp, world: { cert: string; participants: string[]; partners: string[] }): Promise<void> {
  t = app;
  fallbackOrg = world.participants[0]!;
  for (const org of world.participants) {
    askers.set(org, (await makeUser(t, org, 'participant-member')).id);
    talk.set(org, await freshChat(org));
  }
}

export const CHAT_CASES = {
  'POST /api/v1/chats': {
    targeted: false,
    build: async () => ({ method: 'POST', url: '/api/v1/chats', body: { subject: 'Matrix chat', body: 'Is anyone there?' } }),
    check: (res, a) =>
      expect(res.json<{ organisationId: string; chatState: string }>()).toMatchObject({ organisationId: a.user!.organisationId, chatState: 'waiting' }),
  },
  'GET /api/v1/chats': {
    targeted: false,
    build: async () => ({ method: 'GET', url: '/api/v1/chats?limit=200' }),
    rowOrgs: items,
  },
  'GET /api/v1/chats/:id': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/chats/${chatOf(a, target)}` }),
    check: (res, a, target) => expect(res.json<{ id: string }>().id).toBe(chatOf(a, target)),
  },
  'GET /api/v1/chats/:id/messages': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/chats/${chatOf(a, target)}/messages` }),
    check: (res) => expect(Array.isArray(res.json<{ items: unknown[] }>().items)).toBe(true),
  },
  'POST /api/v1/chats/:id/messages': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/chats/${chatOf(a, target)}/messages`, body: { body: `Hello from ${a.role}` } }),
    check: (res, a) => expect(res.json<{ body: string }>().body).toBe(`Hello from ${a.role}`),
  },
  'POST /api/v1/chats/:id/pick-up': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/chats/${await freshChat(orgOf(a, target))}/pick-up` }),
    check: (res, a) => expect(res.json<{ chatState: string; assignee: { id: string } }>()).toMatchObject({ chatState: 'active', assignee: { id: a.user!.id } }),
  },
  'POST /api/v1/chats/:id/end': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/chats/${await freshChat(orgOf(a, target))}/end` }),
    check: (res) => expect(res.json<{ chatState: string }>().chatState).toBe('ended'),
  },
  'POST /api/v1/chats/:id/convert': {
    targeted: true,
    build: async (a, target) => ({ method: 'POST', url: `/api/v1/chats/${await freshChat(orgOf(a, target))}/convert`, body: { to: 'request' } }),
    check: (res) => expect(res.json<{ to: string; chat: { chatState: string } }>()).toMatchObject({ to: 'request', chat: { chatState: 'ended' } }),
  },
  'GET /api/v1/chats/:id/socket': {
    targeted: true,
    build: async (a, target) => ({ method: 'GET', url: `/api/v1/chats/${chatOf(a, target)}/socket` }),
    check: (res) => expect(Array.isArray(res.json<{ presence: unknown[] }>().presence)).toBe(true),
  },
} satisfies Record<string, ChatCase>;
