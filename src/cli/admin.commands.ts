import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { parse } from 'csv-parse/sync';
import { migrate, pendingMigrations } from '#db/migrate.ts';
import { ROLES, TOKEN_SCOPE_NAMES, type Role } from '#modules/access/permissions.ts';
import { verifyChain } from '#modules/audit/audit.service.ts';
import { loadDemo } from '#modules/demo/demo.service.ts';
import { findUserWithOrgByEmail } from '#modules/identity/identity.repository.ts';
import { createToken } from '#modules/identity/token.service.ts';
import { inviteUser, listUsers } from '#modules/identity/user.service.ts';
import { presentUser } from '#modules/identity/identity.presenter.ts';
import { createOrganisation, listOrganisations } from '#modules/organisations/organisation.service.ts';
import { presentOrganisation } from '#modules/organisations/organisation.presenter.ts';
import { OrganisationInput, SEGMENTS } from '#modules/organisations/organisation.schema.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { inTransaction } from '#server/context.ts';
import { asOperator, printTable, readStdin, withDatabase } from './shared.ts';

const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

async function allOrganisations(ctx: Parameters<typeof listOrganisations>[0]) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await listOrganisations(ctx, { cursor, limit: 200 });
    items.push(...page.rows.map((r) => presentOrganisation(r, page.clients.get(r.id))));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

async function resolveOrganisation(ctx: Parameters<typeof listOrganisations>[0], ref: string) {
  const byId = /^[0-9a-f-]{36}$/i.test(ref) ? await orgRepo.findOrganisation(ctx.db, ref) : undefined;
  const org = byId ?? (await orgRepo.findOrganisationByName(ctx.db, ref)) ?? (await ctx.db.selectFrom('organisations').selectAll().where('short_name', '=', ref).executeTakeFirst());
  if (!org) throw notFound('organisation');
  return org;
}

