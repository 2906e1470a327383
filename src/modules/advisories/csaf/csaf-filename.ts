/**
 * CSAF 2.0 §5.1: the filename of a CSAF document is its /document/tracking/id in lower case, with every
 * run of characters other than "+", "-", a–z and 0–9 replaced by one "_", followed by ".json".
 * Example: "2022_#01-A" gives "2022_01-a.json".
 */
export function csafFilename(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}
