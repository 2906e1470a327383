import type { Ctx } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import { record } from '#modules/audit/audit.service.ts';
import { verifyLink } from '#modules/keys/signed-link.ts';
import * as contactRepo from '#modules/organisations/contact.repository.ts';
import { SUBSCRIPTIONS } from '#modules/organisations/organisation.schema.ts';
import type { ProductKind } from '#modules/advisories/advisory.content.ts';
import { SUBSCRIPTION_OF } from './delivery.service.ts';

/**
 * A contact's own subscriptions, from the List-Unsubscribe link of a mail: no login, the link is
 * signed for that contact. One-click unsubscribe (RFC 8058) drops the list the mail came from.
 */

async function contactOf(ctx: Ctx, token: string) {
  const claims = await verifyLink(ctx, 'contact-preferences', token);
  const contact = claims.c ? await contactRepo.findContact(ctx.db, claims.c) : undefined;
  if (!contact) throw notFound('contact');
  // A product mail names its kind (k); a digest names its list (l: end_of_week, end_of_month).
  const named = (SUBSCRIPTIONS as readonly string[]).includes(claims.l ?? '') ? claims.l! : null;
  const kind = claims.k as ProductKind | undefined;
  return { contact, list: named ?? (kind ? SUBSCRIPTION_OF[kind] : null) };
}

export async function preferences(ctx: Ctx, token: string) {
  const { contact, list } = await contactOf(ctx, token);
  return { name: contact.name, email: contact.email, subscriptions: contact.subscriptions, onlyRelevant: contact.only_relevant, fromList: list };
}

export async function unsubscribeOneClick(ctx: Ctx, token: string): Promise<string | null> {
  const { contact, list } = await contactOf(ctx, token);
  if (!list || !contact.subscriptions.includes(list)) return list;
  await inTransaction(ctx, async (tx) => {
    await contactRepo.updateContact(tx.db, contact.id, { subscriptions: contact.subscriptions.filter((s) => s !== list) });
    await record(tx, { action: 'contact.unsubscribe', targetType: 'contact', targetId: contact.id, actorEmail: contact.email, details: { list, via: 'one-click' } });
  });
  return list;
}

export async function savePreferences(ctx: Ctx, token: string, wanted: { subscriptions: string[]; onlyRelevant: boolean }) {
  const { contact } = await contactOf(ctx, token);
  const subscriptions = SUBSCRIPTIONS.filter((s) => wanted.subscriptions.includes(s));
  await inTransaction(ctx, async (tx) => {
    await contactRepo.updateContact(tx.db, contact.id, { subscriptions, only_relevant: wanted.onlyRelevant });
    await record(tx, { action: 'contact.preferences', targetType: 'contact', targetId: contact.id, actorEmail: contact.email, details: { subscriptions, onlyRelevant: wanted.onlyRelevant } });
  });
  return { subscriptions, onlyRelevant: wanted.onlyRelevant };
}
