import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestApp, type Credentials, type TestApp } from '../helpers/test-app.ts';
import { login, makeOrganisation, makeUser, type TestUser } from '../helpers/factories.ts';
import { addContact } from '../helpers/distribution.ts';
import { testdataDir, testdataPath } from '../helpers/testdata.ts';
import { createStixValidator } from '../helpers/stix-validate.ts';
import { parseIpRange } from '../../src/lib/ip.ts';
import { TLP2_MARKING } from '../../src/modules/zdn/stix-markings.ts';
import { openStream, type StreamClient } from '../helpers/sse.ts';
import { sweepExpired } from '../../src/modules/zdn/ingest.service.ts';

/**
 * "ZorgDetectieNetwerk: real-time sharing of indicators of compromise" — the issue's walk-through:
 * a MISP event and a STIX bundle import; their indicators reach a TAXII client (objects, manifest,
 * pagination), the MISP feed, the exports and the live stream, each only for the organisations
 * their TLP allows; a sighting from one hospital shows as "seen at 1 organisation"; a hit on a
 * participant's range alerts that participant.
 */
const haveData = testdataDir() !== null;
const TAXII = 'application/taxii+json;version=2.1';

interface Indicator {
  id: string;
  type: string;
  value: string;
  tlp: string;
  alsoInEvents: number;
  sightings: { organisations24h: number; organisations7d: number; organisationsTotal: number; named: unknown[] };
}

