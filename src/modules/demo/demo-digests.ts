import type { Ctx } from '#server/context.ts';
import { amsterdamDay } from '#modules/monitoring/working-days.ts';
import * as service from '#modules/digests/digest.service.ts';
import { sendDigest } from '#modules/digests/digest-send.service.ts';
import { ensureDigest } from '#modules/digests/digest-assembly.ts';
import { addDays, previousMonthOf, weekPeriodOf } from '#modules/digests/digest-period.ts';

/**
 * The digests' demo data: last week's end-of-week digest, sent (media items and a background link;
 * the demo's products were all published this week), this week's digest assembled from the demo
 * products and held (so the demo never mails it by itself; an editor releases or sends it), and the
 * previous month's digest with the experts' commentary, in review for a second analyst.
 * Links point at .example hosts only.
 */
export async function loadDemoDigests(analyst: Ctx): Promise<void> {
  const today = amsterdamDay();
  const lastWeek = weekPeriodOf(addDays(today, -7));

  const sent = await ensureDigest(analyst, 'week', lastWeek);
  await service.updateDigest(analyst, sent.id, {
    introduction: 'Een rustige week voor de sector. Lees vooral het stuk over **phishing met QR-codes** in wachtkamers.',
  });
  await service.addMediaItem(analyst, {
    week: lastWeek,
    title: 'QR-codes in wachtkamers leiden naar nagemaakte inlogpagina',
    url: 'https://nieuws.example/zorg/qr-phishing',
    sourceName: 'Zorgnieuws (demo)',
    summary: 'Op posters in wachtkamers zijn QR-codes geplakt die naar een nagemaakt patiëntportaal leiden.',
    tlp: 'CLEAR',
    storyId: null,
  });
  await service.addMediaItem(analyst, {
    week: lastWeek,
    title: 'Leverancier van infuuspompen kondigt nieuwe firmware aan',
    url: 'https://psirt.medtech.example/news/firmware-4-3',
    sourceName: 'MedTech Devices PSIRT',
    summary: 'Firmware 4.3 verschijnt voor alle regio’s; beheerders worden gevraagd de update te plannen.',
    tlp: 'GREEN',
    storyId: null,
  });
  await service.addEntry(analyst, sent.id, {
    kind: 'link',
    title: 'Achtergrond: netwerksegmentatie van medische apparatuur',
    url: 'https://kennisbank.example/segmentatie',
    sourceName: 'Kennisbank (demo)',
    summary: '',
    tlp: 'CLEAR',
  });
  await sendDigest(analyst, sent.id, 'person');

  const current = await ensureDigest(analyst, 'week', weekPeriodOf(today));
  await service.updateDigest(analyst, current.id, { introduction: 'Deze week publiceerden we adviezen over infuuspompen en VPN-servers.' });
  await service.hold(analyst, current.id);

  const month = await ensureDigest(analyst, 'month', previousMonthOf(today));
  await service.updateDigest(analyst, month.id, {
    introduction: 'Het maandoverzicht: wat we publiceerden en wat we zagen.',
    commentary: [
      'Onze analisten zagen deze maand **meer scans op VPN-servers** van zorginstellingen.',
      '',
      '- Zet MFA aan op alle toegang van buitenaf.',
      '- Controleer de logboeken op inlogpogingen van onbekende adressen.',
    ].join('\n'),
  });
  // Sanne (the second analyst) or Anna approves it; its author may not.
  await service.submitForReview(analyst, month.id);
}
