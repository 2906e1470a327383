import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { encryptIfUsable, type RecipientKey, type SharedCiphertext } from './pgp-encrypt.ts';

/**
 * Per-recipient encryption in worker threads. The thread that claims rows, renders and talks SMTP
 * is the bottleneck of a large delivery; the public-key step for each encrypted recipient is pure
 * CPU and runs beside it on another core. Encryption is a pure function of its inputs, so whatever
 * a worker leaves unfinished (it failed to start, it crashed) is simply done again in this thread:
 * the pool changes where the work runs, never whether or how.
 */

/**
 * What a worker is sent: flat, the bytes as ArrayBuffers. Posting typed-array views inside nested
 * objects costs ten times more (measured: ~0.3 ms against ~0.02 ms a job), as much as the work.
 */
export interface EncryptJob {
  id: number;
  sessionKey: ArrayBuffer;
  data: ArrayBuffer;
  fingerprint: string;
  armored: string;
  seed: string;
}

/** A worker says `ready` once its modules are loaded, then answers each job by its id. */
export type EncryptReply = { ready: true } | { id: number; entity: string | null } | { id: number; error: string };

export interface EncryptionPool {
  /** The multipart/encrypted entity for this recipient, or null when the key cannot take mail now. */
  encrypt(shared: SharedCiphertext, recipient: RecipientKey, seed: string): Promise<string | null>;
  close(): Promise<void>;
}

interface Pending {
  retry: () => Promise<string | null>;
  resolve: (entity: string | null) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  ready: boolean;
  stopping: boolean;
  idle: NodeJS.Timeout | null;
}

/** A worker with nothing to do for this long is stopped (it holds a heap with openpgp loaded). */
const IDLE_MS = 30_000;

// The sources are TypeScript run through tsx (bin/wachtpost.mjs, vitest, the benchmarks); a worker
// thread does not inherit a loader registered at run time, so it imports its module through tsx itself.
const WORKER_URL = new URL('./encryption.worker.ts', import.meta.url).href;

function bootstrap(): string | null {
  try {
    const tsx = import.meta.resolve('tsx/esm/api');
    return `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(WORKER_URL)}, ${JSON.stringify(WORKER_URL)}))`;
  } catch {
    return null; // no tsx: the pool encrypts in the calling thread
  }
}

export function createEncryptionPool(size: number, onWorkerFailure: (err: Error) => void = () => {}): EncryptionPool {
  const threads: Thread[] = [];
  let nextId = 1;
  const code = bootstrap();
  // Set when a worker could not even start: this installation then encrypts in the calling thread.
  let disabled = size < 1 || code === null;

  // The posted form of each shared ciphertext, made once per body.
  const posted = new WeakMap<SharedCiphertext, { sessionKey: ArrayBuffer; data: ArrayBuffer }>();
  const postedForm = (shared: SharedCiphertext) => {
    let form = posted.get(shared);
    if (!form) posted.set(shared, (form = { sessionKey: shared.sessionKey.data.slice().buffer, data: shared.data.slice().buffer }));
    return form;
  };

  function settle(thread: Thread, reply: EncryptReply): void {
    if ('ready' in reply) {
      thread.ready = true;
      return rest(thread);
    }
    const p = thread.pending.get(reply.id);
    if (!p) return;
    thread.pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.entity);
    if (!thread.pending.size) rest(thread);
  }

  // A busy worker keeps the process alive (its answer is awaited); an idle one does not.
  function rest(thread: Thread): void {
    thread.worker.unref();
    thread.idle = setTimeout(() => stop(thread), IDLE_MS);
    thread.idle.unref();
  }

  function stop(thread: Thread): void {
    thread.stopping = true;
    threads.splice(threads.indexOf(thread), 1);
    void thread.worker.terminate();
  }

  function lost(thread: Thread, err: Error): void {
    if (thread.stopping) return;
    thread.stopping = true;
    const at = threads.indexOf(thread);
    if (at >= 0) threads.splice(at, 1);
    if (thread.idle) clearTimeout(thread.idle);
    if (!thread.ready) disabled = true;
    onWorkerFailure(err);
    for (const p of thread.pending.values()) p.retry().then(p.resolve, p.reject);
    thread.pending.clear();
  }

  function spawn(code: string): void {
    const thread: Thread = { worker: new Worker(code, { eval: true }), pending: new Map(), ready: false, stopping: false, idle: null };
    thread.worker.on('message', (reply: EncryptReply) => settle(thread, reply));
    thread.worker.on('error', (err) => lost(thread, err));
    thread.worker.on('exit', (code) => lost(thread, new Error(`encryption worker exited with code ${code}`)));
    // Loading keeps nothing alive either: only a job in flight does.
    thread.worker.unref();
    threads.push(thread);
  }

  /**
   * The least busy ready worker; another one is started while all are busy and the pool is not
   * full. Null while none is ready: loading a worker takes a moment, and mail need not wait for it.
   */
  function pick(): Thread | null {
    const least = threads.filter((t) => t.ready).reduce<Thread | null>((best, t) => (!best || t.pending.size < best.pending.size ? t : best), null);
    if (code && (!least || least.pending.size > 0) && threads.length < size && threads.every((t) => t.ready)) spawn(code);
    return least;
  }

  return {
    encrypt(shared, recipient, seed) {
      const retry = () => encryptIfUsable(shared, recipient, seed);
      const thread = disabled ? null : pick();
      if (!thread) return retry();
      if (thread.idle) clearTimeout(thread.idle);
      thread.idle = null;
      thread.worker.ref();
      const job: EncryptJob = { id: nextId++, ...postedForm(shared), fingerprint: recipient.fingerprint, armored: recipient.armored, seed };
      return new Promise((resolve, reject) => {
        thread.pending.set(job.id, { retry, resolve, reject });
        thread.worker.postMessage(job);
      });
    },
    async close() {
      disabled = true;
      await Promise.all(
        threads.splice(0).map((t) => {
          t.stopping = true;
          if (t.idle) clearTimeout(t.idle);
          for (const p of t.pending.values()) p.retry().then(p.resolve, p.reject);
          return t.worker.terminate();
        }),
      );
    },
  };
}

let shared: EncryptionPool | null = null;

/** One pool per process, shared by every dispatch handler: the cores are shared too. */
export function encryptionPool(): EncryptionPool {
  // One core stays with the thread that feeds the pool (and the database and SMTP server beside it).
  shared ??= createEncryptionPool(Math.min(4, availableParallelism() - 1), (err) =>
    process.emitWarning(`encryption worker failed (${err.message}); its mail is encrypted in the main thread`),
  );
  return shared;
}
