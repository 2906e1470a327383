import { type Tlp } from '#lib/tlp.ts';
import { type CsafTlpLabel } from './csaf-document.ts';

/**
 * TLP at the CSAF boundary. CSAF 2.0 (/document/distribution/tlp/label) still uses the TLP 1.0 labels
 * WHITE, GREEN, AMBER and RED; Wachtpost uses FIRST TLP 2.0. CLEAR is written as WHITE, and
 * AMBER+STRICT as AMBER with the stricter sharing rule spelt out in /document/distribution/text, where
 * import finds it again. The text names the TLP 2.0 label for every marking, so a reader never has to
 * guess which version is meant.
 */

export const CSAF_TLP_URL = 'https://www.first.org/tlp/';

const CSAF_LABEL: Record<Tlp, CsafTlpLabel> = {
  CLEAR: 'WHITE',
  GREEN: 'GREEN',
  AMBER: 'AMBER',
  'AMBER+STRICT': 'AMBER',
  RED: 'RED',
};

/** Distribution text per label (Dutch, like the document); the label itself is never translated. */
const DISTRIBUTION_TEXT: Record<Tlp, string> = {
  CLEAR: 'TLP:CLEAR (FIRST TLP 2.0; in CSAF 2.0 geschreven als TLP:WHITE). Vrij te delen, zonder beperking.',
  GREEN: 'TLP:GREEN (FIRST TLP 2.0). Delen binnen de eigen gemeenschap is toegestaan, niet via openbaar toegankelijke kanalen.',
  AMBER: 'TLP:AMBER (FIRST TLP 2.0). Alleen delen binnen de eigen organisatie en met haar klanten, op need-to-know-basis.',
  'AMBER+STRICT':
    'TLP:AMBER+STRICT (FIRST TLP 2.0; in CSAF 2.0 geschreven als TLP:AMBER). Alleen delen binnen de eigen organisatie, op need-to-know-basis; niet met klanten of anderen.',
  RED: 'TLP:RED (FIRST TLP 2.0). Alleen voor de ontvangers aan wie dit bericht is gericht; niet verder delen.',
};

export interface CsafDistribution {
  tlp: { label: CsafTlpLabel; url: string };
  text: string;
}

/** The CSAF 2.0 distribution object for a TLP 2.0 marking. */
export function toCsafDistribution(tlp: Tlp): CsafDistribution {
  return { tlp: { label: CSAF_LABEL[tlp], url: CSAF_TLP_URL }, text: DISTRIBUTION_TEXT[tlp] };
}

/** The CSAF 2.0 (TLP 1.0) label for a TLP 2.0 marking. */
export function toCsafTlpLabel(tlp: Tlp): CsafTlpLabel {
  return CSAF_LABEL[tlp];
}

/**
 * The TLP 2.0 marking of an imported document: WHITE becomes CLEAR; AMBER becomes AMBER+STRICT when
 * the distribution text says AMBER+STRICT. Returns null for a document without a (known) label, so the
 * caller decides how to treat unlabelled documents.
 */
export function fromCsafTlp(label: unknown, distributionText?: unknown): Tlp | null {
  if (typeof label !== 'string') return null;
  switch (label.trim().toUpperCase()) {
    case 'WHITE':
    case 'CLEAR':
      return 'CLEAR';
    case 'GREEN':
      return 'GREEN';
    case 'AMBER':
      return typeof distributionText === 'string' && /\bAMBER\s*\+\s*STRICT\b/i.test(distributionText) ? 'AMBER+STRICT' : 'AMBER';
    case 'RED':
      return 'RED';
    default:
      return null;
  }
}
