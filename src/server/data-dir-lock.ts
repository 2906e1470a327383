import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  release(): void;
}

export class DataDirBusyError extends Error {
  constructor(
    readonly pid: number,
    readonly port: number | null,
  ) {
    super(
      `The embedded database in this data folder is in use by a running Wachtpost server (process ${pid}${port ? `, http://127.0.0.1:${port}` : ''}).\n` +
        'Only one process can open it at a time. Stop the server first (Ctrl+C), then run this command again;\n' +
        'or do the same thing through the web interface or the API while it runs.\n' +
        'For several processes at once, use PostgreSQL: set DATABASE_URL (see docs/operations.md).',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite must be opened by one process at a time, or its files are damaged. A lock file holding the
 * owner's pid keeps a second process (a CLI command, a second server) out; a stale lock from a
 * crashed process is taken over.
 */
export function acquireDataDirLock(dataDir: string, info: { port: number | null }): DataDirLock {
  const file = path.join(dataDir, 'wachtpost.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, port: info.port, startedAt: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner: { pid?: number; port?: number | null } = {};
      try {
        owner = JSON.parse(readFileSync(file, 'utf8')) as typeof owner;
      } catch {
        // unreadable lock: treat as stale
      }
      if (owner.pid && owner.pid !== process.pid && alive(owner.pid)) throw new DataDirBusyError(owner.pid, owner.port ?? null);
      unlinkSync(file);
    }
  }
  throw new Error(`Could not lock ${dataDir}.`);
}
