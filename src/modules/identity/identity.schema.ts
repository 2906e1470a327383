import { z } from 'zod';
import { ROLES, TOKEN_SCOPE_NAMES } from '#modules/access/permissions.ts';

export const LoginInput = z.object({ email: z.string().trim().min(1, 'Enter your e-mail address.').max(320), password: z.string().min(1, 'Enter your password.').max(1000) }).strict();
export const CodeInput = z.object({ code: z.string().trim().min(1, 'Enter the code.').max(64) }).strict();
export const LoginResult = z.object({ status: z.enum(['ok', 'totp_required', 'totp_setup_required']), csrfToken: z.string() });
export const TotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string() });

export const Me = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    organisationId: z.uuid(),
    organisationName: z.string(),
    organisationKind: z.string(),
    locale: z.enum(['nl', 'en']),
    totpEnabled: z.boolean(),
  }),
  csrfToken: z.string(),
});

export const PasswordChange = z.object({ currentPassword: z.string().min(1).max(1000), newPassword: z.string().min(1).max(1000) }).strict();
export const PasswordResetRequest = z.object({ email: z.string().trim().min(3).max(320) }).strict();
export const PasswordLinkComplete = z.object({ token: z.string().min(10).max(200), newPassword: z.string().min(1).max(1000) }).strict();
export const ProfilePatch = z.object({ name: z.string().trim().min(1).max(200).optional(), locale: z.enum(['nl', 'en']).optional() }).strict();

export const User = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  organisationId: z.uuid(),
  organisationName: z.string(),
  status: z.enum(['invited', 'active', 'disabled']),
  totpEnabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});

export const UserInvite = z
  .object({
    email: z.email('Enter an e-mail address.').max(320),
    name: z.string().trim().min(1).max(200),
    role: z.enum(ROLES),
    organisationId: z.uuid(),
  })
  .strict();

export const UserListQuery = z
  .object({ organisationId: z.uuid().optional(), cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const TokenCreate = z
  .object({
    name: z.string().trim().min(1, 'Name the token after what uses it.').max(100),
    scopes: z.array(z.enum(TOKEN_SCOPE_NAMES as [string, ...string[]])).min(1, 'Choose at least one scope.'),
    expiresAt: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  })
  .strict();

export const IdParams = z.object({ id: z.uuid('This is not a valid id.') }).strict();
export const Ok = z.object({ ok: z.literal(true) });
