import { parentPort } from 'node:worker_threads';
import { encryptIfUsable, type SharedCiphertext } from './pgp-encrypt.ts';
import type { EncryptJob, EncryptReply } from './encryption-pool.ts';

/**
 * A worker thread of the encryption pool: the per-recipient OpenPGP step (parse and check the key,
 * the public-key packet, armor) off the thread that talks to the database and the SMTP server.
 * Its key caches live here, so a key is parsed and checked once per worker.
 */

const port = parentPort;
if (!port) throw new Error('encryption.worker.ts runs as a worker thread only.');

/** The shared ciphertext back from its posted form. */
function sharedOf(job: EncryptJob): SharedCiphertext {
  return { sessionKey: { data: new Uint8Array(job.sessionKey), algorithm: 'aes256' }, data: new Uint8Array(job.data) };
}

port.on('message', (job: EncryptJob) => {
  encryptIfUsable(sharedOf(job), { fingerprint: job.fingerprint, armored: job.armored }, job.seed).then(
    (entity) => port.postMessage({ id: job.id, entity } satisfies EncryptReply),
    (err: unknown) => port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies EncryptReply),
  );
});
port.postMessage({ ready: true } satisfies EncryptReply);
