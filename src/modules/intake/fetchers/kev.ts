import { z } from 'zod';
import { describeIssues, getJson } from './http.ts';
import { clipText } from './text.ts';
import type { FetchedItem, HttpGet, KevEntry } from './types.ts';

/**
 * CISA's Known Exploited Vulnerabilities catalogue (JSON), validated against the shape of
 * cisagov/kev-data's known_exploited_vulnerabilities_schema.json: the catalogue needs catalogVersion,
 * dateReleased, count and vulnerabilities; each vulnerability needs cveID, vendorProject, product,
 * vulnerabilityName, dateAdded, shortDescription, requiredAction and dueDate. Optional fields
 * (knownRansomwareCampaignUse, notes, cwes, forensicTriage) are read when present; unknown fields are
 * ignored. A catalogue with an invalid entry is refused whole, naming the entry.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const KevVulnerability = z.object({
  cveID: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^CVE-\d{4}-\d{4,}$/, 'not a CVE id'),
  vendorProject: z.string().trim().min(1),
  product: z.string().trim().min(1),
  vulnerabilityName: z.string().trim().min(1),
  dateAdded: z.string().regex(DATE, 'not a date (YYYY-MM-DD)'),
  shortDescription: z.string(),
  requiredAction: z.string(),
  // Required by the schema; an empty or null value is read as "no due date".
  dueDate: z.union([z.string().regex(DATE, 'not a date (YYYY-MM-DD)'), z.literal(''), z.null()]),
  knownRansomwareCampaignUse: z.string().optional(),
  notes: z.string().optional(),
  cwes: z.array(z.string()).optional(),
});

const KevCatalog = z.object({
  title: z.string().optional(),
  catalogVersion: z.string().min(1),
  dateReleased: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  count: z.number().int().nonnegative(),
  vulnerabilities: z.array(KevVulnerability),
});

export interface KevCatalogue {
  catalogVersion: string;
  /** As published (ISO 8601 date-time). */
  dateReleased: string;
  entries: KevEntry[];
}

/** Parses an already fetched catalogue; `where` names it in errors. */
export function parseKev(json: unknown, where: string): KevCatalogue {
  const parsed = KevCatalog.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const index = first?.path[0] === 'vulnerabilities' && typeof first.path[1] === 'number' ? first.path[1] : null;
    const raw = index !== null ? (json as { vulnerabilities: { cveID?: unknown }[] }).vulnerabilities[index] : undefined;
    const which = index !== null ? ` (entry ${index + 1}${typeof raw?.cveID === 'string' ? `, ${raw.cveID}` : ''})` : '';
    throw new Error(`The KEV catalogue ${where} is not valid${which}: ${describeIssues(parsed.error.issues)}.`);
  }
  const c = parsed.data;
  return {
    catalogVersion: c.catalogVersion,
    dateReleased: c.dateReleased,
    entries: c.vulnerabilities.map((v) => ({
      cve: v.cveID,
      vendor: v.vendorProject,
      product: v.product,
      name: v.vulnerabilityName,
      dateAdded: v.dateAdded,
      dueDate: v.dueDate ? v.dueDate : null,
      shortDescription: v.shortDescription.trim(),
      requiredAction: v.requiredAction.trim(),
      knownRansomware: v.knownRansomwareCampaignUse?.trim().toLowerCase() === 'known',
      notes: v.notes?.trim() ?? '',
    })),
  };
}

/** Fetches and validates the KEV catalogue (JSON) at `url`. */
export async function readKev(get: HttpGet, url: string): Promise<KevCatalogue> {
  const { json } = await getJson(get, url, 'KEV catalogue');
  return parseKev(json, url);
}

/**
 * KEV entries added on or after `since` (YYYY-MM-DD, or an ISO date-time whose date part counts;
 * null: all) as items, oldest first. "On or after", not "after": CISA adds entries on a day in more
 * than one release, and an entry seen twice is the same item (externalId `kev:<CVE>`), so the day
 * of the last run is looked at again rather than risk missing what was added later that day.
 */
export function kevItems(entries: readonly KevEntry[], since: string | null): FetchedItem[] {
  const from = since ? since.slice(0, 10) : null;
  return entries
    .filter((e) => from === null || e.dateAdded >= from)
    .sort((a, b) => a.dateAdded.localeCompare(b.dateAdded) || a.cve.localeCompare(b.cve))
    .map((e) => {
      const added = new Date(`${e.dateAdded}T00:00:00Z`);
      const summary = [
        e.shortDescription,
        e.requiredAction && `Required action: ${e.requiredAction}`,
        e.dueDate && `Due date (US federal agencies): ${e.dueDate}.`,
        e.knownRansomware ? 'Known to be used in ransomware campaigns.' : '',
        e.notes && `Notes: ${e.notes}`,
      ]
        .filter((s) => s !== '' && s !== null)
        .join('\n');
      return {
        externalId: `kev:${e.cve}`,
        url: `https://www.cve.org/CVERecord?id=${e.cve}`,
        title: clipText(`CISA KEV: ${e.name}`, 500),
        summary: clipText(summary),
        publishedAt: added,
        updatedAt: added,
        cves: [e.cve],
        advisoryIds: [],
        vendors: [e.vendor],
        products: [{ vendor: e.vendor, product: e.product, versions: null, cpe: null, purl: null }],
        tlp: null,
        csaf: null,
        revision: null,
      };
    });
}
