import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { presentToken } from './identity.presenter.ts';
import { ApiToken, IdParams, Ok, TokenCreate } from './identity.schema.ts';
import * as tokens from './token.service.ts';

// Tokens are one's own; creating one needs a browser session, so a leaked token cannot mint more.
const SELF = { access: { auth: 'user', permission: 'self', sessionOnly: true } } as const;

export function tokenRoutes(app: App): void {
  app.get('/api/v1/tokens', { config: SELF, schema: { tags: ['tokens'], summary: 'My API tokens', response: { 200: z.object({ items: z.array(ApiToken) }) } } }, async (req) => ({
    items: (await tokens.listTokens(req.ctx)).map(presentToken),
  }));

  app.post(
    '/api/v1/tokens',
    { config: SELF, schema: { tags: ['tokens'], summary: 'Create an API token; the secret is in this response only', body: TokenCreate, response: { 201: z.object({ token: z.string(), item: ApiToken }) } } },
    async (req, reply) => {
      const { token, row } = await tokens.createToken(req.ctx, req.body);
      return reply.status(201).send({ token, item: presentToken(row) });
    },
  );

  app.delete('/api/v1/tokens/:id', { config: SELF, schema: { tags: ['tokens'], summary: 'Revoke an API token', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await tokens.revokeToken(req.ctx, req.params.id);
    return { ok: true as const };
  });
}
