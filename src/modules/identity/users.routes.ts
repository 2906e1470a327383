import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { presentUser } from './identity.presenter.ts';
import { IdParams, Ok, User, UserInvite, UserListQuery } from './identity.schema.ts';
import * as users from './user.service.ts';
import * as usersRepo from './users.repository.ts';
import { notFound } from '#server/errors.ts';

export function userRoutes(app: App): void {
  app.get(
    '/api/v1/users',
    { config: { access: { auth: 'user', permission: 'users:read' } }, schema: { tags: ['users'], summary: 'Users I may see', querystring: UserListQuery, response: { 200: z.object({ items: z.array(User), nextCursor: z.string().nullable() }) } } },
    async (req) => {
      const page = await users.listUsers(req.ctx, req.query);
      return { items: page.rows.map(presentUser), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/users',
    { config: { access: { auth: 'user', permission: 'users:write' } }, schema: { tags: ['users'], summary: 'Invite a user (mails a link to set a password)', body: UserInvite, response: { 201: User } } },
    async (req, reply) => {
      const created = await users.inviteUser(req.ctx, req.body);
      // The invitation was authorised (users:write); reading it back must not need users:read as well.
      const row = (await usersRepo.listUsers(req.ctx.db, { scope: null, id: created.id, limit: 1 })).rows[0];
      if (!row) throw notFound('user');
      return reply.status(201).send(presentUser(row));
    },
  );

  for (const [verb, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `/api/v1/users/:id/${verb}`,
      { config: { access: { auth: 'user', permission: 'users:write' } }, schema: { tags: ['users'], summary: enabled ? 'Enable a user' : 'Disable a user: ends their sessions, tokens and streams', params: IdParams, response: { 200: Ok } } },
      async (req) => {
        await users.setUserEnabled(req.ctx, req.params.id, enabled);
        return { ok: true as const };
      },
    );
  }
}
