/**
 * The RSIT classes and types in words, Dutch and English, for people (the web app, the case report);
 * the machine names (src/lib/rsit.ts) stay what is stored and exchanged. A value without a label
 * (added to the taxonomy later) is shown as its machine name.
 */
type Labels = Readonly<Record<string, { nl: string; en: string }>>;

export const RSIT_CLASS_LABELS: Labels = {
  'abusive-content': { nl: 'Misbruik van inhoud', en: 'Abusive content' },
  'malicious-code': { nl: 'Kwaadaardige code', en: 'Malicious code' },
  'information-gathering': { nl: 'Verzamelen van informatie', en: 'Information gathering' },
  'intrusion-attempts': { nl: 'Inbraakpogingen', en: 'Intrusion attempts' },
  intrusions: { nl: 'Inbraken', en: 'Intrusions' },
  availability: { nl: 'Beschikbaarheid', en: 'Availability' },
  'information-content-security': { nl: 'Beveiliging van informatie', en: 'Information content security' },
  fraud: { nl: 'Fraude', en: 'Fraud' },
  vulnerable: { nl: 'Kwetsbaar', en: 'Vulnerable' },
  other: { nl: 'Overig', en: 'Other' },
  test: { nl: 'Test', en: 'Test' },
};

export const RSIT_TYPE_LABELS: Labels = {
  spam: { nl: 'Spam', en: 'Spam' },
  'harmful-speech': { nl: 'Schadelijke uitingen', en: 'Harmful speech' },
  violence: { nl: 'Geweld', en: 'Violence' },
  'infected-system': { nl: 'Besmet systeem', en: 'Infected system' },
  'c2-server': { nl: 'Command-and-control-server', en: 'Command-and-control server' },
  'malware-distribution': { nl: 'Verspreiding van malware', en: 'Malware distribution' },
  'malware-configuration': { nl: 'Malwareconfiguratie', en: 'Malware configuration' },
  ransomware: { nl: 'Ransomware', en: 'Ransomware' },
  scanner: { nl: 'Scannen', en: 'Scanning' },
  sniffing: { nl: 'Afluisteren van verkeer', en: 'Sniffing' },
  'social-engineering': { nl: 'Social engineering', en: 'Social engineering' },
  'ids-alert': { nl: 'IDS-melding', en: 'IDS alert' },
  'brute-force': { nl: 'Brute force', en: 'Brute force' },
  exploit: { nl: 'Misbruik van een kwetsbaarheid', en: 'Exploit' },
  'privileged-account-compromise': { nl: 'Beheeraccount overgenomen', en: 'Privileged account compromise' },
  'unprivileged-account-compromise': { nl: 'Gebruikersaccount overgenomen', en: 'Unprivileged account compromise' },
  'application-compromise': { nl: 'Applicatie gecompromitteerd', en: 'Application compromise' },
  'system-compromise': { nl: 'Systeem gecompromitteerd', en: 'System compromise' },
  burglary: { nl: 'Fysieke inbraak', en: 'Burglary' },
  dos: { nl: 'Denial of service (DoS)', en: 'Denial of service (DoS)' },
  ddos: { nl: 'Distributed denial of service (DDoS)', en: 'Distributed denial of service (DDoS)' },
  misconfiguration: { nl: 'Onjuiste configuratie', en: 'Misconfiguration' },
  sabotage: { nl: 'Sabotage', en: 'Sabotage' },
  outage: { nl: 'Storing', en: 'Outage' },
  'unauthorised-information-access': { nl: 'Onbevoegde toegang tot informatie', en: 'Unauthorised access to information' },
  'unauthorised-information-modification': { nl: 'Onbevoegde wijziging van informatie', en: 'Unauthorised modification of information' },
  'data-loss': { nl: 'Verlies van gegevens', en: 'Data loss' },
  'data-leak': { nl: 'Datalek', en: 'Data leak' },
  'unauthorised-use-of-resources': { nl: 'Onbevoegd gebruik van middelen', en: 'Unauthorised use of resources' },
  copyright: { nl: 'Auteursrecht', en: 'Copyright' },
  masquerade: { nl: 'Zich voordoen als een ander', en: 'Masquerade' },
  phishing: { nl: 'Phishing', en: 'Phishing' },
  'weak-crypto': { nl: 'Zwakke versleuteling', en: 'Weak cryptography' },
  'ddos-amplifier': { nl: 'DDoS-versterker', en: 'DDoS amplifier' },
  'potentially-unwanted-accessible': { nl: 'Ongewenst bereikbare dienst', en: 'Potentially unwanted accessible service' },
  'information-disclosure': { nl: 'Openbaarmaking van informatie', en: 'Information disclosure' },
  'vulnerable-system': { nl: 'Kwetsbaar systeem', en: 'Vulnerable system' },
  other: { nl: 'Overig', en: 'Other' },
  undetermined: { nl: 'Nog niet bepaald', en: 'Undetermined' },
  test: { nl: 'Test', en: 'Test' },
};

export function rsitClassLabel(cls: string, lang: 'nl' | 'en'): string {
  return RSIT_CLASS_LABELS[cls]?.[lang] ?? cls;
}

export function rsitTypeLabel(type: string, lang: 'nl' | 'en'): string {
  return RSIT_TYPE_LABELS[type]?.[lang] ?? type;
}
