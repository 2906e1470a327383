import { afterAll, describe, expect, it } from 'vitest';
import { decrypt, generateKey, readMessage, readPrivateKey } from 'openpgp';
import { createEncryptionPool } from './encryption-pool.ts';
import { sharedCiphertext } from './pgp-encrypt.ts';

// The pool moves per-recipient encryption to worker threads: what comes back must be the same
// multipart/encrypted entity the calling thread would have made, readable with the recipient's key.

const ENTITY = 'Content-Type: text/plain; charset=utf-8\r\n\r\nHallo, wereld';

async function keyPair(email: string) {
  const { publicKey, privateKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email }], format: 'armored' });
  const fingerprint = (await readPrivateKey({ armoredKey: privateKey })).getFingerprint();
  return { recipient: { fingerprint, armored: publicKey }, privateKey };
}

async function plaintextOf(entity: string, privateKey: string): Promise<string> {
  const armored = /-----BEGIN PGP MESSAGE-----[\s\S]+-----END PGP MESSAGE-----/.exec(entity)?.[0];
  if (!armored) throw new Error('no PGP message in the entity');
  const { data } = await decrypt({ message: await readMessage({ armoredMessage: armored }), decryptionKeys: await readPrivateKey({ armoredKey: privateKey }), format: 'binary' });
  return new TextDecoder().decode(data);
}

describe('encryption pool', () => {
  const failures: Error[] = [];
  const pool = createEncryptionPool(1, (err) => failures.push(err));
  afterAll(() => pool.close());

  it('encrypts in a worker thread (and in this one while the worker loads) to each recipient of one shared ciphertext', async () => {
    const shared = await sharedCiphertext(ENTITY);
    const a = await keyPair('a@zorg.example');
    const b = await keyPair('b@zorg.example');
    // The first job runs here while the worker starts; later ones go to the worker.
    const first = await pool.encrypt(shared, a.recipient, '<m1@x>');
    await new Promise((r) => setTimeout(r, 1500));
    const [forA, forB] = await Promise.all([pool.encrypt(shared, a.recipient, '<m2@x>'), pool.encrypt(shared, b.recipient, '<m3@x>')]);
    for (const [entity, key] of [
      [first, a.privateKey],
      [forA, a.privateKey],
      [forB, b.privateKey],
    ] as const) {
      expect(entity).toContain('Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"');
      expect(await plaintextOf(entity!, key)).toBe(ENTITY);
    }
    await expect(plaintextOf(forB!, a.privateKey)).rejects.toThrow();
    expect(failures).toEqual([]);
  }, 30_000);

  it('answers null for a key that cannot take mail', async () => {
    const shared = await sharedCiphertext(ENTITY);
    expect(await pool.encrypt(shared, { fingerprint: 'F'.repeat(40), armored: 'not a key' }, '<m4@x>')).toBeNull();
  });
});
