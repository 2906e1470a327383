/** TLP 2.0 (FIRST): the labels, in order of increasing restriction. Labels are never translated. */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/** Markings that only reach the recipients named on the object. */
export const TLP_WITH_RECIPIENTS: readonly Tlp[] = ['AMBER', 'AMBER+STRICT', 'RED'];

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLP_LEVELS as readonly string[]).includes(value);
}

/** Accepts 'amber+strict', 'TLP:AMBER', 'tlp:clear' and returns the canonical label, or null. */
export function parseTlp(input: string): Tlp | null {
  const v = input.trim().toUpperCase().replace(/^TLP:/, '');
  return isTlp(v) ? v : null;
}

/** The label as it is written on mail subjects and documents. */
export function tlpLabel(tlp: Tlp): string {
  return `TLP:${tlp}`;
}

/** FIRST colours: the label is printed in this colour on a black background. */
export const TLP_COLOURS: Record<Tlp, string> = {
  CLEAR: '#FFFFFF',
  GREEN: '#33FF00',
  AMBER: '#FFC000',
  'AMBER+STRICT': '#FFC000',
  RED: '#FF2B2B',
};

export function tlpRank(tlp: Tlp): number {
  return TLP_LEVELS.indexOf(tlp);
}

/** Whether reading something so marked is recorded in the audit log: AMBER and above. */
export function auditedRead(tlp: Tlp): boolean {
  return tlpRank(tlp) >= tlpRank('AMBER');
}
