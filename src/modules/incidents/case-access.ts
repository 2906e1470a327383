import type { Ctx } from '#server/context.ts';
import { AppError, forbidden, notFound } from '#server/errors.ts';
import { authorize, caseAccess } from '#modules/access/policy.ts';
import type { Actor } from '#modules/access/actor.ts';
import type { Permission } from '#modules/access/permissions.ts';
import * as repo from './case.repository.ts';

/** A case as one reader may reach it: 'cert' sees everything, 'room' only what is shared with the affected side. */
export interface LoadedCase {
  row: repo.CaseRow;
  parties: repo.Parties;
  access: 'cert' | 'room';
  actor: Actor;
}

/**
 * Loads a case through the policy: a case the actor takes no part in does not exist for them (404,
 * so its existence does not leak). Every route of the module that names a case starts here.
 */
export async function loadCase(ctx: Ctx, id: string, permission: Permission, opts: { forUpdate?: boolean } = {}): Promise<LoadedCase> {
  authorize(ctx.actor, permission);
  const row = await repo.findCase(ctx.db, id, opts);
  if (!row) throw notFound('case');
  const parties = await repo.partiesOf(ctx.db, id);
  const access = caseAccess(ctx.actor, permission, {
    affectedOrganisationIds: parties.affected.map((o) => o.id),
    guestOrganisationIds: parties.guests.map((o) => o.id),
  });
  if (!access) throw notFound('case');
  return { row, parties, access, actor: ctx.actor };
}

/** For what only the CERT does on a case it can see (internal notes, observables, templates). */
export function requireCert(c: LoadedCase): void {
  if (c.access !== 'cert') throw forbidden('Only the CERT can do this on a case.');
}

/** A merged case is read-only: its contents moved to the case it was merged into. */
export function requireOpenForWork(c: LoadedCase): void {
  if (c.row.merged_into_id) throw new AppError('conflict', 'case_merged', 'This case was merged into another; work on that case.');
}
