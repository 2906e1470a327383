import { z } from 'zod';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Services } from '#server/context.ts';
import { setSessionCookie } from '#server/authenticate.ts';
import type { App } from '#server/http-types.ts';
import { Ok } from './identity.schema.ts';
import * as passkeys from './passkey.service.ts';

// The browser's WebAuthn answer, checked for shape here and cryptographically by @simplewebauthn/server.
const b64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'Expected base64url.').max(20_000);
const CredentialJson = z.looseObject({
  id: b64url,
  rawId: b64url,
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: b64url }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
const RegisterInput = z.object({ challengeId: z.uuid(), name: z.string().trim().min(1).max(100), credential: CredentialJson }).strict();
const AuthenticateInput = z.object({ challengeId: z.uuid(), credential: CredentialJson }).strict();
const OptionsRequest = z.object({ mode: z.enum(['passwordless', 'second_factor']).default('passwordless') }).strict();
const Options = z.object({ challengeId: z.uuid(), options: z.looseObject({ challenge: z.string() }) });
const Passkey = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), backedUp: z.boolean() });

const SELF = { access: { auth: 'user', permission: 'self', sessionOnly: true } } as const;
const PUBLIC = { access: { auth: 'public', permission: 'none' } } as const;

export function passkeyRoutes(app: App, services: Services): void {
  app.post('/api/v1/me/passkeys/options', { config: SELF, schema: { tags: ['profile'], summary: 'Start adding a passkey', response: { 200: Options } } }, async (req) =>
    passkeys.registrationOptions(req.ctx, req.session!),
  );

  app.post('/api/v1/me/passkeys', { config: SELF, schema: { tags: ['profile'], summary: 'Add a passkey (the authenticator’s answer to the options)', body: RegisterInput, response: { 201: Passkey } } }, async (req, reply) => {
    const c = await passkeys.registerPasskey(req.ctx, { challengeId: req.body.challengeId, name: req.body.name, response: req.body.credential as unknown as RegistrationResponseJSON });
    // The shape was checked above; the library verifies the content.
    return reply.status(201).send({ id: c!.id, name: c!.name, createdAt: c!.created_at.toISOString(), lastUsedAt: null, backedUp: c!.backed_up });
  });

  app.get('/api/v1/me/passkeys', { config: SELF, schema: { tags: ['profile'], summary: 'My passkeys', response: { 200: z.object({ items: z.array(Passkey) }) } } }, async (req) => ({
    items: (await passkeys.listPasskeys(req.ctx)).map((c) => ({ id: c.id, name: c.name, createdAt: c.created_at.toISOString(), lastUsedAt: c.last_used_at?.toISOString() ?? null, backedUp: c.backed_up })),
  }));

  app.delete('/api/v1/me/passkeys/:id', { config: SELF, schema: { tags: ['profile'], summary: 'Remove a passkey', params: z.object({ id: b64url }).strict(), response: { 200: Ok } } }, async (req) => {
    await passkeys.removePasskey(req.ctx, req.params.id);
    return { ok: true as const };
  });

  app.post(
    '/api/v1/auth/passkey/options',
    { config: { ...PUBLIC, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags: ['auth'], summary: 'Options to log in with a passkey: passwordless, or the second factor of a pending login', body: OptionsRequest.nullish(), response: { 200: Options } } },
    async (req) => passkeys.authenticationOptions(req.ctx, req.session, req.body?.mode ?? 'passwordless'),
  );

  app.post(
    '/api/v1/auth/passkey',
    { config: { ...PUBLIC, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags: ['auth'], summary: 'Log in with a passkey', body: AuthenticateInput, response: { 200: z.object({ status: z.literal('ok'), csrfToken: z.string() }) } } },
    async (req, reply) => {
      const result = await passkeys.authenticateWithPasskey(req.ctx, { challengeId: req.body.challengeId, response: req.body.credential as unknown as AuthenticationResponseJSON }, req.session);
      if (result.sessionToken) setSessionCookie(reply, services.config, result.sessionToken);
      return { status: 'ok' as const, csrfToken: result.csrfToken };
    },
  );
}
