import type { Ctx } from '#server/context.ts';
import { submitReport } from '#modules/cvd/intake.service.ts';
import { patchCase } from '#modules/cvd/case.service.ts';
import { addParty, addProductParties, addScopeParties, sendMessage } from '#modules/cvd/coordination.service.ts';
import { partyReply } from '#modules/cvd/party.service.ts';
import * as repo from '#modules/cvd/cvd.repository.ts';
import { ReportInput } from '#modules/cvd/cvd.schema.ts';
import { setAdvisory } from '#modules/cvd/disclosure.repository.ts';

/**
 * CVD's demo: a finder's report of a flaw in Ziekenhuis Noord's patient portal, relayed both ways;
 * a medical-device case (the InfuCare pump) with the manufacturer and the hospitals that declared
 * the model under one embargo; a fresh report nobody answered yet (its clock shows on the
 * dashboard); and a disclosed case whose finder is credited. Documentation names only.
 */
export async function loadDemoCvd(analyst: Ctx, as: (email: string) => Promise<Ctx>, orgIds: Record<string, string>): Promise<void> {
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);

  const portal = await submitReport(
    analyst,
    ReportInput.parse({
      targetKind: 'website',
      target: 'https://portaal.ziekenhuis-noord.example/afspraken?id=1041',
      title: 'Afspraken van andere patiënten zichtbaar via het id in de URL',
      description: 'Door het id in de URL van de afsprakenpagina op te hogen zie ik afspraken (naam, datum, afdeling) van andere patiënten. Er is geen controle of de afspraak bij de ingelogde patiënt hoort (IDOR).',
      steps: '1. Log in als patiënt.\n2. Open /afspraken?id=1041 (eigen afspraak).\n3. Verander het id in 1040.',
      impact: 'Inzage in afspraken van alle patiënten van het ziekenhuis.',
      finderName: 'Sanne de Onderzoeker',
      finderEmail: 'sanne@onderzoeker.example',
      credit: 'name',
      sharesAttachments: false,
      language: 'nl',
    }),
    [],
    { intake: 'form', encrypted: true, receivedAt: daysAgo(6) },
  );
  await addScopeParties(analyst, portal.id);
  const withNoord = await repo.partiesOf(analyst.db, portal.id);
  const noordParty = withNoord.find((p) => p.kind === 'participant');
  const finder = withNoord.find((p) => p.kind === 'finder');
  if (noordParty && finder) {
    await sendMessage(analyst, portal.id, { partyId: noordParty.id, body: 'Wij ontvingen een melding over de afsprakenpagina van uw patiëntenportaal (zie de melding). Kunt u bevestigen dat u dit herkent en wanneer een oplossing verwacht wordt?' });
    const ciso = await as('ciso@ziekenhuis-noord.example');
    await partyReply(ciso, portal.id, 'Herkend; onze leverancier zet maandag een correctie live. Wij laten het weten als het opgelost is.');
    const inbound = (await repo.messagesOf(analyst.db, portal.id, noordParty.id)).find((m) => m.direction === 'in');
    await sendMessage(analyst, portal.id, { partyId: finder.id, body: 'Dank voor uw melding. De organisatie heeft het probleem bevestigd; een correctie volgt volgende week. Wij houden u op de hoogte.', relayedFromId: inbound?.id });
  }

  const pump = await submitReport(
    analyst,
    ReportInput.parse({
      targetKind: 'product',
      vendor: 'MedTech Devices',
      product: 'InfuCare pump',
      model: 'IC-400',
      version: '4.2',
      title: 'Service port accepts unauthenticated dose-table updates',
      description: 'The maintenance service on TCP port 2101 of the InfuCare IC-400 accepts a new drug library without any authentication from anywhere on the hospital network.',
      steps: 'Send a crafted library upload frame to port 2101 (details in the encrypted attachment we agreed to share later).',
      impact: 'An attacker on the clinical network can change dose limits of infusion pumps.',
      anonymous: true,
      credit: 'alias',
      creditName: 'pumphacker',
      language: 'en',
    }),
    [],
    { intake: 'form', encrypted: true, receivedAt: daysAgo(20) },
  );
  await addProductParties(analyst, pump.id);
  if (orgIds.vendor) await addParty(analyst, pump.id, { kind: 'manufacturer', organisationId: orgIds.vendor, name: undefined, language: 'en', notify: true });
  await patchCase(analyst, pump.id, { cvssVector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:N/I:H/A:H', cweId: 'CWE-306', assigneeUserId: analyst.actor?.userId ?? null });

  // An earlier report that ended in the published InfuCare advisory: its finder is on the public
  // acknowledgements page under the name they chose.
  const published = await analyst.db
    .selectFrom('products')
    .select('id')
    .where('status', '=', 'published')
    .where('tlp', '=', 'CLEAR')
    .where('title', 'like', '%InfuCare%')
    .executeTakeFirst();
  if (published) {
    const earlier = await submitReport(
      analyst,
      ReportInput.parse({
        targetKind: 'product',
        vendor: 'MedTech Devices',
        product: 'InfuCare pump',
        model: 'IC-400',
        version: '4.1',
        title: 'Web interface of the network module skips the session check',
        description: 'Every page of the network module’s web interface answers without a valid session: the login page is the only page that checks it.',
        finderName: 'Joost Meijer',
        finderEmail: 'joost@pentest.example',
        credit: 'alias',
        creditName: 'J. Meijer (Pentest Example)',
        language: 'en',
      }),
      [],
      { intake: 'form', encrypted: false, receivedAt: daysAgo(120) },
    );
    await patchCase(analyst, earlier.id, { status: 'triaged', cveId: 'CVE-2026-50001', cweId: 'CWE-306' });
    await setAdvisory(analyst.db, earlier.id, published.id);
    await patchCase(analyst, earlier.id, { status: 'fixed' });
    await patchCase(analyst, earlier.id, { status: 'disclosed' });
  }

  // Nobody has answered this one yet: four days in, its clock is the dashboard's first line.
  await submitReport(
    analyst,
    ReportInput.parse({
      targetKind: 'system',
      target: '192.0.2.25',
      title: 'Open RDP with default local administrator on a lab workstation',
      description: 'Port 3389 on 192.0.2.25 answers and the local administrator account accepts the vendor default password.',
      impact: 'Remote takeover of a laboratory workstation.',
      finderEmail: 'scanner@researcher.example',
      credit: 'none',
      language: 'en',
    }),
    [],
    { intake: 'form', encrypted: false, receivedAt: daysAgo(4) },
  );
}
