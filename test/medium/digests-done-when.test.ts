import { sql } from 'kysely';
import { createMessage, decrypt, readKey, readMessage, readPrivateKey, readSignature, verify } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSigningKey, ensureSigningKey } from '../../src/modules/keys/signing-key.service.ts';
import { runDigestTick } from '../../src/modules/digests/digest-send.service.ts';
import type { DigestDetailOut, DigestOut, PreviewOut, RecipientsOut } from '../../src/modules/digests/digest.schema.ts';
import { addContact, decodeParts, encryptedPart, gpgDecrypt, makeContactKey, signedParts, type ContactKey, type Worker } from '../helpers/distribution.ts';
import { publishedAt, startDigestWorker, type DatedProduct } from '../helpers/digests.ts';
import { gpgAvailable, gpgVerify } from '../helpers/gpg.ts';
import { login, makeOrganisation, makeUser } from '../helpers/factories.ts';
import { makeCertTeam, type CertTeam } from '../helpers/products.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../helpers/smtp-sink.ts';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';

/*
 * The digest half of the issue's "Done when": the end-of-week of a test week lists exactly the
 * products each recipient was allowed to see, and the end-of-month shows the month's figures and
 * commentary. Real mail over SMTP (smtp-server), read back raw: decrypted with the contact's key,
 * the signature checked with OpenPGP.js and, where it is installed, GnuPG (gpg --verify, gpg --decrypt).
 */

const PUBLIC_URL = 'http://wachtpost.test.example';
const hasGpg = gpgAvailable();
if (!hasGpg) console.warn('skipping the GnuPG checks: gpg (GnuPG) is not installed');

let t: TestApp;
let team: CertTeam;
let sink: SmtpSink;
let worker: Worker;
let certKey: string;
let keyA: ContactKey;
let analyst: Credentials;
let secondAnalyst: Credentials;
const orgs: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
const p: Record<'clear' | 'amber' | 'red' | 'alert', DatedProduct> = {} as Record<'clear' | 'amber' | 'red' | 'alert', DatedProduct>;

const to = (m: ReceivedMail) => m.envelopeTo[0] ?? '';
const digestMails = (period: string) => sink.received.filter((m) => m.raw.toString('utf8').includes(`period=${period}\r\n`));

/** What the recipient reads: the signed entity (decrypted first when the mail is encrypted) and its text. */
async function opened(mail: ReceivedMail, key?: ContactKey): Promise<{ signed: string; signature: string; text: string }> {
  let entity = mail.raw.toString('utf8');
  if (key) {
    const message = await readMessage({ armoredMessage: encryptedPart(entity) });
    const { data } = await decrypt({ message, decryptionKeys: await readPrivateKey({ armoredKey: key.privateKey }), format: 'binary' });
    entity = new TextDecoder().decode(data);
  }
  const parts = signedParts(entity);
  return { ...parts, text: decodeParts(parts.signed) };
}

async function signatureValid(signed: string, signature: string): Promise<boolean> {
  const v = await verify({
    message: await createMessage({ binary: new TextEncoder().encode(signed) }),
    signature: await readSignature({ armoredSignature: signature }),
    verificationKeys: await readKey({ armoredKey: certKey }),
  });
  return v.signatures[0]!.verified.then(
    () => true,
    () => false,
  );
}

