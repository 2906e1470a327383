import { createHash, randomBytes } from 'node:crypto';

/** A random token for cookies, links and API tokens: 256 bits, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are stored as their SHA-256 only; they have enough entropy that no slow hash is needed. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
