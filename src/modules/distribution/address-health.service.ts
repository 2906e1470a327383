import type { Ctx } from '#server/context.ts';
import { inTransaction } from '#server/context.ts';
import { record } from '#modules/audit/audit.service.ts';
import { notifyCertStaff } from '#modules/notifications/notification.service.ts';
import * as repo from './delivery.repository.ts';

/**
 * A mail server that refuses an address for good (5xx) marks the contact's address as failing and
 * tells the CERT through its inbox, once per address and day. The next successful delivery clears
 * the mark.
 */
export async function reportFailingAddress(ctx: Ctx, contactId: string, reason: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const contact = await repo.markContactFailing(tx.db, contactId, reason);
    if (!contact) return;
    await record(tx, { action: 'contact.email_failing', targetType: 'contact', targetId: contactId, details: { email: contact.email, reason: reason.slice(0, 300) } });
    await notifyCertStaff(tx, {
      kind: 'address_failing',
      title: `Mail to ${contact.email} is refused`,
      body: reason.slice(0, 1000),
      link: `/organisations/${contact.organisation_id}`,
      subjectType: 'contact',
      subjectId: contactId,
      dedupeKey: `address-failing:${contactId}:${new Date().toISOString().slice(0, 10)}`,
    });
  });
}
