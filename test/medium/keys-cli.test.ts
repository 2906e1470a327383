import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encryptKey, generateKey, readKey } from 'openpgp';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

/*
 * `wachtpost keys …` and the doctor's key check as an operator runs them, on one temporary data
 * folder made from the migrated test template. Starting Node and opening the embedded database
 * costs seconds per process, so only what needs a real process (stdin, the binary's exit code) is
 * spawned; the other commands run through the same `main()` in this process.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'wachtpost.mjs');
const STACK_LINE = /^\s+at .+/m;
const LONG = 300_000;
const STORAGE_PASSPHRASE = 'de passphrase van de server 2026';
const KEY_PASSPHRASE = 'passphrase van het geëxporteerde bestand';
const WACHTPOST_SETTINGS = [
  'DATABASE_URL',
  'WACHTPOST_DATA_DIR',
  'SMTP_URL',
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'MAIL_FROM',
  'WACHTPOST_KEY_PASSPHRASE',
  'TRUST_PROXY',
  'LOG_LEVEL',
];

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface KeyJson {
  fingerprint: string;
  userId: string;
  algorithm: string;
  status: 'active' | 'retired';
  createdAt: string;
  expiresAt: string | null;
  retiredAt: string | null;
  passphraseProtected: boolean;
}

interface DoctorReport {
  ok: boolean;
  checks: { name: string; ok: boolean; warning?: boolean; message: string }[];
}

const children = new Set<ChildProcess>();

function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of WACHTPOST_SETTINGS) delete env[key];
  return { ...env, LOG_LEVEL: 'warn', NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wachtpost ${args.join(' ')} did not finish in time\n${stdout}\n${stderr}`));
    }, LONG - 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** The same program in this process, with `env` as the only Wachtpost settings and its output captured. */
