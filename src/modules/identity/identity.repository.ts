import { sql, type Kysely } from 'kysely';
import type { DB, UserUpdate } from '#db/schema.ts';

/** A user with what the access policy needs about their organisation. */
export async function findUserWithOrgByEmail(db: Kysely<DB>, email: string) {
  return userWithOrg(db).where(sql`lower(u.email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserWithOrgById(db: Kysely<DB>, id: string) {
  return userWithOrg(db).where('u.id', '=', id).executeTakeFirst();
}

function userWithOrg(db: Kysely<DB>) {
  return db
    .selectFrom('users as u')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.role',
      'u.status',
      'u.password_hash',
      'u.totp_secret',
      'u.totp_enabled_at',
      'u.totp_last_step',
      'u.locale',
      'u.organisation_id',
      'u.last_login_at',
      'u.created_at',
      'o.kind as organisation_kind',
      'o.name as organisation_name',
    ]);
}
export type UserWithOrg = NonNullable<Awaited<ReturnType<typeof findUserWithOrgById>>>;

/** Partner relations the policy needs: whom a partner acts for, and who acts for a participant. */
export async function partnerRelations(db: Kysely<DB>, organisationId: string) {
  const rows = await db
    .selectFrom('partner_clients')
    .select(['partner_id', 'client_id'])
    .where((eb) => eb.or([eb('partner_id', '=', organisationId), eb('client_id', '=', organisationId)]))
    .execute();
  return {
    clientIds: rows.filter((r) => r.partner_id === organisationId).map((r) => r.client_id),
    partnerIds: rows.filter((r) => r.client_id === organisationId).map((r) => r.partner_id),
  };
}

// ---- sessions

export async function insertSession(
  db: Kysely<DB>,
  s: { tokenHash: string; userId: string; stage: 'full' | 'totp' | 'totp_setup'; csrfToken: string; ip: string | null; userAgent: string | null; expiresAt: Date },
) {
  return db
    .insertInto('sessions')
    .values({ token_hash: s.tokenHash, user_id: s.userId, stage: s.stage, csrf_token: s.csrfToken, ip: s.ip, user_agent: s.userAgent, expires_at: s.expiresAt })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

export async function findLiveSession(db: Kysely<DB>, tokenHash: string, idleSince: Date) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .where('last_seen_at', '>', idleSince)
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
}

export async function updateSession(db: Kysely<DB>, id: string, patch: { stage?: 'full' | 'totp' | 'totp_setup'; pending_totp_secret?: string | null }) {
  await db.updateTable('sessions').set(patch).where('id', '=', id).execute();
}

export async function revokeSession(db: Kysely<DB>, id: string, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function revokeAllSessions(db: Kysely<DB>, userId: string, exceptId?: string): Promise<void> {
  let q = db.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}

export async function listSessions(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
}

// ---- API tokens

export async function insertToken(
  db: Kysely<DB>,
  t: { userId: string; name: string; prefix: string; tokenHash: string; scopes: string[]; expiresAt: Date | null },
) {
  return db
    .insertInto('api_tokens')
    .values({ user_id: t.userId, name: t.name, prefix: t.prefix, token_hash: t.tokenHash, scopes: t.scopes, expires_at: t.expiresAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findLiveToken(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .executeTakeFirst();
}

export async function markTokenUsed(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

export async function listTokens(db: Kysely<DB>, userId: string) {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

export async function revokeToken(db: Kysely<DB>, id: string, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function revokeAllTokens(db: Kysely<DB>, userId: string): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

// ---- recovery codes

export async function replaceRecoveryCodes(db: Kysely<DB>, userId: string, hashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (hashes.length) await db.insertInto('recovery_codes').values(hashes.map((h) => ({ user_id: userId, code_hash: h }))).execute();
}

export async function useRecoveryCode(db: Kysely<DB>, userId: string, hash: string): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

// ---- login throttling

export async function throttleState(db: Kysely<DB>, keys: string[]) {
  if (!keys.length) return [];
  return db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
}

/** Counts a failure in a fixed window; locks the key when the limit is reached. */
export async function recordFailure(db: Kysely<DB>, key: string, limit: number, windowSeconds: number, lockSeconds: number): Promise<void> {
  await sql`
    INSERT INTO login_throttle AS t (key, failures, window_started_at)
    VALUES (${key}, 1, now())
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_started_at < now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE t.window_started_at END,
      locked_until = CASE
        WHEN t.window_started_at >= now() - make_interval(secs => ${windowSeconds}) AND t.failures + 1 >= ${limit}
        THEN now() + make_interval(secs => ${lockSeconds}) ELSE t.locked_until END`.execute(db);
}

export async function clearFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

// ---- users

export async function updateUser(db: Kysely<DB>, id: string, patch: UserUpdate) {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** Records a TOTP step as used unless it (or a later one) already was; false means a replay. */
export async function advanceTotpStep(db: Kysely<DB>, userId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function insertPasswordToken(db: Kysely<DB>, t: { userId: string; purpose: 'invitation' | 'reset'; tokenHash: string; expiresAt: Date }) {
  await db.insertInto('password_tokens').values({ user_id: t.userId, purpose: t.purpose, token_hash: t.tokenHash, expires_at: t.expiresAt }).execute();
}

/** Marks a one-time link used and returns its user, or undefined when it is unknown, used or expired. */
export async function consumePasswordToken(db: Kysely<DB>, tokenHash: string) {
  return db
    .updateTable('password_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning(['user_id', 'purpose'])
    .executeTakeFirst();
}
