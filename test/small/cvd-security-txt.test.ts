import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKey } from 'openpgp';
import { describe, expect, it } from 'vitest';
import {
  buildSecurityTxt,
  cleartextSign,
  parseSecurityTxt,
  securityTxtWarnings,
  type SecurityTxtCode,
  type SecurityTxtInput,
} from '#modules/cvd/security-txt.ts';
import { AppError } from '#server/errors.ts';
import { gpgAvailable, runGpg } from '../helpers/gpg.ts';

const NOW = new Date('2026-03-01T12:00:00Z');

const input: SecurityTxtInput = {
  contacts: ['https://cert.example/cvd?org=42', 'mailto:cvd@cert.example'],
  expires: new Date('2026-12-31T23:00:00.250Z'),
  encryption: 'https://cert.example/cvd/pgp-key.asc',
  acknowledgments: 'https://cert.example/cvd/acknowledgements',
  policy: 'https://cert.example/cvd/policy',
  canonical: ['https://www.ziekenhuis.example/.well-known/security.txt'],
  preferredLanguages: ['nl', 'en'],
  csaf: ['https://cert.example/.well-known/csaf/provider-metadata.json'],
  comment: 'Ziekenhuis Voorbeeld laat meldingen van kwetsbaarheden\nbehandelen door ZCERT.',
};

const codes = (text: string, now = NOW): SecurityTxtCode[] => parseSecurityTxt(text, { now }).problems.map((p) => p.code);

function refusal(patch: Partial<SecurityTxtInput>): string {
  try {
    buildSecurityTxt({ ...input, ...patch }, NOW);
  } catch (e) {
    if (e instanceof AppError && e.kind === 'bad_request') return e.code;
    throw e;
  }
  return 'built';
}

describe('buildSecurityTxt', () => {
  it('writes the fields in order, LF line ends, Expires in UTC with Z', () => {
    expect(buildSecurityTxt(input, NOW)).toBe(
      [
        '# Ziekenhuis Voorbeeld laat meldingen van kwetsbaarheden',
        '# behandelen door ZCERT.',
        'Contact: https://cert.example/cvd?org=42',
        'Contact: mailto:cvd@cert.example',
        'Expires: 2026-12-31T23:00:00Z',
        'Encryption: https://cert.example/cvd/pgp-key.asc',
        'Acknowledgments: https://cert.example/cvd/acknowledgements',
        'Preferred-Languages: nl, en',
        'Canonical: https://www.ziekenhuis.example/.well-known/security.txt',
        'Policy: https://cert.example/cvd/policy',
        'CSAF: https://cert.example/.well-known/csaf/provider-metadata.json',
        '',
      ].join('\n'),
    );
  });

  it('round trip: what we build parses with no problem but the missing signature', () => {
    const parsed = parseSecurityTxt(buildSecurityTxt(input, NOW), { now: NOW });
    expect(parsed.problems.map((p) => p.code)).toEqual(['not_signed']);
    expect(parsed.signed).toBe(false);
    expect(parsed.fields.map((f) => f.name)).toEqual([
      'Contact',
      'Contact',
      'Expires',
      'Encryption',
      'Acknowledgments',
      'Preferred-Languages',
      'Canonical',
      'Policy',
      'CSAF',
    ]);
    expect(parsed.fields.find((f) => f.name === 'Expires')).toEqual({ name: 'Expires', value: '2026-12-31T23:00:00Z', line: 5 });
  });

  it('refuses bad input with the sectxt codes', () => {
    const cases: [Partial<SecurityTxtInput>, string][] = [
      [{ contacts: [] }, 'no_contact'],
      [{ contacts: ['cvd@cert.example'] }, 'no_uri'],
      [{ contacts: ['xmpp:cvd@cert.example'] }, 'invalid_uri_scheme'],
      [{ contacts: ['http://cert.example/cvd'] }, 'no_https'],
      [{ contacts: [''] }, 'empty_value'],
      [{ policy: 'http://cert.example/policy' }, 'no_https'],
      [{ encryption: 'ftp://cert.example/key.asc' }, 'invalid_uri_scheme'],
      [{ csaf: ['https://cert.example/csaf/index.txt'] }, 'no_csaf_file'],
      [{ expires: new Date('2026-02-28T00:00:00Z') }, 'expired'],
      [{ expires: NOW }, 'expired'],
      [{ expires: new Date('not a date') }, 'invalid_expiry'],
      [{ preferredLanguages: ['nl,en'] }, 'invalid_lang'],
      [{ contacts: ['mailto:cvd@cert.example\nContact: mailto:evil@attacker.example'] }, 'invalid_line'],
      [{ canonical: ['https://www.ziekenhuis.example/.well-known/security.txt\r'] }, 'invalid_line'],
    ];
    for (const [patch, code] of cases) expect(refusal(patch), JSON.stringify(patch)).toBe(code);
    expect(refusal({ encryption: 'openpgp4fpr:5f2de5521c63a801ab59ccb603d49de44b29100f' })).toBe('built');
    expect(refusal({ contacts: ['tel:+31-20-555-0100'] })).toBe('built');
  });

  it('warns for an expiry more than a year ahead and for mail without an Encryption field', () => {
    expect(securityTxtWarnings(input, NOW)).toEqual([]);
    const later = { ...input, expires: new Date('2027-03-02T00:00:00Z'), encryption: undefined };
    expect(securityTxtWarnings(later, NOW).map((w) => w.code)).toEqual(['long_expiry', 'no_encryption']);
    expect(codes(buildSecurityTxt(later, NOW))).toEqual(['long_expiry', 'not_signed', 'no_encryption']);
  });
});

