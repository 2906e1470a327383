import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { searchEverything } from './search.service.ts';

const SearchHitOut = z.object({
  kind: z.enum(['thread', 'post', 'article', 'publication', 'meeting']),
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  url: z.string(),
  updatedAt: z.string(),
});

export function searchRoutes(app: App): void {
  app.get(
    '/api/v1/search',
    {
      // Every role reads publications; each source checks its own permission and filter as well.
      config: { access: { auth: 'user', permission: 'publications:read' } },
      schema: {
        tags: ['search'],
        summary: 'Search the community, meetings, knowledge base and publications (what the reader may see)',
        querystring: z
          .object({
            q: z.string().max(200, 'Search with at most 200 characters.'),
            limit: z.coerce.number().int().min(1).max(50).default(20),
          })
          .strict(),
        response: { 200: z.object({ query: z.string(), hits: z.array(SearchHitOut) }) },
      },
    },
    async (req) => searchEverything(req.ctx, req.query.q, req.query.limit),
  );
}
