import type { Database, Unlisten } from '#db/database.ts';
import { REALTIME_CHANNEL, type RealtimeEvent } from '#modules/realtime/realtime.service.ts';
import { authorize } from '#modules/access/policy.ts';
import type { Ctx } from '#server/context.ts';
import { ConstituencyMatcher } from './constituency.ts';
import * as repo from './report.repository.ts';

interface Holder {
  matcher: ConstituencyMatcher | null;
  /** Bumped by every asset or organisation change any process commits. */
  generation: number;
  building: Promise<ConstituencyMatcher> | null;
  unlisten: Unlisten | null;
}

// One matcher per database a process talks to (tests run several databases in one process).
const holders = new WeakMap<Database, Holder>();

function isConstituencyChange(payload: string): boolean {
  try {
    const e = JSON.parse(payload) as RealtimeEvent;
    return e.type === 'asset.changed' || e.type === 'organisation.changed';
  } catch {
    return false;
  }
}

/**
 * The process's matcher, rebuilt when assets or organisations change. Changes are heard through the
 * same NOTIFY channel every process listens on, so each process rebuilds after the commit; until the
 * new matcher is built, lookups keep using the previous one whole (the reference swaps atomically).
 */
export async function currentMatcher(database: Database): Promise<ConstituencyMatcher> {
  let h = holders.get(database);
  if (!h) {
    h = { matcher: null, generation: 0, building: null, unlisten: null };
    holders.set(database, h);
    const holder = h;
    holder.unlisten = await database.listen(REALTIME_CHANNEL, (payload) => {
      if (isConstituencyChange(payload)) holder.generation++;
    });
  }
  return rebuildIfStale(database, h);
}

async function rebuildIfStale(database: Database, h: Holder): Promise<ConstituencyMatcher> {
  for (;;) {
    if (h.building) await h.building;
    const want = h.generation;
    if (h.matcher && builtFor.get(h.matcher) === want) return h.matcher;
    h.building = repo.constituencyAssets(database.db).then((assets) => ConstituencyMatcher.build(assets));
    try {
      const built = await h.building;
      builtFor.set(built, want);
      h.matcher = built;
    } finally {
      h.building = null;
    }
    if (h.generation === want) return h.matcher;
  }
}

const builtFor = new WeakMap<ConstituencyMatcher, number>();

/** Forgets the cached matcher (tests that change assets behind the application's back). */
export function invalidateConstituency(database: Database): void {
  const h = holders.get(database);
  if (h) h.generation++;
}

export async function stopConstituency(database: Database): Promise<void> {
  const h = holders.get(database);
  holders.delete(database);
  await h?.unlisten?.();
}

/**
 * The matcher a piece of work should use: the process's cached one, or, inside an open transaction
 * (the demo loader declaring assets and reporting on them at once), one built from what that
 * transaction sees.
 */
export async function matcherFor(ctx: Ctx): Promise<ConstituencyMatcher> {
  if (ctx.db.isTransaction) return ConstituencyMatcher.build(await repo.constituencyAssets(ctx.db));
  return currentMatcher(ctx.services.database);
}

/** "Who owns this?" for an analyst: the participants whose declared assets hold an address, name or AS. */
export async function whoOwns(ctx: Ctx, value: string) {
  authorize(ctx.actor, 'monitoring:write');
  const matcher = await matcherFor(ctx);
  const owners = matcher.ownersOf(value);
  if (!owners.length) return [];
  const nameOf = await repo.organisationNames(
    ctx.db,
    owners.map((o) => o.organisationId),
  );
  return owners.map((o) => ({ organisationId: o.organisationId, organisationName: nameOf.get(o.organisationId) ?? '', assetId: o.assetId, asset: o.asset }));
}
