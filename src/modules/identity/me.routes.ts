import { z } from 'zod';
import { inTransaction } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import type { App } from '#server/http-types.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as auth from './auth.service.ts';
import * as repo from './identity.repository.ts';
import { CodeInput, IdParams, Ok, PasswordChange, ProfilePatch, TotpSetup } from './identity.schema.ts';
import { changePassword } from './user.service.ts';

// One's own profile: any logged-in user, in a browser session (API tokens cannot change credentials).
const SELF = { access: { auth: 'user', permission: 'self', sessionOnly: true } } as const;

export function meRoutes(app: App): void {
  app.patch('/api/v1/me', { config: SELF, schema: { tags: ['profile'], summary: 'Change name or language', body: ProfilePatch, response: { 200: Ok } } }, async (req) => {
    await inTransaction(req.ctx, async (tx) => {
      await repo.updateUser(tx.db, tx.actor!.userId, { ...req.body, updated_at: new Date() });
      await record(tx, { action: 'user.profile_update', targetType: 'user', targetId: tx.actor!.userId, details: { fields: Object.keys(req.body) } });
    });
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
      const rows = await repo.listSessions(req.ctx.db, req.ctx.actor!.userId);
      return {
        items: rows.map((s) => ({ id: s.id, createdAt: s.created_at.toISOString(), lastSeenAt: s.last_seen_at.toISOString(), ip: s.ip, userAgent: s.user_agent, current: s.id === req.session?.id })),
      };
    },
  );

  app.delete('/api/v1/me/sessions/:id', { config: SELF, schema: { tags: ['profile'], summary: 'End one of my sessions', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await inTransaction(req.ctx, async (tx) => {
      if (!(await repo.revokeSession(tx.db, req.params.id, tx.actor!.userId))) throw notFound('session');
      await publish(tx, { type: 'session.ended', organisationId: null, data: {}, internal: true, revoke: { userId: tx.actor!.userId, sessionId: req.params.id } });
      await record(tx, { action: 'session.revoke', targetType: 'session', targetId: req.params.id });
    });
    return { ok: true as const };
  });
}
