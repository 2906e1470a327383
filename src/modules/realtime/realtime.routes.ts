import type { App } from '#server/http-types.ts';
import type { RealtimeHub } from './realtime.hub.ts';

/** Server-sent events: one stream per browser tab, fed by the hub (and so by every process). */
export function realtimeRoutes(app: App, hub: RealtimeHub): void {
  app.get('/api/v1/events', { config: { access: { auth: 'user', permission: 'self', sessionOnly: true } }, schema: { tags: ['realtime'], summary: 'Server-sent event stream of changes I may see' } }, (req, reply) => {
    const actor = req.ctx.actor!;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
    const remove = hub.add({
      actor,
      send: (event) => res.write(`data: ${JSON.stringify({ type: event.type, ...event.data })}\n\n`),
      close: () => {
        clearInterval(heartbeat);
        res.end();
      },
    });
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      remove();
    });
  });
}
