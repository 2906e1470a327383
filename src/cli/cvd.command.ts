import { InvalidArgumentError, type Command } from 'commander';
import type { Ctx } from '#server/context.ts';

// The command definitions; the services load only when a command runs (see keys.command.ts), so
// `wachtpost --help` stays fast.
const delegation = () => import('#modules/cvd/delegation.service.ts');
const shared = () => import('./shared.ts');

const MAX_DAYS = 365;

function days(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_DAYS)
    throw new InvalidArgumentError(`give a whole number of days from 1 to ${MAX_DAYS} (RFC 9116: Expires less than a year ahead).`);
  return n;
}

async function asOperatorIn(command: Command, fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  const { asOperator, withDatabase } = await shared();
  await withDatabase(command, async (ctx) => fn(await asOperator(ctx)));
}

/** An organisation by id, name or short name, as `wachtpost user create --org` takes it. */
async function organisationId(ctx: Ctx, ref: string): Promise<string> {
  const [{ findOrganisation, findOrganisationByName }, { notFound }] = await Promise.all([
    import('#modules/organisations/organisation.repository.ts'),
    import('#server/errors.ts'),
  ]);
  const org =
    (/^[0-9a-f-]{36}$/i.test(ref) ? await findOrganisation(ctx.db, ref) : undefined) ??
    (await findOrganisationByName(ctx.db, ref)) ??
    (await ctx.db.selectFrom('organisations').selectAll().where('short_name', '=', ref).executeTakeFirst());
  if (!org) throw notFound('organisation');
  return org.id;
}

interface SecurityTxtOpts {
  organisation: string;
  expiresDays: number;
  sign?: boolean;
  canonical?: string[];
  out?: string;
}

async function securityTxtAction(opts: SecurityTxtOpts, command: Command): Promise<void> {
  const { securityTxtFor } = await delegation();
  await asOperatorIn(command, async (ctx) => {
    const file = await securityTxtFor(ctx, await organisationId(ctx, opts.organisation), {
      expiresDays: opts.expiresDays,
      signed: opts.sign === true,
      canonical: opts.canonical,
    });
    if (!opts.out) {
      // Exactly the file on standard output, so `> security.txt` gives the same bytes as --out.
      process.stdout.write(file.text);
      return;
    }
    const { writeFile } = await import('node:fs/promises');
    await writeFile(opts.out, file.text, 'utf8');
    process.stdout.write(
      `Wrote the ${file.signed ? 'signed ' : ''}security.txt of ${file.name} to ${opts.out}; it expires on ${file.expires.toISOString().slice(0, 10)}.\n` +
        'Serve it at https://<domain>/.well-known/security.txt and renew it before then.\n',
    );
  });
}

async function delegateAction(opts: { organisation: string; off?: boolean; json?: boolean }, command: Command): Promise<void> {
  const { setDelegation } = await delegation();
  await asOperatorIn(command, async (ctx) => {
    const d = await setDelegation(ctx, await organisationId(ctx, opts.organisation), opts.off !== true);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      d.delegated
        ? `${d.name} now delegates its coordinated vulnerability disclosure to the CERT. Make its security.txt with “wachtpost cvd security-txt --organisation ${d.organisationId}”.\n`
        : `${d.name} no longer delegates its coordinated vulnerability disclosure to the CERT; its security.txt should point at its own contact again.\n`,
    );
  });
}

export function registerCvdCommands(program: Command): void {
  const cvd = program.command('cvd').description('coordinated vulnerability disclosure: delegations and security.txt');
  cvd
    .command('security-txt')
    .description('print the security.txt (RFC 9116) of a participant that delegated its CVD to the CERT')
    .requiredOption('--organisation <organisation>', 'organisation id, name or short name')
    .option('--expires-days <days>', `days until Expires, 1–${MAX_DAYS}`, days, MAX_DAYS)
    .option('--sign', 'sign it (OpenPGP cleartext signature) with the CERT key')
    .option('--canonical <url...>', 'where the file will be served (default: its approved domains)')
    .option('--out <file>', 'write it to this file instead of standard output')
    .action(securityTxtAction);
  cvd
    .command('delegate')
    .description('record that a participant delegates its CVD to the CERT (--off: no longer)')
    .requiredOption('--organisation <organisation>', 'organisation id, name or short name')
    .option('--off', 'end the delegation')
    .option('--json', 'print JSON for scripts')
    .action(delegateAction);
}
