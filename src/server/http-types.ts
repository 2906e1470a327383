import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Permission } from '#modules/access/permissions.ts';
import type { SessionRow } from '#modules/identity/auth.service.ts';
import type { Ctx } from './context.ts';

/** The Fastify instance every routes file registers on (zod schemas typed end to end). */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/**
 * Every route declares who may call it. 'public': anyone. 'pending': a session that has passed the
 * password but maybe not the second factor. 'user': a full session or an API token.
 * `permission` names the catalogue entry the service enforces, or 'self' for one's own profile.
 */
export interface RouteAccess {
  auth: 'public' | 'pending' | 'user';
  permission: Permission | 'self' | 'none';
  /** Self-service routes that an API token may not use (tokens cannot mint tokens or change passwords). */
  sessionOnly?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    ctx: Ctx;
    session: SessionRow | null;
  }
}