const titles = () => ({ clear: p.clear.title, amber: p.amber.title, red: p.red.title, alert: p.alert.title });

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL, MAIL_FROM: 'CERT voor de zorg <cert@cert.example>' });
  sink = await startSmtpSink();
  worker = startDigestWorker(t, sink.url);
  team = await makeCertTeam(t);
  await ensureSigningKey(t.system);
  certKey = (await activeSigningKey(t.system)).publicKeyArmored;
  analyst = await login(t, team.author);
  secondAnalyst = await login(t, team.reviewers[0]);
  keyA = await makeContactKey('Security Ziekenhuis A', 'security@ziekenhuis-a.example');
  orgs.a = (await makeOrganisation(t, 'participant', 'Ziekenhuis A')).id;
  orgs.b = (await makeOrganisation(t, 'participant', 'GGZ B')).id;
  orgs.c = (await makeOrganisation(t, 'participant', 'Verpleeghuis C')).id;
  await addContact(t, orgs.a, { email: 'security@ziekenhuis-a.example', key: keyA, subscriptions: ['end_of_week', 'end_of_month'] });
  await addContact(t, orgs.b, { email: 'ciso@ggz-b.example', languages: ['nl', 'en'], subscriptions: ['end_of_week'] });
  await addContact(t, orgs.c, { email: 'ict@verpleeghuis-c.example', subscriptions: ['end_of_week'] });
  await addContact(t, orgs.c, { email: 'ciso@verpleeghuis-c.example', subscriptions: ['end_of_week'] });
  await addContact(t, orgs.c, { email: 'finance@verpleeghuis-c.example', subscriptions: ['advisories'] });

  // The test week: 2025-W50, Monday 8 to Sunday 14 December 2025.
  p.clear = await publishedAt(t, team, new Date('2025-12-08T09:00:00Z'), { tlp: 'CLEAR', title: 'Openbaar advies over infuuspompen', urgency: 'urgent' });
  p.amber = await publishedAt(t, team, new Date('2025-12-09T09:00:00Z'), {
    tlp: 'AMBER',
    recipients: [orgs.b],
    title: 'AMBER-advies voor één GGZ-instelling',
    vendor: 'AmberOnly Systems',
  });
  p.red = await publishedAt(t, team, new Date('2025-12-10T09:00:00Z'), {
    tlp: 'RED',
    recipients: [orgs.a],
    title: 'RED-advies voor één ziekenhuis',
    vendor: 'RedOnly Medical',
  });
  p.alert = await publishedAt(t, team, new Date('2025-12-11T09:00:00Z'), { kind: 'alert', tlp: 'GREEN', title: 'Operationele waarschuwing VPN-aanvallen' });
  // The products' own mail has gone; what arrives from here on is the digests'.
  await worker.drain();
}, 240_000);
afterAll(async () => {
  worker?.close();
  await sink?.close();
  await t?.close();
});

