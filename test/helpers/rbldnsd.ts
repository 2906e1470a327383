import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './net.ts';

/** Debian's rbldnsd: a real DNSBL server for the blacklist tests, on a loopback port with zones the test writes. */
export const RBLDNSD = '/usr/sbin/rbldnsd';

/** True when rbldnsd is here; under CI its absence is an error (.ci/run installs it). */
export function rbldnsdAvailable(): boolean {
  const found = existsSync(RBLDNSD);
  if (!found && process.env.CI === 'true') throw new Error('rbldnsd is required under CI=true (apt-get install -y rbldnsd).');
  return found;
}

export interface RbldnsdZone {
  name: string;
  /** ip4set / ip6trie for addresses, dnset for names (rbldnsd's dataset types). */
  type: 'ip4set' | 'ip6trie' | 'dnset';
  /** The zone file's lines, e.g. ':127.0.0.2:Listed' (default answer and TXT) then one entry per line. */
  lines: string[];
}

export interface Rbldnsd {
  port: number;
  /** For MONITORING_DNS_SERVERS. */
  server: string;
  stop(): Promise<void>;
}

/** Starts rbldnsd in the foreground on 127.0.0.1 and waits until it has loaded its zones. */
export async function startRbldnsd(zones: readonly RbldnsdZone[]): Promise<Rbldnsd> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wp-rbldnsd-'));
  // rbldnsd drops to its own user after chroot: the zone folder must be readable by it.
  await chmod(dir, 0o755);
  for (const z of zones) await writeFile(path.join(dir, `${z.name}.${z.type}.zone`), `${z.lines.join('\n')}\n`, { mode: 0o644 });
  const port = await freePort();
  const child: ChildProcess = spawn(RBLDNSD, ['-n', '-b', `127.0.0.1/${port}`, '-r', dir, '-q', ...zones.map((z) => `${z.name}:${z.type}:${z.name}.${z.type}.zone`)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rbldnsd did not start: ${output}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/zones reloaded/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rbldnsd exited with ${code}: ${output}`));
    });
  });
  return {
    port,
    server: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
