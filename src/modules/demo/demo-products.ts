import type { AdvisoryContentInput, ProductKind } from '#modules/advisories/advisory.content.ts';
import type { Tlp } from '#lib/tlp.ts';

/**
 * Demo products: every kind and every TLP level, so the portal, the public pages and the CSAF
 * directory have something to show on first start. Vendors, products and CVE numbers are made up;
 * links point at .example hosts.
 */

export interface DemoProduct {
  kind: ProductKind;
  tlp: Tlp;
  /** Recipient organisations by demo name ('partner' for the MSSP). */
  recipients: string[];
  content: AdvisoryContentInput;
  /** A second revision with this change summary and these content changes. */
  update?: { changeSummary: string; content: Partial<AdvisoryContentInput> };
  /** Left in review instead of published, so the console shows the workflow. */
  inReview?: boolean;
}

const pump = {
  id: 'P1',
  vendor: 'MedTech Devices',
  name: 'InfuCare pump',
  versions: '<4.3.1',
  medicalDevice: true,
  model: 'IC-400',
  cpe: 'cpe:2.3:h:medtech_devices:infucare_pump:*:*:*:*:*:*:*:*',
};

export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    kind: 'advisory',
    tlp: 'CLEAR',
    recipients: [],
    content: {
      nl: {
        title: 'Kwetsbaarheden in InfuCare-infuuspompen',
        summary: 'Twee kwetsbaarheden in de netwerkmodule van InfuCare-infuuspompen (IC-400) laten een aanvaller op het netwerk de pomp overnemen.',
        body: 'De netwerkmodule van de **InfuCare IC-400** bevat twee kwetsbaarheden:\n\n1. De webinterface controleert de sessie niet (CVE-2026-50001).\n2. Een te lang verzoek veroorzaakt een buffer overflow (CVE-2026-50002).\n\nDe leverancier meldt actief misbruik van de eerste kwetsbaarheid.',
        advice: '- Installeer firmware **4.3.1** of hoger.\n- Plaats infuuspompen in een apart netwerksegment zonder toegang tot internet.\n- Controleer de logboeken op onbekende beheersessies.',
      },
      en: {
        title: 'Vulnerabilities in InfuCare infusion pumps',
        summary: 'Two vulnerabilities in the network module of InfuCare infusion pumps (IC-400) let an attacker on the network take over the pump.',
        body: 'The network module of the **InfuCare IC-400** has two vulnerabilities: an authentication bypass and a buffer overflow.',
        advice: '- Install firmware **4.3.1** or later.\n- Keep pumps in a separate network segment.',
      },
      urgency: 'urgent',
      probability: 'high',
      impact: 'high',
      references: [{ url: 'https://psirt.medtech.example/advisories/MTD-2026-007', summary: 'MedTech Devices PSIRT advisory MTD-2026-007' }],
      sources: [{ name: 'MedTech Devices PSIRT', url: 'https://psirt.medtech.example/', reference: 'MTD-2026-007' }],
      tags: ['medische-hulpmiddelen', 'infuuspompen'],
      products: [pump],
      vulnerabilities: [
        {
          cve: 'CVE-2026-50001',
          title: 'Authentication bypass in the web interface',
          description: 'The web interface of the network module does not check the session token.',
          cwe: { id: 'CWE-287', name: 'Improper Authentication' },
          cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
          knownExploited: true,
          productStatus: [{ productId: 'P1', status: 'affected' }],
          remediations: [{ category: 'vendor_fix', details: 'Install firmware 4.3.1.', fixedVersion: '4.3.1', productIds: ['P1'], url: 'https://psirt.medtech.example/firmware' }],
        },
        {
          cve: 'CVE-2026-50002',
          title: 'Buffer overflow in request parsing',
          description: 'A request with an over-long header crashes the network module.',
          cwe: { id: 'CWE-787', name: 'Out-of-bounds Write' },
          cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
          cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
          productStatus: [{ productId: 'P1', status: 'affected' }],
          remediations: [{ category: 'mitigation', details: 'Block access to port 443 of the pumps from outside the device segment.', productIds: ['P1'] }],
        },
      ],
    },
    update: {
      changeSummary: 'Firmware 4.3.1 is now available for all regions; advice extended.',
      content: {},
    },
  },
  {
    kind: 'advisory',
    tlp: 'GREEN',
    recipients: [],
    content: {
      nl: {
        title: 'Kritieke kwetsbaarheid in Example Imaging PACS-server',
        summary: 'Een kwetsbaarheid in de DICOM-webdienst van de PACS-server laat een aanvaller zonder inloggen bestanden lezen.',
        body: 'De DICOMweb-interface van **Example Imaging PACS** versie 7.0 tot en met 7.2 controleert paden onvoldoende.',
        advice: 'Installeer update 7.2.4. Beperk de bereikbaarheid van de DICOMweb-interface tot het ziekenhuisnetwerk.',
      },
      urgency: 'normal',
      probability: 'medium',
      impact: 'high',
      references: [{ url: 'https://imaging.example/security/EIS-2026-03', summary: 'Example Imaging security bulletin' }],
      sources: [{ name: 'Example Imaging', url: 'https://imaging.example/security' }],
      products: [{ id: 'P1', vendor: 'Example Imaging', name: 'PACS Server', versions: '>=7.0 <7.2.4', medicalDevice: false }],
      vulnerabilities: [
        {
          cve: 'CVE-2026-50010',
          title: 'Path traversal in DICOMweb',
          cwe: { id: 'CWE-22', name: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')" },
          cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
          productStatus: [{ productId: 'P1', status: 'affected' }],
          remediations: [{ category: 'vendor_fix', details: 'Install update 7.2.4.', fixedVersion: '7.2.4', productIds: ['P1'] }],
        },
      ],
    },
  },
  {
    kind: 'advisory',
    tlp: 'AMBER',
    recipients: ['Ziekenhuis Noord', 'partner'],
    content: {
      nl: {
        title: 'Misbruik van VPN-gateways bij zorginstellingen',
        summary: 'Aanvallers misbruiken een kwetsbaarheid in VPN-gateways van Example Networks om binnen te komen.',
        body: 'Wij zien scans en inlogpogingen vanaf 203.0.113.50 op VPN-gateways van deelnemers.',
        advice: 'Installeer de update van Example Networks en controleer de VPN-logboeken op inlogpogingen vanaf 203.0.113.50.',
      },
      urgency: 'urgent',
      probability: 'high',
      impact: 'medium',
      products: [{ id: 'P1', vendor: 'Example Networks', name: 'SecureGate VPN', versions: '<9.1.2', medicalDevice: false }],
      vulnerabilities: [
        {
          cve: 'CVE-2026-50020',
          title: 'Pre-authentication command injection',
          cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
          knownExploited: true,
          productStatus: [{ productId: 'P1', status: 'affected' }],
          remediations: [{ category: 'vendor_fix', details: 'Update to 9.1.2.', fixedVersion: '9.1.2', productIds: ['P1'] }],
        },
      ],
    },
  },
  {
    kind: 'advisory',
    tlp: 'RED',
    recipients: ['Ziekenhuis Noord'],
    content: {
      nl: {
        title: 'Gerichte aanval via leverancier van het patiëntportaal',
        summary: 'Alleen voor Ziekenhuis Noord: aanwijzingen dat het beheeraccount van de leverancier van het patiëntportaal is misbruikt.',
        body: 'Details zijn telefonisch gedeeld met de CISO.',
        advice: 'Trek de toegang van het beheeraccount in en neem contact op met het CERT.',
      },
      urgency: 'urgent',
      probability: 'high',
      impact: 'high',
      products: [{ id: 'P1', vendor: 'Example Portal Software', name: 'PatientPortal', versions: '', medicalDevice: false }],
      vulnerabilities: [{ title: 'Misuse of a vendor maintenance account', productStatus: [{ productId: 'P1', status: 'under_investigation' }] }],
    },
  },
  {
    kind: 'info',
    tlp: 'GREEN',
    recipients: [],
    content: {
      nl: {
        title: 'Phishingcampagne gericht op zorginstellingen',
        summary: 'Sinds maandag ontvangen medewerkers van zorginstellingen mails die lijken te komen van een zorgverzekeraar.',
        body: 'De mails komen van adressen onder **zorgverzekeraar-portaal.example** en linken naar een nagemaakte inlogpagina.',
        advice: 'Blokkeer het domein zorgverzekeraar-portaal.example en waarschuw medewerkers.',
      },
      urgency: 'normal',
      probability: 'high',
      impact: 'medium',
      references: [{ url: 'https://cert.example/factsheets/phishing', summary: 'Factsheet phishing' }],
    },
  },
  {
    kind: 'info',
    tlp: 'CLEAR',
    recipients: [],
    content: {
      nl: {
        title: 'Storing bij een landelijke leverancier van labuitslagen',
        summary: 'Een storing bij een leverancier van berichtenverkeer vertraagt labuitslagen; er zijn geen aanwijzingen voor een aanval.',
        body: 'De leverancier verwacht de storing vandaag te verhelpen.',
        advice: 'Gebruik de terugvalprocedure voor spoedeisende uitslagen.',
      },
      urgency: 'normal',
      probability: 'low',
      impact: 'medium',
      references: [{ url: 'https://status.lab-berichten.example/', summary: 'Status page of the supplier' }],
    },
  },
  {
    kind: 'alert',
    tlp: 'AMBER+STRICT',
    recipients: ['Ziekenhuis Noord', 'Universitair Medisch Centrum Zuid'],
    content: {
      nl: {
        title: 'Operationele waarschuwing: ransomware-actor actief in de regio',
        summary: 'Een ransomware-actor heeft deze week twee zorginstellingen in de regio aangevallen. Handel vandaag.',
        body: 'De actor gebruikt gestolen VPN-inloggegevens en de beheertool **RemoteAdmin**.',
        advice: '1. Dwing MFA af op alle VPN-accounts.\n2. Blokkeer 198.51.100.77 en 203.0.113.99.\n3. Meld verdachte activiteit direct bij het CERT.',
      },
      urgency: 'urgent',
      probability: 'high',
      impact: 'high',
      products: [{ id: 'P1', vendor: 'Example Networks', name: 'SecureGate VPN', versions: '', medicalDevice: false }],
    },
  },
  {
    kind: 'advisory',
    tlp: 'GREEN',
    recipients: [],
    inReview: true,
    content: {
      nl: {
        title: 'Kwetsbaarheid in Example LIS-koppeling (concept)',
        summary: 'Concept, wacht op review.',
        body: 'Een kwetsbaarheid in de HL7-koppeling van Example LIS.',
        advice: 'Wacht op de update.',
      },
      products: [{ id: 'P1', vendor: 'Example Lab Systems', name: 'LIS Connect', versions: '<=5.4', medicalDevice: false }],
      vulnerabilities: [
        {
          cve: 'CVE-2026-50030',
          title: 'Missing authentication on HL7 listener',
          cvssV3: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N',
          productStatus: [{ productId: 'P1', status: 'affected' }],
          remediations: [{ category: 'none_available', details: 'No update is available yet.', productIds: ['P1'] }],
        },
      ],
    },
  },
];
