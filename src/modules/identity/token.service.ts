import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { requireActor } from '#modules/access/policy.ts';
import { ROLE_GRANTS, TOKEN_SCOPES, type TokenScope } from '#modules/access/permissions.ts';
import { record } from '#modules/audit/audit.service.ts';
import * as repo from './identity.repository.ts';
import { randomToken, sha256 } from './secrets.ts';

const MAX_TOKEN_DAYS = 366;

/** Scopes a role may put on a token: those that unlock at least one permission the role holds. */
export function scopesForRole(role: keyof typeof ROLE_GRANTS): TokenScope[] {
  return (Object.keys(TOKEN_SCOPES) as TokenScope[]).filter((s) => TOKEN_SCOPES[s].some((p) => ROLE_GRANTS[role][p] !== undefined));
}

/**
 * Creates a token for the actor. The secret (`wp_<prefix>_<random>`) is returned once; only its hash
 * is stored. A token never grants more than its owner's role.
 */
export async function createToken(ctx: Ctx, input: { name: string; scopes: string[]; expiresAt?: string | undefined }, forUserId?: string) {
  requireActor(ctx.actor);
  const userId = forUserId ?? ctx.actor.userId;
  const user = await repo.findUserWithOrgById(ctx.db, userId);
  if (!user) throw notFound('user');
  const allowed = scopesForRole(user.role);
  const refused = input.scopes.filter((s) => !allowed.includes(s as TokenScope));
  if (refused.length) throw badRequest('scope_not_allowed', `The role ${user.role} cannot hold these scopes: ${refused.join(', ')}.`, { field: 'scopes' });
  let expiresAt: Date | null = null;
  if (input.expiresAt) {
    expiresAt = new Date(input.expiresAt);
    if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()) throw badRequest('expiry_in_past', 'The expiry date must lie in the future.', { field: 'expiresAt' });
    if (expiresAt.getTime() > Date.now() + MAX_TOKEN_DAYS * 86400_000) throw badRequest('expiry_too_far', `A token lives at most ${MAX_TOKEN_DAYS} days.`, { field: 'expiresAt' });
  }
  const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
  const token = `wp_${prefix}_${randomToken(32)}`;
  return inTransaction(ctx, async (tx) => {
    const row = await repo.insertToken(tx.db, { userId, name: input.name, prefix, tokenHash: sha256(token), scopes: [...new Set(input.scopes)], expiresAt });
    await record(tx, { action: 'token.create', targetType: 'api_token', targetId: row.id, details: { name: row.name, scopes: row.scopes, userId } });
    return { token, row };
  });
}

export async function listTokens(ctx: Ctx) {
  requireActor(ctx.actor);
  return repo.listTokens(ctx.db, ctx.actor.userId);
}

export async function revokeToken(ctx: Ctx, id: string): Promise<void> {
  requireActor(ctx.actor);
  await inTransaction(ctx, async (tx) => {
    if (!(await repo.revokeToken(tx.db, id, tx.actor!.userId))) throw notFound('api_token');
    await record(tx, { action: 'token.revoke', targetType: 'api_token', targetId: id });
  });
}
