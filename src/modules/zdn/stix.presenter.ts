import type { Tlp } from '#lib/tlp.ts';
import { TLP2_MARKING } from './stix-markings.ts';

/** What an indicator row brings to its STIX object; the timestamps already in STIX form (UTC, milliseconds). */
export interface StixSourceRow {
  id: string;
  type: string;
  value: string;
  pattern: string | null;
  pattern_type: string | null;
  tlp: Tlp;
  confidence: number;
  tags: string[];
  created: string;
  modified: string;
  valid_from: string;
  /** Null when the indicator never expires, or would expire before it is valid (STIX forbids that). */
  valid_until: string | null;
}

const str = JSON.stringify;
const MARKING_REFS = Object.fromEntries(Object.entries(TLP2_MARKING).map(([tlp, id]) => [tlp, `"object_marking_refs":[${str(id)}]`])) as Record<Tlp, string>;

/** The first 200 characters (code points, as PostgreSQL's left() counts them) of a long value. */
function first200(value: string): string {
  return value.length <= 200 ? value : Array.from(value).slice(0, 200).join('');
}

/**
 * The STIX 2.1 object of an indicator row as JSON text: a CVE is a vulnerability, everything else an
 * indicator with its pattern. Written as a string, not an object passed to JSON.stringify: a TAXII
 * page is a thousand of these, and the strings are joined into the envelope as they are. The creator
 * is always the CERT's identity, so an anonymous source stays anonymous. Absent properties are
 * omitted, never null.
 */
export function stixObjectJson(r: StixSourceRow, identity: string): string {
  const labels = r.tags.length ? `,"labels":${str(r.tags)}` : '';
  const common = `"created_by_ref":${str(identity)},"created":"${r.created}","modified":"${r.modified}"`;
  if (r.type === 'cve') {
    return `{"type":"vulnerability","spec_version":"2.1","id":"vulnerability--${r.id}",${common},"name":${str(r.value)},"external_references":[{"source_name":"cve","external_id":${str(r.value)}}]${labels},"confidence":${r.confidence},${MARKING_REFS[r.tlp]}}`;
  }
  const until = r.valid_until ? `,"valid_until":"${r.valid_until}"` : '';
  return `{"type":"indicator","spec_version":"2.1","id":"indicator--${r.id}",${common},"name":${str(`${r.type}: ${first200(r.value)}`)},"indicator_types":["malicious-activity"],${r.pattern === null ? '' : `"pattern":${str(r.pattern)},`}${r.pattern_type === null ? '' : `"pattern_type":${str(r.pattern_type)},`}"valid_from":"${r.valid_from}"${until}${labels},"confidence":${r.confidence},${MARKING_REFS[r.tlp]}}`;
}
