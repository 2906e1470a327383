import type { Ctx } from '#server/context.ts';
import { record } from '#modules/audit/audit.service.ts';
import { notFound } from '#server/errors.ts';
import { findProduct, resolveProductId } from '#modules/advisories/advisory.repository.ts';
import { authorize } from '#modules/access/policy.ts';
import type { MarkedObject } from '#modules/access/policy.ts';
import { tlpRank, type Tlp } from '#lib/tlp.ts';
import { messageIdFor, notifyWorkers } from '#modules/mail/outbox.service.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import type { ProductKind } from '#modules/advisories/advisory.content.ts';
import { contactsFor, usersFor, webhooksFor, type AudienceContact } from './audience.repository.ts';
import * as repo from './delivery.repository.ts';
import type { DispatchPayload } from './dispatch.ts';

/**
 * Who gets a product, and the rows that get it to them. The audience comes from the contacts'
 * subscriptions and the policy's TLP rule (`audienceSql`), never from a list a caller passes in,
 * so no request can widen it. Planning writes one outbox row per contact and webhook, in the
 * publishing transaction: the delivery exists exactly when the revision does.
 */

export const SUBSCRIPTION_OF: Record<ProductKind, string> = { advisory: 'advisories', info: 'info_messages', alert: 'operational_alerts' };

export interface ProductAudienceInput {
  productId: string;
  kind: ProductKind;
  tlp: Tlp;
  ownerOrganisationId: string;
  /** The named organisations of the marking (AMBER, AMBER+STRICT, RED). */
  recipients: readonly string[];
  relevantOrganisationIds: readonly string[];
}

export interface ResolvedContact extends AudienceContact {
  mailLanguages: ('nl' | 'en')[];
  encrypt: boolean;
  /** Why the mail is held back (the policy wants encryption and there is no usable key). */
  held: string | null;
}

export interface AudienceSummary {
  contacts: number;
  organisations: number;
  encrypted: number;
  held: number;
  failingAddresses: number;
  webhooks: number;
  users: number;
}

function marked(p: ProductAudienceInput): MarkedObject {
  return { tlp: p.tlp, ownerOrganisationId: p.ownerOrganisationId, recipients: p.recipients.map((organisationId) => ({ organisationId, userId: null })) };
}

/** Whether the policy "encrypted only from TLP:x" (MAIL_ENCRYPT_FROM_TLP) covers mail of this marking. */
export function encryptionRequired(ctx: Ctx, tlp: Tlp): boolean {
  const from = ctx.services.config.mailEncryptFromTlp;
  return from !== null && tlpRank(tlp) >= tlpRank(from);
}

export async function resolveAudience(ctx: Ctx, p: ProductAudienceInput) {
  const obj = marked(p);
  const required = encryptionRequired(ctx, p.tlp);
  const now = Date.now();
  const contacts: ResolvedContact[] = (await contactsFor(ctx.db, obj, SUBSCRIPTION_OF[p.kind], p.relevantOrganisationIds)).map((c) => {
    const hasKey = !!c.pgp_public_key && !!c.pgp_fingerprint && (!c.pgp_expires_at || c.pgp_expires_at.getTime() > now);
    const langs = (['nl', 'en'] as const).filter((l) => c.languages.includes(l));
    return {
      ...c,
      mailLanguages: langs.length ? [...langs] : ['nl'],
      encrypt: hasKey,
      held: required && !hasKey ? `Held: TLP:${p.tlp} mail goes out encrypted only, and this contact has no usable OpenPGP key.` : null,
    };
  });
  const webhooks = await webhooksFor(ctx.db, obj, p.kind);
  const users = await usersFor(ctx.db, obj);
  const summary: AudienceSummary = {
    contacts: contacts.length,
    organisations: new Set(contacts.map((c) => c.organisation_id)).size,
    encrypted: contacts.filter((c) => c.encrypt).length,
    held: contacts.filter((c) => c.held).length,
    failingAddresses: contacts.filter((c) => c.email_failing_since).length,
    webhooks: webhooks.length,
    users: users.length,
  };
  return { contacts, webhooks, users, summary, encryptionRequired: required };
}

export interface PlannedRevision extends ProductAudienceInput {
  revision: number;
  identifier: string;
  title: string;
  withdrawn: boolean;
}