export function registerAdminCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async (_o, command: Command) => {
      await withDatabase(command, async (ctx) => {
        const before = await pendingMigrations(ctx.services.database);
        const ran = await migrate(ctx.services.database);
        process.stdout.write(ran.length || before.length ? `Applied: ${[...new Set([...before, ...ran])].join(', ')}\n` : 'The database is up to date.\n');
      });
    });

  program
    .command('demo')
    .description('load the demo organisations and users (once; a second run changes nothing)')
    .action(async (_o, command: Command) => {
      await withDatabase(command, async (ctx) => {
        const r = await loadDemo(ctx);
        process.stdout.write(r.created ? 'Demo data loaded.\n' : 'Demo data was already there; nothing changed.\n');
        printTable(r.logins, ['email', 'role', 'password']);
      });
    });

  program
    .command('init')
    .description('set up an empty installation: the CERT organisation and its first admin')
    .requiredOption('--cert-name <name>', 'name of the CERT')
    .requiredOption('--admin-email <email>', 'e-mail address of the first CERT admin')
    .option('--admin-name <name>', 'display name of the first CERT admin')
    .option('--password-stdin', 'read the admin password from standard input (otherwise an invitation is mailed)')
    .action(async (opts: { certName: string; adminEmail: string; adminName?: string; passwordStdin?: boolean }, command: Command) => {
      const password = opts.passwordStdin ? await readStdin() : undefined;
      await withDatabase(command, async (base) => {
        if (await orgRepo.findCert(base.db)) throw badRequest('already_initialised', 'This installation already has its CERT organisation; add users with “wachtpost user create”.');
        await inTransaction(base, async (tx) => {
          const cert = await orgRepo.insertOrganisation(tx.db, { kind: 'cert', name: opts.certName, shortName: null, segment: null, membershipStatus: 'active', memberSince: null, memberUntil: null });
          const ctx = await asOperator(tx);
          await inviteUser(ctx, { email: opts.adminEmail, name: opts.adminName ?? opts.adminEmail, role: 'cert-admin', organisationId: cert.id, ...(password !== undefined && { password }) });
        });
        process.stdout.write(`Initialised “${opts.certName}” with CERT admin ${opts.adminEmail}${password ? '' : ' (invitation in the outbox)'}.\n`);
      });
    });

  const org = program.command('org').description('manage organisations');
  org
    .command('list')
    .description('list organisations')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withDatabase(command, async (ctx) => {
        const items = await allOrganisations(await asOperator(ctx));
        if (opts.json) return out(items);
        printTable(items, ['id', 'kind', 'name', 'shortName', 'segment', 'membershipStatus']);
      });
    });
  org
    .command('create')
    .description('register an organisation')
    .requiredOption('--name <name>', 'full name')
    .addOption(new Option('--kind <kind>', 'kind of organisation').choices(['participant', 'vendor', 'partner']).default('participant'))
    .addOption(new Option('--segment <segment>', 'segment of a participant').choices([...SEGMENTS]))
    .option('--short-name <short>', 'short name or abbreviation')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { name: string; kind: string; segment?: string; shortName?: string; json?: boolean }, command: Command) => {
      await withDatabase(command, async (ctx) => {
        const input = OrganisationInput.safeParse({ name: opts.name, kind: opts.kind, segment: opts.segment, shortName: opts.shortName });
        if (!input.success) throw badRequest('invalid_input', input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const { row, clientIds } = await createOrganisation(await asOperator(ctx), input.data);
        if (opts.json) return out(presentOrganisation(row, clientIds));
        process.stdout.write(`Created ${row.kind} “${row.name}” (${row.id}).\n`);
      });
    });
  org
    .command('import')
    .description('import organisations from CSV (columns: name,kind,segment,short_name); --dry-run reports only')
    .argument('<csv>', 'path of the CSV file')
    .option('--dry-run', 'check every row and report, without importing')
    .option('--json', 'print JSON for scripts')
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean }, command: Command) => {
      const text = await readFile(file, 'utf8');
      await withDatabase(command, async (base) => {
        const ctx = await asOperator(base);
        const rows = parse<Record<string, string>>(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
        const report = { dryRun: Boolean(opts.dryRun), created: 0, rejected: [] as { line: number; name: string; reason: string }[] };
        for (const [i, r] of rows.entries()) {
          const parsed = OrganisationInput.safeParse({ name: r.name, kind: r.kind || 'participant', segment: r.segment || undefined, shortName: r.short_name || undefined });
          if (!parsed.success) {
            report.rejected.push({ line: i + 2, name: r.name ?? '', reason: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
            continue;
          }
          if (await orgRepo.findOrganisationByName(ctx.db, parsed.data.name)) {
            report.rejected.push({ line: i + 2, name: parsed.data.name, reason: 'An organisation with this name already exists.' });
            continue;
          }
          if (!opts.dryRun) await createOrganisation(ctx, parsed.data);
          report.created++;
        }
        if (opts.json) return out(report);
        process.stdout.write(`${opts.dryRun ? 'Would create' : 'Created'} ${report.created} organisation(s); ${report.rejected.length} row(s) refused.\n`);
        for (const r of report.rejected) process.stdout.write(`  line ${r.line} (${r.name}): ${r.reason}\n`);
      });
    });

  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user; with --password-stdin the account is active at once, otherwise an invitation is mailed')
    .requiredOption('--email <email>', 'e-mail address (the login)')
    .requiredOption('--org <organisation>', 'organisation id, name or short name')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { email: string; org: string; role: Role; name?: string; passwordStdin?: boolean; json?: boolean }, command: Command) => {
      const password = opts.passwordStdin ? await readStdin() : undefined;
      await withDatabase(command, async (base) => {
        const ctx = await asOperator(base);
        const target = await resolveOrganisation(ctx, opts.org);
        const created = await inviteUser(ctx, { email: opts.email, name: opts.name ?? opts.email.split('@')[0] ?? opts.email, role: opts.role, organisationId: target.id, ...(password !== undefined && { password }) });
        if (opts.json) return out({ id: created.id, email: created.email, organisationId: target.id, role: opts.role, status: password ? 'active' : 'invited' });
        process.stdout.write(password ? `Created ${opts.email} (${opts.role}) in ${target.name}.\n` : `Invited ${opts.email} (${opts.role}) in ${target.name}; the invitation is in the outbox.\n`);
      });
    });
  user
    .command('list')
    .description('list users')
    .option('--org <organisation>', 'only this organisation')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { org?: string; json?: boolean }, command: Command) => {
      await withDatabase(command, async (base) => {
        const ctx = await asOperator(base);
        const organisationId = opts.org ? (await resolveOrganisation(ctx, opts.org)).id : undefined;
        const items = [];
        let cursor: string | undefined;
        do {
          const page = await listUsers(ctx, { organisationId, cursor, limit: 200 });
          items.push(...page.rows.map(presentUser));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (opts.json) return out(items);
        printTable(items, ['email', 'role', 'organisationName', 'status', 'totpEnabled']);
      });
    });

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token for a user; the token is printed once')
    .requiredOption('--email <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scope <scope...>', `scopes (${TOKEN_SCOPE_NAMES.join(', ')})`, ['organisations:read'])
    .option('--expires <date>', 'expiry date, e.g. 2027-06-30')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { email: string; name: string; scope: string[]; expires?: string; json?: boolean }, command: Command) => {
      await withDatabase(command, async (base) => {
        const ctx = await asOperator(base);
        const u = await findUserWithOrgByEmail(ctx.db, opts.email);
        if (!u) throw notFound('user');
        const unknown = opts.scope.filter((s) => !TOKEN_SCOPE_NAMES.includes(s as never));
        if (unknown.length) throw badRequest('unknown_scope', `Unknown scope(s): ${unknown.join(', ')}. Known: ${TOKEN_SCOPE_NAMES.join(', ')}.`);
        const { token: secret, row } = await createToken(ctx, { name: opts.name, scopes: opts.scope, expiresAt: opts.expires }, u.id);
        if (opts.json) return out({ id: row.id, token: secret, scopes: row.scopes, expiresAt: row.expires_at });
        process.stdout.write(`${secret}\n`);
        process.stderr.write('Store this token now: it is shown only once.\n');
      });
    });

  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description('check the hash chain of the audit log; exits 1 when it was tampered with')
    .option('--json', 'print JSON for scripts')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withDatabase(command, async (ctx) => {
        const r = await verifyChain(ctx);
        if (opts.json) out(r);
        else process.stdout.write(r.ok ? `The audit chain is intact (${r.checked} entries).\n` : `The audit chain is BROKEN: ${r.problem}\n`);
        if (!r.ok) process.exitCode = 1;
      });
    });
}
