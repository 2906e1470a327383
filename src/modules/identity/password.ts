import { readFileSync } from 'node:fs';
import argon2 from 'argon2';
import { badRequest } from '#server/errors.ts';

// NIST SP 800-63B: a minimum length, no composition rules, and a check against known passwords.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

const common = new Set(
  readFileSync(new URL('./data/common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.toLowerCase()),
);

/** Throws a field error a person can act on when the password may not be used. */
export function checkPasswordPolicy(password: string, context: { email?: string; name?: string } = {}): void {
  const field = { field: 'password' };
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw badRequest('password_too_short', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters; a short sentence works well.`, field);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw badRequest('password_too_long', `A password may be at most ${MAX_PASSWORD_LENGTH} characters.`, field);
  }
  const lower = password.toLowerCase();
  if (common.has(lower) || /^(.)\1+$/.test(password)) {
    throw badRequest('password_common', 'This password is on the list of common or breached passwords; choose another.', field);
  }
  const local = context.email?.split('@')[0]?.toLowerCase();
  if ((local && local.length >= 4 && lower.includes(local)) || lower.includes('wachtpost')) {
    throw badRequest('password_guessable', 'The password contains your e-mail name or the name of this service; choose another.', field);
  }
}

export function hashPassword(password: string): Promise<string> {
  // argon2id with the library defaults (m=64 MiB, t=3, p=4), above the OWASP minimum.
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    // Spend the same time as a real check, so response time does not reveal unknown accounts.
    await argon2.hash(password, { type: argon2.argon2id });
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
