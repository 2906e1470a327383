import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killServeProcesses, startServeProcess, type ServeProcess } from '../helpers/serve-process.ts';
import { openChat, type ChatClient, type Frame } from '../helpers/chat-client.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { hashPassword } from '../../src/modules/identity/password.ts';
import { currentTotp, newTotpSecret } from '../../src/modules/identity/totp.ts';
import * as orgRepo from '../../src/modules/organisations/organisation.repository.ts';
import * as usersRepo from '../../src/modules/identity/users.repository.ts';
import type { Role } from '../../src/modules/access/permissions.ts';

/*
 * "A portal chat between a participant user and an analyst works across two server processes":
 * two `wachtpost serve` processes on one PostgreSQL database, the participant's socket on one, the
 * analyst's on the other. Messages, typing and presence cross through NOTIFY. The embedded database
 * serves one process only, so this needs DATABASE_URL.
 */

const PUBLIC_URL = 'http://wachtpost.test.example';
const PASSWORD = 'a long chat test passphrase 2026';
const serverUrl = process.env.DATABASE_URL;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'WACHTPOST_DATA_DIR', 'SMTP_URL', 'PORT', 'HOST', 'PUBLIC_URL', 'MAIL_FROM', 'TRUST_PROXY', 'LOG_LEVEL']) delete env[key];
  return { ...env, LOG_LEVEL: 'warn', NO_COLOR: '1', ...extra };
}

type Server = ServeProcess;

/** `wachtpost serve` (web role); resolves when /readyz answers 200. */
const startServer = (name: string, env: NodeJS.ProcessEnv): Promise<Server> => startServeProcess(name, env, { roles: 'web' });

interface Session {
  cookie: string;
  csrf: string;
}

async function api(server: Server, method: string, url: string, as: Session, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { cookie: as.cookie, 'x-csrf-token': as.csrf };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${server.url}${url}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
}

async function login(server: Server, email: string, totpSecret?: string): Promise<Session> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email} on ${server.name}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('wp_session='));
  if (!cookie) throw new Error('no session cookie');
  const body = (await res.json()) as { status: string; csrfToken: string };
  const session = { cookie, csrf: body.csrfToken };
  if (body.status === 'totp_required') {
    const r2 = await api(server, 'POST', '/api/v1/auth/totp', session, { code: currentTotp(totpSecret!) });
    if (r2.status !== 200) throw new Error(`totp ${email}: ${r2.status} ${await r2.text()}`);
  }
  return session;
}

const socketUrl = (server: Server, id: string) => `${server.url.replace('http://', 'ws://')}/api/v1/chats/${id}/socket`;
const isMessage = (body: string) => (f: Frame) => f.type === 'message' && (f.message as { body: string }).body === body;
const presenceIds = (f: Frame) => (f.users as { id: string }[]).map((u) => u.id);

