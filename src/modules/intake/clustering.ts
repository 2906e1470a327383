/**
 * Which story an item belongs to. Five sources reporting one CVE must be one line in the inbox, so
 * an item joins a story that shares a CVE or an advisory id with it, or whose title is nearly the
 * same (the same news copied between sites). Pure: the repository pre-selects candidates by CVE,
 * advisory id and time; this module decides.
 */

export interface StoryKeys {
  id: string;
  title: string;
  cves: readonly string[];
  advisoryIds: readonly string[];
  lastActivityAt: Date;
}

export interface ItemKeys {
  title: string;
  cves: readonly string[];
  advisoryIds: readonly string[];
}

/** Titles at least this similar (Jaccard over their words) are the same story. */
export const TITLE_SIMILARITY = 0.8;
/** How far back a title-only match looks; CVEs and advisory ids match at any age. */
export const TITLE_WINDOW_DAYS = 30;

// Words that say nothing about what a title is about, in both languages we read.
const STOP_WORDS = new Set(
  'a an and are as at be by for from in is it of on or the to with de het een en van voor in op met is bij door over naar te aan om'.split(' '),
);

/** The words of a title, lower-case, accents and punctuation removed, stop words dropped. */
export function titleWords(title: string): Set<string> {
  const plain = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const words = plain.split(/[^\p{L}\p{N}.-]+/u).map((w) => w.replace(/^[.-]+|[.-]+$/g, ''));
  return new Set(words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)));
}

export function titleSimilarity(a: string, b: string): number {
  const wa = titleWords(a);
  const wb = titleWords(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / (wa.size + wb.size - shared);
}

export type MatchReason = 'cve' | 'advisory_id' | 'title';

/**
 * The story an item joins, or null for a new one. An advisory id is the strongest key (the same
 * vendor advisory), then the most CVEs in common, then the most similar title; among equals the
 * story with the latest activity.
 */
export function chooseStory(item: ItemKeys, candidates: readonly StoryKeys[], now: Date): { story: StoryKeys; reason: MatchReason } | null {
  const ids = new Set(item.advisoryIds);
  const cves = new Set(item.cves);
  const windowStart = now.getTime() - TITLE_WINDOW_DAYS * 86_400_000;
  let best: { story: StoryKeys; reason: MatchReason; score: number } | null = null;
  for (const story of candidates) {
    let reason: MatchReason | null = null;
    let score = 0;
    const sharedIds = story.advisoryIds.filter((id) => ids.has(id)).length;
    const sharedCves = story.cves.filter((c) => cves.has(c)).length;
    if (sharedIds > 0) {
      reason = 'advisory_id';
      score = 3000 + sharedIds;
    } else if (sharedCves > 0) {
      reason = 'cve';
      score = 2000 + sharedCves;
    } else if (story.lastActivityAt.getTime() >= windowStart) {
      const similarity = titleSimilarity(item.title, story.title);
      if (similarity >= TITLE_SIMILARITY) {
        reason = 'title';
        score = 1000 + similarity * 100;
      }
    }
    if (reason === null) continue;
    if (!best || score > best.score || (score === best.score && story.lastActivityAt > best.story.lastActivityAt)) best = { story, reason, score };
  }
  return best ? { story: best.story, reason: best.reason } : null;
}
