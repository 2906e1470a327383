import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import * as notifications from './notification.service.ts';

const SELF = { access: { auth: 'user', permission: 'self', sessionOnly: true } } as const;

const NotificationOut = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

const ListQuery = z
  .object({
    unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

const ReadBody = z.union([z.object({ ids: z.array(z.uuid('Each id is a notification id.')).min(1).max(500) }).strict(), z.object({ all: z.literal(true) }).strict()]);

export function notificationRoutes(app: App): void {
  app.get(
    '/api/v1/notifications',
    { config: SELF, schema: { tags: ['notifications'], summary: 'My portal inbox, newest first', querystring: ListQuery, response: { 200: z.object({ items: z.array(NotificationOut), nextCursor: z.string().nullable(), unread: z.number().int() }) } } },
    async (req) => {
      const page = await notifications.listMine(req.ctx, req.query);
      return {
        items: page.rows.map((n) => ({
          id: n.id,
          kind: n.kind,
          title: n.title,
          body: n.body,
          link: n.link,
          subjectType: n.subject_type,
          subjectId: n.subject_id,
          createdAt: n.created_at.toISOString(),
          readAt: n.read_at ? n.read_at.toISOString() : null,
        })),
        nextCursor: page.nextCursor,
        unread: page.unread,
      };
    },
  );

  app.get('/api/v1/notifications/unread-count', { config: SELF, schema: { tags: ['notifications'], summary: 'How many unread notifications I have', response: { 200: z.object({ unread: z.number().int() }) } } }, async (req) => ({
    unread: await notifications.unreadCount(req.ctx),
  }));

  app.post('/api/v1/notifications/read', { config: SELF, schema: { tags: ['notifications'], summary: 'Mark notifications (or all) as read', body: ReadBody, response: { 200: z.object({ changed: z.number().int() }) } } }, async (req) => ({
    changed: await notifications.markRead(req.ctx, 'all' in req.body ? 'all' : req.body.ids),
  }));

  app.post('/api/v1/notifications/:id/read', { config: SELF, schema: { tags: ['notifications'], summary: 'Mark one notification as read', params: IdParams, response: { 200: z.object({ changed: z.number().int() }) } } }, async (req) => ({
    changed: await notifications.markRead(req.ctx, [req.params.id]),
  }));
}
