import { tlpLabel, type Tlp } from '#lib/tlp.ts';

/** The community's mails in the reader's language (Dutch or English). Plain text: nothing to render or run. */

type Locale = 'nl' | 'en';

export function postMail(
  locale: Locale,
  p: { opening: boolean; spaceName: string; threadTitle: string; authorName: string; tlp: Tlp; content: string | null; url: string },
) {
  const tlp = tlpLabel(p.tlp);
  if (locale === 'nl') {
    const what = p.opening ? `Nieuw onderwerp in ${p.spaceName}` : `Nieuwe reactie in ${p.spaceName}`;
    const body = p.content ?? 'Het bericht is gemarkeerd boven TLP:GREEN; lees het in het portaal.';
    return {
      subject: `[${tlp}] ${what}: ${p.threadTitle}`,
      text: `${p.authorName} schreef in "${p.threadTitle}" (${p.spaceName}):\n\n${body}\n\n${p.url}\n\nHoe vaak je van deze ruimte hoort, stel je in op haar pagina in het portaal.\n`,
    };
  }
  const what = p.opening ? `New thread in ${p.spaceName}` : `New reply in ${p.spaceName}`;
  const body = p.content ?? 'The post is marked above TLP:GREEN; read it in the portal.';
  return {
    subject: `[${tlp}] ${what}: ${p.threadTitle}`,
    text: `${p.authorName} wrote in "${p.threadTitle}" (${p.spaceName}):\n\n${body}\n\n${p.url}\n\nChange how often you hear from this space on its page in the portal.\n`,
  };
}

export function digestMail(locale: Locale, p: { day: string; count: number; lines: string[] }) {
  if (locale === 'nl')
    return {
      subject: `Community: ${p.count} nieuw${p.count === 1 ? ' bericht' : 'e berichten'} (${p.day})`,
      text: `Nieuw in de community in het afgelopen etmaal:\n${p.lines.join('\n')}\n\nHoe vaak je van een ruimte hoort, stel je in op haar pagina in het portaal.\n`,
    };
  return {
    subject: `Community: ${p.count} new post${p.count === 1 ? '' : 's'} (${p.day})`,
    text: `New in the community in the past day:\n${p.lines.join('\n')}\n\nChange how often you hear from a space on its page in the portal.\n`,
  };
}

export const withheld = (locale: Locale) =>
  locale === 'nl' ? '(gemarkeerd boven TLP:GREEN; lees het in het portaal)' : '(marked above TLP:GREEN; read it in the portal)';
