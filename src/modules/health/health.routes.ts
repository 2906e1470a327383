import { z } from 'zod';
import { databaseReady } from '#db/migrate.ts';
import type { Services } from '#server/context.ts';
import type { App } from '#server/http-types.ts';

export function healthRoutes(app: App, services: Services): void {
  const open = { access: { auth: 'public', permission: 'none' } } as const;
  app.get('/healthz', { config: open, schema: { tags: ['health'], summary: 'Liveness: the process answers' } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { config: open, schema: { tags: ['health'], summary: 'Readiness: database reachable and migrations current', response: { 200: z.object({ status: z.literal('ready') }), 503: z.object({ status: z.literal('not_ready'), reason: z.string() }) } } },
    async (_req, reply) => {
      try {
        const ready = await databaseReady(services.database);
        if (ready.ok) return reply.send({ status: 'ready' as const });
        return reply.status(503).send({ status: 'not_ready' as const, reason: `Migrations not applied: ${ready.pending.join(', ')}. Run “wachtpost migrate”.` });
      } catch (err) {
        // The cause goes to the log, not to an anonymous caller.
        app.log.error({ err }, 'readiness check: database not reachable');
        return reply.status(503).send({ status: 'not_ready' as const, reason: 'The database is not reachable.' });
      }
    },
  );
}
