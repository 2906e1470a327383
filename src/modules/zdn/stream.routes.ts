import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import type { Services } from '#server/context.ts';
import { badRequest } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { stillAuthenticated } from '#server/authenticate.ts';
import { INDICATOR_TYPES } from './indicator-types.ts';
import { ZdnStreamHub } from './stream.hub.ts';

/** How often the hub rechecks that the open streams' credentials still hold (ZDN_STREAM_RECHECK_MS for tests). */
const recheckMs = () => Number(process.env.ZDN_STREAM_RECHECK_MS ?? 60_000);

const StreamQuery = z
  .object({
    types: z
      .string()
      .max(500)
      .optional()
      .transform((s) => (s ? s.split(',').map((t) => t.trim()) : undefined))
      .pipe(z.array(z.enum(INDICATOR_TYPES, { error: `types is a comma-separated list of ${INDICATOR_TYPES.join(', ')}.` })).optional()),
    minConfidence: z.coerce.number().int().min(0).max(100).default(0),
    lastEventId: z.string().regex(/^\d{1,18}$/).optional(),
  })
  .strict();

/**
 * Server-sent events of new, changed and expired indicators, per subscriber's filters and TLP
 * clearance. A reconnecting client sends Last-Event-ID (browsers do so themselves) and first gets
 * every change it missed.
 */
export function streamRoute(app: App, services: Services): void {
  const hub = new ZdnStreamHub(recheckMs);
  app.addHook('onReady', async () => hub.start(services.database));
  // Before the server closes: it waits for open connections, and only the hub ends the streams.
  app.addHook('preClose', async () => hub.stop());
  hubs.set(services, hub);

  app.get('/api/v1/zdn/stream', { config: { access: { auth: 'user', permission: 'zdn:read' } }, schema: { tags: ['zdn'], summary: 'Live stream of indicators (server-sent events, resumable)', querystring: StreamQuery } }, async (req, reply) => {
    authorize(req.ctx.actor, 'zdn:read');
    const actor = req.ctx.actor;
    const header = req.headers['last-event-id'];
    const resumeText = typeof header === 'string' && header !== '' ? header : req.query.lastEventId;
    if (resumeText !== undefined && !/^\d{1,18}$/.test(resumeText)) throw badRequest('invalid_last_event_id', 'Last-Event-ID is the number of the last event received.');
    const afterSeq = resumeText === undefined ? null : Number(resumeText);
    let remove: (() => void) | null = null;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`: connected\nretry: 3000\n\n`);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      remove?.();
      res.end();
    };
    // Listen for the hang-up first: a client may leave while its missed changes are still being read.
    let gone = false;
    req.raw.on('close', () => {
      gone = true;
      remove?.();
      close();
    });
    try {
      remove = await hub.add(
        {
          actor,
          filter: { types: req.query.types ? new Set(req.query.types) : null, minConfidence: req.query.minConfidence },
          send: (events) => {
            if (!closed) res.write(events);
          },
          close,
          // The hub's sweep asks this: a revoked token, an ended session or a disabled user ends the stream within a minute.
          stillAllowed: () => stillAuthenticated(req, services),
        },
        afterSeq,
      );
      if (gone || closed) remove();
    } catch (err) {
      req.log.error({ err }, 'zdn stream: reading the missed changes failed');
      close();
    }
  });
}

const hubs = new WeakMap<Services, ZdnStreamHub>();

/** The stream hub serving an application (for operations and tests: how many streams are open). */
export function zdnStreamHub(services: Services): ZdnStreamHub | undefined {
  return hubs.get(services);
}
