import type { Ctx } from '#server/context.ts';
import { authorize, can } from '#modules/access/policy.ts';
import type { Permission } from '#modules/access/permissions.ts';
import { searchCommunity } from '#modules/community/community.service.ts';
import { searchMeetings } from '#modules/meetings/meeting.service.ts';
import { searchKnowledge } from '#modules/requests/knowledge.service.ts';
import { searchPublications } from '#modules/publications/publication.service.ts';
import type { SearchHit } from './search.types.ts';

/**
 * The portal-wide search over what the participants share: community threads and replies, network
 * meetings, knowledge-base articles and publications. Each module answers with its own list's
 * filter (space membership, TLP, audience), so the search shows exactly what the reader could open;
 * a module whose permission the reader lacks is not asked.
 */
const SOURCES: readonly { permission: Permission; search: (ctx: Ctx, q: string, limit: number) => Promise<SearchHit[]> }[] = [
  { permission: 'community:read', search: searchCommunity },
  { permission: 'meetings:read', search: searchMeetings },
  { permission: 'publications:read', search: searchKnowledge },
  { permission: 'publications:read', search: searchPublications },
];

export async function searchEverything(ctx: Ctx, query: string, limit: number): Promise<{ query: string; hits: SearchHit[] }> {
  authorize(ctx.actor, 'publications:read');
  const q = query.trim();
  if (q.length < 2) return { query: q, hits: [] };
  const per = await Promise.all(SOURCES.filter((s) => can(ctx.actor, s.permission)).map((s) => s.search(ctx, q, limit)));
  // Interleave the sources (each already ranks its own hits), so one busy module does not crowd out the rest.
  const hits: SearchHit[] = [];
  for (let i = 0; hits.length < limit && per.some((list) => i < list.length); i++) {
    for (const list of per) if (i < list.length && hits.length < limit) hits.push(list[i]!);
  }
  return { query: q, hits };
}
