import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import * as auth from './auth.service.ts';
import * as profile from './profile.service.ts';
import { CodeInput, IdParams, Ok, PasswordChange, ProfilePatch, TotpSetup } from './identity.schema.ts';
import { changePassword } from './user.service.ts';

// One's own profile: any logged-in user, in a browser session (API tokens cannot change credentials).
const SELF = { access: { auth: 'user', permission: 'self', sessionOnly: true } } as const;

export function meRoutes(app: App): void {
  app.patch('/api/v1/me', { config: SELF, schema: { tags: ['profile'], summary: 'Change name or language', body: ProfilePatch, response: { 200: Ok } } }, async (req) => {
    await profile.updateProfile(req.ctx, req.body);
    return { ok: true as const };
  });

  app.post('/api/v1/me/password', { config: SELF, schema: { tags: ['profile'], summary: 'Change password (ends other sessions)', body: PasswordChange, response: { 200: Ok } } }, async (req) => {
    await changePassword(req.ctx, req.body);
    return { ok: true as const };
  });

  app.post('/api/v1/me/totp/setup', { config: SELF, schema: { tags: ['profile'], summary: 'Start (re-)enrolling an authenticator app', response: { 200: TotpSetup } } }, async (req) =>
    auth.beginTotpSetup(req.ctx, req.session!, req.ctx.actor!.email),
  );

  app.post(
    '/api/v1/me/totp/enable',
    { config: SELF, schema: { tags: ['profile'], summary: 'Confirm the authenticator app; returns recovery codes once', body: CodeInput, response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } } },
    async (req) => ({ recoveryCodes: await auth.enableTotp(req.ctx, req.session!, req.body.code) }),
  );

  app.post('/api/v1/me/recovery-codes', { config: SELF, schema: { tags: ['profile'], summary: 'Replace the recovery codes', response: { 200: z.object({ recoveryCodes: z.array(z.string()) }) } } }, async (req) => ({
    recoveryCodes: await auth.regenerateRecoveryCodes(req.ctx, req.ctx.actor!.userId),
  }));

  app.get(
    '/api/v1/me/sessions',
    {
      config: SELF,
      schema: {
        tags: ['profile'],
        summary: 'My open sessions',
        response: { 200: z.object({ items: z.array(z.object({ id: z.string(), createdAt: z.string(), lastSeenAt: z.string(), ip: z.string().nullable(), userAgent: z.string().nullable(), current: z.boolean() })) }) },
      },
    },
    async (req) => {
      const rows = await profile.listOwnSessions(req.ctx);
      return {
        items: rows.map((s) => ({ id: s.id, createdAt: s.created_at.toISOString(), lastSeenAt: s.last_seen_at.toISOString(), ip: s.ip, userAgent: s.user_agent, current: s.id === req.session?.id })),
      };
    },
  );

  app.delete('/api/v1/me/sessions/:id', { config: SELF, schema: { tags: ['profile'], summary: 'End one of my sessions', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await profile.revokeOwnSession(req.ctx, req.params.id);
    return { ok: true as const };
  });
}
