import type { Command } from 'commander';
import type { Ctx } from '#server/context.ts';
import type { SigningKeyInfo } from '#modules/keys/signing-key.service.ts';

// The command definitions; the service (and OpenPGP) load only when a command runs, as for the
// admin commands, so `wachtpost --help` stays fast.
const service = () => import('#modules/keys/signing-key.service.ts');
const shared = () => import('./shared.ts');

const out = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');

/** A fingerprint in groups of four, as GnuPG prints it. */
const spaced = (fingerprint: string) => fingerprint.replace(/(.{4})(?!$)/g, '$1 ');

async function asOperatorIn(command: Command, fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  const { asOperator, withDatabase } = await shared();
  await withDatabase(command, async (ctx) => fn(await asOperator(ctx)));
}

async function showAction(opts: { json?: boolean; armor?: boolean }, command: Command): Promise<void> {
  const { activeSigningKey, listSigningKeys } = await service();
  await asOperatorIn(command, async (ctx) => {
    if (opts.armor) {
      process.stdout.write(`${(await activeSigningKey(ctx)).publicKeyArmored.trimEnd()}\n`);
      return;
    }
    const keys = await listSigningKeys(ctx);
    if (opts.json) return out(keys);
    if (!keys.length) {
      process.stdout.write(
        'There is no OpenPGP key yet: the server makes one at its first start, or run “wachtpost keys rotate” or “wachtpost keys import <file>”.\n',
      );
      return;
    }
    const { printTable } = await shared();
    printTable(
      keys.map((k: SigningKeyInfo) => ({
        status: k.status,
        fingerprint: spaced(k.fingerprint),
        userId: k.userId,
        algorithm: k.algorithm,
        created: day(k.createdAt),
        expires: k.expiresAt ? day(k.expiresAt) : 'never',
        retired: day(k.retiredAt),
        passphrase: k.passphraseProtected ? 'yes' : 'no',
      })),
      ['status', 'fingerprint', 'userId', 'algorithm', 'created', 'expires', 'retired', 'passphrase'],
    );
  });
}

async function importAction(file: string, opts: { passphraseStdin?: boolean; json?: boolean }, command: Command): Promise<void> {
  const [{ readFile }, { AppError }, { readStdin }] = await Promise.all([import('node:fs/promises'), import('#server/errors.ts'), shared()]);
  let armored: string;
  try {
    armored = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as { code?: string }).code === 'ENOENT' ? 'it does not exist' : err instanceof Error ? err.message : String(err);
    throw new AppError('bad_request', 'file_unreadable', `The file ${file} cannot be read: ${reason}.`);
  }
  const passphrase = opts.passphraseStdin ? await readStdin() : undefined;
  if (opts.passphraseStdin && !passphrase) throw new AppError('bad_request', 'passphrase_empty', 'No passphrase was read from standard input.');
  const { importSigningKey, activeSigningKey } = await service();
  await asOperatorIn(command, async (ctx) => {
    const { fingerprint } = await importSigningKey(ctx, armored, passphrase === undefined ? {} : { passphrase });
    const key = await activeSigningKey(ctx);
    if (opts.json) return out({ fingerprint, userId: key.userId, expiresAt: key.expiresAt });
    process.stdout.write(`The active OpenPGP key is now ${spaced(fingerprint)} (${key.userId}).\n`);
    process.stdout.write(
      ctx.services.config.keyPassphrase
        ? 'It is stored protected by WACHTPOST_KEY_PASSPHRASE.\n'
        : 'It is stored without a passphrase: set WACHTPOST_KEY_PASSPHRASE to protect it.\n',
    );
  });
}

async function rotateAction(opts: { json?: boolean }, command: Command): Promise<void> {
  const { rotateSigningKey, activeSigningKey } = await service();
  await asOperatorIn(command, async (ctx) => {
    const r = await rotateSigningKey(ctx);
    const key = await activeSigningKey(ctx);
    if (opts.json) return out({ ...r, userId: key.userId, expiresAt: key.expiresAt });
    process.stdout.write(`New active OpenPGP key ${spaced(r.fingerprint)} (${key.userId}), valid until ${day(key.expiresAt)}.\n`);
    process.stdout.write(
      r.retired ? `Retired ${spaced(r.retired)}; it stays published so that older signatures still verify.\n` : 'There was no key before.\n',
    );
  });
}

/** `wachtpost keys …`: the CERT's OpenPGP key that signs its CSAF documents. */
export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('the OpenPGP key that signs the CERT’s CSAF documents (one active key; retired keys stay published)');
  keys
    .command('show')
    .description('list the active and retired keys: fingerprint, user ID, algorithm, dates and whether a passphrase protects them')
    .option('--armor', 'print only the active public key, ASCII-armored')
    .option('--json', 'print JSON for scripts')
    .action(showAction);
  keys
    .command('import')
    .description(
      'make an existing private key the active one (e.g. from gpg --export-secret-keys --armor <fingerprint>); it must be able to sign and not be expired or revoked. The previous key is retired',
    )
    .argument('<file>', 'armored private key file')
    .option('--passphrase-stdin', 'read the passphrase of a protected key from standard input')
    .option('--json', 'print JSON for scripts')
    .action(importAction);
  keys
    .command('rotate')
    .description('generate a new key (Ed25519, valid two years) and make it the active one; the previous key is retired')
    .option('--json', 'print JSON for scripts')
    .action(rotateAction);
}
