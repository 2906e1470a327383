import type { z } from 'zod';
import type { ItemOut, RunOut, SourceOut, StoryOut } from './intake.schema.ts';
import type { SourceRow } from './source.repository.ts';
import type { ItemRow, StoryRow } from './story.repository.ts';
import type { Selectable } from 'kysely';
import type { EpssScoresTable, IntakeRunsTable, KevEntriesTable } from '#db/schema-intake.ts';

/** Rows → API shapes. */

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const day = (d: string | Date | null) => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

export function presentSource(s: SourceRow): z.infer<typeof SourceOut> {
  const state = !s.enabled ? 'disabled' : s.last_run_at === null ? 'never' : s.last_error ? 'failing' : 'ok';
  return {
    id: s.id,
    kind: s.kind,
    name: s.name,
    url: s.url,
    tlp: s.tlp,
    intervalMinutes: s.interval_minutes,
    enabled: s.enabled,
    publicKeyCount: s.public_keys.length,
    mailAddress: s.mail_address,
    health: {
      state,
      lastRunAt: iso(s.last_run_at),
      lastSuccessAt: iso(s.last_success_at),
      lastError: s.last_error,
      lastItems: s.last_items,
      totalItems: s.total_items,
      nextRunAt: s.kind === 'mailbox' || !s.enabled ? null : iso(s.next_run_at),
      running: s.running_since !== null,
    },
  };
}

export function presentRun(r: Selectable<IntakeRunsTable>): z.infer<typeof RunOut> {
  return {
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at)!,
    ok: r.ok,
    newItems: r.new_items,
    updatedItems: r.updated_items,
    warnings: r.warnings,
    error: r.error,
  };
}

export function presentStory(s: StoryRow & { read: boolean }): z.infer<typeof StoryOut> {
  return {
    id: s.id,
    title: s.title,
    summary: s.summary,
    cves: s.cves,
    advisoryIds: s.advisory_ids,
    vendors: s.vendors,
    products: s.products,
    sourceIds: s.source_ids,
    itemCount: s.item_count,
    tlp: s.tlp,
    firstSeenAt: iso(s.first_seen_at)!,
    lastActivityAt: iso(s.last_activity_at)!,
    changeNote: s.change_note,
    kev: s.kev,
    knownRansomware: s.known_ransomware,
    epss: s.epss_max,
    epssPercentile: s.epss_percentile,
    concernedOrganisations: s.concerned_organisations,
    read: s.read,
    decision: s.decision,
    decisionReason: s.decision_reason,
    advisoryId: s.advisory_id,
    decidedAt: iso(s.decided_at),
    mediaWeek: s.media_week,
  };
}

export function presentItem(i: ItemRow & { source_name: string; source_kind: SourceRow['kind'] }): z.infer<typeof ItemOut> {
  return {
    id: i.id,
    sourceId: i.source_id,
    sourceName: i.source_name,
    sourceKind: i.source_kind,
    externalId: i.external_id,
    url: i.url,
    title: i.title,
    summary: i.summary,
    publishedAt: iso(i.published_at),
    updatedAt: iso(i.source_updated_at),
    revision: i.revision,
    cves: i.cves,
    advisoryIds: i.advisory_ids,
    tlp: i.tlp,
    isCsaf: i.csaf !== null && i.csaf !== undefined,
    firstSeenAt: iso(i.first_seen_at)!,
    changes: i.changes,
  };
}

export function presentKev(k: Selectable<KevEntriesTable>) {
  return {
    cve: k.cve,
    name: k.name,
    dateAdded: day(k.date_added)!,
    dueDate: day(k.due_date),
    requiredAction: k.required_action,
    knownRansomware: k.known_ransomware,
  };
}

export function presentEpss(e: Selectable<EpssScoresTable>) {
  return { cve: e.cve, epss: e.epss, percentile: e.percentile, scoreDate: day(e.score_date)!, modelVersion: e.model_version };
}