if (!serverUrl) {
  describe('the secure chat across server processes', () => {
    it.skip('needs PostgreSQL: set DATABASE_URL=postgres://… (the embedded database serves one process only)', () => {});
  });
} else {
  describe('the secure chat across two server processes on one PostgreSQL database', () => {
    const name = `wp_chat_${randomBytes(5).toString('hex')}`;
    let databaseUrl: string;
    let p1: Server;
    let p2: Server;
    let database: Database | undefined;
    const users: Record<'asker' | 'analyst' | 'outsider', { id: string; email: string; totp?: string }> = {
      asker: { id: '', email: 'it@hospital-a.test' },
      analyst: { id: '', email: 'analyst@cert.test' },
      outsider: { id: '', email: 'ciso@hospital-b.test' },
    };
    const sockets: ChatClient[] = [];
    // Logged in once: a TOTP code is single-use per 30-second step.
    let asker: Session;
    let analyst: Session;
    let outsider: Session;

    const adminQuery = async (sql: string) => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };

    beforeAll(async () => {
      await adminQuery(`CREATE DATABASE ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      const env = childEnv({ DATABASE_URL: databaseUrl, PUBLIC_URL });
      p1 = await startServer('process 1', env);
      p2 = await startServer('process 2', env);
      // The people, written straight into the database the processes migrated.
      database = await openDatabase({ databaseUrl });
      const db = database.db;
      const cert =
        (await orgRepo.findCert(db)) ??
        (await orgRepo.insertOrganisation(db, {
          kind: 'cert',
          name: 'Z-CERT test',
          shortName: null,
          segment: null,
          membershipStatus: 'active',
          memberSince: null,
          memberUntil: null,
        }));
      const participant = (n: string) =>
        orgRepo.insertOrganisation(db, {
          kind: 'participant',
          name: n,
          shortName: null,
          segment: 'hospital',
          membershipStatus: 'active',
          memberSince: null,
          memberUntil: null,
        });
      const [a, b] = [await participant('Hospital A'), await participant('Hospital B')];
      const hash = await hashPassword(PASSWORD);
      const add = async (key: keyof typeof users, role: Role, organisationId: string, fullName: string) => {
        const u = await usersRepo.insertUser(db, { email: users[key].email, name: fullName, role, organisationId, passwordHash: hash, status: 'active' });
        users[key].id = u.id;
      };
      await add('asker', 'participant-member', a.id, 'Daan Visser');
      await add('analyst', 'cert-analyst', cert.id, 'Bram Jansen');
      await add('outsider', 'participant-admin', b.id, 'Eva Smit');
      users.analyst.totp = newTotpSecret();
      await db.updateTable('users').set({ totp_secret: users.analyst.totp, totp_enabled_at: new Date() }).where('id', '=', users.analyst.id).execute();
      // The participant's session begins on process 1, the analyst's and the outsider's on process 2.
      asker = await login(p1, users.asker.email);
      analyst = await login(p2, users.analyst.email, users.analyst.totp);
      outsider = await login(p2, users.outsider.email);
    }, 180_000);

    afterAll(async () => {
      for (const s of sockets) s.close();
      await Promise.all([p1?.stop(), p2?.stop()]);
      killServeProcesses();
      await database?.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }, 120_000);

    it('a portal chat between a participant user and an analyst works across two server processes', async () => {
      // The participant opens the chat through process 1; the analyst's queue on process 2 shows it.
      const started = await api(p1, 'POST', '/api/v1/chats', asker, {
        subject: 'Phishing wave at our radiology department',
        body: 'Several staff got a fake PACS login page.',
      });
      expect(started.status, await started.clone().text()).toBe(201);
      const chat = (await started.json()) as { id: string; reference: string };
      const queue = (await (await api(p2, 'GET', '/api/v1/chats?state=waiting', analyst)).json()) as { items: { id: string }[] };
      expect(queue.items.map((c) => c.id)).toContain(chat.id);

      const participant = await openChat(socketUrl(p1, chat.id), { cookie: asker.cookie, origin: PUBLIC_URL });
      sockets.push(participant);
      await participant.waitFor((f) => f.type === 'hello');
      const cert = await openChat(socketUrl(p2, chat.id), { cookie: analyst.cookie, origin: PUBLIC_URL });
      sockets.push(cert);
      const hello = await cert.waitFor((f) => f.type === 'hello');
      expect((hello.messages as { body: string }[]).map((m) => m.body)).toEqual(['Several staff got a fake PACS login page.']);

      // Presence crosses: each sees the other online, though they sit on different processes.
      await participant.waitFor((f) => f.type === 'presence' && presenceIds(f).includes(users.analyst.id) && presenceIds(f).includes(users.asker.id), 10_000);
      await cert.waitFor((f) => f.type === 'presence' && presenceIds(f).includes(users.asker.id), 10_000);

      // Typing crosses, with the name.
      cert.send({ type: 'typing' });
      const typing = await participant.waitFor((f) => f.type === 'typing');
      expect(typing.user).toMatchObject({ id: users.analyst.id, name: 'Bram Jansen', cert: true });

      // Messages cross both ways, live, and persist once.
      cert.send({ type: 'message', body: 'Thank you. Did anyone enter their password?' });
      await participant.waitFor(isMessage('Thank you. Did anyone enter their password?'));
      participant.send({ type: 'message', body: 'Two people did; we reset both accounts.' });
      await cert.waitFor(isMessage('Two people did; we reset both accounts.'));
      await participant.waitFor((f) => f.type === 'state' && (f.chat as { chatState: string }).chatState === 'active');
      const history = (await (await api(p1, 'GET', `/api/v1/chats/${chat.id}/messages`, asker)).json()) as { items: { body: string; kind: string }[] };
      expect(history.items.map((m) => [m.kind, m.body])).toEqual([
        ['question', 'Several staff got a fake PACS login page.'],
        ['answer', 'Thank you. Did anyone enter their password?'],
        ['question', 'Two people did; we reset both accounts.'],
      ]);

      // Another organisation cannot connect on either process, and its own socket on another chat hears nothing of this one.
      for (const server of [p1, p2]) {
        const refused = await openChat(socketUrl(server, chat.id), { cookie: outsider.cookie, origin: PUBLIC_URL }).then(
          (c) => (c.close(), 0),
          (err: { status: number }) => err.status,
        );
        expect(refused).toBe(404);
      }
      const own = (await (await api(p2, 'POST', '/api/v1/chats', outsider, { subject: 'Our own question' })).json()) as { id: string };
      const outsiderSocket = await openChat(socketUrl(p2, own.id), { cookie: outsider.cookie, origin: PUBLIC_URL });
      sockets.push(outsiderSocket);
      await outsiderSocket.waitFor((f) => f.type === 'hello');
      participant.send({ type: 'message', body: 'Should we report this as an incident?' });
      await cert.waitFor(isMessage('Should we report this as an incident?'));
      await new Promise((r) => setTimeout(r, 300));
      expect(outsiderSocket.frames.filter((f) => f.type !== 'hello' && f.type !== 'presence')).toEqual([]);
      expect(JSON.stringify(outsiderSocket.frames)).not.toContain(users.asker.id);

      // The analyst ends the chat through process 2; the participant on process 1 sees it end.
      expect((await api(p2, 'POST', `/api/v1/chats/${chat.id}/end`, analyst)).status).toBe(200);
      await participant.waitFor((f) => f.type === 'state' && (f.chat as { chatState: string }).chatState === 'ended');
    }, 90_000);

    it('when the analyst’s process dies, the participant sees the analyst go offline (presence expires)', async () => {
      const chat = (await (await api(p1, 'POST', '/api/v1/chats', asker, { subject: 'Presence check' })).json()) as { id: string };
      const participant = await openChat(socketUrl(p1, chat.id), { cookie: asker.cookie, origin: PUBLIC_URL });
      sockets.push(participant);
      const cert = await openChat(socketUrl(p2, chat.id), { cookie: analyst.cookie, origin: PUBLIC_URL });
      sockets.push(cert);
      await participant.waitFor((f) => f.type === 'presence' && presenceIds(f).includes(users.analyst.id), 10_000);
      const seen = participant.frames.length;
      // No goodbye from a killed process: only the missing heartbeats tell.
      await p2.kill();
      await participant.waitFor((f) => participant.frames.indexOf(f) >= seen && f.type === 'presence' && !presenceIds(f).includes(users.analyst.id), 50_000);
    }, 80_000);
  });
}
