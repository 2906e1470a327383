import type { Ctx } from '#server/context.ts';
import { forbidden, notFound } from '#server/errors.ts';
import { authorize, cvdAccess } from '#modules/access/policy.ts';
import type { Actor } from '#modules/access/actor.ts';
import type { Permission } from '#modules/access/permissions.ts';
import * as repo from './cvd.repository.ts';

/** A CVD case as one reader may reach it: 'cert' sees every channel; 'party' its own organisation's channel only. */
export interface LoadedCvdCase {
  row: repo.CvdCaseRow;
  parties: repo.CvdPartyRow[];
  access: 'cert' | 'party';
  /** The reader's own organisation's party row, if it is one (for 'party' always). */
  ownParty: repo.CvdPartyRow | null;
  actor: Actor;
}

/**
 * Loads a case through the policy: a case the actor is no party to does not exist for them (404, so
 * its existence does not leak). Every route of the module that names a case starts here; the
 * private links (finder-link.ts) are the only other way in.
 */
export async function loadCvdCase(ctx: Ctx, id: string, permission: Permission, opts: { forUpdate?: boolean } = {}): Promise<LoadedCvdCase> {
  authorize(ctx.actor, permission);
  const row = await repo.findCase(ctx.db, id, opts);
  if (!row) throw notFound('case');
  const parties = await repo.partiesOf(ctx.db, id);
  const orgIds = parties.flatMap((p) => (p.organisation_id && p.kind !== 'finder' ? [p.organisation_id] : []));
  const access = cvdAccess(ctx.actor, permission, orgIds);
  if (!access) throw notFound('case');
  const ownParty = parties.find((p) => p.organisation_id === ctx.actor?.organisationId && p.kind !== 'finder') ?? null;
  return { row, parties, access, ownParty, actor: ctx.actor };
}

export function requireCvdCert(c: LoadedCvdCase): void {
  if (c.access !== 'cert') throw forbidden('Only the CERT can do this on a CVD case.');
}
