import type { Ctx } from '#server/context.ts';
import { createMeeting } from '#modules/meetings/meeting.service.ts';
import { respond } from '#modules/meetings/rsvp.service.ts';
import { uploadMaterial } from '#modules/meetings/material.service.ts';
import { MeetingInput } from '#modules/meetings/meeting.schema.ts';

/**
 * The meetings module's demo: an upcoming "Netwerkbijeenkomst CISO's" for the community (GREEN) with
 * a few RSVPs and a short waiting list, and a past one for two named hospitals (AMBER) with its
 * slides and its minutes (RED for one of them). Documentation names only.
 */
export async function loadDemoMeeting(analyst: Ctx, as: (email: string) => Promise<Ctx>, orgIds: Record<string, string>): Promise<void> {
  const day = 86_400_000;
  // Upcoming: three weeks from now, 14:00–17:00 Amsterdam time (13:00 UTC in winter is close enough for a demo).
  const start = new Date(Math.ceil(Date.now() / day) * day + 21 * day + 13 * 3600_000);
  const upcoming = await createMeeting(
    analyst,
    MeetingInput.parse({
      title: "Netwerkbijeenkomst CISO's",
      description: 'Twee keer per jaar komen de CISO’s van de deelnemers samen om ervaringen te delen. **Alleen voor deelnemers en partners** (TLP:GREEN).',
      agenda:
        '1. Welkom en mededelingen van de CERT\n2. Dreigingsbeeld zorg, tweede helft van het jaar\n3. Casus: herstel na ransomware bij een ziekenhuis\n4. NIS2 in de praktijk: ervaringen met de meldplicht\n5. Borrel',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 3 * 3600_000).toISOString(),
      place: 'Vergadercentrum, Utrecht',
      onlineUrl: 'https://meet.cert.example/ciso-netwerk',
      capacity: 2,
      rsvpDeadline: new Date(start.getTime() - 2 * day).toISOString(),
      language: 'nl',
      tlp: 'GREEN',
    }),
  );
  // Two seats, three answers: the last one shows the waiting list.
  for (const email of ['ciso@ziekenhuis-noord.example', 'ciso@umc-zuid.example', 'soc@secureops.example']) {
    await respond(await as(email), upcoming.id, { response: 'going' });
  }

  const past = new Date(Math.floor(Date.now() / day) * day - 60 * day + 13 * 3600_000);
  const named = ['Ziekenhuis Noord', 'Universitair Medisch Centrum Zuid'].map((n) => orgIds[n]).filter((id): id is string => Boolean(id));
  const previous = await createMeeting(
    analyst,
    MeetingInput.parse({
      title: 'Werksessie incidentrespons ransomware',
      description: 'Terugblik op de oefening van dit voorjaar met twee ziekenhuizen.',
      agenda: '1. Verloop van de oefening\n2. Wat ging goed, wat kan beter\n3. Afspraken',
      startsAt: past.toISOString(),
      endsAt: new Date(past.getTime() + 2 * 3600_000).toISOString(),
      place: 'Ziekenhuis Noord, zaal 3',
      language: 'nl',
      tlp: 'AMBER',
      recipients: named.map((organisationId) => ({ organisationId })),
    }),
  );
  const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
  await uploadMaterial(analyst, previous.id, {
    kind: 'slides',
    title: 'Presentatie oefening',
    tlp: 'AMBER',
    recipients: [],
    fileName: 'presentatie-oefening.pdf',
    content: pdf('Presentatie'),
  });
  const noord = orgIds['Ziekenhuis Noord'];
  if (noord)
    await uploadMaterial(analyst, previous.id, {
      kind: 'minutes',
      title: 'Notulen',
      tlp: 'RED',
      recipients: [noord],
      fileName: 'notulen.pdf',
      content: pdf('Notulen'),
    });
}
