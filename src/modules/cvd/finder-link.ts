import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB } from '#db/schema.ts';
import { notFound } from '#server/errors.ts';
import * as repo from './cvd.repository.ts';

/**
 * Private links: how a finder (and a manufacturer or CERT without an account) follows a case. The
 * token is 32 random bytes (256 bits, base64url): it cannot be guessed, and nothing in it counts up,
 * so links cannot be enumerated. Only its SHA-256 is stored, so a database leak yields no links.
 * A wrong token is answered exactly like a missing one, after a pause that makes trying pointless
 * on top of the per-address rate limit of the routes.
 */

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** The pause before "no such case" (and a jitter, so the answer time tells nothing either). */
export const FAILED_LOOKUP_DELAY_MS = 800;

export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function linkFor(publicUrl: string, token: string): string {
  return `${publicUrl}/cvd/case/${token}`;
}

/** The party (finder or outside party) a token belongs to, or a slow 404. */
export async function partyForToken(db: Kysely<DB>, token: string): Promise<repo.CvdPartyRow> {
  const party = TOKEN_PATTERN.test(token) ? await repo.partyByTokenHash(db, hashToken(token)) : undefined;
  if (!party) {
    await sleep(FAILED_LOOKUP_DELAY_MS + Math.floor(Math.random() * 200));
    throw notFound('case');
  }
  return party;
}
