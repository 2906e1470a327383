import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../src/server/context.ts';
import { buildActor } from '../../src/modules/identity/actor-builder.ts';
import { findUserWithOrgById } from '../../src/modules/identity/identity.repository.ts';
import { AdvisoryContent, type AdvisoryContentInput, type ProductKind } from '../../src/modules/advisories/advisory.content.ts';
import * as drafts from '../../src/modules/advisories/advisory.service.ts';
import * as publication from '../../src/modules/advisories/publication.service.ts';
import type { Tlp } from '../../src/lib/tlp.ts';
import type { TestApp } from './test-app.ts';
import { makeOrganisation, makeUser, type TestUser } from './factories.ts';

/** Products for tests, made through the services (not the routes under test), with real actors. */

const unique = () => randomBytes(4).toString('hex');

/** A context acting as the given user, as a logged-in request would have. */
export async function actorCtx(t: TestApp, userId: string): Promise<Ctx> {
  const user = await findUserWithOrgById(t.system.db, userId);
  if (!user) throw new Error(`no user ${userId}`);
  return { ...t.system, actor: await buildActor(t.system.db, user, { sessionId: 'test-session' }) };
}

/** An advisory with two CVEs (CVSS 4.0 and 3.1) about a medical device. */
export function sampleContent(overrides: Partial<AdvisoryContentInput> = {}): AdvisoryContent {
  return AdvisoryContent.parse({
    nl: {
      title: `Kwetsbaarheden in InfuCare-pompen ${unique()}`,
      summary: 'Twee kwetsbaarheden in de netwerkmodule van InfuCare-infuuspompen.',
      body: 'De **netwerkmodule** bevat twee kwetsbaarheden.\n\n- Authenticatie kan worden omzeild\n- Een buffer overflow',
      advice: 'Installeer firmware 4.3.1 of hoger. Plaats pompen in een apart netwerksegment.',
    },
    en: { title: 'Vulnerabilities in InfuCare pumps', summary: 'Two vulnerabilities in the network module.', body: 'The network module has two flaws.', advice: 'Install firmware 4.3.1.' },
    urgency: 'urgent',
    probability: 'high',
    impact: 'high',
    references: [{ url: 'https://vendor.example/psirt/2026-001', summary: 'Vendor advisory' }],
    sources: [{ name: 'MedTech Devices PSIRT', url: 'https://vendor.example/psirt' }],
    tags: ['medical-device'],
    products: [{ id: 'P1', vendor: 'MedTech Devices', name: 'InfuCare pump', versions: '<4.3.1', medicalDevice: true, model: 'IC-400' }],
    vulnerabilities: [
      {
        cve: 'CVE-2026-10001',
        title: 'Authentication bypass',
        description: 'The web interface does not check the session.',
        cwe: { id: 'CWE-287', name: 'Improper Authentication' },
        cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
        knownExploited: true,
        productStatus: [{ productId: 'P1', status: 'affected' }],
        remediations: [{ category: 'vendor_fix', details: 'Update to 4.3.1.', fixedVersion: '4.3.1', productIds: ['P1'] }],
      },
      {
        cve: 'CVE-2026-10002',
        title: 'Buffer overflow',
        description: 'A long request crashes the module.',
        cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
        productStatus: [{ productId: 'P1', status: 'affected' }],
        remediations: [{ category: 'mitigation', details: 'Segment the network.', productIds: ['P1'] }],
      },
    ],
    ...overrides,
  });
}

export interface CertTeam {
  author: TestUser;
  reviewers: [TestUser, TestUser];
}

export async function makeCertTeam(t: TestApp): Promise<CertTeam> {
  const cert = await makeOrganisation(t, 'cert');
  return {
    author: await makeUser(t, cert.id, 'cert-analyst'),
    reviewers: [await makeUser(t, cert.id, 'cert-analyst'), await makeUser(t, cert.id, 'cert-admin')],
  };
}

export type ProductState = 'draft' | 'in_review' | 'approved' | 'published';

/** A product taken through the workflow up to `state`. */
export async function productInState(
  t: TestApp,
  team: CertTeam,
  state: ProductState,
  opts: { kind?: ProductKind; tlp?: Tlp; recipients?: string[]; content?: AdvisoryContent } = {},
): Promise<{ id: string; identifier: string | null }> {
  const author = await actorCtx(t, team.author.id);
  const kind = opts.kind ?? 'advisory';
  const content = opts.content ?? (kind === 'advisory' ? sampleContent() : sampleContent({ vulnerabilities: [] }));
  const id = await drafts.createProduct(author, { kind, tlp: opts.tlp ?? 'GREEN', recipients: opts.recipients ?? [], content });
  if (state === 'draft') return { id, identifier: null };
  await drafts.submitForReview(author, id, undefined);
  if (state === 'in_review') return { id, identifier: null };
  for (const reviewer of team.reviewers) {
    const r = await drafts.approve(await actorCtx(t, reviewer.id), id);
    if (r.status === 'approved') break;
  }
  if (state === 'approved') return { id, identifier: null };
  const published = await publication.publish(await actorCtx(t, team.reviewers[0].id), id);
  return { id, identifier: published.identifier };
}
