import { AppError } from '#server/errors.ts';
import { clearSessionCookie, setSessionCookie } from '#server/authenticate.ts';
import type { Services } from '#server/context.ts';
import type { App } from '#server/http-types.ts';
import { presentMe } from './identity.presenter.ts';
import { findUserWithOrgById } from './identity.repository.ts';
import { CodeInput, LoginInput, LoginResult, Me, Ok, PasswordLinkComplete, PasswordResetRequest, TotpSetup } from './identity.schema.ts';
import * as auth from './auth.service.ts';
import { completePasswordLink, requestPasswordReset } from './user.service.ts';
import { z } from 'zod';

const PUBLIC = { access: { auth: 'public', permission: 'none' } } as const;
const PENDING = { access: { auth: 'pending', permission: 'self', sessionOnly: true } } as const;

export function authRoutes(app: App, services: Services): void {

  app.post('/api/v1/auth/login', { config: PUBLIC, schema: { tags: ['auth'], summary: 'Log in with e-mail and password', body: LoginInput, response: { 200: LoginResult } } }, async (req, reply) => {
    const outcome = await auth.login(req.ctx, req.body);
    setSessionCookie(reply, services.config, outcome.sessionToken);
    return { status: outcome.status, csrfToken: outcome.csrfToken };
  });

  app.post('/api/v1/auth/totp', { config: PENDING, schema: { tags: ['auth'], summary: 'Second step: TOTP or recovery code', body: CodeInput, response: { 200: LoginResult } } }, async (req) => {
    const session = req.session!;
    await auth.completeTotp(req.ctx, session, req.body.code);
    return { status: 'ok' as const, csrfToken: session.csrf_token };
  });

  app.post('/api/v1/auth/totp/setup', { config: PENDING, schema: { tags: ['auth'], summary: 'Start TOTP enrolment', response: { 200: TotpSetup } } }, async (req) => {
    const user = await findUserWithOrgById(req.ctx.db, req.session!.user_id);
    return auth.beginTotpSetup(req.ctx, req.session!, user?.email ?? 'user');
  });

  app.post(
    '/api/v1/auth/totp/enable',
    { config: PENDING, schema: { tags: ['auth'], summary: 'Finish TOTP enrolment; returns recovery codes once', body: CodeInput, response: { 200: LoginResult.extend({ recoveryCodes: z.array(z.string()) }) } } },
    async (req) => {
      const codes = await auth.enableTotp(req.ctx, req.session!, req.body.code);
      return { status: 'ok' as const, csrfToken: req.session!.csrf_token, recoveryCodes: codes };
    },
  );

  app.post('/api/v1/auth/logout', { config: PENDING, schema: { tags: ['auth'], summary: 'End this session', response: { 200: Ok } } }, async (req, reply) => {
    await auth.logout(req.ctx, req.session!);
    clearSessionCookie(reply, services.config);
    return { ok: true as const };
  });

  app.get('/api/v1/auth/me', { config: { access: { auth: 'user', permission: 'self', sessionOnly: true } }, schema: { tags: ['auth'], summary: 'Who am I', response: { 200: Me } } }, async (req) => {
    const user = await findUserWithOrgById(req.ctx.db, req.ctx.actor!.userId);
    if (!user || !req.session) throw new AppError('unauthenticated', 'unauthenticated', 'Log in first.');
    return presentMe(user, req.session.csrf_token);
  });

  app.post(
    '/api/v1/auth/password-reset',
    { config: { ...PUBLIC, rateLimit: { max: 5, timeWindow: '15 minutes' } }, schema: { tags: ['auth'], summary: 'Mail a password-reset link (same answer whether or not the address exists)', body: PasswordResetRequest, response: { 202: Ok } } },
    async (req, reply) => {
      await requestPasswordReset(req.ctx, req.body.email);
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.post(
    '/api/v1/auth/password-link',
    { config: { ...PUBLIC, rateLimit: { max: 10, timeWindow: '15 minutes' } }, schema: { tags: ['auth'], summary: 'Set a password from an invitation or reset link', body: PasswordLinkComplete, response: { 200: Ok } } },
    async (req) => {
      await completePasswordLink(req.ctx, req.body.token, req.body.newPassword);
      return { ok: true as const };
    },
  );
}
