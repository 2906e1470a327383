import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { addContact } from '../helpers/distribution.ts';
import { makeCertTeam, productInState } from '../helpers/products.ts';
import { makeOrganisation } from '../helpers/factories.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/*
 * Never lost, never doubled: a 1,000-recipient delivery by a `wachtpost serve --roles worker`
 * process that is killed with SIGKILL at random points, twenty times, while a real SMTP server in
 * a process of its own receives. Afterwards every recipient has the message; duplicates (the same
 * Message-ID twice) are counted and reported. The outbox marks a row sent right after the server's
 * 250 reply, so a duplicate can only come from a kill inside that window, for the rows in flight.
 * The worker is a separate process on a shared database: this needs PostgreSQL (DATABASE_URL).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'wachtpost.mjs');
const SINK = path.join(ROOT, 'test', 'helpers', 'smtp-sink-process.mjs');
const PUBLIC_URL = 'http://wachtpost.test.example';
const RECIPIENTS = 1000;
const KILLS = 20;

interface Sink {
  port: number;
  received: { messageId: string; recipient: string }[];
  child: ChildProcess;
  onMessage: (() => void) | null;
}

function startSink(): Promise<Sink> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SINK], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const sink: Sink = { port: 0, received: [], child, onMessage: null };
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, a, b] = line.split(' ');
      if (kind === 'PORT') {
        sink.port = Number(a);
        resolve(sink);
      } else if (kind === 'MSG') {
        sink.received.push({ messageId: a!, recipient: b ?? '' });
        sink.onMessage?.();
      }
    });
    child.once('error', reject);
  });
}

function startWorker(env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'serve', '--roles', 'worker'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited, output: () => output };
}

const serverUrl = process.env.DATABASE_URL;

if (!serverUrl) {
  describe('distribution survives SIGKILL', () => {
    it.skip('needs PostgreSQL: set DATABASE_URL=postgres://… (the worker is a process of its own on a shared database)', () => {});
  });
} else {
  describe('Distribution: never lost, never doubled', () => {
    let t: TestApp;
    let sink: Sink;
    let productId = '';
    let identifier = '';

    beforeAll(async () => {
      sink = await startSink();
      t = await createTestApp({ PUBLIC_URL });
      await ensureSigningKey(t.system);
      const team = await makeCertTeam(t);
      for (let o = 0; o < 10; o++) {
        const org = await makeOrganisation(t, 'participant', `Zorginstelling ${o}`);
        for (let i = 0; i < RECIPIENTS / 10; i++) await addContact(t, org.id, { email: `contact${i}@instelling${o}.example` });
      }
      const p = await productInState(t, team, 'published', { tlp: 'GREEN' });
      productId = p.id;
      identifier = p.identifier!;
    }, 180_000);

    afterAll(async () => {
      sink?.child.kill('SIGKILL');
      await t?.close();
    });

    it(`delivers to all ${RECIPIENTS} recipients although the worker is killed ${KILLS} times, and reports the duplicates`, async () => {
      const rows = await t.system.db.selectFrom('outbox').select('id').where('kind', '=', 'dispatch').where('dedupe_key', 'like', `product:${productId}:%`).execute();
      expect(rows).toHaveLength(RECIPIENTS);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATABASE_URL: t.db.url,
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        PUBLIC_URL,
        LOG_LEVEL: 'warn',
        OUTBOX_LEASE_SECONDS: '2',
        MAIL_CONCURRENCY: '8',
      };
      delete env.WACHTPOST_DATA_DIR;
      const killedAfter: number[] = [];
      const startups: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        const before = sink.received.length;
        if (before >= RECIPIENTS) break;
        // Kill at a random moment once the worker is delivering: 0–300 ms after its first message,
        // or sooner when it has delivered 30 (so that all twenty kills fall inside the delivery).
        const spawnedAt = Date.now();
        const worker = startWorker(env);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`worker ${k} delivered nothing within 60 s:\n${worker.output()}`)), 60_000);
          let started = false;
          sink.onMessage = () => {
            if (sink.received.length - before >= 30) return resolve();
            if (started) return;
            started = true;
            clearTimeout(timer);
            startups.push(Date.now() - spawnedAt);
            setTimeout(resolve, Math.floor(Math.random() * 300));
          };
        });
        worker.child.kill('SIGKILL');
        await worker.exited;
        sink.onMessage = null;
        killedAfter.push(sink.received.length - before);
      }
      // The last worker is left to finish.
      const last = startWorker(env);
      const deadline = Date.now() + 120_000;
      for (;;) {
        const left = await t.system.db.selectFrom('outbox').select('id').where('kind', '=', 'dispatch').where('dedupe_key', 'like', `product:${productId}:%`).where('status', '<>', 'sent').execute();
        if (left.length === 0) break;
        if (Date.now() > deadline) throw new Error(`${left.length} rows still not sent:\n${last.output()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      last.child.kill('SIGTERM');
      await last.exited;

      const ids = sink.received.filter((m) => m.messageId.startsWith(`<${identifier.toLowerCase()}.r1.`));
      const unique = new Set(ids.map((m) => m.messageId));
      const recipients = new Set(ids.map((m) => m.recipient));
      const duplicates = ids.length - unique.size;
      const report = { test: 'distribution-kill', recipients: RECIPIENTS, kills: killedAfter.length, sent_before_kills: killedAfter, median_startup_ms: startups.sort((a, b) => a - b)[startups.length >> 1], received: ids.length, unique: unique.size, lost: RECIPIENTS - unique.size, duplicates };
      console.log(JSON.stringify(report));
      expect(unique.size).toBe(RECIPIENTS);
      expect(recipients.size).toBe(RECIPIENTS);
      expect(killedAfter.length).toBe(KILLS);
      // A duplicate needs a kill between a 250 reply and the row's update: at most the rows in flight (8) per kill.
      expect(duplicates).toBeLessThanOrEqual(killedAfter.length * 8);
    }, 600_000);
  });
}
