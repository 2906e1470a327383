import type { Ctx } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import { chromiumAvailable } from '#lib/pdf.ts';
import * as service from '#modules/publications/publication.service.ts';
import * as repo from '#modules/publications/publication.repository.ts';
import type { PublicationInput } from '#modules/publications/publication.schema.ts';

/**
 * The publications module's demo data: a TLP:CLEAR factsheet on the public site, a GREEN whitepaper
 * for participants, an AMBER whitepaper for two named hospitals, and an English factsheet whose
 * review is overdue. Printed to PDF now when Chromium is there; otherwise published as Markdown and
 * printed on the first download, so `npm start` never fails for want of Chromium.
 */

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const RANSOMWARE = `## Waarom de zorg?

Zorginstellingen kunnen niet lang zonder hun systemen: afspraken, medicatie en labuitslagen staan erin.
Aanvallers weten dat, en vragen daarom hoge bedragen.

## Wat u vandaag kunt doen

1. **Offline back-ups**: bewaar minstens één kopie buiten het netwerk en test het terugzetten elk kwartaal.
2. **MFA** op alle toegang van buitenaf (VPN, webmail, beheer op afstand).
3. **Patch** internetgerichte systemen binnen 72 uur na een kritieke kwetsbaarheid.
4. **Segmenteer** medische apparatuur van het kantoornetwerk.

## Als het toch gebeurt

- Koppel getroffen systemen los, maar zet ze **niet** uit (geheugen is bewijs).
- Meld het bij Zorg-CERT via het portaal of het meldnummer.
- Betaal niet zonder overleg: betalen garandeert geen herstel.

| Maatregel | Kosten | Effect |
|---|---|---|
| Offline back-up | laag | hoog |
| MFA | laag | hoog |
| Segmentatie | middel | hoog |
`;

const SEGMENTATION = `## Samenvatting

Medische apparatuur draait vaak op verouderde besturingssystemen. Segmentatie beperkt de schade als
het kantoornetwerk wordt geraakt.

## Aanpak in vier stappen

1. Inventariseer apparaten (per afdeling, met leverancier en versie).
2. Deel in zones in (beeldvorming, monitoring, laboratorium).
3. Sta per zone alleen het nodige verkeer toe; log de rest.
4. Spreek met leveranciers af hoe zij op afstand onderhoud doen.

## Voorbeeldregels

Adresbereik \`192.0.2.0/26\` (zone beeldvorming) mag alleen naar het PACS op \`192.0.2.10\`.
`;

const SUPPLIER = `## Aanleiding

Bij een leverancier van patiëntportalen is ingebroken via een beheeraccount zonder MFA. Twee
deelnemers waren klant; dit stuk deelt wat zij leerden.

## Lessen

- Vraag leveranciers naar hun toegang tot uw omgeving, en leg die vast.
- Eis MFA en logging voor beheer op afstand.
- Oefen het scenario "leverancier gecompromitteerd" in de crisisoefening.
`;

const REMOTE = `## Remote access for suppliers

Suppliers of medical devices often need remote access. Use a jump host, time-limited accounts,
MFA and session recording. Review the list of supplier accounts every quarter.
`;

async function publishDemo(ctx: Ctx, input: PublicationInput): Promise<void> {
  const id = await service.createPublication(ctx, input);
  if (chromiumAvailable()) {
    try {
      await service.publishPublication(ctx, id);
      return;
    } catch (err) {
      // Chromium is there but did not print (it would not start, or crashed): keep the Markdown and
      // print on the first download. The demo must load on any machine.
      ctx.services.log.warn({ err: err instanceof AppError ? err.code : String(err) }, 'demo publication not printed; it will be printed on first download');
    }
  }
  await repo.markPublished(ctx.db, id, 1, new Date());
  await repo.refreshSearch(ctx.db, id);
}

export async function loadDemoPublication(analyst: Ctx, as: (email: string) => Promise<Ctx>, orgIds: Record<string, string>): Promise<void> {
  void as;
  const base = { recipients: [], changeNote: 'Eerste versie', audience: { kind: 'community' as const, segments: [], contactRoles: [] } };
  await publishDemo(analyst, {
    ...base,
    kind: 'factsheet',
    title: 'Ransomware in de zorg',
    summary: 'Wat ransomware voor zorginstellingen betekent, vier maatregelen voor vandaag en wat te doen als het toch gebeurt.',
    tags: ['ransomware', 'back-ups', 'mfa'],
    language: 'nl',
    tlp: 'CLEAR',
    reviewBy: day(180),
    markdown: RANSOMWARE,
  });
  await publishDemo(analyst, {
    ...base,
    kind: 'whitepaper',
    title: 'Segmentatie van medische apparatuur',
    summary: 'Een aanpak in vier stappen om medische apparatuur af te schermen van het kantoornetwerk.',
    tags: ['segmentatie', 'medische technologie'],
    language: 'nl',
    tlp: 'GREEN',
    audience: { kind: 'participants', segments: [], contactRoles: [] },
    reviewBy: day(365),
    markdown: SEGMENTATION,
  });
  const named = ['Ziekenhuis Noord', 'Universitair Medisch Centrum Zuid'].map((n) => orgIds[n]).filter((id): id is string => Boolean(id));
  await publishDemo(analyst, {
    ...base,
    kind: 'whitepaper',
    title: 'Lessen uit een inbraak bij een leverancier van patiëntportalen',
    summary: 'Wat twee ziekenhuizen leerden van een incident bij hun leverancier.',
    tags: ['leveranciers', 'incident'],
    language: 'nl',
    tlp: 'AMBER',
    recipients: named.map((organisationId) => ({ organisationId })),
    reviewBy: day(90),
    markdown: SUPPLIER,
  });
  await publishDemo(analyst, {
    ...base,
    kind: 'factsheet',
    title: 'Remote access for suppliers',
    summary: 'Five rules for remote maintenance by suppliers of medical devices.',
    tags: ['remote access', 'suppliers'],
    language: 'en',
    tlp: 'GREEN',
    changeNote: 'First version',
    // Overdue on purpose: the CERT's list of reviews due is not empty in the demo.
    reviewBy: day(-14),
    markdown: REMOTE,
  });
}
