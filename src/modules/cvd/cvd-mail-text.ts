import type { MailMessage } from '#modules/mail/mail.types.ts';

/**
 * The mails of the CVD relay. None carries the content of a message or the name of another party:
 * a notice says there is something new and where to read it (the private link or the portal), so a
 * plain-text mail leaks nothing that the channel keeps apart.
 */

type Lang = 'nl' | 'en';
type Draft = Omit<MailMessage, 'messageId'>;

const amsterdam = (d: Date, lang: Lang): string =>
  new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam', dateStyle: 'long' }).format(d);

export function acknowledgementMail(p: { to: string; reference: string; link: string; language: Lang; firstResponseDue: Date }): Draft {
  const due = amsterdam(p.firstResponseDue, p.language);
  if (p.language === 'en')
    return {
      to: p.to,
      subject: `[${p.reference}] Your vulnerability report was received`,
      text: `Thank you for your report. Its case number is ${p.reference}.\n\nFollow the case and exchange messages with us through your private link:\n${p.link}\n\nKeep this link to yourself: anyone who has it can read the case. We answer within five working days, at the latest on ${due}.\n`,
    };
  return {
    to: p.to,
    subject: `[${p.reference}] Uw melding van een kwetsbaarheid is ontvangen`,
    text: `Dank voor uw melding. Het zaaknummer is ${p.reference}.\n\nVolg de zaak en wissel berichten met ons uit via uw persoonlijke link:\n${p.link}\n\nHoud deze link voor uzelf: wie hem heeft, kan de zaak lezen. Wij reageren binnen vijf werkdagen, uiterlijk op ${due}.\n`,
  };
}

/** A new message from the CERT in a channel; `link` is the private link (outside parties) or the portal page. */
export function newMessageMail(p: { to: string; reference: string; link: string | null; language: Lang; viaPortal: boolean }): Draft {
  const where =
    p.language === 'en'
      ? p.viaPortal
        ? `Read it in the portal: ${p.link ?? ''}`
        : 'Read it through the private link you received with your case number.'
      : p.viaPortal
        ? `Lees het in het portaal: ${p.link ?? ''}`
        : 'Lees het via de persoonlijke link die u bij uw zaaknummer ontving.';
  if (p.language === 'en') return { to: p.to, subject: `[${p.reference}] New message from the CERT`, text: `There is a new message for you on case ${p.reference}.\n\n${where}\n` };
  return { to: p.to, subject: `[${p.reference}] Nieuw bericht van het CERT`, text: `Er staat een nieuw bericht voor u klaar in zaak ${p.reference}.\n\n${where}\n` };
}

/** A party is brought into a case (a participant, a manufacturer, another CERT). */
export function partyNoticeMail(p: { to: string; reference: string; title: string; link: string; language: Lang; disclosureDue: string; viaPortal: boolean }): Draft {
  if (p.language === 'en')
    return {
      to: p.to,
      subject: `[${p.reference}] A vulnerability report concerns you (embargo until ${p.disclosureDue})`,
      text: `The CERT received a report of a vulnerability that concerns your organisation: "${p.title}".\n\nRead the report and answer us ${p.viaPortal ? 'in the portal' : 'through this private link (keep it to yourself)'}:\n${p.link}\n\nThe information is under embargo until ${p.disclosureDue}: do not publish or pass it on before then without agreeing it with us.\n`,
    };
  return {
    to: p.to,
    subject: `[${p.reference}] Een melding van een kwetsbaarheid betreft u (embargo tot ${p.disclosureDue})`,
    text: `Het CERT ontving een melding van een kwetsbaarheid die uw organisatie betreft: "${p.title}".\n\nLees de melding en antwoord ons ${p.viaPortal ? 'in het portaal' : 'via deze persoonlijke link (houd hem voor uzelf)'}:\n${p.link}\n\nDe informatie valt onder embargo tot ${p.disclosureDue}: publiceer of deel haar niet eerder zonder dat met ons af te spreken.\n`,
  };
}

/** A reminder to the CERT: the first answer or the disclosure date of a case is near or past. */
export function reminderMail(p: { to: string; reference: string; title: string; clock: 'first_response' | 'disclosure'; stage: 'soon' | 'overdue'; due: string; link: string }): Draft {
  const what = p.clock === 'first_response' ? 'first answer to the finder (5 working days)' : 'target disclosure date';
  const state = p.stage === 'overdue' ? 'is past' : 'is near';
  return {
    to: p.to,
    subject: `[${p.reference}] CVD: ${what} ${state} (${p.due})`,
    text: `Case ${p.reference} "${p.title}": the ${what} ${state}: ${p.due}.\n\n${p.link}\n`,
  };
}

/** A new private link for a party without an account (the old one stops working). */
export function newLinkMail(p: { to: string; reference: string; link: string; language: Lang }): Draft {
  if (p.language === 'en') return { to: p.to, subject: `[${p.reference}] Your new private link`, text: `Your new private link to case ${p.reference} (the old one no longer works):\n${p.link}\n` };
  return { to: p.to, subject: `[${p.reference}] Uw nieuwe persoonlijke link`, text: `Uw nieuwe persoonlijke link naar zaak ${p.reference} (de oude werkt niet meer):\n${p.link}\n` };
}
