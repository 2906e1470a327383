// What the admin commands do; loaded only when one runs (see admin.commands.ts).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse, type Info } from 'csv-parse/sync';
import { migrate, pendingMigrations } from '#db/migrate.ts';
import { TOKEN_SCOPE_NAMES, type Role } from '#modules/access/permissions.ts';
import { verifyChain } from '#modules/audit/audit.service.ts';
import { loadDemo } from '#modules/demo/demo.service.ts';
import { findUserWithOrgByEmail } from '#modules/identity/identity.repository.ts';
import { createToken } from '#modules/identity/token.service.ts';
import { inviteUser, listUsers } from '#modules/identity/user.service.ts';
import { presentUser } from '#modules/identity/identity.presenter.ts';
import { createOrganisation, listOrganisations } from '#modules/organisations/organisation.service.ts';
import { presentOrganisation } from '#modules/organisations/organisation.presenter.ts';
import { OrganisationInput } from '#modules/organisations/organisation.schema.ts';
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
  const org =
    byId ??
    (await orgRepo.findOrganisationByName(ctx.db, ref)) ??
    (await ctx.db.selectFrom('organisations').selectAll().where('short_name', '=', ref).executeTakeFirst());
  if (!org) throw notFound('organisation');
  return org;
}

export async function migrateAction(_o: unknown, command: Command): Promise<void> {
  await withDatabase(
    command,
    async (ctx) => {
      const before = await pendingMigrations(ctx.services.database);
      const ran = await migrate(ctx.services.database);
      process.stdout.write(ran.length || before.length ? `Applied: ${[...new Set([...before, ...ran])].join(', ')}\n` : 'The database is up to date.\n');
    },
    { migrate: false },
  );
}

export async function demoAction(_o: unknown, command: Command): Promise<void> {
  await withDatabase(command, async (ctx) => {
    const r = await loadDemo(ctx);
    process.stdout.write(r.created ? 'Demo data loaded.\n' : 'Demo data was already there; nothing changed.\n');
    printTable(r.logins, ['email', 'role', 'password']);
  });
}

export async function initAction(opts: { certName: string; adminEmail: string; adminName?: string; passwordStdin?: boolean }, command: Command): Promise<void> {
  const password = opts.passwordStdin ? await readStdin() : undefined;
  await withDatabase(command, async (base) => {
    if (await orgRepo.findCert(base.db))
      throw badRequest('already_initialised', 'This installation already has its CERT organisation; add users with “wachtpost user create”.');
    await inTransaction(base, async (tx) => {
      const cert = await orgRepo.insertOrganisation(tx.db, {
        kind: 'cert',
        name: opts.certName,
        shortName: null,
        segment: null,
        membershipStatus: 'active',
        memberSince: null,
        memberUntil: null,
      });
      const ctx = await asOperator(tx);
      await inviteUser(ctx, {
        email: opts.adminEmail,
        name: opts.adminName ?? opts.adminEmail,
        role: 'cert-admin',
        organisationId: cert.id,
        ...(password !== undefined && { password }),
      });
    });
    process.stdout.write(`Initialised “${opts.certName}” with CERT admin ${opts.adminEmail}${password ? '' : ' (invitation in the outbox)'}.\n`);
  });
}

export async function orgList(opts: { json?: boolean }, command: Command): Promise<void> {
  await withDatabase(command, async (ctx) => {
    const items = await allOrganisations(await asOperator(ctx));
    if (opts.json) return out(items);
    printTable(items, ['id', 'kind', 'name', 'shortName', 'segment', 'membershipStatus']);
  });
}

