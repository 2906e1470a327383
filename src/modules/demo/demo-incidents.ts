import type { Ctx } from '#server/context.ts';
import { applyTemplate } from '#modules/incidents/case-work.service.ts';
import { addObservable, addTimeline, postMessage } from '#modules/incidents/case-record.service.ts';
import { createCase, inviteGuest, patchCase, reportCase } from '#modules/incidents/case.service.ts';
import * as work from '#modules/incidents/case-work.repository.ts';

/**
 * Incident handling's demo: Ziekenhuis Noord reported ransomware through the portal yesterday; the
 * CERT applied the ransomware playbook, holds two observables, invited the hospital's MSSP and
 * wrote to the room; NIS2 and GDPR clocks run. A second, closed phishing case at GGZ Oost logged
 * from a phone call. Documentation addresses and .example names only.
 */
export async function loadDemoIncidents(analyst: Ctx, as: (email: string) => Promise<Ctx>, orgIds: Record<string, string>): Promise<void> {
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const ciso = await as('ciso@ziekenhuis-noord.example');
  const ransomware = await reportCase(ciso, {
    title: 'Versleutelde bestanden op de PACS-server',
    whatHappened: 'Vanochtend bleken bestanden op de PACS-server versleuteld; op twee werkstations van radiologie staat een losgeldbrief.',
    startedAt: hoursAgo(30),
    discoveredAt: hoursAgo(20),
    systems: 'PACS-server, twee werkstations radiologie',
    patientCareImpact: 'limited',
    patientCareDetails: 'Beelden van de afgelopen nacht zijn niet beschikbaar; de afdeling werkt op papier.',
    personalData: 'yes',
    contactName: 'Carla Bakker',
    contactPhone: '+31 20 555 0100',
  });
  const templates = await work.listTemplates(analyst.db);
  const playbook = templates.find((t) => t.name === 'Ransomware');
  if (playbook) await applyTemplate(analyst, ransomware.id, playbook.id);
  await patchCase(analyst, ransomware.id, { nis2Applies: true, severity: 'high', assigneeIds: [analyst.actor!.userId] });
  const beacon = await addTimeline(analyst, ransomware.id, { at: hoursAgo(26), source: 'Firewall log', text: 'Beacon from the PACS server to 203.0.113.99:443 every 60 s', shared: false });
  await addObservable(analyst, ransomware.id, { type: 'ipv4', value: '203.0.113.99', comment: 'C2 seen in the firewall log' }, beacon.id);
  await addObservable(analyst, ransomware.id, { type: 'domain', value: 'update-pacs.example', comment: 'In the ransom note' });
  await addTimeline(analyst, ransomware.id, { at: hoursAgo(18), source: 'CERT', text: 'Advies gegeven: PACS-server van het netwerk, aan laten staan.', shared: true });
  if (orgIds.partner) await inviteGuest(analyst, ransomware.id, orgIds.partner);
  await postMessage(analyst, ransomware.id, { body: 'Kunt u de losgeldbrief en één versleuteld bestand uploaden onder Bewijs?', internal: false });
  await postMessage(analyst, ransomware.id, { body: 'Same C2 as last month at another hospital; check with the ZDN team.', internal: true });

  if (orgIds['GGZ Oost']) {
    const phishing = await createCase(analyst, {
      intake: 'phone',
      organisationIds: [orgIds['GGZ Oost']],
      title: 'Phishingmail met nagemaakte inlogpagina',
      description: 'Drie medewerkers vulden hun wachtwoord in op een nagemaakte inlogpagina.',
      categoryClass: 'fraud',
      categoryType: 'phishing',
      severity: 'medium',
      reporterName: 'Servicedesk GGZ Oost',
      reporterPhone: '+31 30 555 0199',
      awareAt: hoursAgo(24 * 12),
    });
    await patchCase(analyst, phishing.id, { status: 'contained' });
    await patchCase(analyst, phishing.id, { status: 'closed' });
  }
}
