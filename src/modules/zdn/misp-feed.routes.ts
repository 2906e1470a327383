import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { badRequest } from '#server/errors.ts';
import * as feed from './misp-feed.service.ts';

// MISP fetches feeds with optional custom headers (Authorization: Bearer or the bare key); without a
// token the feed holds TLP:CLEAR only. The service applies the TLP rule per reader.
const OPEN = { access: { auth: 'public', permission: 'none' } } as const;
const tags = ['misp'];
const StringOrList = z.union([z.string().max(500), z.array(z.string().max(500)).max(100)]);
const RestSearchBody = z
  .object({
    returnFormat: z.string().max(20).optional(),
    type: StringOrList.optional(),
    value: z.string().max(2000).optional(),
    eventid: StringOrList.optional(),
    tags: StringOrList.optional(),
    last: z.string().max(20).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    page: z.number().int().min(1).max(100_000).optional(),
  })
  .loose();

export function mispFeedRoutes(app: App): void {
  app.get('/feeds/misp/manifest.json', { config: OPEN, schema: { tags, summary: 'MISP feed manifest' } }, async (req) => feed.manifest(req.ctx));
  app.get('/feeds/misp/hashes.csv', { config: OPEN, schema: { tags, summary: 'MISP feed value hashes' } }, async (req, reply) => reply.type('text/csv; charset=utf-8').send(await feed.hashesCsv(req.ctx)));
  app.get('/feeds/misp/:file', { config: OPEN, schema: { tags, summary: 'One MISP event of the feed (<uuid>.json)', params: z.object({ file: z.string().max(100) }).strict() } }, async (req) => {
    const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/i.exec(req.params.file);
    if (!m?.[1]) throw badRequest('invalid_feed_file', 'Feed files are manifest.json, hashes.csv and <event uuid>.json.');
    return feed.eventFile(req.ctx, m[1].toLowerCase());
  });
  app.post('/feeds/misp/events/restSearch', { config: OPEN, schema: { tags, summary: 'MISP restSearch (subset) over the feed', body: RestSearchBody } }, async (req) => feed.restSearch(req.ctx, req.body));
}