export async function orgCreate(opts: { name: string; kind: string; segment?: string; shortName?: string; json?: boolean }, command: Command): Promise<void> {
  await withDatabase(command, async (ctx) => {
    const input = OrganisationInput.safeParse({ name: opts.name, kind: opts.kind, segment: opts.segment, shortName: opts.shortName });
    if (!input.success) throw badRequest('invalid_input', input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { row, clientIds } = await createOrganisation(await asOperator(ctx), input.data);
    if (opts.json) return out(presentOrganisation(row, clientIds));
    process.stdout.write(`Created ${row.kind} “${row.name}” (${row.id}).\n`);
  });
}

export async function orgImport(file: string, opts: { dryRun?: boolean; json?: boolean }, command: Command): Promise<void> {
  const text = await readFile(file, 'utf8');
  await withDatabase(command, (base) =>
    // One transaction: an import that fails part-way leaves nothing behind.
    inTransaction(base, async (tx) => {
      const ctx = await asOperator(tx);
      // `info` gives each record's line in the file; counting records would shift after a blank line.
      const rows = parse<{ record: Record<string, string>; info: Info }>(text, {
        columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
        bom: true,
        info: true,
      });
      const report = { dryRun: Boolean(opts.dryRun), created: 0, rejected: [] as { line: number; name: string; reason: string }[] };
      // Names accepted earlier in this file: a dry run refuses a repeat just as the real run does.
      const seen = new Set<string>();
      for (const { record: r, info } of rows) {
        const line = info.lines;
        const parsed = OrganisationInput.safeParse({
          name: r.name,
          kind: r.kind || 'participant',
          segment: r.segment || undefined,
          shortName: r.short_name || undefined,
        });
        if (!parsed.success) {
          report.rejected.push({ line, name: r.name ?? '', reason: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
          continue;
        }
        if (seen.has(parsed.data.name.toLowerCase()) || (await orgRepo.findOrganisationByName(ctx.db, parsed.data.name))) {
          report.rejected.push({ line, name: parsed.data.name, reason: 'An organisation with this name already exists.' });
          continue;
        }
        seen.add(parsed.data.name.toLowerCase());
        if (!opts.dryRun) await createOrganisation(ctx, parsed.data);
        report.created++;
      }
      if (opts.json) return out(report);
      process.stdout.write(`${opts.dryRun ? 'Would create' : 'Created'} ${report.created} organisation(s); ${report.rejected.length} row(s) refused.\n`);
      for (const r of report.rejected) process.stdout.write(`  line ${r.line} (${r.name}): ${r.reason}\n`);
    }),
  );
}

export async function userCreate(
  opts: { email: string; org: string; role: Role; name?: string; passwordStdin?: boolean; json?: boolean },
  command: Command,
): Promise<void> {
  const password = opts.passwordStdin ? await readStdin() : undefined;
  await withDatabase(command, async (base) => {
    const ctx = await asOperator(base);
    const target = await resolveOrganisation(ctx, opts.org);
    const created = await inviteUser(ctx, {
      email: opts.email,
      name: opts.name ?? opts.email.split('@')[0] ?? opts.email,
      role: opts.role,
      organisationId: target.id,
      ...(password !== undefined && { password }),
    });
    if (opts.json) return out({ id: created.id, email: created.email, organisationId: target.id, role: opts.role, status: password ? 'active' : 'invited' });
    process.stdout.write(
      password
        ? `Created ${opts.email} (${opts.role}) in ${target.name}.\n`
        : `Invited ${opts.email} (${opts.role}) in ${target.name}; the invitation is in the outbox.\n`,
    );
  });
}

export async function userList(opts: { org?: string; json?: boolean }, command: Command): Promise<void> {
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
}

export async function tokenCreate(opts: { email: string; name: string; scope: string[]; expires?: string; json?: boolean }, command: Command): Promise<void> {
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
}

export async function auditVerify(opts: { json?: boolean }, command: Command): Promise<void> {
  await withDatabase(command, async (ctx) => {
    const r = await verifyChain(ctx);
    if (opts.json) out(r);
    else process.stdout.write(r.ok ? `The audit chain is intact (${r.checked} entries).\n` : `The audit chain is BROKEN: ${r.problem}\n`);
    if (!r.ok) process.exitCode = 1;
  });
}
