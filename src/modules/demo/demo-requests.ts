import type { Ctx } from '#server/context.ts';
import { askQuestion, answer, addNote, openRequest } from '#modules/requests/request.service.ts';
import { createCanned, createTopic } from '#modules/requests/request-admin.service.ts';
import { createArticle } from '#modules/requests/knowledge.service.ts';

/**
 * The requests module's demo data: topics, canned answers, a question asked and answered by mail,
 * an open portal question, an overdue one, and two knowledge-base articles. Documentation names only.
 */
export async function loadDemoRequest(analyst: Ctx, as: (email: string) => Promise<Ctx>, orgIds: Record<string, string>): Promise<void> {
  for (const [nameNl, nameEn] of [
    ['Netwerksegmentatie', 'Network segmentation'],
    ['Wet- en regelgeving (NIS2, NEN 7510)', 'Laws and regulations (NIS2, NEN 7510)'],
    ['Medische apparatuur', 'Medical devices'],
    ['E-mailbeveiliging', 'E-mail security'],
  ] as const)
    await createTopic(analyst, { nameNl, nameEn });
  await createCanned(analyst, {
    title: 'Doorverwijzing naar incidentmelding',
    body: 'Dank voor uw vraag. Dit klinkt als een incident: meld het via **Incidenten → Melden** in het portaal, dan pakken we het direct op.',
    language: 'nl',
  });
  await createCanned(analyst, {
    title: 'Factsheet MFA',
    body: 'Zie onze factsheet over multifactorauthenticatie in de bibliotheek van het portaal.',
    language: 'nl',
  });

  // Asked and answered by mail.
  const noord = orgIds['Ziekenhuis Noord']!;
  const mailed = await openRequest(analyst, {
    organisationId: noord,
    askerUserId: null,
    askerEmail: 'it@ziekenhuis-noord.example',
    askerName: 'Daan Visser',
    topic: 'E-mailbeveiliging',
    subject: 'DMARC op reject zetten',
    channel: 'mail',
    language: 'nl',
    receivedAt: new Date(Date.now() - 5 * 86_400_000),
    question: {
      body: 'Wij willen DMARC voor ziekenhuis-noord.example op p=reject zetten. Welke stappen raden jullie aan?',
      fromAddress: 'it@ziekenhuis-noord.example',
      messageId: '<demo-dmarc-1@ziekenhuis-noord.example>',
    },
  });
  await answer(analyst, mailed.id, {
    body: 'Begin met `p=none` en verzamel twee weken rapportages (rua). Zet daarna alle legitieme afzenders in SPF en DKIM, ga naar `p=quarantine` en pas na nog twee schone weken naar `p=reject`.',
    close: false,
  });

  // Open, asked in the portal.
  const open = await askQuestion(await as('ciso@ziekenhuis-noord.example'), {
    topic: 'Netwerksegmentatie',
    subject: 'Infuuspompen in een eigen VLAN?',
    body: 'Onze leverancier wil de infuuspompen op het kantoornetwerk houden. Hoe gaan andere ziekenhuizen hiermee om?',
    language: 'nl',
  });
  await addNote(analyst, open.id, 'Intern: Ziekenhuis Rivierenland heeft dit vorig jaar opgelost; vraag of we hun aanpak mogen delen.');

  // Overdue: asked ten days ago and not answered.
  await openRequest(analyst, {
    organisationId: orgIds['Universitair Medisch Centrum Zuid']!,
    askerUserId: null,
    askerEmail: 'ciso@umc-zuid.example',
    askerName: 'Eva Smit',
    topic: 'Wet- en regelgeving (NIS2, NEN 7510)',
    subject: 'Valt ons lab onder NIS2?',
    channel: 'portal',
    language: 'nl',
    receivedAt: new Date(Date.now() - 10 * 86_400_000),
    question: { body: 'Ons klinisch lab is een aparte rechtspersoon. Valt het zelf onder NIS2, of via het UMC?' },
  });

  await createArticle(analyst, {
    title: 'DMARC stap voor stap naar p=reject',
    body: '## Vraag\n\nHoe zetten we DMARC op reject zonder legitieme mail te verliezen?\n\n## Antwoord\n\nBegin met `p=none` en verzamel twee weken rapportages. Zet alle legitieme afzenders in SPF en DKIM, ga naar `p=quarantine` en na twee schone weken naar `p=reject`.',
    tags: ['e-mail', 'dmarc'],
    language: 'nl',
    tlp: 'GREEN',
    sourceRequestId: mailed.id,
  });
  await createArticle(analyst, {
    title: 'Medical devices on a separate network segment',
    body: '## Question\n\nShould infusion pumps share the office network?\n\n## Answer\n\nNo: put them in a segment of their own and allow only the traffic to their management server. Agree this with the supplier in the contract.',
    tags: ['network', 'medical devices'],
    language: 'en',
    tlp: 'CLEAR',
  });
}
