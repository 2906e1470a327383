import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { RateLimitOptions } from '@fastify/rate-limit';
import { z } from 'zod';
import type { Ctx } from '#server/context.ts';
import { AppError, badRequest } from '#server/errors.ts';
import { installationKey } from '#modules/keys/installation-key.ts';
import * as repo from './cvd.repository.ts';

/*
 * Keeping robots off the public report form without a third-party CAPTCHA:
 *
 * 1. A form ticket in a hidden field: when the form was served, a random nonce and the page's
 *    language, signed with HMAC-SHA256 under an installation secret (shared by all processes through
 *    the database). A ticket from a form older than two hours is refused (the form is shown again
 *    with what was typed), one sent back sooner than CVD_FORM_MIN_SECONDS after it was served is taken
 *    for a robot, and each nonce is spent once (cvd_form_tickets), so a captured ticket cannot be
 *    replayed.
 * 2. A honeypot field people never see (hidden, aria-hidden, out of the tab order); a filled one is
 *    refused without saying why.
 * 3. Per-address rate limits through @fastify/rate-limit's per-route configuration.
 */

export const TICKET_MAX_AGE_MS = 2 * 60 * 60 * 1000;
/** Processes' clocks may differ a little; a ticket "from the future" beyond this is not ours. */
const CLOCK_SKEW_MS = 60 * 1000;
export const HONEYPOT_FIELD = 'homepage';
/** The private-link pages and their forms: generous for people, useless for guessing tokens. */
export const LINK_REQUESTS_PER_MINUTE = 60;

const SECRET_NAME = 'cvd-form-ticket-hmac-sha256';
const ticketKey = (ctx: Ctx): Promise<Buffer> => installationKey(ctx, SECRET_NAME);

const Claims = z.object({ t: z.number().int().positive(), n: z.string().regex(/^[A-Za-z0-9_-]{22}$/), l: z.enum(['nl', 'en']) }).strict();
export type FormTicket = { issuedAt: number; nonce: string; lang: 'nl' | 'en' };

function mac(key: Buffer, body: string): Buffer {
  // The purpose is part of what is signed, so no other HMAC of this installation can pass for a ticket.
  return createHmac('sha256', key).update(`cvd-form-ticket.${body}`).digest();
}

/** A fresh ticket for a form served now. */
export async function issueTicket(ctx: Ctx, lang: 'nl' | 'en', now: number = Date.now()): Promise<string> {
  const body = Buffer.from(JSON.stringify({ t: now, n: randomBytes(16).toString('base64url'), l: lang })).toString('base64url');
  return `${body}.${mac(await ticketKey(ctx), body).toString('base64url')}`;
}

const ticketInvalid = () =>
  badRequest(
    'cvd_form_invalid',
    'The form could not be checked (it was changed, or comes from elsewhere). It is shown again: check it and send it once more.',
    { field: 'ticket' },
  );

/**
 * The ticket's claims when it is ours, not too old and not too young; a 400 with a code saying which
 * otherwise. It is not spent here: that happens right before the case is made ({@link spendTicket}),
 * so a form that comes back with a typing error can be corrected and sent with its new ticket.
 */
export async function checkTicket(ctx: Ctx, ticket: string | undefined, now: number = Date.now()): Promise<FormTicket> {
  const [body, sig, extra] = (ticket ?? '').split('.');
  if (!body || !sig || extra !== undefined) throw ticketInvalid();
  const expected = mac(await ticketKey(ctx), body);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw ticketInvalid();
  let claims: z.infer<typeof Claims>;
  try {
    claims = Claims.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw ticketInvalid();
  }
  if (claims.t > now + CLOCK_SKEW_MS) throw ticketInvalid();
  if (now - claims.t > TICKET_MAX_AGE_MS)
    throw badRequest(
      'cvd_form_expired',
      'The form was open for more than two hours and has expired. It is shown again with what you typed: check it and send it once more.',
      { field: 'ticket' },
    );
  const minMs = ctx.services.config.cvd.formMinSeconds * 1000;
  if (now - claims.t < minMs)
    throw badRequest(
      'cvd_form_too_fast',
      `The form was sent back faster than a person can fill it in. Wait ${ctx.services.config.cvd.formMinSeconds} seconds and send it again.`,
      { field: 'ticket' },
    );
  return { issuedAt: claims.t, nonce: claims.n, lang: claims.l };
}

/** Spends the ticket's nonce: a second submission of the same served form is refused. */
export async function spendTicket(ctx: Ctx, ticket: FormTicket): Promise<void> {
  if (!(await repo.useFormTicket(ctx.db, ticket.nonce)))
    throw badRequest('cvd_form_replayed', 'This form was already sent once. If you got no case number, check the form below and send it again.', {
      field: 'ticket',
    });
}

/** True when the field people cannot see was filled in: a robot. */
export function honeypotFilled(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

export const formRejected = () => badRequest('cvd_form_rejected', 'The report could not be accepted.');

/**
 * Forgets spent nonces that can no longer matter: a ticket older than two hours is refused as
 * expired before its nonce is looked at, and a nonce is spent no earlier than its ticket was issued.
 * Meant for a periodic job.
 */
export async function sweepFormTickets(ctx: Ctx, now: Date = new Date()): Promise<number> {
  return repo.sweepFormTickets(ctx.db, new Date(now.getTime() - TICKET_MAX_AGE_MS - CLOCK_SKEW_MS));
}

// ---------------------------------------------------------------------------------------------
// Rate limits (per route, per client address; app.ts registers @fastify/rate-limit globally)

function rateLimited(seconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new AppError(
    'too_many_requests',
    'cvd_rate_limited',
    `Too many requests from your address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    { retryAfterSeconds: seconds },
    seconds,
  );
}

/** Report submissions: CVD_FORM_PER_HOUR per address per hour (every POST counts, accepted or not). */
export function formRateLimit(): RateLimitOptions {
  return {
    // Read per request: the limit is the running configuration's, and the hook runs after authenticate set req.ctx.
    max: (req) => req.ctx.services.config.cvd.formPerHour,
    timeWindow: '1 hour',
    errorResponseBuilder: (_req, c) => rateLimited(Math.ceil(c.ttl / 1000)),
  };
}

/** The private-link pages and their forms. */
export function linkRateLimit(): RateLimitOptions {
  return { max: LINK_REQUESTS_PER_MINUTE, timeWindow: '1 minute', errorResponseBuilder: (_req, c) => rateLimited(Math.ceil(c.ttl / 1000)) };
}

// ---------------------------------------------------------------------------------------------
// Cross-site requests

/**
 * CSRF without sessions. What grants access on the private-link pages is the token in the URL, which
 * another site cannot know, so it cannot build a request that does anything. As a second line (a
 * link that leaked into a page the finder visits, say), a POST must come from our own pages when
 * the browser says where it comes from: Sec-Fetch-Site (all current browsers) must be same-origin;
 * without it, an Origin header must be ours. "Origin: null" is allowed there because our pages send
 * Referrer-Policy: no-referrer, and with that policy browsers send "null" for their own form posts.
 * Requests without either header (older browsers, scripts) rely on the secret alone.
 */
export function assertSameOrigin(req: FastifyRequest, publicUrl: string): void {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site === 'same-origin') return;
    throw crossSite();
  }
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return;
  if (origin === new URL(publicUrl).origin || origin === `${req.protocol}://${req.host}`) return;
  throw crossSite();
}

const crossSite = () =>
  new AppError('forbidden', 'cvd_cross_site', 'This form can only be sent from its own page on this site. Open the page again and send it from there.');
