import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ChatHub, type ChatEvent, type ChatSocket } from '../../src/modules/chat/chat.hub.ts';
import type { Services } from '../../src/server/context.ts';
import type { Actor } from '../../src/modules/access/actor.ts';

/** A hub on a stand-in database: we play the NOTIFY channel by hand; its own publishes go nowhere. */
function hubWithChannel(heartbeatMs: number) {
  let hear: (payload: string) => void = () => undefined;
  const database = {
    listen: (_channel: string, handler: (payload: string) => void) => {
      hear = handler;
      return Promise.resolve(async () => undefined);
    },
  };
  // Only `database.listen` and `log` are used without a real database (publishing fails and is logged).
  const services = { database, log: pino({ level: 'silent' }), config: {} } as unknown as Services;
  const hub = new ChatHub(services, { heartbeatMs });
  return { hub, notify: (event: unknown) => hear(JSON.stringify(event)) };
}

function actor(userId: string, organisationId: string, role: Actor['role']): Actor {
  return {
    userId,
    email: `${userId}@test.example`,
    role,
    organisationId,
    organisationKind: role.startsWith('cert') ? 'cert' : 'participant',
    clientOrganisationIds: [],
    partnerOrganisationIds: [],
    sessionId: `s-${userId}`,
    tokenId: null,
    tokenPermissions: null,
  };
}

function socket(a: Actor, requestId: string, organisationId: string) {
  const got: ChatEvent[] = [];
  const closed: number[] = [];
  const s: ChatSocket = { actor: a, requestId, organisationId, deliver: (e) => got.push(e), close: (code) => closed.push(code) };
  return { s, got, closed };
}

describe('the chat hub', () => {
  it('merges presence from other processes and forgets a process that falls silent', async () => {
    const { hub, notify } = hubWithChannel(40);
    await hub.start();
    const local = socket(actor('u-asker', 'org-a', 'participant-member'), 'chat-1', 'org-a');
    await hub.join(local.s);
    expect(hub.presence('chat-1')).toEqual(['u-asker']);
    notify({ type: 'chat.presence', organisationId: 'org-a', internal: true, data: { requestId: 'chat-1', processId: 'other', userIds: ['u-analyst'] } });
    expect(hub.presence('chat-1').sort()).toEqual(['u-analyst', 'u-asker']);
    expect(local.got.at(-1)).toEqual({ type: 'chat.presence', requestId: 'chat-1', userIds: expect.arrayContaining(['u-analyst', 'u-asker']) });
    // Three heartbeats without word from the other process: its users are offline, and the socket is told.
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.presence('chat-1')).toEqual(['u-asker']);
    expect(local.got.at(-1)).toEqual({ type: 'chat.presence', requestId: 'chat-1', userIds: ['u-asker'] });
    await hub.stop();
  });

  it('forwards events only to sockets of that chat and organisation, and closes revoked sessions', async () => {
    const { hub, notify } = hubWithChannel(10_000);
    await hub.start();
    const mine = socket(actor('u-1', 'org-a', 'participant-member'), 'chat-1', 'org-a');
    const otherChat = socket(actor('u-2', 'org-b', 'participant-admin'), 'chat-2', 'org-b');
    const partner = socket(actor('u-3', 'org-p', 'partner'), 'chat-1', 'org-a');
    for (const x of [mine, otherChat, partner]) await hub.join(x.s);
    notify({ type: 'chat.message', organisationId: 'org-a', data: { requestId: 'chat-1', messageId: 'm-1' } });
    notify({ type: 'chat.message', organisationId: 'org-b', data: { requestId: 'chat-1', messageId: 'm-forged' } });
    expect(mine.got).toEqual([{ type: 'chat.message', requestId: 'chat-1', messageId: 'm-1' }]);
    expect(otherChat.got).toEqual([]);
    // A partner has no requests:read: even a socket that slipped in hears nothing.
    expect(partner.got).toEqual([]);
    notify({ type: 'session.ended', organisationId: null, internal: true, data: {}, revoke: { userId: 'u-1', sessionId: 's-u-1' } });
    expect(mine.closed).toEqual([4401]);
    expect(otherChat.closed).toEqual([]);
    notify('not json at all');
    await hub.stop();
  });
});
