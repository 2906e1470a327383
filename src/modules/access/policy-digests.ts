import type { Actor } from './actor.ts';
import { canSeeMarked, reachOf, type MarkedObject } from './policy.ts';

/**
 * Who sees what of a digest (decision 017). The digest itself is the CERT's: its editors
 * (digests:write) see every digest, drafts too, with every entry. Readers (digests:read) see sent
 * digests only, and inside one only the entries whose markings all admit them (canSeeMarked): the
 * marking an entry was sent under and, for a product, the product's current one. So a digest never
 * shows a reader a title their organisation could not read on its own page. Mail and previews
 * resolve the same rule for contacts with `audienceSql` (digests/digest-audience.ts).
 */

/** Whether the actor edits digests (and so sees drafts, recipients and previews). */
export function isDigestEditor(actor: Actor | null): boolean {
  return actor !== null && reachOf(actor, 'digests:write') === 'any';
}

/** Whether a digest in this status exists for the actor at all. */
export function canSeeDigest(actor: Actor | null, status: string): boolean {
  if (!actor || reachOf(actor, 'digests:read') === null) return false;
  return isDigestEditor(actor) || status === 'sent';
}

/** Whether the reader may see one entry: every one of its markings must admit them. */
export function canSeeDigestEntry(actor: Actor | null, markings: readonly MarkedObject[]): boolean {
  if (isDigestEditor(actor)) return true;
  return markings.length > 0 && markings.every((m) => canSeeMarked(actor, m));
}
