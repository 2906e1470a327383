import { decrypt, readKey, readMessage, type KeyID, type Message, type PrivateKey } from 'openpgp';
import type { Ctx } from '#server/context.ts';
import { AppError, badRequest } from '#server/errors.ts';
import { listKeysWithPrivate } from '#modules/keys/signing-key.repository.ts';
import { unlockedKey } from '#modules/keys/openpgp-key.ts';

/**
 * Decrypting what finders encrypt to the CERT's published OpenPGP key (PGP mail, and the public
 * form's in-browser encryption). The active key and the retired ones are tried: security.txt and
 * key servers keep serving an older key for a while after a rotation, and a finder may have
 * fetched it long before writing. Only keys the message names are unlocked (a protected key costs
 * an S2K each); a message with hidden recipients (wildcard key IDs, gpg --throw-keyids) tries all.
 */

/** More than any mail the intake takes can decompress to in earnest; stops a compression bomb. */
export const DECRYPTED_MAX_BYTES = 64 * 1024 * 1024;

/** Thrown for a message none of the CERT's keys can open (or that is not a readable OpenPGP message). */
export const undecryptable = (reason: string): AppError =>
  badRequest('cvd_message_undecryptable', `The encrypted message could not be decrypted with the CERT's keys: ${reason}`);

export function isUndecryptable(err: unknown): err is AppError {
  return err instanceof AppError && err.code === 'cvd_message_undecryptable';
}

/**
 * The plaintext of an armored OpenPGP message encrypted to one of the CERT's keys. Rejects with
 * `undecryptable` when no key opens it; a database error passes through unchanged, so the caller
 * can tell "not for us" (keep the ciphertext) from "try again later".
 */
export async function decryptForCert(ctx: Ctx, armored: string, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
  let message: Message<string>;
  try {
    message = await readMessage({ armoredMessage: armored });
  } catch (err) {
    throw undecryptable(`it is not a readable OpenPGP message (${reasonOf(err)}).`);
  }
  const wanted = message.getEncryptionKeyIDs();
  if (wanted.length === 0) throw undecryptable('it is not encrypted to a key (a password-encrypted or signed-only message).');

  const keys = await candidateKeys(ctx, wanted);
  if (keys.length === 0) throw undecryptable('it is encrypted to none of them (an unknown or outdated key).');
  let result: unknown;
  try {
    // `unknown`: openpgp's declared result type is a conditional over web streams that lint cannot resolve.
    result = await decrypt({
      message,
      decryptionKeys: keys,
      format: 'binary',
      config: { maxDecompressedMessageSize: options.maxBytes ?? DECRYPTED_MAX_BYTES },
    });
  } catch (err) {
    throw undecryptable(`${reasonOf(err)}.`);
  }
  const data = (result as { data: unknown }).data;
  if (!(data instanceof Uint8Array)) throw new Error('OpenPGP returned no binary plaintext.');
  return data;
}

/** The CERT's keys the message names, unlocked; a key that cannot be unlocked is logged and left out. */
async function candidateKeys(ctx: Ctx, wanted: KeyID[]): Promise<PrivateKey[]> {
  const rows = await listKeysWithPrivate(ctx.db);
  const keys: PrivateKey[] = [];
  for (const row of rows) {
    const publicKey = await readKey({ armoredKey: row.public_key });
    const ids = publicKey.getKeyIDs();
    // equals(…, true): a wildcard (hidden recipient) matches every key.
    if (!wanted.some((w) => ids.some((id) => w.equals(id, true)))) continue;
    try {
      keys.push(await unlockedKey(row.fingerprint, row.private_key, ctx.services.config.keyPassphrase));
    } catch (err) {
      // A retired key stored under another passphrase, or WACHTPOST_KEY_PASSPHRASE missing: the
      // message is still taken (kept encrypted), and the operator learns why it stayed so.
      ctx.services.log.error({ err, fingerprint: row.fingerprint }, 'an OpenPGP key of the CERT could not be unlocked to decrypt a message');
    }
  }
  return keys;
}

function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
}
