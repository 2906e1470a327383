/** How a finding type reads in a mail or a page, in both languages; unknown types read as themselves. */
const LABELS: Record<string, { en: string; nl: string }> = {
  blacklisted: { en: 'Listed on a blacklist', nl: 'Op een zwarte lijst' },
  blocklisted: { en: 'Listed on a blocklist', nl: 'Op een blokkadelijst' },
  'device-identified': { en: 'Device identified on the internet', nl: 'Apparaat zichtbaar op internet' },
  'open-rdp': { en: 'Remote desktop (RDP) open to the internet', nl: 'Extern bureaublad (RDP) open naar internet' },
  'open-smb': { en: 'File sharing (SMB) open to the internet', nl: 'Bestandsdeling (SMB) open naar internet' },
  'open-vnc': { en: 'VNC open to the internet', nl: 'VNC open naar internet' },
  'open-telnet': { en: 'Telnet open to the internet', nl: 'Telnet open naar internet' },
  'open-ftp': { en: 'FTP open to the internet', nl: 'FTP open naar internet' },
  'accessible-http': { en: 'Web server reachable', nl: 'Webserver bereikbaar' },
  'vulnerable-http': { en: 'Vulnerable web server', nl: 'Kwetsbare webserver' },
  'vulnerable-exchange': { en: 'Vulnerable Exchange server', nl: 'Kwetsbare Exchange-server' },
  'exposed-ics': { en: 'Industrial control system exposed', nl: 'Industrieel besturingssysteem bereikbaar' },
  'accessible-ssl': { en: 'TLS service reachable', nl: 'TLS-dienst bereikbaar' },
  'exposed-database': { en: 'Database open to the internet', nl: 'Database open naar internet' },
  'open-snmp': { en: 'SNMP open to the internet', nl: 'SNMP open naar internet' },
  'open-ntp': { en: 'NTP server usable for amplification', nl: 'NTP-server bruikbaar voor versterkingsaanvallen' },
  'open-resolver': { en: 'Open DNS resolver', nl: 'Open DNS-resolver' },
  'infected-system': { en: 'Likely infected system (sinkhole contact)', nl: 'Waarschijnlijk besmet systeem (contact met sinkhole)' },
  'brute-force-source': { en: 'System attacking others (brute force)', nl: 'Systeem valt anderen aan (brute force)' },
  'compromised-website': { en: 'Compromised website', nl: 'Gecompromitteerde website' },
  'malware-url': { en: 'URL serving malware', nl: 'URL die malware verspreidt' },
  'ransomware-victim': { en: 'Named on a ransomware leak site', nl: 'Genoemd op een ransomware-leksite' },
  'open-port': { en: 'Open port', nl: 'Open poort' },
  'exposed-dicom': { en: 'DICOM (medical imaging) open to the internet', nl: 'DICOM (medische beelden) open naar internet' },
  'exposed-hl7': { en: 'HL7 interface open to the internet', nl: 'HL7-koppeling open naar internet' },
  'tls-certificate-expiring': { en: 'TLS certificate expiring, expired or not trusted', nl: 'TLS-certificaat verloopt, is verlopen of wordt niet vertrouwd' },
  'security-txt-missing': { en: 'No security.txt (RFC 9116)', nl: 'Geen security.txt (RFC 9116)' },
  'security-txt-invalid': { en: 'security.txt invalid or expired (RFC 9116)', nl: 'security.txt ongeldig of verlopen (RFC 9116)' },
  'spf-missing': { en: 'No SPF record', nl: 'Geen SPF-record' },
  'spf-invalid': { en: 'More than one SPF record', nl: 'Meer dan één SPF-record' },
  'dmarc-missing': { en: 'No DMARC policy', nl: 'Geen DMARC-beleid' },
};

export function findingLabel(type: string, lang: 'en' | 'nl'): string {
  return LABELS[type]?.[lang] ?? type;
}
