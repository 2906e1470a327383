/**
 * The ENISA Reference Security Incident Taxonomy (RSIT, maintained by the TF-CSIRT working group):
 * classes and their types, as machine-tag values (`rsit:malicious-code="ransomware"`). 'ransomware'
 * is kept under malicious code because the sector and the MISP tags it exchanges still use it.
 */
export const RSIT: Readonly<Record<string, readonly string[]>> = {
  'abusive-content': ['spam', 'harmful-speech', 'violence'],
  'malicious-code': ['infected-system', 'c2-server', 'malware-distribution', 'malware-configuration', 'ransomware'],
  'information-gathering': ['scanner', 'sniffing', 'social-engineering'],
  'intrusion-attempts': ['ids-alert', 'brute-force', 'exploit'],
  intrusions: ['privileged-account-compromise', 'unprivileged-account-compromise', 'application-compromise', 'system-compromise', 'burglary'],
  availability: ['dos', 'ddos', 'misconfiguration', 'sabotage', 'outage'],
  'information-content-security': ['unauthorised-information-access', 'unauthorised-information-modification', 'data-loss', 'data-leak'],
  fraud: ['unauthorised-use-of-resources', 'copyright', 'masquerade', 'phishing'],
  vulnerable: ['weak-crypto', 'ddos-amplifier', 'potentially-unwanted-accessible', 'information-disclosure', 'vulnerable-system'],
  other: ['other', 'undetermined'],
  test: ['test'],
};

export const RSIT_CLASSES = Object.keys(RSIT);

export function isRsitCategory(cls: string, type: string): boolean {
  return RSIT[cls]?.includes(type) ?? false;
}

/** The MISP machine tag of a class and type. */
export function rsitTag(cls: string, type: string): string {
  return `rsit:${cls}="${type}"`;
}
