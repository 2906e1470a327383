import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/net.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/db/database.ts';
import { acquireDataDirLock } from '../../src/server/data-dir-lock.ts';
import { DEMO_PARTICIPANTS, DEMO_USERS } from '../../src/modules/demo/demo-data.ts';

/*
 * The `wachtpost` command as an operator runs it: `node bin/wachtpost.mjs …` in a child process,
 * against a temporary data folder (embedded database) and, when DATABASE_URL is set, a fresh
 * PostgreSQL database. Every embedded-database command opens PGlite (seconds), so the flows below
 * are ordered steps on one data folder rather than independent tests.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'wachtpost.mjs');
const STACK_LINE = /^\s+at .+/m;
/** Per step: a few child processes, each opening PGlite (slow on a busy machine). */
const LONG = 300_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child: the test's own minus every Wachtpost setting, plus `extra`. */
function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'WACHTPOST_DATA_DIR', 'SMTP_URL', 'PORT', 'HOST', 'PUBLIC_URL', 'MAIL_FROM', 'WACHTPOST_KEY_PASSPHRASE', 'TRUST_PROXY', 'LOG_LEVEL']) delete env[key];
  return { ...env, LOG_LEVEL: 'warn', NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

const children = new Set<ChildProcess>();

function runCli(args: string[], env: NodeJS.ProcessEnv, input = '', timeoutMs = 240_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wachtpost ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** A port on which nothing listens (for "cannot be reached" checks). */
const closedPort = freePort;

interface Server {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts `wachtpost serve` and waits until /readyz answers 200. */
async function startServer(env: NodeJS.ProcessEnv, roles = 'web'): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--roles', roles], { cwd: ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  let ready = false;
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`wachtpost serve exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`wachtpost serve did not become ready:\n${output}`);
    }
    ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function json<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

interface OrgJson {
  id: string;
  kind: string;
  name: string;
  shortName: string | null;
  segment: string | null;
}
interface UserJson {
  email: string;
  role: string;
  status: string;
  organisationName: string;
}
interface ImportReport {
  dryRun: boolean;
  created: number;
  rejected: { line: number; name: string; reason: string }[];
}
interface DoctorReport {
  ok: boolean;
  checks: { name: string; ok: boolean; warning?: boolean; message: string }[];
}
interface VerifyReport {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: string | null;
}

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

/*
 * The three groups below run side by side (each is a series of child processes, mostly waiting on
 * PGlite or Node start-up); the steps inside a group run in order (`it.sequential`).
 */
describe.concurrent('wachtpost --help', () => {
  // Every command of the program as built, so a command added later is checked too.
  const paths = (command: Command, prefix: string[]): string[][] =>
    command.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])]);
  const commands: string[][] = [[], ...paths(buildProgram(), [])];

  it.sequential('prints usage for every command and subcommand, exits 0 and opens no database', async () => {
    const dir = path.join(os.tmpdir(), `wachtpost-cli-help-${randomBytes(4).toString('hex')}`);
    const env = cliEnv({ WACHTPOST_DATA_DIR: dir });
    const results: CliResult[] = [];
    // Two at a time: each is a Node process loading the whole application.
    for (let i = 0; i < commands.length; i += 2) {
      results.push(...(await Promise.all(commands.slice(i, i + 2).map((c) => runCli([...c, '--help'], env)))));
    }
    expect(commands.map((c) => c.join(' '))).toEqual(expect.arrayContaining(['serve', 'migrate', 'demo', 'org create', 'org import', 'org list', 'user create', 'user list', 'token create', 'audit verify', 'doctor']));
    for (const [i, c] of commands.entries()) {
      const r = results[i]!;
      expect(r.code, `${c.join(' ')} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(`Usage: wachtpost${c.length ? ` ${c.join(' ')}` : ''}`);
      expect(r.stderr).toBe('');
    }
    const byName = new Map(commands.map((c, i) => [c.join(' '), results[i]!.stdout]));
    expect(byName.get('')).toMatch(/Commands:[\s\S]*doctor[\s\S]*migrate[\s\S]*org[\s\S]*serve/);
    expect(byName.get('org')).toMatch(/create[\s\S]*import[\s\S]*list/);
    expect(byName.get('serve')).toContain('--roles <list>');
    expect(byName.get('init')).toContain('--admin-email <email>');
    expect(byName.get('org create')).toContain('--segment <segment>');
    expect(byName.get('org create')).toContain('"hospital"');
    expect(byName.get('org import')).toContain('--dry-run');
    expect(byName.get('user create')).toContain('--password-stdin');
    expect(byName.get('user create')).toContain('"participant-admin"');
    expect(byName.get('token create')).toContain('organisations:read');
    expect(byName.get('audit verify')).toContain('exits 1');
    // Asking for help touches no data.
    expect(existsSync(dir)).toBe(false);
  }, LONG);

  it.sequential('an unknown command exits non-zero and says so', async () => {
    const r = await runCli(['frobnicate'], cliEnv({ WACHTPOST_DATA_DIR: path.join(os.tmpdir(), 'wachtpost-cli-never') }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).not.toMatch(STACK_LINE);
  }, LONG);
});

