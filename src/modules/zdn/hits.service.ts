import type { Ctx } from '#server/context.ts';
import { authorize, type MarkedObject } from '#modules/access/policy.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import * as repo from './hits.repository.ts';
import { TLP_LEVELS, tlpLabel, tlpRank, type Tlp } from '#lib/tlp.ts';

interface EventInfo {
  eventId: string;
  eventTitle: string;
  ownerOrganisationId: string;
  recipients: MarkedObject['recipients'];
}

/**
 * "Hits my network": shared indicators that fall inside an organisation's approved IP ranges or
 * domains alert that organisation, once per indicator, in its portal inbox and by mail to its
 * contacts subscribed to the detection network. Only organisations the indicator's TLP reaches are
 * told (the same audience rule as every other way out).
 */
export async function recordHits(ctx: Ctx, event: EventInfo, indicators: readonly { id: string; tlp: Tlp }[]): Promise<number> {
  if (indicators.length === 0) return 0;
  let told = 0;
  // One query per marking present: the audience rule takes one marking at a time.
  for (const tlp of TLP_LEVELS) {
    const ids = indicators.filter((i) => i.tlp === tlp).map((i) => i.id);
    if (ids.length === 0) continue;
    const marked: MarkedObject = { tlp, ownerOrganisationId: event.ownerOrganisationId, recipients: event.recipients };
    const hits = await repo.insertHits(ctx.db, marked, ids);
    for (const hit of hits) {
      await tellOrganisation(ctx, event, tlp, hit);
      told += 1;
    }
  }
  return told;
}

async function tellOrganisation(ctx: Ctx, event: EventInfo, tlp: Tlp, hit: { indicator_id: string; organisation_id: string; type: string; value: string; asset: string }) {
  const users = await repo.activeUsers(ctx.db, hit.organisation_id);
  const link = `/zdn/indicators/${hit.indicator_id}`;
  // From AMBER up the value stays out of the (unencrypted) notice mail: the portal shows it under the marking.
  const revealValue = tlpRank(tlp) <= tlpRank('GREEN');
  const what = revealValue ? `${hit.type} ${hit.value}` : `a ${hit.type} indicator`;
  await notifyUsers(
    ctx,
    users.map((u) => u.id),
    {
      kind: 'zdn.hit',
      title: `[${tlpLabel(tlp)}] Detection network: ${what} falls inside your declared ${hit.asset}`,
      body: `Event: ${event.eventTitle}`,
      link,
      subjectType: 'zdn_indicator',
      subjectId: hit.indicator_id,
      dedupeKey: `zdn-hit:${hit.indicator_id}`,
    },
  );
  const contacts = await repo.detectionContacts(ctx.db, hit.organisation_id);
  const url = new URL(link, ctx.services.config.publicUrl).toString();
  for (const c of contacts) {
    await queueMail(ctx, `zdn-hit-${hit.indicator_id}-${c.id}`, {
      to: c.email,
      subject: `[${tlpLabel(tlp)}] Detection network hit on your network (${hit.asset})`,
      text: `${tlpLabel(tlp)}\n\nAn indicator shared in the detection network falls inside your organisation's declared ${hit.asset}: ${what}.\nEvent: ${event.eventTitle}\n\nSee it in the portal: ${url}\n`,
    });
  }
}

/** The hits on my organisation's networks (recorded only where the indicator's TLP reaches us). */
export async function hitsOfMyOrganisation(ctx: Ctx) {
  authorize(ctx.actor, 'zdn:read');
  const rows = await repo.hitsOf(ctx.db, ctx.actor.organisationId);
  return rows.map((h) => ({ indicatorId: h.indicator_id, type: h.type, value: h.value, tlp: h.tlp, at: h.created_at.toISOString() }));
}
