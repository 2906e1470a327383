import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressObject } from 'mailparser';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killServeProcesses, startServeProcess, type ServeProcess } from '../helpers/serve-process.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/modules/demo/demo-data.ts';
import { currentTotp, newTotpSecret } from '../../src/modules/identity/totp.ts';
import { queueMail } from '../../src/modules/mail/outbox.service.ts';
import { loadConfig } from '../../src/server/config.ts';
import { inTransaction, systemContext } from '../../src/server/context.ts';
import { sseBlocks } from '../helpers/sse.ts';

/*
 * Two `wachtpost serve` processes (web, worker and scheduler each) on one PostgreSQL database, as
 * behind a load balancer: sessions, the mail outbox and realtime events must work across them.
 * The embedded database serves one process only, so this needs DATABASE_URL.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'wachtpost.mjs');
const PUBLIC_URL = 'http://wachtpost.test.example';
const serverUrl = process.env.DATABASE_URL;

// ---------------------------------------------------------------------------------------------
// A real SMTP server (smtp-server) that parses what arrives with mailparser.

// ---------------------------------------------------------------------------------------------
// Processes and HTTP.

const children = new Set<ChildProcess>();

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'WACHTPOST_DATA_DIR', 'SMTP_URL', 'PORT', 'HOST', 'PUBLIC_URL', 'MAIL_FROM', 'TRUST_PROXY', 'LOG_LEVEL']) delete env[key];
  return { ...env, LOG_LEVEL: 'warn', NO_COLOR: '1', ...extra };
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

type Server = ServeProcess;

/** `wachtpost serve` with every role; resolves when /readyz answers 200. */
const startServer = (name: string, env: NodeJS.ProcessEnv): Promise<Server> => startServeProcess(name, env);

interface Session {
  cookie: string;
  csrf: string;
}