describe.concurrent('wachtpost on the embedded database (PGlite)', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let token: string;
  const password = 'een lange zin als wachtwoord';
  const adminEmail = 'beheer@streekziekenhuis.example';
  const lockFile = () => path.join(dataDir, 'wachtpost.lock');

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'wachtpost-cli-'));
    env = cliEnv({ WACHTPOST_DATA_DIR: dataDir });
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.sequential('migrate creates the database in a new folder; a second run says it is up to date', async () => {
    const first = await runCli(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Applied: 0001_foundation\.sql/);
    expect(existsSync(path.join(dataDir, 'pg'))).toBe(true);
    const second = await runCli(['migrate'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe('The database is up to date.');
    // The command released the folder.
    expect(existsSync(lockFile())).toBe(false);
  }, LONG);

  it.sequential('demo loads the demo installation once; a second run changes nothing', async () => {
    const first = await runCli(['demo'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Demo data loaded.');
    for (const u of DEMO_USERS) expect(first.stdout).toContain(u.email);
    const second = await runCli(['demo'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Demo data was already there; nothing changed.');
  }, LONG);

  it.sequential('org create refuses an unknown segment in words, and creates a participant', async () => {
    // The bad one is refused before the database is opened, so both can run at once.
    const [bad, ok] = await Promise.all([
      runCli(['org', 'create', '--name', 'Verkeerd Segment', '--kind', 'participant', '--segment', 'bakery'], env),
      runCli(['org', 'create', '--name', 'Zorgcentrum CLI', '--kind', 'participant', '--segment', 'hospital', '--short-name', 'ZCLI', '--json'], env),
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("argument 'bakery' is invalid");
    expect(bad.stderr).toContain('hospital');
    expect(bad.stderr).not.toMatch(STACK_LINE);
    expect(ok.code, ok.stderr).toBe(0);
    const org = json<OrgJson>(ok);
    expect(org).toMatchObject({ kind: 'participant', name: 'Zorgcentrum CLI', shortName: 'ZCLI', segment: 'hospital' });
    expect(org.id).toMatch(/^[0-9a-f-]{36}$/);
  }, LONG);

  it.sequential('org import --dry-run reports refused rows by line and creates nothing; the real run creates the rest', async () => {
    const csv = path.join(dataDir, 'organisations.csv');
    writeFileSync(
      csv,
      [
        'name,kind,segment,short_name', // line 1
        'Streekziekenhuis Test,participant,hospital,SZT', // 2: ok
        'Lab Zonder Segment,participant,,', // 3: a participant needs a segment
        '', // 4: blank, skipped
        'Leverancier Met Segment,vendor,lab,', // 5: only participants have a segment
        'Ziekenhuis Noord,participant,hospital,ZHN', // 6: exists (demo)
        'Partner Test BV,partner,,PTB', // 7: ok
        'streekziekenhuis test,participant,hospital,', // 8: same name as line 2
        ',participant,hospital,', // 9: no name
        'Apotheek Onbekend,participant,bakery,', // 10: unknown segment
        '',
      ].join('\n'),
    );
    const dry = await runCli(['org', 'import', csv, '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    const dryReport = json<ImportReport>(dry);
    expect(dryReport.dryRun).toBe(true);
    expect(dryReport.created).toBe(2);
    expect(dryReport.rejected.map((r) => r.line)).toEqual([3, 5, 6, 8, 9, 10]);
    const reason = (line: number) => dryReport.rejected.find((r) => r.line === line)?.reason ?? '';
    expect(reason(3)).toMatch(/segment: A participant needs a segment/);
    expect(reason(5)).toMatch(/segment/);
    expect(reason(6)).toMatch(/already exists/);
    expect(reason(8)).toMatch(/already/);
    expect(reason(9)).toMatch(/name/);
    expect(reason(10)).toMatch(/segment/);

    // Had the dry run created anything, the real run would now refuse those rows as existing.
    const real = await runCli(['org', 'import', csv], env);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('Created 2 organisation(s); 6 row(s) refused.');
    expect(real.stdout).toContain('line 3 (Lab Zonder Segment)');
    expect(real.stdout).toContain('line 10 (Apotheek Onbekend)');
  }, LONG);

  it.sequential('user create reads the password from stdin, refuses a short one with the reason, and user list shows the account', async () => {
    const short = await runCli(['user', 'create', '--email', 'kort@streekziekenhuis.example', '--org', 'Streekziekenhuis Test', '--role', 'participant-admin', '--password-stdin'], env, 'kort\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('password_too_short');
    expect(short.stderr).toContain('at least 12 characters');
    expect(short.stderr).not.toMatch(STACK_LINE);

    const created = await runCli(['user', 'create', '--email', adminEmail, '--org', 'SZT', '--role', 'participant-admin', '--name', 'Beheer SZT', '--password-stdin', '--json'], env, `${password}\n`);
    expect(created.code, created.stderr).toBe(0);
    expect(json<{ status: string; role: string }>(created)).toMatchObject({ status: 'active', role: 'participant-admin' });
    expect(created.stdout + created.stderr).not.toContain(password);

    const list = await runCli(['user', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const users = json<UserJson[]>(list);
    expect(users.find((u) => u.email === adminEmail)).toMatchObject({ role: 'participant-admin', status: 'active', organisationName: 'Streekziekenhuis Test' });
    expect(users.some((u) => u.email === 'kort@streekziekenhuis.example')).toBe(false);
    expect(users).toHaveLength(DEMO_USERS.length + 1);
  }, LONG);

  it.sequential('token create prints a wp_ token once, on stdout alone', async () => {
    const r = await runCli(['token', 'create', '--email', adminEmail, '--name', 'monitoring script', '--scope', 'organisations:read'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wp_[A-Za-z0-9]+_[A-Za-z0-9_-]+\n$/);
    expect(r.stderr).toContain('shown only once');
    token = r.stdout.trim();
  }, LONG);

  it.sequential('while a server holds the folder, CLI commands refuse in plain words and the server keeps working', async () => {
    const server = await startServer(env);
    try {
      const lock = JSON.parse(readFileSync(lockFile(), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(server.pid);

      const [orgList, doctor] = await Promise.all([runCli(['org', 'list'], env), runCli(['doctor', '--json'], env)]);
      expect(orgList.code).toBe(2);
      expect(orgList.stdout).toBe('');
      expect(orgList.stderr).toContain(`in use by a running Wachtpost server (process ${server.pid}`);
      expect(orgList.stderr).toContain('Stop the server first');
      expect(orgList.stderr).toContain('web interface or the API');
      expect(orgList.stderr).not.toMatch(STACK_LINE);
      // doctor says the database is in use, not broken.
      const report = json<DoctorReport>(doctor);
      expect(report.checks.find((c) => c.name === 'database')).toMatchObject({ ok: true, warning: true, message: expect.stringContaining('holds the embedded database') });

      // The refused commands left the server and its lock alone.
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: server.pid });
      const orgs = await fetch(`${server.url}/api/v1/organisations`, { headers: { authorization: `Bearer ${token}` } });
      expect(orgs.status).toBe(200);
      const body = (await orgs.json()) as { items: OrgJson[] };
      expect(body.items.map((o) => o.name)).toContain('Streekziekenhuis Test');
      expect((await fetch(`${server.url}/api/v1/organisations`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      // The account made with the CLI logs in with the password given on stdin.
      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: adminEmail, password }) });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { status: string }).status).toBe('ok');
    } finally {
      const code = await server.stop();
      expect(code, server.output()).toBe(0);
    }
    expect(existsSync(lockFile())).toBe(false);
  }, LONG);

  it.sequential('after the server stops (and over a stale lock of a crashed one) the CLI sees all the data', async () => {
    // A crashed server leaves its lock behind; a pid that no longer runs is taken over.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(lockFile(), JSON.stringify({ pid: dead.pid, port: 1, startedAt: new Date().toISOString() }));

    const r = await runCli(['org', 'list', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const names = json<OrgJson[]>(r).map((o) => o.name);
    expect(names).toContain('Zorgcentrum CLI');
    expect(names).toContain('Partner Test BV');
    expect(names.filter((n) => n.toLowerCase() === 'streekziekenhuis test')).toHaveLength(1);
    for (const p of DEMO_PARTICIPANTS) expect(names).toContain(p.name);
    // 13 demo organisations + 1 created + 2 imported.
    expect(names).toHaveLength(DEMO_PARTICIPANTS.length + 3 + 3);
    expect(existsSync(lockFile())).toBe(false);
  }, LONG);

  it.sequential('audit verify exits 0; after an entry is changed in the database it exits 1 and names the entry', async () => {
    const intact = await runCli(['audit', 'verify'], env);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/The audit chain is intact \(\d+ entries\)/);

    // Tamper as someone with file access would: open the folder directly (holding its lock).
    const lock = acquireDataDirLock(dataDir, { port: null });
    let seq: number;
    try {
      const database = await openDatabase({ dataDir: path.join(dataDir, 'pg') });
      try {
        const row = await database.db.selectFrom('audit_log').select('seq').where('action', '=', 'organisation.create').orderBy('seq').executeTakeFirstOrThrow();
        seq = row.seq;
        await database.db.updateTable('audit_log').set({ details: JSON.stringify({ name: 'Iets anders' }) }).where('seq', '=', seq).execute();
      } finally {
        await database.close();
      }
    } finally {
      lock.release();
    }

    const broken = await runCli(['audit', 'verify', '--json'], env);
    expect(broken.code).toBe(1);
    const report = json<VerifyReport>(broken);
    expect(report).toMatchObject({ ok: false, firstBadSeq: seq });
    expect(report.problem).toContain(`Entry ${seq} was changed after it was written`);
  }, LONG);

  it.sequential('doctor: exit 0 with every check passing, exit 1 listing each problem', async () => {
    // A listening socket is all doctor checks of the mail server.
    // doctor hangs up at once, so the greeting may meet a reset connection: that is not an error here.
    const smtp = net.createServer((s) => {
      s.on('error', () => undefined);
      s.end('220 test\r\n');
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    try {
      const smtpUrl = `smtp://127.0.0.1:${(smtp.address() as AddressInfo).port}`;
      // Nothing listens on these ports: the database and the mail server cannot be reached.
      const unreachable = cliEnv({ DATABASE_URL: `postgres://wachtpost@127.0.0.1:${await closedPort()}/nowhere`, SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
      const [good, bad] = await Promise.all([runCli(['doctor', '--json'], { ...env, SMTP_URL: smtpUrl }), runCli(['doctor'], unreachable)]);
      const report = json<DoctorReport>(good);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(good.code).toBe(0);
      expect(report.ok).toBe(true);
      const check = (name: string) => report.checks.find((c) => c.name === name);
      expect(check('database')).toMatchObject({ ok: true, message: expect.stringContaining(dataDir) });
      expect(check('migrations')).toMatchObject({ ok: true });
      expect(check('administrators')?.message).toMatch(/1 active CERT admin/);
      expect(check('mail')).toMatchObject({ ok: true, message: 'The mail server answers.' });
      expect(check('signing key')).toMatchObject({ ok: true, warning: true });

      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/✗ database: The database cannot be opened: .*Check DATABASE_URL/);
      expect(bad.stdout).toMatch(/✗ mail: The mail server cannot be reached .*Check SMTP_URL/);
      expect(bad.stdout).toContain('2 problem(s) found.');
      expect(bad.stderr).not.toMatch(STACK_LINE);
    } finally {
      smtp.close();
    }
  }, LONG);
});

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl).concurrent('wachtpost on PostgreSQL (DATABASE_URL), next to a running server', () => {
  const name = `wp_cli_${randomBytes(5).toString('hex')}`;
  let env: NodeJS.ProcessEnv;
  let databaseUrl: string;
  let server: Server | undefined;

  const admin = async (query: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(query);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    // A data folder that must stay unused: with DATABASE_URL nothing is written there.
    env = cliEnv({ DATABASE_URL: databaseUrl, WACHTPOST_DATA_DIR: path.join(os.tmpdir(), `wachtpost-cli-unused-${name}`) });
  });
  afterAll(async () => {
    await server?.stop();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it.sequential('migrate applies the schema; demo, init and org commands work while a server runs on the same database', async () => {
    const first = await runCli(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Applied: 0001_foundation\.sql/);

    server = await startServer(env);
    const [demo, org] = await Promise.all([runCli(['demo'], env), runCli(['org', 'create', '--name', 'Zorgcentrum PG', '--segment', 'elderly_care', '--json'], env)]);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('Demo data loaded.');
    expect(org.code, org.stderr).toBe(0);
    expect(json<OrgJson>(org)).toMatchObject({ name: 'Zorgcentrum PG', kind: 'participant', segment: 'elderly_care' });

    const [init, missingSegment, list] = await Promise.all([
      runCli(['init', '--cert-name', 'Tweede CERT', '--admin-email', 'tweede@cert.example'], env),
      runCli(['org', 'create', '--name', 'Zonder Segment', '--kind', 'participant'], env),
      runCli(['org', 'list', '--json'], env),
    ]);
    expect(init.code).toBe(1);
    expect(init.stderr).toContain('Error (already_initialised)');
    expect(missingSegment.code).toBe(1);
    expect(missingSegment.stderr).toContain('Error (invalid_input): segment: A participant needs a segment');
    expect(missingSegment.stderr).not.toMatch(STACK_LINE);
    expect(list.code, list.stderr).toBe(0);
    expect(json<OrgJson[]>(list).map((o) => o.name)).toEqual(expect.arrayContaining(['Zorgcentrum PG', 'Ziekenhuis Noord']));
    expect(existsSync(path.join(os.tmpdir(), `wachtpost-cli-unused-${name}`))).toBe(false);
  }, LONG);

  it.sequential('a user and token made with the CLI work at once on the running server', async () => {
    const email = 'beheer@zorgcentrum-pg.example';
    const created = await runCli(['user', 'create', '--email', email, '--org', 'Zorgcentrum PG', '--role', 'participant-admin', '--password-stdin'], env, 'nog een lange zin als wachtwoord\n');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created ${email} (participant-admin) in Zorgcentrum PG.`);
    const [tok, unknownScope] = await Promise.all([
      runCli(['token', 'create', '--email', email, '--name', 'script', '--scope', 'organisations:read', '--json'], env),
      runCli(['token', 'create', '--email', email, '--name', 'script', '--scope', 'everything'], env),
    ]);
    expect(unknownScope.code).toBe(1);
    expect(unknownScope.stderr).toContain('Unknown scope(s): everything');
    const { token } = json<{ token: string }>(tok);
    expect(token).toMatch(/^wp_/);
    const res = await fetch(`${server!.url}/api/v1/organisations`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: OrgJson[] }).items.map((o) => o.name)).toContain('Zorgcentrum PG');
  }, LONG);

  it.sequential('audit verify exits 0, and 1 after an entry is removed from the middle of the chain', async () => {
    const intact = await runCli(['audit', 'verify', '--json'], env);
    expect(intact.code, intact.stderr).toBe(0);
    expect(json<VerifyReport>(intact)).toMatchObject({ ok: true, problem: null });

    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    const { rows } = await c.query<{ seq: string | number }>(`SELECT seq FROM audit_log ORDER BY seq OFFSET 1 LIMIT 1`);
    const removed = Number(rows[0]!.seq);
    await c.query('DELETE FROM audit_log WHERE seq = $1', [removed]);
    await c.end();

    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/The audit chain is BROKEN: Entry \d+ does not follow the entry before it/);
    // The server is unaffected by any of it.
    expect((await fetch(`${server!.url}/readyz`)).status).toBe(200);
    expect(await server!.stop()).toBe(0);
    server = undefined;
  }, LONG);
});
