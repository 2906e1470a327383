import { createInstance } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/api-client';
import { en, nl } from '../i18n/resources';
import { errorText } from './error-alert';

// The server speaks English; a Dutch reader gets the interface's text for a known error code,
// with the server's specifics after it, and the server's message for codes the interface does not know.
async function translator(language: 'nl' | 'en') {
  const i18n = createInstance();
  await i18n.init({ lng: language, resources: { nl: { translation: nl }, en: { translation: en } }, interpolation: { escapeValue: false } });
  return i18n.t;
}

describe('error texts', () => {
  it('reads a known code in the reader’s language, the server’s message as the detail', async () => {
    const t = await translator('nl');
    const error = new ApiError(400, 'report_unreadable', "No known report has the columns 'foo', 'bar'.");
    expect(errorText(error, t)).toBe("Het bestand kon niet als rapport worden gelezen. Toelichting van de server: No known report has the columns 'foo', 'bar'.");
    expect(errorText(new ApiError(404, 'finding_not_found', 'That finding does not exist or you may not see it.'), t)).toContain('Dit bestaat niet (meer)');
  });

  it('falls back to the server’s message, or to a general text', async () => {
    const t = await translator('nl');
    expect(errorText(new ApiError(409, 'some_new_code', 'Something specific.'), t)).toBe('Something specific.');
    expect(errorText(null, t)).toBe('Er ging iets mis. Probeer het opnieuw.');
    expect(errorText(new ApiError(403, 'forbidden', 'You are not allowed to do this.'), await translator('en'))).toBe(
      'Your role does not allow this. Details from the server: You are not allowed to do this.',
    );
  });
});
