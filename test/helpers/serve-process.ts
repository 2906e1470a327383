import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './net.ts';

/**
 * `wachtpost serve` in a process of its own on 127.0.0.1 and a free port, for the tests that need
 * several processes on one PostgreSQL database (jobs, mail, the chat across processes).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'wachtpost.mjs');
const running = new Set<ChildProcess>();

export interface ServeProcess {
  name: string;
  url: string;
  /** What the process printed so far (for failure messages). */
  output(): string;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 30 s); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the process and resolves when /readyz answers 200 (or throws with what it printed). */
export async function startServeProcess(name: string, env: NodeJS.ProcessEnv, opts: { roles?: string; onExit?: () => void } = {}): Promise<ServeProcess> {
  const port = await freePort();
  const args = [BIN, 'serve', ...(opts.roles ? ['--roles', opts.roles] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      opts.onExit?.();
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${name} did not become ready:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    name,
    url,
    output: () => output,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** For afterAll: whatever a failed test left running. */
export function killServeProcesses(): void {
  for (const c of running) c.kill('SIGKILL');
}
