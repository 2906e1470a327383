import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { openChat, type ChatClient, type Frame } from '../helpers/chat-client.ts';
import { openStream } from '../helpers/sse.ts';

/*
 * The secure chat over real WebSockets: the test app listens on 127.0.0.1 and the `ws` package plays
 * the browser (session cookie and Origin on the upgrade, as a browser sends them).
 */

let t: TestApp;
let wsBase: string;
let origin: string;
let orgA: string;
let asker: TestUser;
let askerCreds: Credentials;
let colleague: Credentials;
let analyst: TestUser;
let analystCreds: Credentials;
let outsider: Credentials;
let partner: Credentials;
const open: ChatClient[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  wsBase = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  origin = new URL(t.services.config.publicUrl).origin;
  const cert = await makeOrganisation(t, 'cert');
  const a = await makeOrganisation(t, 'participant', 'Hospital A');
  const b = await makeOrganisation(t, 'participant', 'Hospital B');
  const p = await makeOrganisation(t, 'partner', 'MSSP');
  orgA = a.id;
  asker = await makeUser(t, a.id, 'participant-member');
  askerCreds = await login(t, asker);
  colleague = await login(t, await makeUser(t, a.id, 'participant-admin'));
  analyst = await makeUser(t, cert.id, 'cert-analyst');
  analystCreds = await login(t, analyst);
  outsider = await login(t, await makeUser(t, b.id, 'participant-admin'));
  partner = await login(t, await makeUser(t, p.id, 'partner'));
});
afterAll(async () => {
  for (const c of open) c.close();
  await t?.close();
});

