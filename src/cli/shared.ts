import type { Command } from 'commander';
import { loadConfig, type Config } from '#server/config.ts';
import type { Ctx } from '#server/context.ts';
import type { Actor } from '#modules/access/actor.ts';
import { hostname, userInfo } from 'node:os';

export function configFrom(command: Command, env: NodeJS.ProcessEnv = process.env): Config {
  const root = command.optsWithGlobals<{ dataDir?: string }>();
  return loadConfig({ ...env, ...(root.dataDir && { WACHTPOST_DATA_DIR: root.dataDir }) });
}

/**
 * Opens the database for one CLI command and closes it afterwards. On the embedded database the
 * data-folder lock refuses to open files a running server holds, with a message saying what to do.
 */
export async function withDatabase<T>(command: Command, fn: (ctx: Ctx) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  // Loaded here, not at the top: only commands that touch the database pay for the server code.
  const [{ createLogger }, { openServices }, { systemContext }] = await Promise.all([import('#server/logger.ts'), import('#server/boot.ts'), import('#server/context.ts')]);
  const config = configFrom(command);
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', false);
  const { services, lock } = await openServices(config, log, options);
  try {
    return await fn(systemContext(services, `cli-${command.name()}`));
  } finally {
    // A command that printed a PDF (the demo's publications) started Chromium: the process ends only once it is closed.
    await (await import('#lib/pdf.ts')).closePdfBrowser();
    await services.database.close();
    lock?.release();
  }
}

/**
 * The CLI runs with the operator's shell access, which already reaches the database; it acts as a
 * CERT admin named after the operating-system user, so the audit log says who ran what.
 */
export async function asOperator(ctx: Ctx): Promise<Ctx> {
  const cert = await ctx.db.selectFrom('organisations').select('id').where('kind', '=', 'cert').executeTakeFirst();
  const actor: Actor = {
    userId: '00000000-0000-0000-0000-000000000000',
    email: `cli:${userInfo().username}@${hostname()}`,
    role: 'cert-admin',
    organisationId: cert?.id ?? '00000000-0000-0000-0000-000000000000',
    organisationKind: 'cert',
    clientOrganisationIds: [],
    partnerOrganisationIds: [],
    sessionId: null,
    tokenId: null,
    tokenPermissions: null,
  };
  return { ...ctx, actor };
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  process.stdout.write(`${line(columns)}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => text(r[c])))}\n`);
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
