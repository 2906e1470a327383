import type { Tlp } from '#lib/tlp.ts';

/**
 * What every intake fetcher gives back. Fetchers are pure readers of outside formats: they take an
 * HTTP getter (the SSRF-safe one in production, bound to the source's allowed hosts and limits) and
 * the source's last good cursor, and return the items that are new or changed since then plus the
 * next cursor. They never touch the database; intake.service.ts stores what they return.
 */

export interface HttpResponse {
  status: number;
  body: Buffer;
  /** The URL that finally answered (after same-origin redirects). */
  url: URL;
}
/** GET a URL; throws on network errors, SSRF refusals, size and time limits. */
export type HttpGet = (url: string | URL, headers?: Record<string, string>) => Promise<HttpResponse>;

export interface FetchedProduct {
  vendor: string;
  product: string;
  /** A version or range as the source wrote it, e.g. "<2.4.1" or "vers:generic/>=1.0|<2.0". */
  versions: string | null;
  cpe: string | null;
  purl: string | null;
}

export interface FetchedItem {
  /** Stable per source: CSAF tracking id, RSS guid (else link), KEV cveID, a mail's Message-ID. */
  externalId: string;
  url: string | null;
  title: string;
  /** Plain text (no HTML), at most 4,000 characters. */
  summary: string;
  publishedAt: Date | null;
  /** The source's own time of this version (CSAF current_release_date, Atom updated, ...). */
  updatedAt: Date | null;
  /** Upper-case CVE ids, unique, sorted. */
  cves: string[];
  /** Advisory ids other than CVEs: CSAF tracking ids, ICSA-/ICSMA-, NCSC-, vendor ids; unique, sorted. */
  advisoryIds: string[];
  vendors: string[];
  products: FetchedProduct[];
  /** The marking the item carries itself (CSAF document.distribution.tlp), else null: the source's TLP applies. */
  tlp: Tlp | null;
  /** The whole CSAF document, only for items from CSAF sources whose hash and signature checked out. */
  csaf: unknown;
  /** The source's version label (CSAF tracking.version), when it has one. */
  revision: string | null;
}

export interface FetchOutcome<C> {
  items: FetchedItem[];
  /** The cursor to store after a successful run. */
  cursor: C;
  /** Things a person should read (a document whose signature failed and was skipped, an unreadable entry). */
  warnings: string[];
}

export interface KevEntry {
  cve: string;
  vendor: string;
  product: string;
  name: string;
  dateAdded: string; // YYYY-MM-DD
  dueDate: string | null;
  shortDescription: string;
  requiredAction: string;
  knownRansomware: boolean;
  notes: string;
}

export interface EpssScore {
  cve: string;
  epss: number;
  percentile: number;
}
