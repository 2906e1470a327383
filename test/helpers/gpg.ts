import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** GnuPG from Debian as the independent reader of our signatures. */

export const GPG = '/usr/bin/gpg';

/** True when gpg is here; under CI its absence is an error (.ci/run installs it). */
export function gpgAvailable(): boolean {
  const found = existsSync(GPG);
  if (!found && process.env.CI === 'true') throw new Error('gpg is required under CI=true (apt-get install -y gnupg).');
  return found;
}

/** Runs gpg; stdout stays bytes (a decrypted message need not be text). */
export function runGpg(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    execFile(GPG, args, { env, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr.toString() });
    });
  });
}

/** Imports the key into a throwaway keyring and runs `gpg --verify signature data`. */
export async function gpgVerify(publicKeyArmored: string, data: string | Uint8Array, signatureArmored: string): Promise<{ ok: boolean; output: string }> {
  const home = await mkdtemp(path.join(tmpdir(), 'wp-gpg-'));
  try {
    const env = { ...process.env, GNUPGHOME: home };
    await writeFile(path.join(home, 'key.asc'), publicKeyArmored);
    await writeFile(path.join(home, 'data'), data);
    await writeFile(path.join(home, 'data.asc'), signatureArmored);
    const imported = await runGpg(['--batch', '--import', path.join(home, 'key.asc')], env);
    if (imported.code !== 0) return { ok: false, output: imported.stderr };
    const verified = await runGpg(['--batch', '--status-fd', '1', '--verify', path.join(home, 'data.asc'), path.join(home, 'data')], env);
    const stdout = verified.stdout.toString();
    return { ok: verified.code === 0 && /\[GNUPG:\] GOODSIG/.test(stdout), output: stdout + verified.stderr };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