/** Inside the publishing transaction: the delivery, one outbox row per recipient, the inbox entries. */
export async function planProductDelivery(ctx: Ctx, p: PlannedRevision): Promise<AudienceSummary> {
  const audience = await resolveAudience(ctx, p);
  const deliveryId = await repo.insertDelivery(ctx.db, {
    productId: p.productId,
    revision: p.revision,
    tlp: p.tlp,
    title: p.title,
    contacts: audience.summary.contacts,
    organisations: audience.summary.organisations,
    encrypted: audience.summary.encrypted,
    held: audience.summary.held,
    webhooks: audience.summary.webhooks,
    createdBy: ctx.actor?.userId ?? null,
  });
  if (!deliveryId) return audience.summary;
  const idBase = `${p.identifier.toLowerCase()}.r${p.revision}`;
  const mailRows: repo.OutboxRowInput[] = audience.contacts.map((c) => {
    const payload: DispatchPayload = {
      template: 'product',
      productId: p.productId,
      revision: p.revision,
      to: c.email,
      name: c.name,
      languages: c.mailLanguages,
      messageId: messageIdFor(ctx, `${idBase}.${c.contact_id}`),
      key: c.encrypt ? { fingerprint: c.pgp_fingerprint!, armored: c.pgp_public_key! } : null,
      requireEncryption: audience.encryptionRequired,
    };
    return {
      kind: 'dispatch',
      dedupeKey: `product:${p.productId}:r${p.revision}:contact:${c.contact_id}`,
      payload,
      deliveryId,
      contactId: c.contact_id,
      organisationId: c.organisation_id,
      recipient: c.email,
      encrypted: c.encrypt,
      held: c.held,
    };
  });
  const hookRows: repo.OutboxRowInput[] = audience.webhooks.map((w) => ({
    kind: 'webhook',
    dedupeKey: `product:${p.productId}:r${p.revision}:webhook:${w.id}`,
    payload: { template: 'product', productId: p.productId, revision: p.revision, webhookId: w.id },
    deliveryId,
    contactId: null,
    organisationId: w.organisation_id,
    recipient: w.url,
    encrypted: false,
    held: null,
  }));
  await repo.insertOutboxRows(ctx.db, [...mailRows, ...hookRows]);
  await notifyUsers(
    ctx,
    audience.users.map((u) => u.id),
    {
      kind: `product.${p.kind}`,
      title: `${p.withdrawn ? 'Withdrawn: ' : p.revision > 1 ? 'Updated: ' : ''}${p.identifier}: ${p.title}`,
      link: `/advisories/${encodeURIComponent(p.identifier)}`,
      subjectType: 'product',
      subjectId: p.productId,
      dedupeKey: `product:${p.productId}:r${p.revision}`,
    },
  );
  await notifyWorkers(ctx);
  return audience.summary;
}

async function productIdOf(ctx: Ctx, idOrIdentifier: string): Promise<string> {
  const id = await resolveProductId(ctx.db, idOrIdentifier);
  if (!id || !(await findProduct(ctx.db, id))) throw notFound('product');
  return id;
}

/** Makes the product's rows that wait for a retry due now (after the mail server came back). */
export async function retryNow(ctx: Ctx, idOrIdentifier: string): Promise<number> {
  authorize(ctx.actor, 'advisories:approve');
  const productId = await productIdOf(ctx, idOrIdentifier);
  const n = await repo.retryNow(ctx.db, productId);
  if (n) await notifyWorkers(ctx);
  return n;
}

/** The queue state of every delivery of a product: per kind and status, and what did not go. */
export async function deliveryState(ctx: Ctx, idOrIdentifier: string) {
  authorize(ctx.actor, 'distribution:read');
  const productId = await productIdOf(ctx, idOrIdentifier);
  const deliveries = await repo.deliveriesOf(ctx.db, productId);
  const counts = await repo.queueCounts(
    ctx.db,
    deliveries.map((d) => d.id),
  );
  const latest = deliveries[0];
  const problems = latest ? await repo.problemRows(ctx.db, latest.id) : [];
  return { deliveries, counts, problems };
}

/**
 * A contact was given a usable OpenPGP key: the product mail held back for want of one (TLP policy
 * "encrypted only") is encrypted to it and sent. Runs in the transaction that stores the key.
 */
export async function releaseHeldMail(ctx: Ctx, contactId: string, key: { fingerprint: string; armored: string }): Promise<number> {
  const released = await repo.releaseHeldForContact(ctx.db, contactId, key);
  if (released) {
    await record(ctx, {
      action: 'delivery.release_held',
      targetType: 'contact',
      targetId: contactId,
      details: { messages: released, fingerprint: key.fingerprint },
    });
    await notifyWorkers(ctx);
  }
  return released;
}
