import { existsSync } from 'node:fs';
import net from 'node:net';
import type { Command } from 'commander';
import { sql } from 'kysely';
import type { Database } from '#db/database.ts';
import type { Config } from '#server/config.ts';
import { configFrom } from './shared.ts';
import { DataDirBusyError, acquireDataDirLock } from '#server/data-dir-lock.ts';

interface Check {
  name: string;
  ok: boolean;
  warning?: boolean;
  message: string;
}

async function smtpReachable(url: string): Promise<string | null> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'smtps:' ? 465 : 25));
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer from ${u.hostname}:${port} within 3 seconds`);
    });
    socket.once('error', (err) => resolve(`${u.hostname}:${port}: ${err.message}`));
  });
}

/**
 * The active OpenPGP key: it exists, a trial signature works (the passphrase opens it, it has not
 * expired), it does not expire within a month, and WACHTPOST_KEY_PASSPHRASE protects it.
 */
async function signingKeyCheck(config: Config, database: Database): Promise<Check> {
  const name = 'signing key';
  const [{ createLogger }, { systemContext }, { AppError }, keys] = await Promise.all([
    import('#server/logger.ts'),
    import('#server/context.ts'),
    import('#server/errors.ts'),
    import('#modules/keys/signing-key.service.ts'),
  ]);
  const ctx = systemContext({ config, database, log: createLogger('silent', false) }, 'cli-doctor');
  const active = (await keys.listSigningKeys(ctx)).find((k) => k.status === 'active');
  if (!active)
    return {
      name,
      ok: true,
      warning: true,
      message: 'There is no OpenPGP key yet, so nothing can be signed: the server makes one at its first start, or run “wachtpost keys rotate” or “wachtpost keys import <file>”.',
    };
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const described = `The active key ${active.fingerprint} (${active.userId}) ${active.expiresAt ? `expires on ${day(active.expiresAt)}` : 'does not expire'} and is ${active.passphraseProtected ? 'protected by WACHTPOST_KEY_PASSPHRASE' : 'stored without a passphrase'}.`;
  try {
    await keys.signDetached(ctx, 'wachtpost doctor');
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { name, ok: false, message: `${described} It cannot sign: ${err.message}` };
  }
  const advice: string[] = [];
  const daysLeft = active.expiresAt ? Math.floor((active.expiresAt.getTime() - Date.now()) / 86_400_000) : null;
  if (daysLeft !== null && daysLeft <= keys.EXPIRY_WARNING_DAYS)
    advice.push(`It expires in ${daysLeft} day(s): run “wachtpost keys rotate” (or import a new key) before then.`);
  if (!active.passphraseProtected)
    advice.push(
      config.keyPassphrase
        ? 'WACHTPOST_KEY_PASSPHRASE is set: the server encrypts the key with it at its next start.'
        : 'Set WACHTPOST_KEY_PASSPHRASE (at least 12 characters) so that a copy of the database does not hold a usable key.',
    );
  return { name, ok: true, ...(advice.length && { warning: true }), message: [described, ...advice].join(' ') };
}

/** `wachtpost doctor`: checks the installation and says in words what is wrong and what to do. */
export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the database, mail settings and keys, and say what is wrong')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const checks: Check[] = [];
      // Loaded on demand, like every command's heavy parts (see admin.commands.ts).
      const [{ pendingMigrations }, { openDatabase }, { defaultWebDir }] = await Promise.all([import('#db/migrate.ts'), import('#db/database.ts'), import('#server/app.ts')]);
      let config;
      try {
        config = configFrom(command);
        checks.push({ name: 'configuration', ok: true, message: 'The environment settings are valid.' });
      } catch (err) {
        checks.push({ name: 'configuration', ok: false, message: err instanceof Error ? err.message : String(err) });
      }
      if (config) {
        let lock;
        try {
          if (!config.databaseUrl && existsSync(config.dataDir)) lock = acquireDataDirLock(config.dataDir, { port: null });
          const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : `${config.dataDir}/pg` });
          try {
            await sql`SELECT 1`.execute(database.db);
            const pending = await pendingMigrations(database);
            checks.push({ name: 'database', ok: true, message: config.databaseUrl ? 'PostgreSQL answers.' : `The embedded database in ${config.dataDir} opens.` });
            checks.push({ name: 'migrations', ok: pending.length === 0, message: pending.length ? `${pending.length} migration(s) not applied (${pending.join(', ')}): run “wachtpost migrate”.` : 'All migrations are applied.' });
            const admins = await database.db.selectFrom('users').select('id').where('role', '=', 'cert-admin').where('status', '=', 'active').execute().catch(() => []);
            checks.push({ name: 'administrators', ok: admins.length > 0, message: admins.length ? `${admins.length} active CERT admin(s).` : 'No active CERT admin: create one with “wachtpost user create --role cert-admin …” or load the demo.' });
            if (pending.some((m) => m.startsWith('0003_'))) checks.push({ name: 'signing key', ok: true, warning: true, message: 'The signing keys are checked once the migrations are applied: run “wachtpost migrate”.' });
            else checks.push(await signingKeyCheck(config, database).catch((err: unknown) => ({ name: 'signing key', ok: false, message: `The signing keys cannot be read: ${err instanceof Error ? err.message : String(err)}.` })));
          } finally {
            await database.close();
          }
        } catch (err) {
          if (err instanceof DataDirBusyError) checks.push({ name: 'database', ok: true, warning: true, message: `A running server holds the embedded database (process ${err.pid}); it is in use, not broken. Stop it to run the full check.` });
          else checks.push({ name: 'database', ok: false, message: `The database cannot be opened: ${err instanceof Error ? err.message : String(err)}. ${config.databaseUrl ? 'Check DATABASE_URL, that the server runs, and the credentials.' : 'Check that the data folder is readable and writable.'}` });
        } finally {
          lock?.release();
        }
        if (!config.smtpUrl) checks.push({ name: 'mail', ok: true, warning: true, message: 'SMTP_URL is not set: mail is written to the log, not sent. Set SMTP_URL=smtp://host:587 to send.' });
        else {
          const problem = await smtpReachable(config.smtpUrl);
          checks.push({ name: 'mail', ok: problem === null, message: problem ? `The mail server cannot be reached (${problem}). Check SMTP_URL and the firewall.` : 'The mail server answers.' });
        }
        if (!config.secure) checks.push({ name: 'https', ok: true, warning: true, message: `PUBLIC_URL is ${config.publicUrl}: fine for a trial; in production serve over HTTPS and set PUBLIC_URL=https://….` });
        // A warning, like the other advice: the API and the CLI work without the built web app.
        checks.push({ name: 'web app', ok: true, warning: !existsSync(`${defaultWebDir}/index.html`), message: existsSync(`${defaultWebDir}/index.html`) ? 'The web app is built.' : 'The web app is not built: run “npm run build” (npm start does this for you).' });
      }
      const failed = checks.filter((c) => !c.ok);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, checks }, null, 2)}\n`);
      else {
        for (const c of checks) process.stdout.write(`${c.ok ? (c.warning ? '!' : '✓') : '✗'} ${c.name}: ${c.message}\n`);
        process.stdout.write(failed.length ? `\n${failed.length} problem(s) found.\n` : '\nNo problems found.\n');
      }
      if (failed.length) process.exitCode = 1;
    });
}
