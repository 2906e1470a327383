import { type Acknowledgment, type AdvisoryContentInput, Reference } from '#modules/advisories/advisory.content.ts';
import type { CsafAcknowledgment, CsafDocument } from './csaf-document.ts';
import { clip, toCsafUri } from './csaf-text.ts';

/**
 * Credit, both ways: `AdvisoryContent.acknowledgments` ↔ CSAF /document/acknowledgments (names,
 * organization, summary, urls). Kept apart from csaf-export.ts and csaf-import.ts, which call it.
 */

const LIMITS = { acknowledgments: 50, names: 20, urls: 10 } as const;
const CVE = /^CVE-\d{4}-\d{4,}$/;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** For export: the schema allows no empty strings or lists (and an acknowledgment needs one property), so those are left out. */
export function toCsafAcknowledgments(list: readonly Acknowledgment[]): CsafAcknowledgment[] {
  const out: CsafAcknowledgment[] = [];
  for (const a of list) {
    const names = [...new Set(a.names.map((n) => n.trim()).filter((n) => n !== ''))];
    const organization = a.organization?.trim();
    const summary = a.summary.trim();
    const urls = [...new Set(a.urls.map((u) => toCsafUri(u)).filter((u): u is string => u !== null))];
    const ack: CsafAcknowledgment = {
      ...(names.length ? { names } : {}),
      ...(organization ? { organization } : {}),
      ...(summary ? { summary } : {}),
      ...(urls.length ? { urls } : {}),
    };
    if (Object.keys(ack).length) out.push(ack);
  }
  return out;
}

type ImportedAcknowledgment = NonNullable<AdvisoryContentInput['acknowledgments']>[number];

/**
 * For import: /document/acknowledgments one to one. Wachtpost keeps credit per document only, so
 * the acknowledgments of vulnerabilities join them, their summary prefixed with the CVE (or title)
 * they were given for; one credit given for several vulnerabilities stays one entry naming them all,
 * and one the document itself gives already covers every vulnerability. Text is cut to the content
 * model's limits; what is left out beyond them is reported in `notices`.
 */
export function fromCsafAcknowledgments(doc: CsafDocument, notices: string[]): ImportedAcknowledgment[] {
  const entries = new Map<string, { ack: ImportedAcknowledgment; about: string[] }>();
  let cut = false;
  const add = (a: CsafAcknowledgment, about: string | null) => {
    const names = [...new Set((a.names ?? []).map((n) => clip(str(n), 200)).filter((n) => n !== ''))];
    const urls = [
      ...new Set(
        (a.urls ?? []).flatMap((u) => {
          const url = Reference.shape.url.safeParse(u);
          return url.success ? [url.data] : [];
        }),
      ),
    ];
    if (names.length > LIMITS.names || urls.length > LIMITS.urls) cut = true;
    const ack = {
      names: names.slice(0, LIMITS.names),
      organization: clip(str(a.organization), 200) || null,
      summary: clip(str(a.summary), 500),
      urls: urls.slice(0, LIMITS.urls),
    };
    if (!ack.names.length && !ack.organization && !ack.summary && !ack.urls.length) return;
    const key = JSON.stringify(ack);
    const known = entries.get(key);
    if (known) {
      if (about === null) known.about = [];
      else if (known.about.length && !known.about.includes(about)) known.about.push(about);
      return;
    }
    if (entries.size >= LIMITS.acknowledgments) {
      cut = true;
      return;
    }
    entries.set(key, { ack, about: about === null ? [] : [about] });
  };
  for (const a of doc.document.acknowledgments ?? []) add(a, null);
  for (const v of doc.vulnerabilities ?? []) {
    const cve = str(v.cve) || (v.ids ?? []).map((i) => str(i.text).trim().toUpperCase()).find((t) => CVE.test(t));
    const about = clip(cve || str(v.title), 100) || 'a vulnerability';
    for (const a of v.acknowledgments ?? []) add(a, about);
  }
  if (cut) notices.push(`Acknowledgments beyond ${LIMITS.acknowledgments} entries, ${LIMITS.names} names or ${LIMITS.urls} URLs each were left out.`);
  return [...entries.values()].map(({ ack, about }) => {
    if (!about.length) return ack;
    const label = about.join(', ');
    return { ...ack, summary: clip(ack.summary ? `${label}: ${ack.summary}` : label, 500) };
  });
}
