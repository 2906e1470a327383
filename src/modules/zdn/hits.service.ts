import type { Ctx } from '#server/context.ts';
import { activeUserIdsOf } from '#modules/identity/users.repository.ts';
import { authorize, type MarkedObject } from '#modules/access/policy.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import { TLP_LEVELS, tlpLabel, tlpRank, type Tlp } from '#lib/tlp.ts';
import { indicatorNoun, type IndicatorType } from './indicator-types.ts';
import * as repo from './hits.repository.ts';

interface EventInfo {
  eventId: string;
  eventTitle: string;
  ownerOrganisationId: string;
  recipients: MarkedObject['recipients'];
}

/** A shared indicator with what locates it: its address range (hex, as assets keep it) or host. */
export interface LocatedIndicator {
  id: string;
  tlp: Tlp;
  type: IndicatorType;
  value: string;
  rangeStart: string | null;
  rangeEnd: string | null;
  host: string | null;
}

/** Which declared networks an indicator falls inside: ranges that overlap, domains that hold the host. */
export function matchAssets(indicator: LocatedIndicator, assets: readonly repo.NetworkAsset[]): repo.NetworkAsset[] {
  const { rangeStart, rangeEnd, host } = indicator;
  return assets.filter((a) =>
    a.type === 'ip_range'
      ? rangeStart !== null && rangeEnd !== null && a.range_start !== null && a.range_end !== null && a.range_start <= rangeEnd && a.range_end >= rangeStart
      : host !== null && (host === a.value || (a.include_subdomains && host.endsWith(`.${a.value}`))),
  );
}

/**
 * "Hits my network": shared indicators that fall inside an organisation's approved IP ranges or
 * domains alert that organisation, once per indicator, in its portal inbox and by mail to its
 * contacts subscribed to the detection network. Only organisations the indicator's TLP reaches are
 * told (the same audience rule as every other way out). The networks are matched here rather than
 * in SQL: a batch of thousands of indicators against the members' few hundred networks.
 */
export async function recordHits(ctx: Ctx, event: EventInfo, indicators: readonly LocatedIndicator[]): Promise<number> {
  const located = indicators.filter((i) => i.rangeStart !== null || i.host !== null);
  if (located.length === 0) return 0;
  const assets = await repo.networkAssets(ctx.db);
  if (assets.length === 0) return 0;
  const byId = new Map(located.map((i) => [i.id, i]));
  const assetById = new Map(assets.map((a) => [a.id, a]));
  let told = 0;
  for (const tlp of TLP_LEVELS) {
    const candidates: repo.HitCandidate[] = [];
    for (const i of located) {
      if (i.tlp !== tlp) continue;
      // One hit per organisation: its first matching network.
      const seen = new Set<string>();
      for (const a of matchAssets(i, assets)) {
        if (seen.has(a.organisation_id)) continue;
        seen.add(a.organisation_id);
        candidates.push({ indicatorId: i.id, organisationId: a.organisation_id, assetId: a.id });
      }
    }
    if (candidates.length === 0) continue;
    const marked: MarkedObject = { tlp, ownerOrganisationId: event.ownerOrganisationId, recipients: event.recipients };
    for (const hit of await repo.insertHits(ctx.db, marked, candidates)) {
      const i = byId.get(hit.indicatorId)!;
      await tellOrganisation(ctx, event, tlp, { indicator_id: i.id, organisation_id: hit.organisationId, type: i.type, value: i.value, asset: assetById.get(hit.assetId)?.value ?? '' });
      told += 1;
    }
  }
  return told;
}

async function tellOrganisation(ctx: Ctx, event: EventInfo, tlp: Tlp, hit: { indicator_id: string; organisation_id: string; type: IndicatorType; value: string; asset: string }) {
  const users = await activeUserIdsOf(ctx.db, hit.organisation_id);
  const link = `/zdn/indicators/${hit.indicator_id}`;
  // From AMBER up the value stays out of the (unencrypted) notice mail: the portal shows it under the marking.
  const revealValue = tlpRank(tlp) <= tlpRank('GREEN');
  const what = revealValue ? `${hit.type} ${hit.value}` : indicatorNoun(hit.type);
  await notifyUsers(
    ctx,
    users,
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
