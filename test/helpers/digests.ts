import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { ProductKind } from '../../src/modules/advisories/advisory.content.ts';
import * as drafts from '../../src/modules/advisories/advisory.service.ts';
import * as publication from '../../src/modules/advisories/publication.service.ts';
import type { Tlp } from '../../src/lib/tlp.ts';
import pino from 'pino';
import { createMailer } from '../../src/modules/mail/mailer.ts';
import { drainOutbox, mailHandler } from '../../src/modules/mail/outbox.service.ts';
import { createDispatchHandler } from '../../src/modules/distribution/dispatch.ts';
import { createWebhookHandler } from '../../src/modules/distribution/webhook-sender.ts';
import { createDigestHandler } from '../../src/modules/digests/digest-dispatch.ts';
import type { TestApp } from './test-app.ts';
import type { Worker } from './distribution.ts';
import { actorCtx, productInState, sampleContent, type CertTeam } from './products.ts';

/** The outbox worker with every handler `wachtpost serve` registers, digests included, against a test SMTP server. */
export function startDigestWorker(t: TestApp, smtpUrl: string): Worker {
  const mailer = createMailer(smtpUrl, t.services.config.mailFrom, pino({ level: 'silent' }), { maxConnections: 4 });
  // As boot.ts wires them: the outbox drains whatever kinds it is handed.
  const handlers = { mail: mailHandler(mailer), dispatch: createDispatchHandler(mailer), webhook: createWebhookHandler(), digest: createDigestHandler(mailer) };
  return { mailer, drain: () => drainOutbox(t.system, handlers, { concurrency: 4, leaseSeconds: 60 }), close: () => mailer.close() };
}

/** Products for digest tests: published through the workflow, then dated into the period a test needs. */

const unique = () => randomBytes(3).toString('hex');

export interface DatedProduct {
  id: string;
  identifier: string;
  title: string;
}

/** Moves a published product's revisions (and its denormalised dates) to the given instants, oldest first. */
export async function dateRevisions(t: TestApp, productId: string, at: readonly Date[]): Promise<void> {
  for (const [i, when] of at.entries())
    await sql`UPDATE product_revisions SET published_at = ${when} WHERE product_id = ${productId} AND revision = ${i + 1}`.execute(t.system.db);
  await t.system.db
    .updateTable('products')
    .set({ first_published_at: at[0]!, published_at: at[at.length - 1]! })
    .where('id', '=', productId)
    .execute();
}

/** A product of the kind and marking, with a recognisable Dutch title, published "at" the instant. */
export async function publishedAt(
  t: TestApp,
  team: CertTeam,
  at: Date,
  opts: { kind?: ProductKind; tlp?: Tlp; recipients?: string[]; title?: string; vendor?: string; urgency?: 'urgent' | 'normal' } = {},
): Promise<DatedProduct> {
  const kind = opts.kind ?? 'advisory';
  const title = opts.title ?? `${kind} ${opts.tlp ?? 'GREEN'} ${unique()}`;
  const base = sampleContent();
  const content = sampleContent({
    nl: { title, summary: `Samenvatting van ${title}.`, body: 'Tekst.', advice: 'Advies.' },
    en: { title: `EN ${title}`, summary: `Summary of ${title}.`, body: 'Text.', advice: 'Advice.' },
    urgency: opts.urgency ?? 'normal',
    products: [{ ...base.products[0]!, vendor: opts.vendor ?? 'MedTech Devices' }],
    ...(kind !== 'advisory' && { vulnerabilities: [] }),
  });
  const p = await productInState(t, team, 'published', { kind, tlp: opts.tlp ?? 'GREEN', recipients: opts.recipients ?? [], content });
  await dateRevisions(t, p.id, [at]);
  return { id: p.id, identifier: p.identifier!, title };
}

/** A second revision of a published product (the same marking), through the four-eyes workflow. */
export async function publishUpdate(t: TestApp, team: CertTeam, productId: string): Promise<void> {
  const author = await actorCtx(t, team.author.id);
  const current = await t.system.db.selectFrom('products').selectAll().where('id', '=', productId).executeTakeFirstOrThrow();
  const content = drafts.parseStoredContent(current.draft_content);
  await drafts.saveDraft(author, productId, {
    baseVersion: current.draft_version,
    tlp: current.draft_tlp,
    recipients: current.draft_recipients,
    content: { ...content, nl: { ...content.nl, advice: `${content.nl.advice} Nu ook firmware 4.3.2.` } },
  });
  await drafts.submitForReview(author, productId, 'Nieuwe firmware.');
  for (const r of team.reviewers) if ((await drafts.approve(await actorCtx(t, r.id), productId)).status === 'approved') break;
  await publication.publish(await actorCtx(t, team.reviewers[0].id), productId);
}

export async function withdrawProduct(t: TestApp, team: CertTeam, productId: string): Promise<void> {
  await publication.withdraw(await actorCtx(t, team.reviewers[0].id), productId, 'Onjuist bericht.');
}