describe('parseSecurityTxt', () => {
  const file = (...lines: string[]) => `${lines.join('\n')}\n`;
  const CONTACT = 'Contact: mailto:cvd@cert.example';
  const EXPIRES = 'Expires: 2026-12-31T23:00:00Z';
  const ENCRYPTION = 'Encryption: https://cert.example/key.asc';

  it('triggers each code on the line that has it', () => {
    const cases: [string, SecurityTxtCode, number | undefined][] = [
      [file(EXPIRES), 'no_contact', undefined],
      [file(CONTACT, ENCRYPTION), 'no_expire', undefined],
      [file(CONTACT, ENCRYPTION, EXPIRES, EXPIRES), 'multi_expire', 4],
      [file(CONTACT, ENCRYPTION, 'Expires: 31-12-2026'), 'invalid_expiry', 3],
      [file(CONTACT, ENCRYPTION, 'Expires: 2026-02-01T00:00:00Z'), 'expired', 3],
      [file(CONTACT, ENCRYPTION, 'Expires: 2027-06-01T00:00:00+02:00'), 'long_expiry', 3],
      [file('Contact: ftp://cert.example/x', EXPIRES), 'invalid_uri_scheme', 1],
      [file('Contact: cvd@cert.example', EXPIRES), 'no_uri', 1],
      [file('Contact: http://cert.example/cvd', EXPIRES), 'no_https', 1],
      [file(CONTACT, ENCRYPTION, EXPIRES, 'Preferred-Languages: nl', 'Preferred-Languages: en'), 'multi_lang', 5],
      [file(CONTACT, ENCRYPTION, EXPIRES, 'Preferred-Languages: nl, english!'), 'invalid_lang', 4],
      [file(CONTACT, ENCRYPTION, EXPIRES, 'this is not a field'), 'invalid_line', 4],
      [file(CONTACT, ENCRYPTION, EXPIRES, 'Policy : https://cert.example/p'), 'prec_ws', 4],
      [file(CONTACT, ENCRYPTION, EXPIRES, 'Policy:https://cert.example/p'), 'no_space', 4],
      [file(CONTACT, ENCRYPTION, EXPIRES, ': https://cert.example/p'), 'empty_key', 4],
      [file(CONTACT, ENCRYPTION, EXPIRES, 'Policy: '), 'empty_value', 4],
      [file(CONTACT, ENCRYPTION, EXPIRES, 'CSAF: https://cert.example/csaf.json'), 'no_csaf_file', 4],
      [`${CONTACT}\n${ENCRYPTION}\n${EXPIRES}`, 'no_line_separators', undefined],
      [file(CONTACT, EXPIRES), 'no_encryption', undefined],
      [file(CONTACT, ENCRYPTION, EXPIRES, 'X-Bug-Bounty: https://cert.example/b'), 'unknown_field', 4],
      [file('Hash: SHA256', '', CONTACT, EXPIRES, '-----BEGIN PGP SIGNATURE-----', 'x', '-----END PGP SIGNATURE-----'), 'signed_format_issue', 1],
    ];
    for (const [text, code, line] of cases) {
      const found = parseSecurityTxt(text, { now: NOW }).problems.find((p) => p.code === code);
      expect(found, `${code} in ${JSON.stringify(text)}`).toBeDefined();
      expect(found?.line, code).toBe(line);
    }
    // Field names are case-insensitive; CRLF line ends are fine.
    expect(codes(`contact: mailto:cvd@cert.example\r\nENCRYPTION: https://cert.example/k\r\nexpires: 2026-12-31T23:00:00Z\r\n`)).toEqual(['not_signed']);
  });

  it('reads and checks the content of a signed file', () => {
    const signed = [
      '-----BEGIN PGP SIGNED MESSAGE-----',
      'Hash: SHA512',
      '',
      CONTACT,
      ENCRYPTION,
      EXPIRES,
      '- --not a field but dash-escaped',
      '-----BEGIN PGP SIGNATURE-----',
      '',
      'iHUEARYKAB0WIQQ=',
      '-----END PGP SIGNATURE-----',
      'Contact: mailto:after@attacker.example',
      '',
    ].join('\n');
    const parsed = parseSecurityTxt(signed, { now: NOW });
    expect(parsed.signed).toBe(true);
    expect(parsed.fields.map((f) => [f.name, f.line])).toEqual([
      ['Contact', 4],
      ['Encryption', 5],
      ['Expires', 6],
    ]);
    expect(parsed.problems.map((p) => [p.code, p.line])).toEqual([
      ['data_after_sig', 12],
      ['invalid_line', 7],
      ['no_canonical', undefined],
    ]);
  });
});

