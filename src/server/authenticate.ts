import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildActor } from '#modules/identity/actor-builder.ts';
import { resolveApiToken, resolveSession } from '#modules/identity/auth.service.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import { AppError } from './errors.ts';
import type { Ctx, Services } from './context.ts';
import type { RouteAccess } from './http-types.ts';
import type { Config } from './config.ts';

export const SESSION_COOKIE = 'wp_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionCookieName(secure: boolean): string {
  // The __Host- prefix pins the cookie to this exact origin, but browsers accept it only over HTTPS.
  return secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

/** Sets the session cookie; the one place its attributes are decided. */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  void reply.setCookie(sessionCookieName(config.secure), token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secure, maxAge: config.sessionAbsoluteHours * 3600 });
}

/** Clears it with the same attributes, which browsers require for a __Host- cookie. */
export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  void reply.clearCookie(sessionCookieName(config.secure), { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secure });
}

export function baseContext(request: FastifyRequest, services: Services): Ctx {
  return {
    actor: null,
    db: services.database.db,
    requestId: request.id,
    ip: request.ip ?? null,
    userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
    services,
  };
}

/**
 * The API token in an Authorization header. Bearer is ours; feed clients speak others: TAXII 2.1
 * requires HTTP Basic (the token is the password, the user name is ignored), and MISP tools send the
 * bare key (`Authorization: <key>`).
 */
export function tokenFromAuthorization(header: string): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer?.[1]) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    return password.startsWith('wp_') ? password : null;
  }
  return /^wp_\S+$/.test(header) ? header : null;
}

/**
 * Resolves who is calling (session cookie or bearer token) and enforces the route's declared auth
 * mode and CSRF. Permission checks themselves happen in the services, through the access policy.
 */
export async function authenticate(request: FastifyRequest, _reply: FastifyReply, services: Services, access: RouteAccess): Promise<void> {
  request.session = null;
  const ctx = baseContext(request, services);
  request.ctx = ctx;
  const header = request.headers.authorization;
  if (header !== undefined) {
    const presented = tokenFromAuthorization(header);
    if (!presented) throw new AppError('unauthenticated', 'invalid_authorization', 'Use “Authorization: Bearer <token>” (or HTTP Basic with the token as the password).');
    const token = await resolveApiToken(ctx, presented);
    const user = token ? await findUserWithOrgById(ctx.db, token.user_id) : undefined;
    if (!token || !user || user.status !== 'active') throw new AppError('unauthenticated', 'invalid_token', 'This API token is unknown, expired or revoked.');
    if (access.sessionOnly) throw new AppError('forbidden', 'session_required', 'This action needs a browser session, not an API token.');
    ctx.actor = await buildActor(ctx.db, user, { tokenId: token.id, scopes: token.scopes });
  } else {
    const cookie = request.cookies[sessionCookieName(services.config.secure)];
    const session = cookie ? await resolveSession(ctx, cookie) : undefined;
    const user = session ? await findUserWithOrgById(ctx.db, session.user_id) : undefined;
    if (session && user && user.status === 'active') {
      request.session = session;
      if (!SAFE_METHODS.has(request.method) && access.auth !== 'public' && request.headers[CSRF_HEADER] !== session.csrf_token) {
        throw new AppError('forbidden', 'csrf_token_invalid', 'The x-csrf-token header is missing or wrong; reload the page and try again.');
      }
      if (session.stage === 'full') ctx.actor = await buildActor(ctx.db, user, { sessionId: session.id });
    }
  }
  if (access.auth === 'public') return;
  if (access.auth === 'pending' && request.session) return;
  if (ctx.actor) return;
  if (request.session && request.session.stage !== 'full') {
    throw new AppError('unauthenticated', 'second_factor_required', 'Finish logging in with your authentication code first.');
  }
  throw new AppError('unauthenticated', 'unauthenticated', 'Log in first, or send an API token.');
}

/**
 * Whether the credentials a long-lived request (an event stream) came with still hold: the token not
 * revoked or expired, the session not ended, the user still active. Streams ask this periodically.
 */
export async function stillAuthenticated(request: FastifyRequest, services: Services): Promise<boolean> {
  const ctx = baseContext(request, services);
  const header = request.headers.authorization;
  if (header !== undefined) {
    const presented = tokenFromAuthorization(header);
    const token = presented ? await resolveApiToken(ctx, presented) : undefined;
    const user = token ? await findUserWithOrgById(ctx.db, token.user_id) : undefined;
    return Boolean(user && user.status === 'active');
  }
  const cookie = request.cookies[sessionCookieName(services.config.secure)];
  const session = cookie ? await resolveSession(ctx, cookie) : undefined;
  const user = session ? await findUserWithOrgById(ctx.db, session.user_id) : undefined;
  return Boolean(session && session.stage === 'full' && user && user.status === 'active');
}
