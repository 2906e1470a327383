import type { Severity } from '#db/schema-monitoring.ts';
import ipaddr from 'ipaddr.js';
import { ipv4ToNumber } from '#lib/prefix-table.ts';
import { ipv4Text, ipv6GroupsText, mappedIpv4OfGroups, plainIpv6Groups } from '#lib/ip.ts';

import type { ConstituencyMatcher } from './constituency.ts';

/** RFC 5952 text for IPv6, a dotted quad for IPv4-mapped addresses; the input when it is no address. */
function canonicalIp(text: string): string {
  try {
    const addr = ipaddr.parse(text.trim());
    if (addr.kind() === 'ipv4') return addr.toString();
    const v6 = addr as ipaddr.IPv6;
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toRFC5952String();
  } catch {
    return text.trim();
  }
}

/**
 * A report's time in milliseconds, NaN when it is none. Reports write UTC ('2026-11-27 03:12:45',
 * sometimes with a 'T' or a 'Z'); a time without a zone is UTC, never the server's local time.
 */
export function parseUtcTimestamp(text: string): number {
  const iso = text.trim().replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`);
}

/** How far ahead of this server's clock a report's time may be (a sender's clock or zone slightly off). */
const FUTURE_TOLERANCE_MS = 24 * 3600_000;

/**
 * Why a row's time cannot be used, or null: not a date, or later than tomorrow. A time in the future
 * would set a finding's first and last sighting ahead of every later report, and reopen it
 * whenever that report came in again.
 */
export function timestampProblem(text: string, ms: number, now = Date.now()): string | null {
  if (Number.isNaN(ms)) return `The timestamp '${text.slice(0, 40)}' is not a date.`;
  if (ms > now + FUTURE_TOLERANCE_MS) return `The timestamp '${text.slice(0, 40)}' lies in the future.`;
  return null;
}

/** Why a row holding a NUL character is kept as failed: PostgreSQL text cannot hold one. */
export const NUL_REASON = 'The row contains a NUL character, which cannot be stored as text; the other rows are read.';

/** Text as it can be stored: NUL characters become U+FFFD (a failed row keeps its line readable). */
export function withoutNul(text: string): string {
  return text.includes('\0') ? text.replace(/\0/g, '\uFFFD') : text;
}

/** One readable row of any report: the system it names and what was found. */
export interface ReportRow {
  line: number;
  ip: string;
  host: string;
  asn: number | null;
  port: number;
  /** Milliseconds since the epoch. */
  seenAt: number;
  type: string;
  severity: Severity;
  evidence: Record<string, string>;
  /** A CSV row's line as received: stored instead of `evidence`, read back with the report's header. */
  raw?: string;
  /** A listed network (blocklists): every participant with an address in it is concerned. */
  cidr?: string;
}

/** Where a parser hands its rows: readable ones in batches, unreadable ones with their reason. */
export interface RowSink {
  rows(batch: ReportRow[]): Promise<void>;
  failed(rows: { line: number; raw: string; reason: string }[]): Promise<void>;
  failedCount(): number;
  /** The report's header row, as soon as it is read (raw evidence lines are read back with it). */
  header?(columns: string[]): Promise<void>;
}

/** A row matched to one participant's asset: what becomes (or refreshes) a finding. */
export interface FindingCandidate {
  organisationId: string;
  assetId: string | null;
  type: string;
  subject: string;
  port: number;
  severity: Severity;
  seenAt: number;
  evidence: Record<string, unknown>;
  /** A CSV row's raw line, stored in place of a row object in the evidence. */
  raw?: string | null;
}

/**
 * Matches rows to the participants that own the system: the address (longest prefix), or for a
 * listed network every participant with addresses in it; else the AS number, else the host name. A row owned by two participants (a shared range) becomes a finding
 * for each. Rows of the same finding in one batch collapse to the latest.
 */
export function matchRows(
  matcher: ConstituencyMatcher,
  rows: readonly ReportRow[],
  extra: Record<string, unknown> = {},
): { candidates: FindingCandidate[]; unmatched: number } {
  const byKey = new Map<string, FindingCandidate>();
  let unmatched = 0;
  for (const row of rows) {
    let subject = row.ip;
    let owners = null;
    const v4 = row.ip && !row.cidr ? ipv4ToNumber(row.ip) : null;
    if (row.cidr) {
      // The finding is about the listed network as a whole.
      subject = row.cidr;
      owners = matcher.ownersOfNetwork(row.cidr);
      if (!owners.length) owners = null;
    } else if (v4 !== null) {
      const range = matcher.rangeOfIpv4(v4);
      if (range >= 0) owners = matcher.ownersAt(range);
    } else if (row.ip) {
      // One spelling per address (2001:DB8:0::1 and 2001:db8::1 are one finding's subject). Plain
      // IPv6 text, nearly every row of an IPv6 report, is read once, without ipaddr.js.
      const groups = plainIpv6Groups(row.ip);
      if (groups) {
        const mapped = mappedIpv4OfGroups(groups);
        subject = mapped >= 0 ? ipv4Text(mapped) : ipv6GroupsText(groups);
        owners = matcher.ownersOfIpv6(groups);
      } else {
        subject = canonicalIp(row.ip);
        owners = matcher.ownersOfIp(subject);
      }
      if (!owners.length) owners = null;
    }
    if (!owners && row.asn !== null) {
      const byAsn = matcher.ownersOfAsn(row.asn);
      if (byAsn.length) owners = byAsn;
    }
    if (!owners && row.host) {
      const byName = matcher.ownersOfDomain(row.host);
      if (byName.length) {
        owners = byName;
        if (!row.ip) subject = row.host.toLowerCase().replace(/\.$/, '');
      }
    }
    if (!owners) {
      unmatched++;
      continue;
    }
    for (const owner of owners) {
      const key = `${owner.organisationId}|${row.type}|${subject}|${row.port}`;
      const seen = byKey.get(key);
      if (seen && seen.seenAt >= row.seenAt) continue;
      byKey.set(key, {
        organisationId: owner.organisationId,
        assetId: owner.assetId,
        type: row.type,
        subject,
        port: row.port,
        severity: row.severity,
        seenAt: row.seenAt,
        evidence: row.raw === undefined ? { ...extra, line: row.line, row: row.evidence } : { ...extra, line: row.line },
        raw: row.raw ?? null,
      });
    }
  }
  return { candidates: [...byKey.values()], unmatched };
}

/** The file as a whole cannot be read as the report it claims to be (400 report_unreadable). */
export class ReportUnreadable extends Error {}
