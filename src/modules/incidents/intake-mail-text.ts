/** The acknowledgement a reporter gets, in Dutch and English (the reporter's language is not known at intake). */
export function acknowledgement(reference: string, title: string, link: string): { subject: string; text: string } {
  const oneLine = title.replace(/[\r\n]+/g, ' ').slice(0, 120);
  return {
    subject: `[TLP:AMBER+STRICT] ${reference}: melding ontvangen / report received`,
    text: [
      `Wij hebben uw melding ontvangen en behandelen die onder nummer ${reference} ("${oneLine}").`,
      'Een analist neemt zo snel mogelijk contact met u op. Bij direct gevaar voor de patiëntenzorg: bel ons.',
      `Volg de melding in het portaal: ${link}`,
      '',
      `We received your report and handle it as ${reference} ("${oneLine}").`,
      'An analyst will contact you as soon as possible. If patient care is at risk right now, call us.',
      `Follow the case in the portal: ${link}`,
    ].join('\n'),
  };
}

/**
 * A notice to the people of a case's room that something waits for them in the portal. It names the
 * case and what happened, never what was written: the case's content stays behind the login.
 */
export function roomNotice(reference: string, what: { nl: string; en: string }, link: string, locale: 'nl' | 'en'): { subject: string; text: string } {
  if (locale === 'en') {
    return {
      subject: `[TLP:AMBER+STRICT] ${reference}: ${what.en}`,
      text: [
        `Incident ${reference}: ${what.en}.`,
        '',
        `Read it in the portal: ${link}`,
        '',
        'You receive this mail because your organisation takes part in this case.',
      ].join('\n'),
    };
  }
  return {
    subject: `[TLP:AMBER+STRICT] ${reference}: ${what.nl}`,
    text: [
      `Incident ${reference}: ${what.nl}.`,
      '',
      `Lees het in het portaal: ${link}`,
      '',
      'U ontvangt deze mail omdat uw organisatie bij deze melding betrokken is.',
    ].join('\n'),
  };
}
