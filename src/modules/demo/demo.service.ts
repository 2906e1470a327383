import { inTransaction, type Ctx } from '#server/context.ts';
import { record } from '#modules/audit/audit.service.ts';
import { hashPassword } from '#modules/identity/password.ts';
import * as usersRepo from '#modules/identity/users.repository.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import * as contactRepo from '#modules/organisations/contact.repository.ts';
import * as assetRepo from '#modules/organisations/asset.repository.ts';
import { normaliseAsset } from '#modules/organisations/asset-normalise.ts';
import * as docRepo from '#modules/documents/document.repository.ts';
import { buildActor } from '#modules/identity/actor-builder.ts';
import { findUserWithOrgByEmail } from '#modules/identity/identity.repository.ts';
import { AdvisoryContent } from '#modules/advisories/advisory.content.ts';
import * as drafts from '#modules/advisories/advisory.service.ts';
import { respondInPortal } from '#modules/distribution/alert-response.service.ts';
import * as publication from '#modules/advisories/publication.service.ts';
import { ensureSigningKey } from '#modules/keys/signing-key.service.ts';
import { DEMO_PRODUCTS } from './demo-products.ts';
import { DEMO_CERT, DEMO_PARTICIPANTS, DEMO_PARTNER, DEMO_PASSWORD, DEMO_USERS, DEMO_VENDOR } from './demo-data.ts';
import { loadDemoZdn } from './demo-zdn.ts';
import { loadDemoMonitoring } from './demo-monitoring.ts';
import { loadDemoCvd } from './demo-cvd.ts';
import { loadDemoCommunity } from './demo-community.ts';
import { loadDemoMeeting } from './demo-meetings.ts';
import { loadDemoRequest } from './demo-requests.ts';
import { loadDemoPublication } from './demo-publications.ts';
import { loadDemoIntake } from './demo-intake.ts';
import { loadDemoIncidents } from './demo-incidents.ts';
import { loadDemoDigests } from './demo-digests.ts';

export interface DemoResult {
  created: boolean;
  logins: { email: string; role: string; password: string }[];
}

/** Loads the demo installation once; a second call finds the CERT and changes nothing. */
export async function loadDemo(ctx: Ctx): Promise<DemoResult> {
  const logins = DEMO_USERS.map((u) => ({ email: u.email, role: u.role, password: DEMO_PASSWORD }));
  if (await orgRepo.findCert(ctx.db)) return { created: false, logins };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await inTransaction(ctx, async (tx) => {
    const db = tx.db;
    const cert = await orgRepo.insertOrganisation(db, { kind: 'cert', name: DEMO_CERT.name, shortName: DEMO_CERT.shortName, segment: null, membershipStatus: 'active', memberSince: null, memberUntil: null });
    const vendor = await orgRepo.insertOrganisation(db, { kind: 'vendor', name: DEMO_VENDOR.name, shortName: DEMO_VENDOR.shortName, segment: null, membershipStatus: 'active', memberSince: null, memberUntil: null });
    const partner = await orgRepo.insertOrganisation(db, { kind: 'partner', name: DEMO_PARTNER.name, shortName: DEMO_PARTNER.shortName, segment: null, membershipStatus: 'active', memberSince: '2025-01-01', memberUntil: null });
    const participants = new Map<string, string>();
    for (const [i, p] of DEMO_PARTICIPANTS.entries()) {
      const org = await orgRepo.insertOrganisation(db, {
        kind: 'participant',
        name: p.name,
        shortName: p.shortName,
        segment: p.segment,
        membershipStatus: i === 9 ? 'prospect' : 'active',
        memberSince: i === 9 ? null : `202${i % 5}-0${(i % 9) + 1}-01`,
        memberUntil: null,
      });
      participants.set(p.name, org.id);
      await contactRepo.insertContact(db, org.id, {
        name: `Security officer ${p.shortName}`,
        email: `security@${p.domain}`,
        kind: 'function',
        roles: ['ciso', 'on_call'],
        languages: i % 3 === 0 ? ['nl', 'en'] : ['nl'],
        phone: `+31 30 555 01${String(i).padStart(2, '0')}`,
        subscriptions: ['advisories', 'info_messages', 'operational_alerts', 'end_of_week', 'end_of_month', 'monitoring'],
        pgp_public_key: null,
        pgp_fingerprint: null,
        pgp_user_ids: null,
        pgp_expires_at: null,
        user_id: null,
      });
      const declared = [
        { type: 'domain' as const, value: p.domain, includeSubdomains: true },
        { type: 'ip_range' as const, value: p.range, includeSubdomains: false },
        ...(p.asn ? [{ type: 'asn' as const, value: p.asn, includeSubdomains: false }] : []),
      ];
      for (const [j, a] of declared.entries()) {
        const n = normaliseAsset(a);
        if ('asset' in n) await assetRepo.insertAsset(db, org.id, n.asset, null, j === 1 && i < 3 ? 'proposed' : 'approved');
      }
    }
    const noord = participants.get('Ziekenhuis Noord')!;
    const device = normaliseAsset({ type: 'product', includeSubdomains: false, product: { vendor: 'MedTech Devices', product: 'InfuCare pump', version: '4.2', medicalDevice: true, model: 'IC-400', cpe: null, purl: null } });
    if ('asset' in device) await assetRepo.insertAsset(db, noord, device.asset, null, 'approved');
    // A claim that overlaps Ziekenhuis Noord's range: the approvals queue flags it.
    const overlap = normaliseAsset({ type: 'ip_range', value: '192.0.2.32/27', includeSubdomains: false });
    if ('asset' in overlap) await assetRepo.insertAsset(db, participants.get('GGZ Oost')!, overlap.asset, null, 'proposed');
    await orgRepo.setClients(db, partner.id, [noord, participants.get('Thuiszorg West')!]);

    const orgIds: Record<string, string> = { cert: cert.id, vendor: vendor.id, partner: partner.id, ...Object.fromEntries(participants) };
    for (const u of DEMO_USERS) {
      await usersRepo.insertUser(db, { email: u.email, name: u.name, role: u.role, organisationId: orgIds[u.org]!, passwordHash, status: 'active' });
    }
    const docs = [
      { title: 'Factsheet ransomware in de zorg', tlp: 'CLEAR' as const, recipients: [] },
      { title: 'Sectorbeeld Q3 (community)', tlp: 'GREEN' as const, recipients: [] },
      { title: 'Kwetsbare infuuspompen: deelnemers met IC-400', tlp: 'AMBER' as const, recipients: [{ organisationId: noord }, { organisationId: partner.id }] },
      { title: 'Incidentrapport Ziekenhuis Noord', tlp: 'RED' as const, recipients: [{ organisationId: noord }] },
    ];
    for (const d of docs) {
      await docRepo.insertDocument(db, {
        owner: cert.id,
        title: d.title,
        description: 'Demo document.',
        tlp: d.tlp,
        fileName: `${d.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.txt`,
        mediaType: 'text/plain',
        content: new TextEncoder().encode(`TLP:${d.tlp}\n\n${d.title}\n\nDemo content.\n`),
        createdBy: null,
        recipients: d.recipients,
      });
    }
    await record(tx, { action: 'demo.load', details: { organisations: participants.size + 3, users: DEMO_USERS.length } });
    await ensureSigningKey(tx);
    await loadDemoProducts(tx, orgIds);
    await loadDemoZdn(await as(tx, 'analyst@cert.example'), (email) => as(tx, email), orgIds);
    await loadDemoMonitoring(await as(tx, 'analyst@cert.example'), (email) => as(tx, email));
    await loadDemoIncidents(await as(tx, 'analyst@cert.example'), (email) => as(tx, email), orgIds);
    await loadDemoCvd(await as(tx, 'analyst@cert.example'), (email) => as(tx, email), orgIds);
    await loadDemoCommunity(await as(tx, 'analyst@cert.example'), (email) => as(tx, email), orgIds);
    await loadDemoMeeting(await as(tx, 'analyst@cert.example'), (email) => as(tx, email), orgIds);
    await loadDemoRequest(await as(tx, 'analyst@cert.example'), (email) => as(tx, email), orgIds);
    await loadDemoPublication(await as(tx, 'analyst@cert.example'), (email) => as(tx, email), orgIds);
    await loadDemoIntake(tx);
    // Last: the week's digest picks up every demo product (and any media item chosen in triage).
    await loadDemoDigests(await as(tx, 'analyst@cert.example'));
  });
  return { created: true, logins };
}