async function runInProcess(args: string[], env: Record<string, string>): Promise<CliResult> {
  const saved = Object.fromEntries(WACHTPOST_SETTINGS.map((k) => [k, process.env[k]]));
  for (const key of WACHTPOST_SETTINGS) delete process.env[key];
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  const capture = (append: (s: string) => void) =>
    ((chunk: string | Uint8Array) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stdout.write;
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((s) => (stdout += s)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((s) => (stderr += s)));
  try {
    await main(['node', 'wachtpost', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, stdout, stderr };
}

function json<T>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

describe('wachtpost keys', () => {
  let dir: string;
  let settings: Record<string, string>;
  let keyFile: string;
  let publicFile: string;
  let importedFingerprint: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'wachtpost-keys-cli-'));
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir);
    // The migrated template instead of a fresh initdb in the first child process.
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pg'), template: new Blob([await readFile(inject('pgliteTemplate'))]) });
    await migrate(database);
    await database.close();
    settings = { WACHTPOST_DATA_DIR: dataDir, PUBLIC_URL: 'https://cert.example', WACHTPOST_KEY_PASSPHRASE: STORAGE_PASSPHRASE, LOG_LEVEL: 'warn' };
    const { privateKey } = await generateKey({ userIDs: [{ name: 'Geïmporteerd', email: 'import@cert.example' }], format: 'object' });
    importedFingerprint = privateKey.getFingerprint().toUpperCase();
    keyFile = path.join(dir, 'key.asc');
    writeFileSync(keyFile, (await encryptKey({ privateKey, passphrase: KEY_PASSPHRASE })).armor());
    publicFile = path.join(dir, 'public.asc');
    writeFileSync(publicFile, privateKey.toPublic().armor());
  }, LONG);
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'import takes the passphrase from stdin; rotate retires it; a public key is refused in words; show lists both; doctor reports the key',
    async () => {
      const env = cliEnv(settings);
      // The real binary for what needs a process (stdin, exit codes); meanwhile this process loads
      // the server modules the in-process commands below need. The missing file is refused before
      // any database is opened, so it runs beside the import.
      const [imported, missing] = await Promise.all([
        spawnCli(['keys', 'import', keyFile, '--passphrase-stdin'], env, `${KEY_PASSPHRASE}\n`),
        spawnCli(['keys', 'import', path.join(dir, 'nope.asc')], env),
        import('../../src/server/boot.ts'),
        import('../../src/server/app.ts'),
        import('../../src/modules/keys/signing-key.service.ts'),
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toContain(
        `The active OpenPGP key is now ${importedFingerprint.replace(/(.{4})(?!$)/g, '$1 ')} (Geïmporteerd <import@cert.example>).`,
      );
      expect(imported.stdout).toContain('protected by WACHTPOST_KEY_PASSPHRASE');
      expect(imported.stdout + imported.stderr).not.toContain(KEY_PASSPHRASE);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('Error (file_unreadable): The file');
      expect(missing.stderr).toContain('nope.asc cannot be read: it does not exist.');
      expect(missing.stderr).not.toMatch(STACK_LINE);

      const rotated = await runInProcess(['keys', 'rotate', '--json'], settings);
      expect(rotated.code, rotated.stderr).toBe(0);
      const generated = json<{ fingerprint: string; retired: string | null; userId: string }>(rotated);
      expect(generated).toMatchObject({ retired: importedFingerprint, userId: 'Wachtpost CERT <cert@cert.example>' });

      const refused = await runInProcess(['keys', 'import', publicFile], settings);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Error (signing_key_invalid): This is a public key; importing needs the private key');
      expect(refused.stderr).toContain('"reason":"not_private"');
      expect(refused.stderr).not.toMatch(STACK_LINE);

      const shown = await runInProcess(['keys', 'show', '--json'], settings);
      expect(shown.code, shown.stderr).toBe(0);
      const keys = json<KeyJson[]>(shown);
      expect(keys.map((k) => [k.fingerprint, k.status, k.passphraseProtected])).toEqual([
        [generated.fingerprint, 'active', true],
        [importedFingerprint, 'retired', true],
      ]);
      expect(keys[0]).toMatchObject({ userId: 'Wachtpost CERT <cert@cert.example>', algorithm: 'EdDSA ed25519', retiredAt: null });
      expect(keys[1]).toMatchObject({ userId: 'Geïmporteerd <import@cert.example>', retiredAt: expect.any(String) });

      const armored = await runInProcess(['keys', 'show', '--armor'], settings);
      expect(armored.code, armored.stderr).toBe(0);
      expect(armored.stdout).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+-----END PGP PUBLIC KEY BLOCK-----\n$/);
      expect((await readKey({ armoredKey: armored.stdout })).getFingerprint().toUpperCase()).toBe(generated.fingerprint);

      // The doctor signs a trial text: without the storage passphrase the key does not open (checked
      // first: once this process has unlocked the key it keeps it).
      const { WACHTPOST_KEY_PASSPHRASE: _, ...withoutPassphrase } = settings;
      const locked = await runInProcess(['doctor', '--json'], withoutPassphrase);
      expect(locked.code).toBe(1);
      expect(json<DoctorReport>(locked).checks.find((c) => c.name === 'signing key')).toMatchObject({
        ok: false,
        message: expect.stringContaining('It cannot sign: The active OpenPGP key is stored protected by a passphrase, but WACHTPOST_KEY_PASSPHRASE is not set'),
      });
      const healthy = await runInProcess(['doctor', '--json'], settings);
      const good = json<DoctorReport>(healthy).checks.find((c) => c.name === 'signing key');
      expect(good).toMatchObject({
        ok: true,
        message: expect.stringContaining(`The active key ${generated.fingerprint} (Wachtpost CERT <cert@cert.example>) expires on`),
      });
      expect(good?.message).toContain('protected by WACHTPOST_KEY_PASSPHRASE');
      expect(good?.warning).toBeUndefined();
    },
    LONG,
  );
});
