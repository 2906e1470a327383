/**
 * Demo data: a healthcare CERT, its participants, a vendor and an MSSP. Only documentation
 * addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, AS64496–64511) and names
 * under .example are used.
 */
export const DEMO_PASSWORD = 'Demo-Zorg-2026-Login';

export const DEMO_CERT = { name: 'Zorg-CERT (demo)', shortName: 'ZCD' };

export const DEMO_PARTICIPANTS = [
  { name: 'Ziekenhuis Noord', shortName: 'ZHN', segment: 'hospital', domain: 'ziekenhuis-noord.example', range: '192.0.2.0/26', asn: 'AS64500' },
  { name: 'Universitair Medisch Centrum Zuid', shortName: 'UMCZ', segment: 'umc', domain: 'umc-zuid.example', range: '2001:db8:100::/48', asn: 'AS64501' },
  { name: 'GGZ Oost', shortName: 'GGZO', segment: 'mental_health', domain: 'ggz-oost.example', range: '192.0.2.64/27', asn: null },
  { name: 'Thuiszorg West', shortName: 'TZW', segment: 'elderly_care', domain: 'thuiszorg-west.example', range: '198.51.100.0/27', asn: null },
  { name: 'Zorggroep De Linde', shortName: 'LINDE', segment: 'disability_care', domain: 'delinde.example', range: '198.51.100.32/28', asn: null },
  { name: 'Huisartsenpraktijk Centrum', shortName: 'HAPC', segment: 'primary_care', domain: 'hap-centrum.example', range: '198.51.100.48/29', asn: null },
  { name: 'Regionaal Laboratorium', shortName: 'RLAB', segment: 'lab', domain: 'regiolab.example', range: '203.0.113.0/27', asn: 'AS64502' },
  { name: 'Apotheek Het Kruispunt', shortName: 'AHK', segment: 'pharmacy', domain: 'apotheek-kruispunt.example', range: '203.0.113.32/28', asn: null },
  { name: 'Ziekenhuis Rivierenland', shortName: 'ZHR', segment: 'hospital', domain: 'rivierenland.example', range: '2001:db8:200::/48', asn: 'AS64503' },
  { name: 'Revalidatiecentrum Duin', shortName: 'RCD', segment: 'other', domain: 'revalidatie-duin.example', range: '203.0.113.64/27', asn: null },
] as const;

export const DEMO_VENDOR = { name: 'MedTech Devices B.V. (demo)', shortName: 'MTD' };
export const DEMO_PARTNER = { name: 'SecureOps MSSP (demo)', shortName: 'SOPS' };

export const DEMO_USERS = [
  { email: 'admin@cert.example', name: 'Anna de Vries', role: 'cert-admin', org: 'cert' },
  { email: 'analyst@cert.example', name: 'Bram Jansen', role: 'cert-analyst', org: 'cert' },
  { email: 'analyst2@cert.example', name: 'Sanne Willems', role: 'cert-analyst', org: 'cert' },
  { email: 'ciso@ziekenhuis-noord.example', name: 'Carla Bakker', role: 'participant-admin', org: 'Ziekenhuis Noord' },
  { email: 'it@ziekenhuis-noord.example', name: 'Daan Visser', role: 'participant-member', org: 'Ziekenhuis Noord' },
  { email: 'ciso@umc-zuid.example', name: 'Eva Smit', role: 'participant-admin', org: 'Universitair Medisch Centrum Zuid' },
  { email: 'soc@secureops.example', name: 'Femke Mulder', role: 'partner', org: 'partner' },
  { email: 'psirt@medtech.example', name: 'Gert de Boer', role: 'partner', org: 'vendor' },
] as const;