/** Acts as a demo user: the products go through the same workflow (and four eyes) as real ones. */
async function as(ctx: Ctx, email: string): Promise<Ctx> {
  const user = await findUserWithOrgByEmail(ctx.db, email);
  if (!user) throw new Error(`demo user ${email} is missing`);
  return { ...ctx, actor: await buildActor(ctx.db, user, { sessionId: 'demo' }) };
}

async function loadDemoProducts(ctx: Ctx, orgIds: Record<string, string>): Promise<void> {
  const author = await as(ctx, 'analyst@cert.example');
  const reviewers = [await as(ctx, 'analyst2@cert.example'), await as(ctx, 'admin@cert.example')];
  for (const d of DEMO_PRODUCTS) {
    const recipients = d.recipients.map((name) => orgIds[name] ?? '').filter(Boolean);
    const content = AdvisoryContent.parse(d.content);
    const id = await drafts.createProduct(author, { kind: d.kind, tlp: d.tlp, recipients, content });
    await drafts.submitForReview(author, id, undefined);
    if (d.inReview) continue;
    for (const r of reviewers) if ((await drafts.approve(r, id)).status === 'approved') break;
    await publication.publish(reviewers[0]!, id);
    // The alert's dashboard has something to show: one hospital has answered, the other not yet.
    if (d.kind === 'alert' && d.recipients.includes('Universitair Medisch Centrum Zuid'))
      await respondInPortal(await as(ctx, 'ciso@umc-zuid.example'), id, { status: 'mitigating', comment: 'MFA staat aan op alle VPN-accounts; de twee adressen zijn geblokkeerd.' });
    if (d.update) {
      const next = AdvisoryContent.parse({ ...d.content, ...d.update.content, nl: { ...d.content.nl, advice: `${d.content.nl.advice}\n- Firmware 4.3.1 is nu voor alle regio's beschikbaar.` } });
      await drafts.saveDraft(author, id, { baseVersion: 1, tlp: d.tlp, recipients, content: next });
      await drafts.submitForReview(author, id, d.update.changeSummary);
      for (const r of reviewers) if ((await drafts.approve(r, id)).status === 'approved') break;
      await publication.publish(reviewers[0]!, id);
    }
  }
}
