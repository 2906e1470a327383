import { Secret, TOTP } from 'otpauth';
import { randomBytes } from 'node:crypto';

const ISSUER = 'Wachtpost';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpFor(secret: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

export function otpauthUrl(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

/**
 * Checks a code, allowing one step of clock drift either way. Returns the time step it matched, so
 * the caller can refuse a second use of the same step (replay), or null.
 */
export function matchTotp(secret: string, code: string, lastStep: number | null, now = Date.now()): number | null {
  const clean = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const totp = totpFor(secret, 'check');
  const delta = totp.validate({ token: clean, window: 1, timestamp: now });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / 30) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** Current code for a secret (used by tests and the CLI's doctor, never sent anywhere). */
export function currentTotp(secret: string, now = Date.now()): string {
  return totpFor(secret, 'code').generate({ timestamp: now });
}

/** Ten single-use recovery codes like `k3f9-x2pq-7mzt`. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
}