async function api(server: Server, method: string, url: string, as: Session | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (as) {
    headers.cookie = as.cookie;
    headers['x-csrf-token'] = as.csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${server.url}${url}`, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
}

async function login(server: Server, email: string, totpSecret?: string): Promise<Session> {
  const res = await api(server, 'POST', '/api/v1/auth/login', null, { email, password: DEMO_PASSWORD });
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

// ---------------------------------------------------------------------------------------------
// A server-sent-event client.

interface EventStream {
  events: Record<string, unknown>[];
  connected: Promise<void>;
  ended: Promise<void>;
  waitFor(match: (e: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

function openStream(server: Server, session: Session): EventStream {
  const events: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let resolveConnected!: () => void;
  let rejectConnected!: (err: Error) => void;
  let resolveEnded!: () => void;
  const connected = new Promise<void>((res, rej) => {
    resolveConnected = res;
    rejectConnected = rej;
  });
  const ended = new Promise<void>((res) => (resolveEnded = res));
  const req = http.get(`${server.url}/api/v1/events`, { headers: { cookie: session.cookie, accept: 'text/event-stream' } }, (res) => {
    if (res.statusCode !== 200) {
      rejectConnected(new Error(`event stream on ${server.name}: HTTP ${res.statusCode}`));
      res.resume();
      return;
    }
    res.setEncoding('utf8');
    res.on(
      'data',
      sseBlocks((block) => {
        if (block.startsWith(': connected')) resolveConnected();
        for (const line of block.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as Record<string, unknown>);
        for (const w of waiters) w();
      }),
    );
    res.on('end', () => resolveEnded());
    res.on('close', () => resolveEnded());
  });
  req.on('error', (err) => {
    rejectConnected(err);
    resolveEnded();
  });
  return {
    events,
    connected,
    ended,
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find(match);
          if (!hit) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event on ${server.name} within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => req.destroy(),
  };
}

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? ''));

// ---------------------------------------------------------------------------------------------

// Several processes need a PostgreSQL server: the embedded database serves one process. `npm test`
// runs on the embedded database, so this file skips there; .ci/run runs the medium suites again
// with DATABASE_URL, where it must pass.
if (!serverUrl) {
  describe('several wachtpost processes on one database', () => {
    it.skip('needs PostgreSQL: set DATABASE_URL=postgres://… (the embedded database serves one process only)', () => {});
  });
} else {
  describe('several wachtpost processes on one PostgreSQL database', () => {
    const name = `wp_mp_${randomBytes(5).toString('hex')}`;
    let databaseUrl: string;
    let smtp: SmtpSink;
    let p1: Server;
    let p2: Server;
    let pool: pg.Pool;
    let database: Database | undefined;

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
      pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      smtp = await startSmtpSink({ delayMs: 100 });
      const env = (n: number) => childEnv({ DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, PUBLIC_URL, MAIL_FROM: `Wachtpost P${n} <noreply@cert.example>` });
      // Both start at once on the empty database: the migration runs once, under an advisory lock.
      [p1, p2] = await Promise.all([startServer('process 1', env(1)), startServer('process 2', env(2))]);
      const demo = await runCli(['demo'], childEnv({ DATABASE_URL: databaseUrl }));
      if (demo.code !== 0) throw new Error(`wachtpost demo failed: ${demo.stderr}`);
    }, 180_000);

    afterAll(async () => {
      await Promise.all([p1?.stop(), p2?.stop()]);
      for (const c of children) c.kill('SIGKILL');
      killServeProcesses();
      await database?.close();
      await pool?.end();
      await smtp?.close();
      if (serverUrl) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }, 120_000);

    it('both processes migrated the empty database at once; each migration ran exactly once', async () => {
      const shipped = readdirSync(path.join(ROOT, 'src/db/migrations'))
        .filter((f) => f.endsWith('.sql'))
        .sort();
      const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(shipped);
      for (const p of [p1, p2]) expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
    });

    it('a session started on process 1 works on process 2, and a logout on process 2 ends it on process 1', async () => {
      const s = await login(p1, 'ciso@ziekenhuis-noord.example');
      const me = await api(p2, 'GET', '/api/v1/auth/me', s);
      expect(me.status).toBe(200);
      const { user } = (await me.json()) as { user: { email: string; organisationId: string } };
      expect(user.email).toBe('ciso@ziekenhuis-noord.example');

      // A write on process 2 with the session of process 1: the CSRF token is shared too.
      const contact = { name: 'Nachtdienst ICT', email: 'nachtdienst@ziekenhuis-noord.example' };
      expect((await api(p2, 'POST', `/api/v1/organisations/${user.organisationId}/contacts`, { cookie: s.cookie, csrf: 'wrong' }, contact)).status).toBe(403);
      expect((await api(p2, 'POST', `/api/v1/organisations/${user.organisationId}/contacts`, s, contact)).status).toBe(201);

      expect((await api(p2, 'POST', '/api/v1/auth/logout', s)).status).toBe(200);
      const after1 = await api(p1, 'GET', '/api/v1/auth/me', s);
      expect(after1.status).toBe(401);
      expect(((await after1.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
      expect((await api(p2, 'GET', '/api/v1/auth/me', s)).status).toBe(401);
    });

    it('mails requested through both processes (and a burst queued at once) each arrive exactly once', async () => {
      // Password resets are limited to 5 per address per 15 minutes in each process: 5 on each.
      const resetsP1 = DEMO_USERS.slice(0, 5).map((u) => u.email);
      const resetsP2 = [...DEMO_USERS.slice(5).map((u) => u.email), ...DEMO_USERS.slice(0, 10 - DEMO_USERS.length).map((u) => u.email)];
      for (const [p, emails] of [
        [p1, resetsP1],
        [p2, resetsP2],
      ] as const) {
        for (const email of emails) expect((await api(p, 'POST', '/api/v1/auth/password-reset', null, { email })).status).toBe(202);
      }
      // The limit is per process (in memory), and it holds.
      expect((await api(p1, 'POST', '/api/v1/auth/password-reset', null, { email: resetsP1[0] })).status).toBe(429);

      // Invitations (not rate-limited) from the participant admin, five through each process.
      const admin = await login(p1, 'ciso@ziekenhuis-noord.example');
      const me = (await (await api(p1, 'GET', '/api/v1/auth/me', admin)).json()) as { user: { organisationId: string } };
      const invited = Array.from({ length: 10 }, (_, i) => `collega${i}@ziekenhuis-noord.example`);
      await Promise.all(
        invited.map(async (email, i) => {
          const res = await api(i % 2 ? p2 : p1, 'POST', '/api/v1/users', admin, {
            email,
            name: `Collega ${i}`,
            role: 'participant-member',
            organisationId: me.user.organisationId,
          });
          expect(res.status, await res.clone().text()).toBe(201);
        }),
      );

      // A burst committed in one transaction: both workers are woken by the same NOTIFY.
      const config = loadConfig({ DATABASE_URL: databaseUrl, PUBLIC_URL, LOG_LEVEL: 'silent' });
      database = await openDatabase({ databaseUrl });
      const ctx = systemContext({ config, database, log: pino({ level: 'silent' }) });
      await inTransaction(ctx, async (tx) => {
        for (let i = 0; i < 30; i++)
          await queueMail(tx, `burst.${i}`, { to: `burst${i}@ziekenhuis-noord.example`, subject: `Burst ${i}`, text: `Bericht ${i}` });
      });

      const expected = resetsP1.length + resetsP2.length + invited.length + 30;
      const notSent = async () =>
        Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE kind = 'mail' AND status <> 'sent'")).rows[0]!.n);
      // The demo's own mail (products, detection-network hits, incident, CVD, request and meeting mail)
      // arrives besides the account mail: the account mail is known by its outbox keys.
      const accountRows = async () =>
        (
          await pool.query<{ payload: { messageId: string; to: string }; status: string; attempts: number; dedupe_key: string }>(
            "SELECT payload, status, attempts, dedupe_key FROM outbox WHERE kind = 'mail' AND dedupe_key ~ '^(invitation|reset|burst)\\.'",
          )
        ).rows;
      const receivedIds = () => new Set(smtp.received.map((m) => m.parsed.messageId ?? ''));
      await until(
        `${expected} mails`,
        async () => {
          const rows = await accountRows();
          const got = receivedIds();
          return rows.length === expected && rows.every((r) => got.has(r.payload.messageId)) && (await notSent()) === 0;
        },
        90_000,
      );
      // Anything sent twice would arrive in the moments after.
      await new Promise((r) => setTimeout(r, 1500));

      const rows = await accountRows();
      expect(rows).toHaveLength(expected);
      const accountIds = new Set(rows.map((r) => r.payload.messageId));
      const isAccountMail = (m: (typeof smtp.received)[number]) => accountIds.has(m.parsed.messageId ?? '');
      // Every row was claimed by exactly one worker, once.
      expect(rows.filter((r) => r.status !== 'sent' || r.attempts !== 1)).toEqual([]);

      // The demo's published products are mailed too (one row per contact): those arrive once as well.
      const perId = new Map<string, number>();
      for (const m of smtp.received) perId.set(m.parsed.messageId ?? '', (perId.get(m.parsed.messageId ?? '') ?? 0) + 1);
      expect([...perId.values()].every((n) => n === 1)).toBe(true);
      const accountMail = smtp.received.filter(isAccountMail);
      expect(accountMail).toHaveLength(expected);
      expect(new Set(accountMail.map((m) => m.parsed.messageId))).toEqual(new Set(rows.map((r) => r.payload.messageId)));
      for (const r of rows) expect(r.payload.messageId).toMatch(/^<[A-Za-z0-9.-]+@wachtpost\.test\.example>$/);

      const mailsTo = (email: string) => smtp.received.filter((m) => addresses(m.parsed.to).includes(email));
      for (const u of DEMO_USERS) {
        const resets = mailsTo(u.email).filter(isAccountMail);
        expect(resets, u.email).toHaveLength([...resetsP1, ...resetsP2].filter((e) => e === u.email).length);
        for (const m of resets) expect(m.parsed.text).toMatch(/http:\/\/wachtpost\.test\.example\/set-password\?token=[A-Za-z0-9_-]+/);
      }
      for (const email of invited) {
        const [m, ...more] = mailsTo(email);
        expect(more).toEqual([]);
        expect(m?.parsed.subject).toContain('Invitation to Wachtpost');
        expect(m?.envelopeTo).toEqual([email]);
      }
      // Both processes' workers delivered part of it (MAIL_FROM names the process).
      // (Request answers of the demo are signed whole when queued, with the sender of the process that queued them.)
      const senders = new Set(smtp.received.map((m) => m.parsed.from?.value[0]?.name));
      expect([...senders]).toEqual(expect.arrayContaining(['Wachtpost P1', 'Wachtpost P2']));
    }, 150_000);

    it('a realtime event from one process reaches streams on the other, only where the organisation may see it', async () => {
      // CERT staff need TOTP: enrol the demo admin directly in the database.
      const secret = newTotpSecret();
      await pool.query("UPDATE users SET totp_secret = $1, totp_enabled_at = now() WHERE email = 'admin@cert.example'", [secret]);
      const [noord, umc, cert] = await Promise.all([
        login(p2, 'ciso@ziekenhuis-noord.example'),
        login(p2, 'ciso@umc-zuid.example'),
        login(p1, 'admin@cert.example', secret),
      ]);
      const noordOnP2 = openStream(p2, noord);
      const umcOnP2 = openStream(p2, umc);
      const certOnP1 = openStream(p1, cert);
      try {
        await Promise.all([noordOnP2.connected, umcOnP2.connected, certOnP1.connected]);
        const me = (await (await api(p2, 'GET', '/api/v1/auth/me', noord)).json()) as { user: { organisationId: string } };

        // Proposed through process 1 …
        const proposed = await api(p1, 'POST', `/api/v1/organisations/${me.user.organisationId}/assets`, noord, {
          type: 'domain',
          value: 'portaal.ziekenhuis-noord.example',
        });
        expect(proposed.status).toBe(201);
        const asset = (await proposed.json()) as { id: string; status: string };
        expect(asset.status).toBe('proposed');
        // … reaches the organisation's stream on process 2 and the CERT's on process 1.
        await noordOnP2.waitFor((e) => e.type === 'asset.changed' && e.id === asset.id && e.status === 'proposed');
        await certOnP1.waitFor((e) => e.type === 'asset.changed' && e.id === asset.id && e.status === 'proposed');

        // Approved through process 2 by the CERT admin, whose session began on process 1.
        expect((await api(p2, 'POST', `/api/v1/assets/${asset.id}/approve`, cert)).status).toBe(200);
        await certOnP1.waitFor((e) => e.type === 'asset.changed' && e.id === asset.id && e.status === 'approved');
        await noordOnP2.waitFor((e) => e.type === 'asset.changed' && e.id === asset.id && e.status === 'approved');

        // Another organisation's stream got none of it.
        await new Promise((r) => setTimeout(r, 500));
        expect(umcOnP2.events).toEqual([]);

        // Disabling a user through process 1 closes their open stream on process 2 at once.
        const member = await login(p2, 'it@ziekenhuis-noord.example');
        const memberOnP2 = openStream(p2, member);
        await memberOnP2.connected;
        const { rows } = await pool.query<{ id: string }>("SELECT id FROM users WHERE email = 'it@ziekenhuis-noord.example'");
        expect((await api(p1, 'POST', `/api/v1/users/${rows[0]!.id}/disable`, noord)).status).toBe(200);
        await Promise.race([
          memberOnP2.ended,
          new Promise((_, reject) => setTimeout(() => reject(new Error('the stream of the disabled user stayed open')), 10_000)),
        ]);
        await noordOnP2.waitFor((e) => e.type === 'user.disabled' && e.userId === rows[0]!.id);
        expect((await api(p2, 'GET', '/api/v1/auth/me', member)).status).toBe(401);
        expect(umcOnP2.events).toEqual([]);
      } finally {
        for (const s of [noordOnP2, umcOnP2, certOnP1]) s.close();
      }
    }, 60_000);

    it('both processes stop cleanly on SIGTERM, one after the other, with nothing left undelivered', async () => {
      expect(await p2.stop(), p2.output()).toBe(0);
      // Process 1 keeps serving alone.
      expect((await fetch(`${p1.url}/readyz`)).status).toBe(200);
      expect(await p1.stop(), p1.output()).toBe(0);
      const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE kind = 'mail' AND status <> 'sent'");
      expect(Number(rows[0]!.n)).toBe(0);
    }, 90_000);
  });
}
