import { sql } from 'kysely';
import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { compileWarninglist, parseWarninglist, type Warninglist } from './warninglist.ts';
import type { IndicatorType } from './indicator-types.ts';

/** Checks one value against every enabled list; returns the names of the lists it is on. */
export type WarninglistCheck = (type: IndicatorType, value: string) => string[];

// Compiled lists are cached per process and rebuilt when any list changes (the stamp moves).
let cache: { stamp: string; check: WarninglistCheck } | null = null;

export async function warninglistCheck(ctx: Ctx): Promise<WarninglistCheck> {
  const stamp = await sql<{ stamp: string }>`SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') AS stamp FROM zdn_warninglists WHERE enabled`.execute(ctx.db);
  const current = stamp.rows[0]?.stamp ?? '';
  if (cache?.stamp === current) return cache.check;
  const rows = await ctx.db.selectFrom('zdn_warninglists').selectAll().where('enabled', '=', true).execute();
  const compiled = rows.map((r) => ({
    name: r.name,
    matches: compileWarninglist({ name: r.name, version: r.version, description: r.description, type: r.type, matchingAttributes: r.matching_attributes, entries: r.entries }),
  }));
  const check: WarninglistCheck = (type, value) => compiled.filter((c) => c.matches(type, value)).map((c) => c.name);
  cache = { stamp: current, check };
  return check;
}

export async function listWarninglists(ctx: Ctx) {
  authorize(ctx.actor, 'zdn:read');
  return ctx.db
    .selectFrom('zdn_warninglists')
    .select(['id', 'name', 'version', 'description', 'type', 'matching_attributes', 'enabled', 'updated_at', sql<number>`cardinality(entries)`.as('entry_count')])
    .orderBy('name')
    .execute();
}

/**
 * Imports (or replaces, by name) a list in the MISP warninglist format. Entries that can never match
 * (a CIDR that is none, a PCRE pattern JavaScript cannot run) do not refuse the list, as MISP's own
 * published lists hold some, but the answer names them so the analyst knows what is not checked.
 */
export async function importWarninglist(
  ctx: Ctx,
  json: unknown,
): Promise<{ id: string; name: string; entries: number; replaced: boolean; unusableCount: number; unusable: string[] }> {
  authorize(ctx.actor, 'zdn:write');
  const parsed = parseWarninglist(json);
  if (!parsed.ok) throw badRequest('warninglist_invalid', parsed.error);
  const unusable = compileWarninglist(parsed.list).invalidEntries;
  return { ...(await storeWarninglist(ctx, parsed.list)), unusableCount: unusable.length, unusable: unusable.slice(0, 50) };
}

export async function storeWarninglist(ctx: Ctx, list: Warninglist): Promise<{ id: string; name: string; entries: number; replaced: boolean }> {
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.db.selectFrom('zdn_warninglists').select('id').where('name', '=', list.name).executeTakeFirst();
    const values = {
      name: list.name,
      version: list.version,
      description: list.description,
      type: list.type,
      matching_attributes: list.matchingAttributes,
      entries: list.entries,
      created_by: tx.actor?.userId ?? null,
      updated_at: sql<Date>`clock_timestamp()`,
    };
    const row = existing
      ? await tx.db.updateTable('zdn_warninglists').set(values).where('id', '=', existing.id).returning('id').executeTakeFirstOrThrow()
      : await tx.db.insertInto('zdn_warninglists').values(values).returning('id').executeTakeFirstOrThrow();
    await record(tx, { action: 'zdn.warninglist.import', targetType: 'zdn_warninglist', targetId: row.id, details: { name: list.name, entries: list.entries.length } });
    return { id: row.id, name: list.name, entries: list.entries.length, replaced: Boolean(existing) };
  });
}

export async function setWarninglistEnabled(ctx: Ctx, id: string, enabled: boolean) {
  authorize(ctx.actor, 'zdn:write');
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db.updateTable('zdn_warninglists').set({ enabled, updated_at: sql<Date>`clock_timestamp()` }).where('id', '=', id).returning('id').executeTakeFirst();
    if (!row) throw notFound('warninglist');
    await record(tx, { action: enabled ? 'zdn.warninglist.enable' : 'zdn.warninglist.disable', targetType: 'zdn_warninglist', targetId: id });
  });
}