describe.skipIf(!haveData)('ZorgDetectieNetwerk: real-time sharing of indicators of compromise', () => {
  let t: TestApp;
  let cert: Credentials;
  let hospitalA: Credentials;
  let hospitalB: Credentials;
  let partner: Credentials;
  let vendor: Credentials;
  let orgA: string;
  let orgB: string;
  let userA: TestUser;
  let tokenA: string;
  const events = { misp: '', stix: '', amberA: '', redB: '', green: '' };

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'http://wachtpost.test' });
    const certOrg = await makeOrganisation(t, 'cert');
    orgA = (await makeOrganisation(t, 'participant', 'Ziekenhuis A')).id;
    orgB = (await makeOrganisation(t, 'participant', 'Ziekenhuis B')).id;
    const partnerOrg = (await makeOrganisation(t, 'partner', 'MSSP P')).id;
    const vendorOrg = (await makeOrganisation(t, 'vendor', 'Vendor V')).id;
    cert = await login(t, await makeUser(t, certOrg.id, 'cert-analyst'));
    userA = await makeUser(t, orgA, 'participant-admin');
    hospitalA = await login(t, userA);
    hospitalB = await login(t, await makeUser(t, orgB, 'participant-member'));
    partner = await login(t, await makeUser(t, partnerOrg, 'partner'));
    vendor = await login(t, await makeUser(t, vendorOrg, 'partner'));
    // Hospital A declares its network (approved), and has a contact for detection-network alerts.
    const range = parseIpRange('198.51.100.0/24')!;
    await t.system.db
      .insertInto('assets')
      .values({ organisation_id: orgA, type: 'ip_range', value: range.cidr, range_start: range.start, range_end: range.end, status: 'approved' })
      .execute();
    await addContact(t, orgA, { email: 'soc@ziekenhuis-a.example', subscriptions: ['zdn'] });
    const tok = await call(t, 'POST', '/api/v1/tokens', hospitalA, { name: 'sensor', scopes: ['zdn:read', 'zdn:submit'] });
    expect(tok.statusCode, tok.body).toBe(201);
    tokenA = tok.json<{ token: string }>().token;
  }, 60_000);
  afterAll(async () => t?.close());

  it('imports a MISP event: its indicators, its TLP tag, and what it skipped', async () => {
    const misp = JSON.parse(readFileSync(testdataPath('misp/events/57c4445b-c548-4654-af0b-4be3950d210f.json'), 'utf8')) as unknown;
    const res = await call(t, 'POST', '/api/v1/zdn/import/misp', cert, misp);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ eventId: string; added: number; ignored: { reason: string }[]; skipped: unknown[] }>();
    expect(body.eventId).toBe('57c4445b-c548-4654-af0b-4be3950d210f');
    // filename, md5, sha1, sha256 are indicators; link, comment, text and regkey|value are not.
    expect(body.added).toBe(4);
    expect(body.ignored.map((i) => i.reason).join('\n')).toMatch(/regkey\|value/);
    events.misp = body.eventId;
    const event = (await call(t, 'GET', `/api/v1/zdn/events/${body.eventId}`, hospitalB)).json<{ tlp: string; indicatorCount: number }>();
    expect(event).toMatchObject({ tlp: 'CLEAR', indicatorCount: 4 });
    // Importing it again changes nothing and duplicates nothing.
    const again = (await call(t, 'POST', '/api/v1/zdn/import/misp', cert, misp)).json<{ added: number; updated: number; eventCreated: boolean }>();
    expect(again).toMatchObject({ added: 0, updated: 0, eventCreated: false });
  });

  it('imports a STIX bundle under the marking the analyst chooses, naming hospital A', async () => {
    const bundle = JSON.parse(readFileSync(testdataPath('stix-2.1/examples/indicators-for-C2-with-COA.json'), 'utf8')) as unknown;
    const unmarked = await call(t, 'POST', '/api/v1/zdn/import/stix', cert, bundle);
    expect(unmarked.statusCode).toBe(400);
    expect(unmarked.json().error.code).toBe('tlp_required');
    const res = await call(t, 'POST', `/api/v1/zdn/import/stix?tlp=AMBER&recipients=${orgA}`, cert, bundle);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ eventId: string; added: number; ignored: { ref: string }[] }>();
    expect(body.added).toBe(2);
    expect(body.ignored.length).toBeGreaterThan(0);
    events.stix = body.eventId;
    // The same file again lands in the same event: nothing twice.
    const again = (await call(t, 'POST', `/api/v1/zdn/import/stix?tlp=AMBER&recipients=${orgA}`, cert, bundle)).json<{ eventId: string; added: number; eventCreated: boolean }>();
    expect(again).toMatchObject({ eventId: body.eventId, added: 0, eventCreated: false });
  });

  it('refuses invalid values with the reason, and stores nothing of a bad bulk request', async () => {
    const ev = await call(t, 'POST', '/api/v1/zdn/events', cert, { title: 'Ransomware C2 targeting hospitals', tlp: 'AMBER', recipients: [{ organisationId: orgA }] });
    expect(ev.statusCode, ev.body).toBe(201);
    events.amberA = ev.json<{ id: string }>().id;
    const bad = await call(t, 'POST', `/api/v1/zdn/events/${events.amberA}/indicators`, cert, {
      indicators: [
        { type: 'ipv4', value: '198.51.100.23' },
        { type: 'ipv4', value: '999.1.1.1' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('indicator_invalid');
    expect(bad.body).toMatch(/999\.1\.1\.1/);
    const list = (await call(t, 'GET', `/api/v1/zdn/indicators?eventId=${events.amberA}`, cert)).json<{ items: Indicator[] }>();
    expect(list.items).toHaveLength(0);
  });

  it('a hit on hospital A\'s declared range alerts hospital A (portal and mail), and nobody else', async () => {
    const res = await call(t, 'POST', `/api/v1/zdn/events/${events.amberA}/indicators`, cert, {
      indicators: [
        { type: 'ipv4', value: '198.51.100.23', confidence: 80 },
        { type: 'url', value: 'hxxps://c2.ransom[.]example/gate.php' },
        { type: 'domain', value: 'C2.Ransom.Example.' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ added: 3, held: 0, pending: 0 });
    const hits = (await call(t, 'GET', '/api/v1/zdn/hits', hospitalA)).json<{ items: { value: string }[] }>();
    expect(hits.items.map((h) => h.value)).toEqual(['198.51.100.23']);
    expect((await call(t, 'GET', '/api/v1/zdn/hits', hospitalB)).json<{ items: unknown[] }>().items).toEqual([]);
    const inbox = (await call(t, 'GET', '/api/v1/notifications', hospitalA)).json<{ items: { kind: string; title: string }[] }>();
    expect(inbox.items.some((n) => n.kind === 'zdn.hit' && n.title.includes('198.51.100.0/24'))).toBe(true);
    const mail = await t.system.db.selectFrom('outbox').select(['payload']).where('dedupe_key', 'like', 'zdn-hit-%').execute();
    expect(mail).toHaveLength(1);
    expect(JSON.stringify(mail[0]!.payload)).toContain('soc@ziekenhuis-a.example');
    // A RED event for hospital B only.
    const red = await call(t, 'POST', '/api/v1/zdn/events', cert, { title: 'Targeted phishing of B', tlp: 'RED', recipients: [{ organisationId: orgB }] });
    events.redB = red.json<{ id: string }>().id;
    const added = await call(t, 'POST', `/api/v1/zdn/events/${events.redB}/indicators`, cert, { indicators: [{ type: 'email', value: 'ceo@phish.example' }, { type: 'domain', value: 'c2.ransom.example' }] });
    expect(added.statusCode, added.body).toBe(200);
    // A GREEN event with a CIDR.
    const green = await call(t, 'POST', '/api/v1/zdn/events', cert, { title: 'Scanning from a hosting range', tlp: 'GREEN' });
    events.green = green.json<{ id: string }>().id;
    await call(t, 'POST', `/api/v1/zdn/events/${events.green}/indicators`, cert, { indicators: [{ type: 'cidr', value: '203.0.113.0/25' }, { type: 'user-agent', value: 'Mozilla/5.0 "evil"; scanner' }] });
  });

  it('shows correlation: the same value in two events is one stored value, "also in 1 event"', async () => {
    const a = (await call(t, 'GET', '/api/v1/zdn/indicators?q=c2.ransom.example&type=domain', cert)).json<{ items: Indicator[] }>();
    expect(a.items).toHaveLength(2);
    expect(a.items.every((i) => i.alsoInEvents === 1)).toBe(true);
    const values = await t.system.db.selectFrom('zdn_values').select('id').where('type', '=', 'domain').where('value', '=', 'c2.ransom.example').execute();
    expect(values).toHaveLength(1);
    // Hospital A sees only the AMBER one, so for A it is in no other event.
    const forA = (await call(t, 'GET', '/api/v1/zdn/indicators?q=c2.ransom.example&type=domain', hospitalA)).json<{ items: Indicator[] }>();
    expect(forA.items.map((i) => [i.tlp, i.alsoInEvents])).toEqual([['AMBER', 0]]);
  });

  async function taxiiAll(as: Record<string, string>, collection: string, limit: number) {
    const ids: string[] = [];
    const objects: Record<string, unknown>[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await t.app.inject({ method: 'GET', url: `/taxii2/zdn/collections/${collection}/objects/?limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`, headers: { accept: TAXII, ...as } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe(TAXII);
      const env = res.json<{ more: boolean; next?: string; objects?: Record<string, unknown>[] }>();
      for (const o of env.objects ?? []) {
        ids.push(String(o.id));
        objects.push(o);
      }
      if (env.objects?.length) expect(res.headers['x-taxii-date-added-first']).toBeTruthy();
      next = env.more ? env.next : undefined;
      pages += 1;
    } while (next && pages < 100);
    return { ids, objects, pages };
  }
  const basic = (token: string) => ({ authorization: `Basic ${Buffer.from(`sensor:${token}`).toString('base64')}` });
  const cookieOf = (c: Credentials) => ({ cookie: c.cookie ?? '' });

  it('TAXII 2.1: discovery, collections per audience, paged objects and manifest, all valid STIX, each only where TLP allows', async () => {
    const disc = await t.app.inject({ method: 'GET', url: '/taxii2/', headers: { accept: TAXII } });
    expect(disc.json()).toMatchObject({ api_roots: ['http://wachtpost.test/taxii2/zdn/'] });
    const root = await t.app.inject({ method: 'GET', url: '/taxii2/zdn/', headers: { accept: TAXII } });
    expect(root.json<{ versions: string[] }>().versions).toEqual([TAXII]);
    const wrongAccept = await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/', headers: { accept: 'text/html' } });
    expect(wrongAccept.statusCode).toBe(406);
    expect(wrongAccept.json()).toMatchObject({ http_status: '406' });
    const cols = (await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/', headers: { accept: TAXII, ...basic(tokenA) } })).json<{ collections: { alias: string; can_write: boolean }[] }>();
    expect(cols.collections.map((c) => c.alias).sort()).toEqual(['public', 'zdn-participants']);

    // Hospital A, through HTTP Basic with its token, pages through two at a time.
    const forA = await taxiiAll(basic(tokenA), 'zdn-participants', 2);
    expect(forA.pages).toBeGreaterThan(2);
    expect(new Set(forA.ids).size).toBe(forA.ids.length);
    const valuesA = forA.objects.map((o) => String(o.pattern ?? o.name));
    expect(valuesA.some((p) => p.includes('198.51.100.23'))).toBe(true); // AMBER to A
    expect(valuesA.some((p) => p.includes('10.0.0.0'))).toBe(true); // the STIX import, AMBER to A
    expect(valuesA.some((p) => p.includes('203.0.113.0/25'))).toBe(true); // GREEN
    expect(valuesA.some((p) => p.includes('phish.example'))).toBe(false); // RED to B
    const forB = await taxiiAll(cookieOf(hospitalB), 'zdn-participants', 1000);
    const valuesB = forB.objects.map((o) => String(o.pattern ?? o.name));
    expect(valuesB.some((p) => p.includes('phish.example'))).toBe(true);
    expect(valuesB.some((p) => p.includes('198.51.100.23'))).toBe(false);
    // The partner reads its own collection (never above AMBER), not the participants'.
    const partnerRead = await taxiiAll(cookieOf(partner), 'zdn-partners', 1000);
    const upToAmber = ['CLEAR', 'GREEN', 'AMBER'].map((tlp) => TLP2_MARKING[tlp as 'CLEAR' | 'GREEN' | 'AMBER']);
    expect(partnerRead.objects.length).toBeGreaterThan(0);
    expect(partnerRead.objects.every((o) => (o.object_marking_refs as string[]).every((m) => upToAmber.includes(m)))).toBe(true);
    expect(partnerRead.objects.map((o) => String(o.pattern ?? o.name)).some((p) => p.includes('198.51.100.23'))).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/zdn-participants/objects/', headers: { accept: TAXII, ...cookieOf(partner) } })).statusCode).toBe(404);
    // A product vendor is no detection-network partner (and not in the GREEN community): the public collection only.
    expect((await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/zdn-partners/objects/', headers: { accept: TAXII, ...cookieOf(vendor) } })).statusCode).toBe(404);
    expect((await taxiiAll(cookieOf(vendor), 'public', 1000)).objects.length).toBe(4);
    // Anonymous: the public collection, CLEAR only (the MISP import).
    const anon = await taxiiAll({}, 'public', 1000);
    expect(anon.objects.length).toBe(4);
    expect((await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/zdn-participants/objects/', headers: { accept: TAXII } })).statusCode).toBe(401);

    const validator = createStixValidator();
    expect(validator).not.toBeNull();
    for (const o of [...forA.objects, ...forB.objects]) expect(validator!.validateObject(o), JSON.stringify(o)).toEqual([]);

    // Manifest, one object, its versions, and match filters.
    const manifest = await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/zdn-participants/manifest/?match[type]=indicator', headers: { accept: TAXII, ...basic(tokenA) } });
    const entries = manifest.json<{ objects: { id: string; version: string; date_added: string }[] }>().objects;
    expect(entries.length).toBe(forA.objects.filter((o) => o.type === 'indicator').length);
    const one = entries[0]!;
    const byId = await t.app.inject({ method: 'GET', url: `/taxii2/zdn/collections/zdn-participants/objects/${one.id}/`, headers: { accept: TAXII, ...basic(tokenA) } });
    expect(byId.json<{ objects: { id: string; modified: string }[] }>().objects[0]).toMatchObject({ id: one.id, modified: one.version });
    const versions = await t.app.inject({ method: 'GET', url: `/taxii2/zdn/collections/zdn-participants/objects/${one.id}/versions/`, headers: { accept: TAXII, ...basic(tokenA) } });
    expect(versions.json()).toMatchObject({ versions: [one.version] });
    const later = await t.app.inject({ method: 'GET', url: `/taxii2/zdn/collections/zdn-participants/objects/?added_after=${encodeURIComponent(one.date_added)}`, headers: { accept: TAXII, ...basic(tokenA) } });
    // Rows written by one statement can share a microsecond; added_after is strictly after, so count from the full manifest.
    const everything = (await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/zdn-participants/manifest/?limit=1000', headers: { accept: TAXII, ...basic(tokenA) } })).json<{ objects: { date_added: string }[] }>().objects;
    expect(everything.length).toBe(forA.objects.length);
    const addedLater = everything.filter((e) => e.date_added > one.date_added).length;
    expect(addedLater).toBeGreaterThan(0);
    expect(later.json<{ objects: unknown[] }>().objects.length).toBe(addedLater);
    // An object of the RED event is not found for hospital A.
    const redId = forB.objects.find((o) => String(o.pattern).includes('phish.example'))!.id as string;
    expect((await t.app.inject({ method: 'GET', url: `/taxii2/zdn/collections/zdn-participants/objects/${redId}/`, headers: { accept: TAXII, ...basic(tokenA) } })).statusCode).toBe(404);

    // Reading AMBER and above is audited (as for the MISP feed and the exports); a page of GREEN and CLEAR is not.
    const taxiiReads = async () => (await t.system.db.selectFrom('audit_log').select('details').where('action', '=', 'zdn.taxii.objects').execute()).length;
    const before = await taxiiReads();
    const publicPage = await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/public/objects/?limit=1000', headers: { accept: TAXII, ...basic(tokenA) } });
    expect(publicPage.json<{ objects: unknown[] }>().objects.length).toBe(4);
    expect(await taxiiReads()).toBe(before);
    const amberPage = await t.app.inject({ method: 'GET', url: '/taxii2/zdn/collections/zdn-participants/objects/?limit=1000', headers: { accept: TAXII, ...basic(tokenA) } });
    expect(amberPage.json<{ objects: { object_marking_refs: string[] }[] }>().objects.some((o) => o.object_marking_refs.includes(TLP2_MARKING.AMBER))).toBe(true);
    expect(await taxiiReads()).toBe(before + 1);
  });

  it('TAXII POST: a hospital\'s envelope becomes a submission held for review, with a status resource', async () => {
    const envelope = {
      objects: [
        { type: 'indicator', spec_version: '2.1', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: '2026-11-28T08:00:00.000Z', modified: '2026-11-28T08:00:00.000Z', pattern: "[domain-name:value = 'phish-b.example']", pattern_type: 'stix', valid_from: '2026-11-28T08:00:00Z', object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] },
        { type: 'malware', spec_version: '2.1', id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b', created: '2026-11-28T08:00:00.000Z', modified: '2026-11-28T08:00:00.000Z', name: 'X', is_family: true },
      ],
    };
    const res = await t.app.inject({ method: 'POST', url: '/taxii2/zdn/collections/zdn-participants/objects/', headers: { accept: TAXII, 'content-type': TAXII, ...basic(tokenA) }, payload: JSON.stringify(envelope) });
    expect(res.statusCode, res.body).toBe(202);
    const status = res.json<{ id: string; status: string; success_count: number; failure_count: number }>();
    expect(status).toMatchObject({ status: 'complete', success_count: 1, failure_count: 1 });
    const again = await t.app.inject({ method: 'GET', url: `/taxii2/zdn/status/${status.id}/`, headers: { accept: TAXII, ...basic(tokenA) } });
    expect(again.json()).toMatchObject({ id: status.id, success_count: 1 });
    expect((await t.app.inject({ method: 'GET', url: `/taxii2/zdn/status/${status.id}/`, headers: { accept: TAXII, ...cookieOf(hospitalB) } })).statusCode).toBe(404);
    const pending = (await call(t, 'GET', '/api/v1/zdn/indicators?status=pending', cert)).json<{ items: Indicator[] }>();
    expect(pending.items.map((i) => i.value)).toContain('phish-b.example');
    // Not shared until an analyst approves: hospital B does not see it.
    const forB = (await call(t, 'GET', '/api/v1/zdn/indicators?q=phish-b', hospitalB)).json<{ items: Indicator[] }>();
    expect(forB.items).toEqual([]);
  });

  it('TAXII POST and imports: an entry that is no STIX object is refused by its place; a hospital\'s RED file reaches the CERT for review; a file\'s marking is never lowered', async () => {
    const post = (objects: unknown[]) =>
      t.app.inject({ method: 'POST', url: '/taxii2/zdn/collections/zdn-participants/objects/', headers: { accept: TAXII, 'content-type': TAXII, ...basic(tokenA) }, payload: JSON.stringify({ objects }) });
    for (const bad of [[null], [5], ['x'], [{ type: 'indicator' }], [{ id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd30' }]]) {
      const res = await post(bad);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error_code: 'envelope_invalid', title: expect.stringContaining('objects[0]') });
    }

    // Marked RED and addressed to no one: a submission to the CERT, whose analysts can review it.
    const red = await post([
      { type: 'indicator', spec_version: '2.1', id: 'indicator--0b7c1c64-83b9-4b0e-9d0c-5b8f3f5a2f11', created: '2026-11-28T08:00:00.000Z', modified: '2026-11-28T08:00:00.000Z', pattern: "[domain-name:value = 'red-submission.example']", pattern_type: 'stix', valid_from: '2026-11-28T08:00:00Z', object_marking_refs: [TLP2_MARKING.RED] },
    ]);
    expect(red.statusCode, red.body).toBe(202);
    expect(red.json()).toMatchObject({ success_count: 1 });
    const pending = (await call(t, 'GET', '/api/v1/zdn/indicators?status=pending&q=red-submission', cert)).json<{ items: Indicator[] }>();
    expect(pending.items.map((i) => [i.value, i.tlp])).toEqual([['red-submission.example', 'RED']]);
    expect((await call(t, 'GET', '/api/v1/zdn/indicators?q=red-submission', hospitalB)).json<{ items: Indicator[] }>().items).toEqual([]);

    const redEvent = { Event: { info: 'RED campaign', Tag: [{ name: 'tlp:red' }], Attribute: [{ type: 'domain', category: 'Network activity', value: 'red-file.example', to_ids: true }] } };
    const lowered = await call(t, 'POST', '/api/v1/zdn/import/misp?tlp=GREEN', cert, redEvent);
    expect(lowered.statusCode, lowered.body).toBe(400);
    expect(lowered.json()).toMatchObject({ error: { code: 'tlp_below_file' } });
    expect((await call(t, 'GET', '/api/v1/zdn/indicators?q=red-file', cert)).json<{ items: Indicator[] }>().items).toEqual([]);
  });

  it('the MISP feed: manifest, hashes and event files a MISP instance can subscribe to, per TLP', async () => {
    const manifestA = (await t.app.inject({ method: 'GET', url: '/feeds/misp/manifest.json', headers: { authorization: `Bearer ${tokenA}` } })).json<Record<string, { info: string; Tag: { name: string }[] }>>();
    expect(Object.keys(manifestA).sort()).toEqual([events.misp, events.stix, events.amberA, events.green].sort());
    expect(manifestA[events.amberA]!.Tag.map((x) => x.name)).toContain('tlp:amber');
    const anon = (await t.app.inject({ method: 'GET', url: '/feeds/misp/manifest.json' })).json<Record<string, unknown>>();
    expect(Object.keys(anon)).toEqual([events.misp]);
    const event = await t.app.inject({ method: 'GET', url: `/feeds/misp/${events.amberA}.json`, headers: { authorization: tokenA } });
    expect(event.statusCode, event.body).toBe(200);
    const attrs = event.json<{ Event: { Attribute: { type: string; value: string; category: string }[] } }>().Event.Attribute;
    expect(attrs.map((a) => a.type).sort()).toEqual(['domain', 'ip-dst', 'url']);
    expect((await t.app.inject({ method: 'GET', url: `/feeds/misp/${events.redB}.json`, headers: { authorization: `Bearer ${tokenA}` } })).statusCode).toBe(404);
    const hashes = (await t.app.inject({ method: 'GET', url: '/feeds/misp/hashes.csv', headers: { authorization: `Bearer ${tokenA}` } })).body.trim().split('\n');
    expect(hashes).toContain(`${createHash('md5').update('198.51.100.23').digest('hex')},${events.amberA}`);
    expect(hashes.some((l) => l.startsWith(createHash('md5').update('ceo@phish.example').digest('hex')))).toBe(false);
    const search = await t.app.inject({ method: 'POST', url: '/feeds/misp/events/restSearch', headers: { authorization: tokenA, 'content-type': 'application/json' }, payload: JSON.stringify({ returnFormat: 'json', type: 'ip-dst' }) });
    const found = search.json<{ response: { Event: { uuid: string; Attribute: { value: string }[] } }[] }>().response;
    expect(found.flatMap((e) => e.Event.Attribute.map((a) => a.value)).sort()).toEqual(['10.0.0.0', '198.51.100.23', '203.0.113.0/25']);
  });

  it('the exports: CSV, Suricata, Zeek, RPZ and firewall lists per token, each only what TLP allows', async () => {
    const get = (url: string, as: Credentials) => call(t, 'GET', url, as);
    const csvA = await t.app.inject({ method: 'GET', url: '/api/v1/zdn/exports/csv', headers: { authorization: `Bearer ${tokenA}` } });
    expect(csvA.statusCode).toBe(200);
    expect(csvA.body).toContain('198.51.100.23');
    expect(csvA.body).not.toContain('phish.example');
    const csvB = await get('/api/v1/zdn/exports/csv', hospitalB);
    expect(csvB.body).toContain('ceo@phish.example');
    expect(csvB.body).not.toContain('198.51.100.23');
    const suricata = (await get('/api/v1/zdn/exports/suricata', hospitalA)).body;
    expect(suricata).toMatch(/198\.51\.100\.23/);
    const zeek = (await get('/api/v1/zdn/exports/zeek', hospitalA)).body;
    expect(zeek).toMatch(/^#fields\tindicator\tindicator_type/m);
    expect(zeek).toContain('Intel::ADDR');
    const rpz = (await get('/api/v1/zdn/exports/rpz', hospitalA)).body;
    expect(rpz).toContain('c2.ransom.example');
    const edl = await get('/api/v1/zdn/exports/edl-paloalto?type=ipv4', hospitalA);
    expect(edl.body.split('\n')).toContain('198.51.100.23');
    const needsType = await get('/api/v1/zdn/exports/plain', hospitalA);
    expect(needsType.statusCode).toBe(400);
    expect(needsType.json().error.code).toBe('export_type_required');
    expect((await call(t, 'GET', '/api/v1/zdn/exports/csv', null)).statusCode).toBe(401);
  });

  describe('the live stream', () => {
    let server: string;
    let stream: StreamClient | undefined;
    beforeAll(async () => {
      server = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(() => stream?.close());

    it('delivers new indicators to those their TLP allows, and resumes from Last-Event-ID without loss', async () => {
      stream = await openStream(`${server}/api/v1/zdn/stream`, { authorization: `Bearer ${tokenA}` });
      const add = async (eventId: string, value: string) => {
        const r = await call(t, 'POST', `/api/v1/zdn/events/${eventId}/indicators`, cert, { indicators: [{ type: 'domain', value }] });
        expect(r.statusCode, r.body).toBe(200);
      };
      await add(events.redB, 'only-b.example');
      await add(events.amberA, 'live-1.example');
      const first = await stream.next();
      expect(first.event).toBe('new');
      expect(JSON.parse(first.data)).toMatchObject({ type: 'domain', value: 'live-1.example', tlp: 'AMBER' });
      const lastId = first.id;
      stream.close();
      // While disconnected: two more for A, one for B.
      await add(events.green, 'live-2.example');
      await add(events.redB, 'only-b-2.example');
      await add(events.amberA, 'live-3.example');
      stream = await openStream(`${server}/api/v1/zdn/stream`, { authorization: `Bearer ${tokenA}`, 'last-event-id': lastId });
      const missed = [await stream.next(), await stream.next()].map((m) => JSON.parse(m.data) as { value: string });
      expect(missed.map((m) => m.value)).toEqual(['live-2.example', 'live-3.example']);
      await add(events.amberA, 'live-4.example');
      expect(JSON.parse((await stream.next()).data)).toMatchObject({ value: 'live-4.example' });
      expect(stream.received().some((m) => m.data.includes('only-b'))).toBe(false);
    });

    it('a revoked token ends its open stream', async () => {
      process.env.ZDN_STREAM_RECHECK_MS = '100';
      try {
        const tok = await call(t, 'POST', '/api/v1/tokens', hospitalA, { name: 'short-lived sensor', scopes: ['zdn:read'] });
        const { item, token } = tok.json<{ item: { id: string }; token: string }>();
        const s = await openStream(`${server}/api/v1/zdn/stream`, { authorization: `Bearer ${token}` });
        expect((await call(t, 'DELETE', `/api/v1/tokens/${item.id}`, hospitalA)).statusCode).toBe(200);
        await s.ended(3000);
      } finally {
        delete process.env.ZDN_STREAM_RECHECK_MS;
      }
    });

    it('an expired indicator leaves the feeds and the stream hears it, but it stays searchable', async () => {
      const until = new Date(Date.now() + 1500).toISOString();
      const r = await call(t, 'POST', `/api/v1/zdn/events/${events.green}/indicators`, cert, { indicators: [{ type: 'ipv4', value: '203.0.113.99', validUntil: until }] });
      expect(r.statusCode, r.body).toBe(200);
      expect(JSON.parse((await stream!.next()).data)).toMatchObject({ value: '203.0.113.99' });
      await new Promise((res) => setTimeout(res, 1600));
      expect(await sweepExpired(t.system)).toBe(1);
      const gone = await stream!.next();
      expect(gone.event).toBe('expired');
      expect(JSON.parse(gone.data)).toMatchObject({ value: '203.0.113.99' });
      const csv = (await call(t, 'GET', '/api/v1/zdn/exports/csv', hospitalA)).body;
      expect(csv).not.toContain('203.0.113.99');
      const found = (await call(t, 'GET', '/api/v1/zdn/indicators?q=203.0.113.99', hospitalA)).json<{ items: { expired: boolean }[] }>();
      expect(found.items).toMatchObject([{ expired: true }]);
      expect(await sweepExpired(t.system)).toBe(0);
    });
  });

  it('a sighting from one hospital shows as "seen at 1 organisation", without naming it unless it chose so', async () => {
    const ind = (await call(t, 'GET', '/api/v1/zdn/indicators?q=198.51.100.23', hospitalA)).json<{ items: Indicator[] }>().items[0]!;
    const s = await call(t, 'POST', `/api/v1/zdn/indicators/${ind.id}/sightings`, hospitalA, { kind: 'seen', count: 3 });
    expect(s.statusCode, s.body).toBe(201);
    const bySensor = await t.app.inject({ method: 'POST', url: '/api/v1/zdn/sightings', headers: { authorization: `Bearer ${tokenA}`, 'content-type': 'application/json' }, payload: JSON.stringify({ type: 'ipv4', value: '198.51.100.23', kind: 'blocked' }) });
    expect(bySensor.statusCode, bySensor.body).toBe(201);
    const forCert = (await call(t, 'GET', `/api/v1/zdn/indicators/${ind.id}`, cert)).json<Indicator>();
    expect(forCert.sightings).toMatchObject({ organisations24h: 1, organisations7d: 1, organisationsTotal: 1 });
    expect(forCert.sightings.named).toHaveLength(1);
    const forA = (await call(t, 'GET', `/api/v1/zdn/indicators/${ind.id}`, hospitalA)).json<Indicator>();
    expect(forA.sightings.organisations24h).toBe(1);
    expect(forA.sightings.named).toEqual([]);
    // Hospital B cannot report on what it may not see.
    expect((await call(t, 'POST', `/api/v1/zdn/indicators/${ind.id}/sightings`, hospitalB, { kind: 'seen' })).statusCode).toBe(404);
  });

  it('a false positive lowers the confidence and alerts the analysts', async () => {
    const ind = (await call(t, 'GET', '/api/v1/zdn/indicators?q=203.0.113.0', hospitalB)).json<{ items: (Indicator & { confidence: number })[] }>().items[0]!;
    const fp = await call(t, 'POST', `/api/v1/zdn/indicators/${ind.id}/sightings`, hospitalB, { kind: 'false-positive' });
    expect(fp.statusCode, fp.body).toBe(201);
    const after = (await call(t, 'GET', `/api/v1/zdn/indicators/${ind.id}`, hospitalB)).json<{ confidence: number }>();
    expect(after.confidence).toBe(ind.confidence - 20);
    const inbox = (await call(t, 'GET', '/api/v1/notifications', cert)).json<{ items: { kind: string }[] }>();
    expect(inbox.items.some((n) => n.kind === 'zdn.false_positive')).toBe(true);
    // The same hospital saying it again is recorded, but lowers nothing more and alerts no one again.
    for (let i = 0; i < 3; i++) expect((await call(t, 'POST', `/api/v1/zdn/indicators/${ind.id}/sightings`, hospitalB, { kind: 'false-positive' })).statusCode).toBe(201);
    expect((await call(t, 'GET', `/api/v1/zdn/indicators/${ind.id}`, hospitalB)).json<{ confidence: number }>().confidence).toBe(ind.confidence - 20);
    const alerts = (await call(t, 'GET', '/api/v1/notifications', cert)).json<{ items: { kind: string }[] }>().items.filter((n) => n.kind === 'zdn.false_positive');
    expect(alerts).toHaveLength(inbox.items.filter((n) => n.kind === 'zdn.false_positive').length);
  });

  it('a value on a warninglist is held before it is shared', async () => {
    const list = JSON.parse(readFileSync(new URL('../../src/modules/demo/warninglist-healthcare.json', import.meta.url), 'utf8')) as unknown;
    expect((await call(t, 'POST', '/api/v1/zdn/warninglists', cert, list)).statusCode).toBe(201);
    const r = await call(t, 'POST', `/api/v1/zdn/events/${events.green}/indicators`, cert, { indicators: [{ type: 'hostname', value: 'mail.ziekenhuis.example' }] });
    expect(r.json()).toMatchObject({ added: 1, held: 1 });
    const held = (await call(t, 'GET', '/api/v1/zdn/indicators?q=mail.ziekenhuis.example', cert)).json<{ items: (Indicator & { status: string; warning: string })[] }>().items[0]!;
    expect(held.status).toBe('held');
    expect(held.warning).toMatch(/warninglist/i);
    expect((await call(t, 'GET', '/api/v1/zdn/indicators?q=mail.ziekenhuis.example', hospitalB)).json<{ items: unknown[] }>().items).toEqual([]);
    const approved = await call(t, 'POST', `/api/v1/zdn/indicators/${held.id}/review`, cert, { decision: 'approve' });
    expect(approved.json()).toMatchObject({ status: 'active' });
    expect((await call(t, 'GET', '/api/v1/zdn/indicators?q=mail.ziekenhuis.example', hospitalB)).json<{ items: unknown[] }>().items).toHaveLength(1);

    // Entries that can never match are named in the answer; the rest of the list is used.
    const cidr = { name: 'test networks', version: 1, description: '', matching_attributes: ['ip-dst'], type: 'cidr', list: ['192.0.2.0/24', '192.0.2.0/33', 'x'] };
    const imported = await call(t, 'POST', '/api/v1/zdn/warninglists', cert, cidr);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ entries: 3, unusableCount: 2, unusable: ['192.0.2.0/33', 'x'] });
  });

  it('an attribute MISP marks not for detection (to_ids false) stays in its event and the MISP feed, out of the exports and TAXII', async () => {
    const misp = {
      Event: {
        info: 'Context and detection',
        Tag: [{ name: 'tlp:green' }],
        Attribute: [
          { type: 'domain', category: 'Network activity', value: 'det-yes.example', to_ids: true },
          { type: 'domain', category: 'Network activity', value: 'det-no.example', to_ids: false },
        ],
      },
    };
    const res = await call(t, 'POST', '/api/v1/zdn/import/misp', cert, misp);
    expect(res.statusCode, res.body).toBe(200);
    const eventId = res.json<{ eventId: string }>().eventId;
    const shown = (await call(t, 'GET', '/api/v1/zdn/indicators?q=det-', hospitalA)).json<{ items: (Indicator & { forDetection: boolean })[] }>().items;
    expect(shown.map((i) => [i.value, i.forDetection]).sort()).toEqual([
      ['det-no.example', false],
      ['det-yes.example', true],
    ]);
    for (const format of ['csv', 'plain?type=domain', 'suricata', 'rpz']) {
      const out = await t.app.inject({ method: 'GET', url: `/api/v1/zdn/exports/${format}`, headers: { authorization: `Bearer ${tokenA}` } });
      expect(out.statusCode, format).toBe(200);
      expect(out.body, format).toContain('det-yes');
      expect(out.body, format).not.toContain('det-no');
    }
    const taxii = await taxiiAll(basic(tokenA), 'zdn-participants', 1000);
    const patterns = taxii.objects.map((o) => (typeof o.pattern === 'string' ? o.pattern : ''));
    expect(patterns.some((p) => p.includes('det-yes.example'))).toBe(true);
    expect(patterns.some((p) => p.includes('det-no.example'))).toBe(false);
    const feed = await t.app.inject({ method: 'GET', url: `/feeds/misp/${eventId}.json`, headers: { authorization: `Bearer ${tokenA}` } });
    const attrs = feed.json<{ Event: { Attribute: { value: string; to_ids: boolean }[] } }>().Event.Attribute;
    expect(attrs.map((a) => [a.value, a.to_ids]).sort()).toEqual([
      ['det-no.example', false],
      ['det-yes.example', true],
    ]);
  });

  it("an event's indicator count tells each reader only of the indicators it may see", async () => {
    const created = await call(t, 'POST', '/api/v1/zdn/events', cert, { title: 'Mixed markings', tlp: 'GREEN' });
    expect(created.statusCode, created.body).toBe(201);
    const eventId = created.json<{ id: string }>().id;
    const added = await call(t, 'POST', `/api/v1/zdn/events/${eventId}/indicators`, cert, {
      indicators: [
        { type: 'domain', value: 'count-green.example' },
        { type: 'domain', value: 'count-amber.example', tlp: 'AMBER' },
      ],
    });
    expect(added.json()).toMatchObject({ added: 2 });
    const count = async (as: Credentials) => (await call(t, 'GET', `/api/v1/zdn/events/${eventId}`, as)).json<{ indicatorCount: number }>().indicatorCount;
    expect(await count(cert)).toBe(2);
    expect(await count(hospitalA)).toBe(1);
    const listed = (await call(t, 'GET', '/api/v1/zdn/events?limit=100', hospitalA)).json<{ items: { id: string; indicatorCount: number }[] }>().items.find((e) => e.id === eventId);
    expect(listed?.indicatorCount).toBe(1);
  });

  it('a CSV import refuses a line whose marking, confidence or lifetime cannot be read, naming the line', async () => {
    const csv = [
      'type,value,tlp,confidence,valid_until',
      'domain,csv-good.example,GREEN,80,2027-01-01T00:00:00Z',
      'domain,csv-conf.example,GREEN,abc,',
      'domain,csv-high.example,GREEN,150,',
      'domain,csv-tlp.example,PURPLE,50,',
      'domain,csv-date.example,GREEN,50,someday',
    ].join('\n');
    const res = await call(t, 'POST', '/api/v1/zdn/import/csv', cert, { title: 'CSV checks', tlp: 'GREEN', csv });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ added: number; ignored: { ref: string; reason: string }[] }>();
    expect(body.added).toBe(1);
    expect(body.ignored).toEqual([
      { ref: 'line 3', reason: 'confidence "abc" is not a whole number from 0 to 100' },
      { ref: 'line 4', reason: 'confidence "150" is not a whole number from 0 to 100' },
      { ref: 'line 5', reason: 'tlp "PURPLE" is not a TLP 2.0 marking' },
      { ref: 'line 6', reason: 'valid_until "someday" is not a date' },
    ]);
  });
});
