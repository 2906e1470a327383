/**
 * One hit of the portal-wide search (/api/v1/search). Each module that holds searchable knowledge
 * (community posts, knowledge-base articles, publications, meetings) answers with these, already
 * filtered by what the reader may see.
 */
export interface SearchHit {
  kind: 'thread' | 'post' | 'article' | 'publication' | 'meeting';
  id: string;
  title: string;
  /** Plain text around the match (no HTML). */
  snippet: string;
  /** The web app's path of the hit, e.g. /community/threads/<id>. */
  url: string;
  updatedAt: string;
}
