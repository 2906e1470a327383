import { scrub } from '#modules/incidents/info-message.service.ts';
import type { CvdPartyRow } from './cvd.repository.ts';

/**
 * What would name the finder in text they wrote themselves: a report by mail ends in a signature,
 * and a form's free text may say "found by …". Their full name, each part of it long enough to be a
 * name (so "Sam" from "Sam de Vries" goes, "de" stays), their address and its local part. Used
 * wherever the finder's text reaches a party (views, pages, mail) and the advisory drafted from it.
 */
export function finderTerms(finder: Pick<CvdPartyRow, 'name' | 'email'> | undefined): string[] {
  if (!finder) return [];
  const name = finder.name.trim();
  const email = finder.email?.trim() ?? '';
  const local = email.includes('@') ? email.slice(0, email.indexOf('@')) : '';
  return [name, ...name.split(/\s+/).filter((p) => p.length >= 3), email, local.length >= 3 ? local : ''].filter(Boolean);
}

/** The text with everything that names the finder replaced by "[…]". */
export function redactFinder(text: string, finder: Pick<CvdPartyRow, 'name' | 'email'> | undefined): string {
  const terms = finderTerms(finder);
  return terms.length ? scrub(text, terms) : text;
}