async function startChat(subject = 'How do we segment our medical device network?', body?: string): Promise<{ id: string; reference: string }> {
  const res = await call(t, 'POST', '/api/v1/chats', askerCreds, { subject, ...(body && { body }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; reference: string }>();
}

async function connect(id: string, creds: Credentials, headers: Record<string, string> = { origin }): Promise<ChatClient> {
  const c = await openChat(`${wsBase}/api/v1/chats/${id}/socket`, { cookie: creds.cookie ?? '', ...headers });
  open.push(c);
  return c;
}

async function refusedWith(id: string, creds: Credentials | null, headers: Record<string, string> = { origin }): Promise<{ status: number; body: string }> {
  try {
    const c = await openChat(`${wsBase}/api/v1/chats/${id}/socket`, { ...(creds?.cookie && { cookie: creds.cookie }), ...headers });
    c.close();
    throw new Error('the socket opened');
  } catch (err) {
    return err as { status: number; body: string };
  }
}

const isMessage = (body: string) => (f: Frame) => f.type === 'message' && (f.message as { body: string }).body === body;
const presenceOf = (f: Frame) => (f.users as { id: string }[]).map((u) => u.id).sort();

describe('a portal chat between a participant user and an analyst', () => {
  it('waits in the queue, is picked up, and both sides talk live; messages persist in the request', async () => {
    const chat = await startChat(undefined, 'We want to separate the MRI scanners from the office network.');
    expect(chat.reference).toMatch(/^REQ-\d{4}-\d{4,}$/);

    const queue = await call(t, 'GET', '/api/v1/chats?state=waiting', analystCreds);
    expect(queue.statusCode).toBe(200);
    expect(queue.json<{ items: { id: string; chatState: string }[] }>().items.find((c) => c.id === chat.id)?.chatState).toBe('waiting');
    // Another participant's queue view shows nothing of A's.
    await expect(call(t, 'GET', '/api/v1/chats', outsider).then((r) => r.json<{ items: { id: string }[] }>().items.map((c) => c.id))).resolves.not.toContain(
      chat.id,
    );

    const participant = await connect(chat.id, askerCreds);
    const hello = await participant.waitFor((f) => f.type === 'hello');
    expect((hello.messages as { body: string }[]).map((m) => m.body)).toEqual(['We want to separate the MRI scanners from the office network.']);

    const picked = await call(t, 'POST', `/api/v1/chats/${chat.id}/pick-up`, analystCreds);
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json<{ chatState: string; assignee: { id: string } }>()).toMatchObject({ chatState: 'active', assignee: { id: analyst.id } });
    await participant.waitFor((f) => f.type === 'state' && (f.chat as { chatState: string }).chatState === 'active');
    // Picking up twice is a conflict, not a silent takeover.
    expect((await call(t, 'POST', `/api/v1/chats/${chat.id}/pick-up`, analystCreds)).statusCode).toBe(409);

    const cert = await connect(chat.id, analystCreds);
    await cert.waitFor((f) => f.type === 'hello');
    // Presence: both are online, seen by both.
    await participant.waitFor((f) => f.type === 'presence' && presenceOf(f).length === 2 && presenceOf(f).includes(analyst.id));
    await cert.waitFor((f) => f.type === 'presence' && presenceOf(f).includes(asker.id) && presenceOf(f).includes(analyst.id));

    // Typing: shown to the other side, with the name, never echoed to the typist.
    participant.send({ type: 'typing' });
    const typing = await cert.waitFor((f) => f.type === 'typing');
    expect(typing.user).toMatchObject({ id: asker.id, cert: false });

    participant.send({ type: 'message', body: 'Do you have a factsheet on VLANs for medical devices?' });
    await cert.waitFor(isMessage('Do you have a factsheet on VLANs for medical devices?'));
    await participant.waitFor(isMessage('Do you have a factsheet on VLANs for medical devices?'));
    cert.send({ type: 'message', body: 'Yes: start with the NEN 7510 zoning model; I will mail it.' });
    const answer = await participant.waitFor(isMessage('Yes: start with the NEN 7510 zoning model; I will mail it.'));
    expect(answer.message).toMatchObject({ kind: 'answer', channel: 'chat', author: { id: analyst.id, cert: true } });
    expect(participant.frames.some((f) => f.type === 'typing')).toBe(false);

    const history = await call(t, 'GET', `/api/v1/chats/${chat.id}/messages`, colleague);
    expect(history.statusCode).toBe(200);
    expect(history.json<{ items: { body: string; kind: string }[] }>().items.map((m) => [m.kind, m.body])).toEqual([
      ['question', 'We want to separate the MRI scanners from the office network.'],
      ['question', 'Do you have a factsheet on VLANs for medical devices?'],
      ['answer', 'Yes: start with the NEN 7510 zoning model; I will mail it.'],
    ]);
    const row = await t.system.db
      .selectFrom('info_requests')
      .select(['channel', 'status', 'first_answered_at', 'organisation_id'])
      .where('id', '=', chat.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'chat', status: 'answered', organisation_id: orgA });
    expect(row.first_answered_at).not.toBeNull();

    // A plain GET of the socket route says who is connected.
    const who = await call(t, 'GET', `/api/v1/chats/${chat.id}/socket`, colleague);
    expect(
      who
        .json<{ presence: { id: string }[] }>()
        .presence.map((p) => p.id)
        .sort(),
    ).toEqual([asker.id, analyst.id].sort());

    // The participant leaves: the analyst sees them go offline.
    participant.close();
    await cert.waitFor((f) => f.type === 'presence' && !presenceOf(f).includes(asker.id));

    // The analyst ends the chat; writing afterwards is refused.
    const ended = await call(t, 'POST', `/api/v1/chats/${chat.id}/end`, analystCreds);
    expect(ended.json<{ chatState: string }>().chatState).toBe('ended');
    await cert.waitFor((f) => f.type === 'state' && (f.chat as { chatState: string }).chatState === 'ended');
    const late = await call(t, 'POST', `/api/v1/chats/${chat.id}/messages`, askerCreds, { body: 'one more thing' });
    expect(late.statusCode).toBe(409);
    expect(late.json<{ error: { code: string } }>().error.code).toBe('chat_ended');
    cert.send({ type: 'message', body: 'still there?' });
    expect((await cert.waitFor((f) => f.type === 'error')).code).toBe('chat_ended');
  });

  it('another organisation, a partner and anonymous callers can neither connect to nor read the chat', async () => {
    const chat = await startChat();
    const participant = await connect(chat.id, askerCreds);
    await participant.waitFor((f) => f.type === 'hello');

    expect((await refusedWith(chat.id, outsider)).status).toBe(404);
    expect((await refusedWith(chat.id, partner)).status).toBe(403);
    expect((await refusedWith(chat.id, null)).status).toBe(401);
    for (const url of [`/api/v1/chats/${chat.id}`, `/api/v1/chats/${chat.id}/messages`, `/api/v1/chats/${chat.id}/socket`]) {
      expect((await call(t, 'GET', url, outsider)).statusCode).toBe(404);
    }
    expect((await call(t, 'POST', `/api/v1/chats/${chat.id}/messages`, outsider, { body: 'hello?' })).statusCode).toBe(404);
    expect((await call(t, 'POST', `/api/v1/chats/${chat.id}/end`, outsider)).statusCode).toBe(404);
    // Nothing reached the participant from those attempts.
    participant.send({ type: 'message', body: 'private to A and the CERT' });
    await participant.waitFor(isMessage('private to A and the CERT'));
    expect(participant.frames.filter((f) => f.type === 'message')).toHaveLength(1);
    // A participant does not answer as the CERT, and cannot convert.
    expect((await call(t, 'POST', `/api/v1/chats/${chat.id}/pick-up`, colleague)).statusCode).toBe(403);
    expect((await call(t, 'POST', `/api/v1/chats/${chat.id}/convert`, colleague, { to: 'request' })).statusCode).toBe(403);
  });

  it('refuses an upgrade from a foreign Origin or without one (Cross-Site WebSocket Hijacking)', async () => {
    const chat = await startChat();
    const foreign = await refusedWith(chat.id, askerCreds, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('origin_not_allowed');
    expect((await refusedWith(chat.id, askerCreds, {})).status).toBe(403);
  });

  it('answers bad frames with error frames and stays usable', async () => {
    const chat = await startChat();
    const c = await connect(chat.id, askerCreds);
    await c.waitFor((f) => f.type === 'hello');
    const nextError = async (): Promise<string> => {
      const before = c.frames.filter((f) => f.type === 'error').length;
      const f = await c.waitFor(() => c.frames.filter((x) => x.type === 'error').length > before);
      void f;
      return String(c.frames.filter((x) => x.type === 'error')[before]!.code);
    };
    let p = nextError();
    c.send('{not json');
    expect(await p).toBe('frame_invalid_json');
    p = nextError();
    c.send({ type: 'shout', body: 'x' });
    expect(await p).toBe('frame_invalid');
    p = nextError();
    c.send({ type: 'message', body: 'x'.repeat(4001) });
    expect(await p).toBe('frame_invalid');
    p = nextError();
    c.send({ type: 'message', body: '   ' });
    expect(await p).toBe('frame_invalid');
    p = nextError();
    c.send(JSON.stringify({ type: 'message', body: 'y'.repeat(20_000) }));
    expect(await p).toBe('frame_too_large');
    p = nextError();
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await p).toBe('frame_not_text');
    c.send({ type: 'ping' });
    await c.waitFor((f) => f.type === 'pong');
    const stored = await call(t, 'GET', `/api/v1/chats/${chat.id}/messages`, askerCreds);
    expect(stored.json<{ items: unknown[] }>().items).toHaveLength(0);
  });

  it('cuts a user off when they log out mid-chat', async () => {
    const chat = await startChat();
    const creds = await login(t, asker);
    const c = await connect(chat.id, creds);
    await c.waitFor((f) => f.type === 'hello');
    expect((await call(t, 'POST', '/api/v1/auth/logout', creds)).statusCode).toBe(200);
    const closed = await Promise.race([c.closed, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    expect(closed?.code).toBe(4401);
    expect(await call(t, 'GET', `/api/v1/chats/${chat.id}/messages`, askerCreds).then((r) => r.json<{ items: unknown[] }>().items)).toHaveLength(0);
  });

  it('cuts a user off when their administrator disables them mid-chat', async () => {
    const chat = await startChat();
    const member = await makeUser(t, orgA, 'participant-member');
    const c = await connect(chat.id, await login(t, member));
    await c.waitFor((f) => f.type === 'hello');
    expect((await call(t, 'POST', `/api/v1/users/${member.id}/disable`, colleague)).statusCode).toBe(200);
    const closed = await Promise.race([c.closed, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    expect(closed?.code).toBe(4401);
  });
});

describe('the event streams', () => {
  it('tell the CERT about the queue, carry ids only, and never typing or presence; another organisation hears nothing', async () => {
    const http = wsBase.replace('ws://', 'http://');
    const certStream = await openStream(`${http}/api/v1/events`, { cookie: analystCreds.cookie ?? '' });
    const otherStream = await openStream(`${http}/api/v1/events`, { cookie: outsider.cookie ?? '' });
    try {
      const chat = await startChat('Queue event check', 'A question with a body that must not travel in events.');
      const participant = await connect(chat.id, askerCreds);
      await participant.waitFor((f) => f.type === 'hello');
      participant.send({ type: 'typing' });
      participant.send({ type: 'message', body: 'Second secret sentence.' });
      await participant.waitFor(isMessage('Second secret sentence.'));
      const seen: string[] = [];
      for (;;) {
        const m = await certStream.next(5000);
        seen.push(m.data);
        if (m.data.includes('chat.message') && seen.filter((d) => d.includes('chat.message')).length === 2) break;
      }
      expect(seen.some((d) => d.includes('"chat.queue"') && d.includes(chat.id))).toBe(true);
      expect(seen.join('\n')).not.toMatch(/chat\.typing|chat\.presence|secret sentence|must not travel/);
      await new Promise((r) => setTimeout(r, 300));
      expect(
        otherStream
          .received()
          .map((m) => m.data)
          .join('\n'),
      ).not.toContain(chat.id);
    } finally {
      certStream.close();
      otherStream.close();
    }
  });
});

describe('one step conversions by the analyst', () => {
  it('turns a chat into an incident case of the organisation, with the transcript', async () => {
    const chat = await startChat('Strange outbound traffic from the lab', 'Our lab server talks to 203.0.113.7 all night.');
    await call(t, 'POST', `/api/v1/chats/${chat.id}/messages`, analystCreds, { body: 'Please isolate it; we open a case.' });
    const res = await call(t, 'POST', `/api/v1/chats/${chat.id}/convert`, analystCreds, { to: 'incident' });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<{ to: string; id: string; reference: string; chat: { chatState: string; status: string } }>();
    expect(out).toMatchObject({ to: 'incident', chat: { chatState: 'ended', status: 'answered' } });
    const incident = await call(t, 'GET', `/api/v1/incidents/${out.id}`, analystCreds);
    expect(incident.statusCode, incident.body).toBe(200);
    const body = incident.json<{ title: string; description: string; organisations: unknown }>();
    expect(body.title).toBe('Strange outbound traffic from the lab');
    expect(body.description).toContain('Our lab server talks to 203.0.113.7 all night.');
    expect(body.description).toContain('Please isolate it; we open a case.');
    // The organisation sees its case; the link is a CERT note in the request.
    expect((await call(t, 'GET', `/api/v1/incidents/${out.id}`, colleague)).statusCode).toBe(200);
    const notes = await call(t, 'GET', `/api/v1/chats/${chat.id}/messages`, analystCreds);
    expect(notes.json<{ items: { kind: string; body: string }[] }>().items.find((m) => m.kind === 'note')?.body).toContain(out.reference);
    const theirs = await call(t, 'GET', `/api/v1/chats/${chat.id}/messages`, askerCreds);
    expect(theirs.json<{ items: { kind: string }[] }>().items.some((m) => m.kind === 'note')).toBe(false);
  });

  it('turns a chat into a CVD case logged by the analyst', async () => {
    const chat = await startChat(
      'A vulnerability in our infusion pump portal',
      'The pump portal at pumps.hospital-a.example accepts any password for the admin user.',
    );
    const res = await call(t, 'POST', `/api/v1/chats/${chat.id}/convert`, analystCreds, {
      to: 'cvd',
      targetKind: 'website',
      target: 'https://pumps.hospital-a.example/',
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<{ id: string; reference: string }>();
    const cvd = await call(t, 'GET', `/api/v1/cvd/cases/${out.id}`, analystCreds);
    expect(cvd.statusCode, cvd.body).toBe(200);
    expect(cvd.json<{ intake: string; title: string; description: string }>()).toMatchObject({
      intake: 'analyst',
      title: 'A vulnerability in our infusion pump portal',
    });
    expect(cvd.json<{ description: string }>().description).toContain('accepts any password');
  });

  it('turns a chat into a request: the chat ends, channel and status are kept', async () => {
    const chat = await startChat('Question about backups', 'How often should we test restoring backups?');
    const res = await call(t, 'POST', `/api/v1/chats/${chat.id}/convert`, analystCreds, { to: 'request' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ id: string; chat: { chatState: string; status: string } }>()).toMatchObject({ id: chat.id, chat: { chatState: 'ended', status: 'new' } });
    const row = await t.system.db.selectFrom('info_requests').select(['channel', 'status']).where('id', '=', chat.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'chat', status: 'new' });
    expect((await call(t, 'POST', `/api/v1/chats/${chat.id}/convert`, analystCreds, { to: 'incident' })).statusCode).toBe(409);
  });
});