describe('Intake and triage of outside information, and the end-of-week and end-of-month digests — digests', () => {
  let weekId = '';

  it('shows per recipient, before sending, how many entries their version holds and who would be held back under "encrypted only"', async () => {
    const opened = await call(t, 'POST', '/api/v1/digests', analyst, { kind: 'week', period: '2025-W50' });
    expect(opened.statusCode, opened.body).toBe(201);
    weekId = opened.json<DigestDetailOut>().id;
    expect(opened.json<DigestDetailOut>().entries.map((e) => e.title)).toEqual([p.clear.title, p.amber.title, p.red.title, p.alert.title]);
    await call(t, 'PATCH', `/api/v1/digests/${weekId}`, analyst, { introduction: 'Deze week vier berichten; lees vooral de **waarschuwing**.' });

    const config = t.services.config as { mailEncryptFromTlp: string | null };
    config.mailEncryptFromTlp = 'AMBER';
    try {
      const r = (await call(t, 'GET', `/api/v1/digests/${weekId}/recipients`, analyst)).json<RecipientsOut>();
      const by = Object.fromEntries(r.recipients.map((x) => [x.email, x]));
      expect(Object.keys(by).sort()).toEqual([
        'ciso@ggz-b.example',
        'ciso@verpleeghuis-c.example',
        'ict@verpleeghuis-c.example',
        'security@ziekenhuis-a.example',
      ]);
      expect(by['security@ziekenhuis-a.example']).toMatchObject({ entries: 3, tlp: 'RED', encrypted: true, held: null });
      expect(by['ciso@ggz-b.example']).toMatchObject({ entries: 3, tlp: 'AMBER', encrypted: false, held: expect.stringContaining('encrypted only') });
      expect(by['ict@verpleeghuis-c.example']).toMatchObject({ entries: 2, tlp: 'GREEN', held: null });
      // Three classes of recipients: A's version, B's, and C's (two contacts, one rendering and signature).
      expect(r.summary).toMatchObject({ contacts: 4, organisations: 3, classes: 3 });
    } finally {
      config.mailEncryptFromTlp = null;
    }
  });

  it('sends the week on its last working day: each recipient receives exactly the products they were allowed to see, signed, and encrypted to the contact with a key', async () => {
    expect((await runDigestTick(t.system, new Date('2025-12-12T15:05:00Z'))).sends).toEqual([expect.objectContaining({ sent: true, digestId: weekId })]);
    expect(await worker.drain()).toBe(4);
    const mails = digestMails('2025-W50');
    expect(mails.map(to).sort()).toEqual(['ciso@ggz-b.example', 'ciso@verpleeghuis-c.example', 'ict@verpleeghuis-c.example', 'security@ziekenhuis-a.example']);
    const mailTo = (address: string) => mails.find((m) => to(m) === address)!;
    const all = titles();
    const expectations: [string, ContactKey | undefined, (keyof typeof all)[]][] = [
      ['security@ziekenhuis-a.example', keyA, ['clear', 'red', 'alert']],
      ['ciso@ggz-b.example', undefined, ['clear', 'amber', 'alert']],
      ['ict@verpleeghuis-c.example', undefined, ['clear', 'alert']],
      ['ciso@verpleeghuis-c.example', undefined, ['clear', 'alert']],
    ];
    const bodies = new Map<string, string>();
    for (const [address, key, allowed] of expectations) {
      const mail = mailTo(address);
      const raw = mail.raw.toString('utf8');
      if (key) {
        expect(raw).toMatch(/Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted"/);
        // Nothing readable travels outside the encryption.
        for (const title of Object.values(all)) expect(raw).not.toContain(title);
      } else expect(raw).toMatch(/Content-Type: multipart\/signed; micalg=pgp-sha\d+; protocol="application\/pgp-signature"/);
      const read = await opened(mail, key);
      for (const [name, title] of Object.entries(all)) {
        if (allowed.includes(name as keyof typeof all)) expect(read.text, `${address} should read "${title}"`).toContain(title);
        else expect(read.text, `${address} must not read "${title}"`).not.toContain(title);
      }
      expect(read.text).toContain('<strong>waarschuwing</strong>');
      expect(await signatureValid(read.signed, read.signature)).toBe(true);
      expect(await signatureValid(`X-Tampered: yes\r\n${read.signed}`, read.signature)).toBe(false);
      if (hasGpg) {
        const verified = await gpgVerify(certKey, read.signed, read.signature);
        expect(verified.ok, verified.output).toBe(true);
      }
      bodies.set(address, read.signed);
      expect(raw).toMatch(/^List-Id: .* <end-of-week\.wachtpost\.test\.example>$/m);
      expect(raw).toMatch(/^List-Unsubscribe: <http:\/\/wachtpost\.test\.example\/m\/preferences\/[A-Za-z0-9_.-]+>$/m);
    }
    // The subject carries the version's strictest marking and the ISO week.
    expect(mailTo('security@ziekenhuis-a.example').parsed.subject).toBe('[TLP:RED] Week 50, 2025 — Weekoverzicht');
    expect(mailTo('ict@verpleeghuis-c.example').parsed.subject).toBe('[TLP:GREEN] Week 50, 2025 — Weekoverzicht');
    // B reads Dutch and English; both parts are there.
    expect(bodies.get('ciso@ggz-b.example')).toBeDefined();
    expect(decodeParts(bodies.get('ciso@ggz-b.example')!)).toContain(`EN ${p.amber.title}`);
    // Signed once per class: C's two contacts got the very same signed body.
    expect(bodies.get('ict@verpleeghuis-c.example')).toBe(bodies.get('ciso@verpleeghuis-c.example'));
    if (hasGpg) {
      const decrypted = await gpgDecrypt(keyA, encryptedPart(mailTo('security@ziekenhuis-a.example').raw.toString('utf8')));
      expect(decrypted.ok, decrypted.output).toBe(true);
      expect(decodeParts(signedParts(decrypted.plaintext.replace(/\r?\n/g, '\r\n')).signed)).toContain(p.red.title);
    }

    // The preview for a contact is the HTML that contact received.
    const contactC = (await call(t, 'GET', `/api/v1/digests/${weekId}/recipients`, analyst))
      .json<RecipientsOut>()
      .recipients.find((r) => r.email === 'ict@verpleeghuis-c.example')!;
    const preview = (await call(t, 'GET', `/api/v1/digests/${weekId}/preview?contactId=${contactC.contactId}`, analyst)).json<PreviewOut>();
    expect(preview.entries).toBe(2);
    expect(String(mailTo('ict@verpleeghuis-c.example').parsed.html).replace(/\r\n/g, '\n')).toBe(preview.html);
    expect(preview.subject).toBe('[TLP:GREEN] Week 50, 2025 — Weekoverzicht');
  });

  it('archives the week in the portal, where each organisation reads the version it may see', async () => {
    const read = async (org: string) => {
      const user = await login(t, await makeUser(t, org, 'participant-member'));
      const list = (await call(t, 'GET', '/api/v1/digests', user)).json<{ items: DigestOut[] }>().items;
      expect(list.map((d) => d.id)).toContain(weekId);
      const d = (await call(t, 'GET', `/api/v1/digests/${weekId}`, user)).json<DigestDetailOut>();
      expect(d.introduction).toBeNull();
      return d.entries.map((e) => e.title);
    };
    expect(await read(orgs.a)).toEqual([p.clear.title, p.red.title, p.alert.title]);
    expect(await read(orgs.b)).toEqual([p.clear.title, p.amber.title, p.alert.title]);
    expect(await read(orgs.c)).toEqual([p.clear.title, p.alert.title]);
  });

  it("shows the month's figures from our own data and the experts' commentary, and goes out only after a second analyst approved it", async () => {
    // Our own data in December 2025: two findings opened and one resolved, indicators and sightings, an incident.
    const db = t.system.db;
    const finding = async (subject: string, resolved: boolean) => {
      const f = await sql<{ id: string }>`INSERT INTO monitoring_findings (organisation_id, type, subject, severity, status, first_seen, last_seen, resolved_at)
        VALUES (${orgs.a}, 'open-rdp', ${subject}, 'high', ${resolved ? 'resolved' : 'new'}, '2025-12-03T08:00:00Z', '2025-12-03T08:00:00Z', ${resolved ? new Date('2025-12-09T08:00:00Z') : null}) RETURNING id`.execute(
        db,
      );
      await sql`INSERT INTO monitoring_finding_events (finding_id, kind, at) VALUES (${f.rows[0]!.id}, 'opened', '2025-12-03T08:00:00Z')`.execute(db);
    };
    await finding('192.0.2.10', true);
    await finding('192.0.2.11', false);
    const event = await sql<{
      id: string;
    }>`INSERT INTO zdn_events (owner_organisation_id, title, tlp) VALUES (${orgs.a}, 'Phishing-campagne', 'GREEN') RETURNING id`.execute(db);
    const value = await sql<{ id: string }>`INSERT INTO zdn_values (type, value) VALUES ('domain', 'inlog-zorgportaal.example') RETURNING id`.execute(db);
    const indicator = await sql<{ id: string }>`INSERT INTO zdn_indicators (event_id, value_id, owner_organisation_id, tlp, created_at)
      VALUES (${event.rows[0]!.id}, ${value.rows[0]!.id}, ${orgs.a}, 'GREEN', '2025-12-04T10:00:00Z') RETURNING id`.execute(db);
    await sql`INSERT INTO zdn_sightings (value_id, indicator_id, organisation_id, kind, count, seen_at)
      VALUES (${value.rows[0]!.id}, ${indicator.rows[0]!.id}, ${orgs.b}, 'seen', 5, '2025-12-05T10:00:00Z')`.execute(db);
    await sql`INSERT INTO incident_cases (reference, title, category_class, category_type, intake, opened_at)
      VALUES ('INC-2025-0901', 'Ransomware bij een deelnemer', 'malicious-code', 'ransomware', 'analyst', '2025-12-06T10:00:00Z')`.execute(db);

    const month = (await call(t, 'POST', '/api/v1/digests', analyst, { kind: 'month', period: '2025-12' })).json<DigestDetailOut>();
    expect(month.title).toBe('December 2025 — Maandoverzicht');
    const COMMENTARY = 'Onze experts zien een **toename** van aanvallen op VPN-servers.';
    await call(t, 'PATCH', `/api/v1/digests/${month.id}`, analyst, { commentary: COMMENTARY });
    await call(t, 'POST', `/api/v1/digests/${month.id}/submit`, analyst);
    // Neither "send now" nor the schedule sends it before a second analyst approves.
    expect((await call(t, 'POST', `/api/v1/digests/${month.id}/send`, analyst)).statusCode).toBe(409);
    expect((await call(t, 'POST', `/api/v1/digests/${month.id}/approve`, analyst)).json<{ error: { code: string } }>().error.code).toBe('digest_four_eyes');
    expect((await runDigestTick(t.system, new Date('2026-01-02T10:00:00Z'))).sends.filter((s) => s.digestId === month.id)).toEqual([]);
    await worker.drain();
    expect(digestMails('2025-12')).toEqual([]);

    expect((await call(t, 'POST', `/api/v1/digests/${month.id}/approve`, secondAnalyst)).statusCode).toBe(200);
    expect((await runDigestTick(t.system, new Date('2026-01-02T10:05:00Z'))).sends).toEqual([expect.objectContaining({ sent: true, digestId: month.id })]);
    expect(await worker.drain()).toBe(1);
    const [mail] = digestMails('2025-12');
    expect(to(mail!)).toBe('security@ziekenhuis-a.example');
    const read = await opened(mail!, keyA);
    expect(await signatureValid(read.signed, read.signature)).toBe(true);
    // The figures, as text next to every bar (Dutch contact).
    expect(read.text).toMatch(/Monitoring: bevindingen:\s+Geopend\s+2 {2}#+\s+Opgelost\s+1 {2}#+/);
    expect(read.text).toMatch(/Detectienetwerk \(ZDN\):\s+Indicatoren toegevoegd\s+1 {2}#+\s+Waarnemingen\s+5 {2}#+/);
    expect(read.text).toMatch(/Incidenten per categorie \(RSIT\):\s+Kwaadaardige code\s+1 {2}#+/);
    expect(read.text).toMatch(/Beveiligingsadviezen naar urgentie:\s+Urgent\s+1 {2}#+\s+Normaal\s+1 {2}#+/);
    // Product figures count only what this reader may see: B's AMBER advisory and its vendor are not in them.
    expect(read.text).toContain('RedOnly Medical');
    expect(read.text).not.toContain('AmberOnly Systems');
    expect(read.text).not.toContain(p.amber.title);
    // The bars in HTML are tables with widths; the commentary is there, rendered.
    expect(read.text).toMatch(/<td[^>]*>Geopend<\/td><td[^>]*><table role="presentation" cellpadding="0" cellspacing="0" width="100%">/);
    expect(read.text).toContain('Onze experts zien een <strong>toename</strong> van aanvallen op VPN-servers.');
    expect(read.text).toMatch(/Commentaar:\r?\nOnze experts zien een toename van aanvallen op VPN-servers\./);
    // No participant's name in the figures.
    for (const name of ['Ziekenhuis A', 'GGZ B', 'Verpleeghuis C']) expect(read.text).not.toContain(name);

    // In the portal: the same figures as bar charts, and the commentary.
    const user = await login(t, await makeUser(t, orgs.a, 'participant-member'));
    const portal = (await call(t, 'GET', `/api/v1/digests/${month.id}`, user)).json<DigestDetailOut>();
    expect(portal.commentaryHtml).toContain('<strong>toename</strong>');
    expect(portal.charts.nl.find((c) => c.title === 'Monitoring: bevindingen')!.rows).toEqual([
      { label: 'Geopend', value: 2 },
      { label: 'Opgelost', value: 1 },
    ]);
    expect(portal.charts.en.find((c) => c.title === 'Incidents by category (RSIT)')!.rows).toEqual([{ label: 'Malicious code', value: 1 }]);
  });

  it('holds a contact\'s digest under "encrypted only" until the contact has a key, then sends it once, encrypted to that key', async () => {
    const config = t.services.config as { mailEncryptFromTlp: string | null };
    config.mailEncryptFromTlp = 'AMBER';
    try {
      // 2025-W51: an AMBER advisory for GGZ B, whose contact has no key.
      const amber = await publishedAt(t, team, new Date('2025-12-16T09:00:00Z'), { tlp: 'AMBER', recipients: [orgs.b], title: 'Tweede AMBER-advies voor GGZ B' });
      await worker.drain();
      const [sent] = (await runDigestTick(t.system, new Date('2025-12-19T15:05:00Z'))).sends;
      expect(sent).toMatchObject({ sent: true });
      await worker.drain();
      expect(digestMails('2025-W51').map(to)).not.toContain('ciso@ggz-b.example');
      const contactB = (await sql<{ id: string }>`SELECT id FROM contacts WHERE email = 'ciso@ggz-b.example'`.execute(t.system.db)).rows[0]!.id;
      const outboxOfB = async () =>
        (await sql<{ status: string }>`SELECT status FROM outbox WHERE kind = 'digest' AND contact_id = ${contactB} AND dedupe_key LIKE ${`digest:${sent!.digestId}:%`}`.execute(t.system.db)).rows.map((r) => r.status);
      expect(await outboxOfB()).toEqual(['held']);

      const keyB = await makeContactKey('CISO GGZ B', 'ciso@ggz-b.example');
      const patched = await call(t, 'PATCH', `/api/v1/contacts/${contactB}`, analyst, { pgpPublicKey: keyB.publicKey });
      expect(patched.statusCode, patched.body).toBe(200);
      await worker.drain();
      await worker.drain();
      const released = digestMails('2025-W51').filter((m) => to(m) === 'ciso@ggz-b.example');
      expect(released).toHaveLength(1);
      const raw = released[0]!.raw.toString('utf8');
      expect(raw).toMatch(/Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted"/);
      expect(raw).not.toContain(amber.title);
      expect((await opened(released[0]!, keyB)).text).toContain(amber.title);
      expect(await outboxOfB()).toEqual(['sent']);
    } finally {
      config.mailEncryptFromTlp = null;
    }
  });
});