describe('cleartextSign', () => {
  it('signs so that the file still parses, and GnuPG verifies it', async () => {
    const { privateKey, publicKey } = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy', // v4 Ed25519 keys, which GnuPG 2.2 reads (see keys/openpgp-key.ts)
      userIDs: [{ name: 'ZCERT CVD', email: 'cvd@cert.example' }],
      format: 'object',
    });
    const text = buildSecurityTxt(input, NOW);
    const signed = await cleartextSign(text, privateKey);
    expect(signed.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\n')).toBe(true);
    expect(signed).not.toMatch(/\r/);
    const parsed = parseSecurityTxt(signed, { now: NOW });
    expect(parsed.problems).toEqual([]);
    expect(parsed.fields).toEqual(parseSecurityTxt(text, { now: NOW }).fields.map((f) => ({ ...f, line: f.line + signed.split('\n').indexOf('') + 1 })));

    if (!gpgAvailable()) {
      console.warn('Skipping the GnuPG check of the signed security.txt: gpg is not installed (apt-get install -y gnupg).');
      return;
    }
    const home = await mkdtemp(path.join(tmpdir(), 'wp-gpg-'));
    try {
      const env = { ...process.env, GNUPGHOME: home };
      await writeFile(path.join(home, 'key.asc'), publicKey.armor());
      await writeFile(path.join(home, 'security.txt.asc'), signed);
      await writeFile(path.join(home, 'tampered.asc'), signed.replace('mailto:cvd@cert.example', 'mailto:cvd@attacker.example'));
      const imported = await runGpg(['--batch', '--import', path.join(home, 'key.asc')], env);
      expect(imported.code, imported.stderr).toBe(0);
      const verify = (file: string) => runGpg(['--batch', '--status-fd', '1', '--verify', path.join(home, file)], env);
      const good = await verify('security.txt.asc');
      expect(good.code, good.stderr).toBe(0);
      expect(good.stdout.toString()).toMatch(/\[GNUPG:\] GOODSIG/);
      // What GnuPG says was signed is our text, line for line.
      const content = await runGpg(['--batch', '--decrypt', path.join(home, 'security.txt.asc')], env);
      expect(content.stdout.toString().replace(/\r\n/g, '\n').trimEnd()).toBe(text.trimEnd());
      const bad = await verify('tampered.asc');
      expect(bad.code).not.toBe(0);
      expect(bad.stdout.toString()).toMatch(/\[GNUPG:\] BADSIG/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
