import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Ctx } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import { installationKey } from './installation-key.ts';

/**
 * Links in mail that act without a login (answer an alert, change one's subscriptions): the claims
 * travel in the link, signed with HMAC-SHA256 under a key the installation makes at first use and
 * shares between its processes through the database. A link carries its own expiry.
 */

const SECRET_NAME = 'link-hmac-sha256';
const linkKey = (ctx: Ctx): Promise<Buffer> => installationKey(ctx, SECRET_NAME);

const Envelope = z.object({ p: z.string(), x: z.number().int(), c: z.record(z.string(), z.string()) });

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

/** A token for `purpose` with these claims, valid until `expiresAt`. Deterministic: the same input gives the same link. */
export async function signLink(ctx: Ctx, purpose: string, claims: Record<string, string>, expiresAt: Date): Promise<string> {
  const body = Buffer.from(JSON.stringify({ p: purpose, x: Math.floor(expiresAt.getTime() / 1000), c: claims })).toString('base64url');
  return `${body}.${mac(await linkKey(ctx), body).toString('base64url')}`;
}

export const linkInvalid = () => new AppError('bad_request', 'link_invalid', 'This link is not valid. Use the link from the latest mail, or log in to the portal.');

/** The claims of a valid, unexpired token for `purpose`; a clear error otherwise. */
export async function verifyLink(ctx: Ctx, purpose: string, token: string): Promise<Record<string, string>> {
  const [body, sig] = token.split('.');
  if (!body || !sig) throw linkInvalid();
  const expected = mac(await linkKey(ctx), body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw linkInvalid();
  let parsed: z.infer<typeof Envelope>;
  try {
    parsed = Envelope.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw linkInvalid();
  }
  if (parsed.p !== purpose) throw linkInvalid();
  if (parsed.x * 1000 < Date.now()) throw new AppError('gone', 'link_expired', 'This link has expired. Log in to the portal to answer instead.');
  return parsed.c;
}
