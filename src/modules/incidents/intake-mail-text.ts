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
