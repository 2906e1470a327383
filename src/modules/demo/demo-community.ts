import type { Ctx } from '#server/context.ts';
import { createSpace } from '#modules/community/community.service.ts';
import { createThread, hidePost, markAnswer, moderateThread, reply } from '#modules/community/community-post.service.ts';

/**
 * The community's demo data: four spaces with threads among the demo participants, the partner,
 * the vendor and the CERT. GGZ Oost is no member of "Medische technologie" (a space for hospitals
 * and UMCs), and the MSSP is no member of the CISOs' space. Documentation names only.
 */
export async function loadDemoCommunity(analyst: Ctx, as: (email: string) => Promise<Ctx>, orgIds: Record<string, string>): Promise<void> {
  const carla = await as('ciso@ziekenhuis-noord.example');
  const daan = await as('it@ziekenhuis-noord.example');
  const eva = await as('ciso@umc-zuid.example');
  const femke = await as('soc@secureops.example');
  const gert = await as('psirt@medtech.example');
  const zuid = orgIds['Universitair Medisch Centrum Zuid'];

  const cisos = await createSpace(analyst, {
    name: 'CISO’s',
    description: 'Voor de CISO’s van de deelnemers: beleid, NIS2 en wat je aan je bestuur vertelt.',
    roles: ['participant-admin'],
    organisationKinds: ['participant'],
    segments: [],
    memberOrganisationIds: [],
  });
  const it = await createSpace(analyst, {
    name: 'IT-beheer',
    description: 'Patchen, monitoring en beheer, samen met de IT-leveranciers en MSSP’s van de deelnemers.',
    roles: ['participant-admin', 'participant-member', 'partner'],
    organisationKinds: ['participant', 'partner'],
    segments: [],
    memberOrganisationIds: [],
  });
  const medtech = await createSpace(analyst, {
    name: 'Medische technologie',
    description: 'Beveiliging van medische apparatuur in ziekenhuizen en UMC’s, met de fabrikanten.',
    roles: ['participant-admin', 'participant-member', 'partner'],
    organisationKinds: ['participant', 'vendor'],
    segments: ['hospital', 'umc'],
    memberOrganisationIds: [],
  });
  await createSpace(analyst, {
    name: 'Privacy',
    description: 'Voor FG’s en privacy officers: datalekken, DPIA’s en de AVG.',
    roles: ['participant-admin', 'participant-member'],
    organisationKinds: ['participant'],
    segments: [],
    memberOrganisationIds: [],
  });

  const welcome = await createThread(analyst, cisos.id, {
    title: 'Welkom in de CISO-ruimte',
    body: 'Welkom! Deel hier hoe je organisatie met beveiliging omgaat. Markeer elk bericht met een **TLP**-label; TLP:RED en AMBER+STRICT zien alleen de organisaties die je noemt.',
    tlp: 'GREEN',
    recipients: [],
  });
  await moderateThread(analyst, welcome.id, { pinned: true, locked: true });

  const nis2 = await createThread(carla, cisos.id, {
    title: 'NIS2-registratie: hoe pakken jullie het aan?',
    body: 'Wij twijfelen of we ons als *essentiële* of *belangrijke* entiteit moeten registreren. Hoe hebben jullie dat bepaald?\n\n@ciso@umc-zuid.example, jullie zijn hier al verder mee?',
    tlp: 'GREEN',
    recipients: [],
  });
  const evaReply = await reply(eva, nis2.id, {
    body: 'Wij hebben de sectorbijlage gevolgd: ziekenhuizen zijn essentieel. Ons stappenplan:\n\n1. Inventarisatie van diensten\n2. Registratie bij het toezichthoudend portaal\n3. Meldprocedure aanpassen',
    tlp: 'GREEN',
    recipients: [],
  });
  const answer = evaReply.posts.at(-1);
  await reply(analyst, nis2.id, {
    body: 'Aanvulling van de CERT: de meldtermijn voor een vroege waarschuwing is **24 uur**. Zie ook onze factsheet.',
    tlp: 'GREEN',
    recipients: [],
  });
  if (answer) await markAnswer(carla, nis2.id, answer.id);

  const citrix = await createThread(daan, it.id, {
    title: 'Patchen van Citrix-gateways buiten kantoortijd',
    body: 'Wie patcht zijn gateways ’s nachts? Wij willen het onderhoudsvenster verkorten zonder de SEH te raken.',
    tlp: 'GREEN',
    recipients: [],
  });
  await reply(femke, citrix.id, {
    body: 'Bij onze klanten doen we het in twee rondes met een load balancer ervoor; zo blijft er altijd één node beschikbaar.',
    tlp: 'GREEN',
    recipients: [],
  });
  if (zuid)
    await reply(carla, citrix.id, {
      body: 'Voor UMC Zuid: onze wijzigingskalender met de exacte vensters staat in de bijlage die ik morgen deel.',
      tlp: 'AMBER',
      recipients: [{ organisationId: zuid }],
    });
  const spam = await reply(daan, citrix.id, { body: 'Test, test, graag negeren.', tlp: 'GREEN', recipients: [] });
  const spamPost = spam.posts.at(-1);
  if (spamPost) await hidePost(analyst, spamPost.id, 'Testbericht');

  const pumps = await createThread(gert, medtech.id, {
    title: 'Firmware-update infuuspompen MT-200',
    body: 'Voor de MT-200 is firmware 4.2 beschikbaar die de kwetsbaarheid in de webinterface verhelpt. Het updatevenster per pomp is ongeveer 10 minuten.',
    tlp: 'CLEAR',
    recipients: [],
  });
  await reply(eva, pumps.id, {
    body: 'Dank! Wij rollen uit per verpleegafdeling. Heeft iemand de update al op een afdeling met 24/7 bezetting gedaan?',
    tlp: 'GREEN',
    recipients: [],
  });
}
