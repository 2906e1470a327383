import { readKey } from 'openpgp';
import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict, notFound } from '#server/errors.ts';
import { checkTargetUrl } from '#lib/safe-http.ts';
import type { Tlp } from '#lib/tlp.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { z } from 'zod';
import { CsafCursorSchema, FeedCursorSchema, kevItems, makeHttpGet, readCsafProvider, readEpss, readFeed, readKev } from './fetchers/index.ts';
import type { FetchedItem } from './fetchers/types.ts';
import * as repo from './source.repository.ts';
import { ingestItems, loadDeclared, reenrich, refreshStory } from './story.service.ts';

/**
 * The CERT's sources: kept by administrators, run on their interval by the intake job (or at once on
 * request), each run recorded with its outcome. A run fetches first and writes after, in one
 * transaction, so a failure anywhere keeps the last good cursor and items; the source says why.
 */

export interface SourceInput {
  kind: repo.SourceRow['kind'];
  name: string;
  url?: string | null | undefined;
  tlp: Tlp;
  intervalMinutes: number;
  enabled: boolean;
  publicKeys: string[];
  mailAddress?: string | null | undefined;
}

const KevCursor = z.object({ since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

/** KEV entries added this many days before a source's first run become items; older ones only enrich. */
const KEV_FIRST_RUN_DAYS = 14;

export async function listSources(ctx: Ctx) {
  authorize(ctx.actor, 'intake:read');
  return repo.listSources(ctx.db);
}

export async function getSource(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'intake:read');
  const source = await repo.findSource(ctx.db, id);
  if (!source) throw notFound('source');
  return { source, runs: await repo.recentRuns(ctx.db, id, 20) };
}

async function checkInput(
  ctx: Ctx,
  kind: repo.SourceRow['kind'],
  input: { url?: string | null | undefined; mailAddress?: string | null | undefined; publicKeys?: string[] | undefined },
) {
  const config = ctx.services.config.intake;
  if (kind === 'mailbox') {
    const address = input.mailAddress?.trim().toLowerCase();
    const [local, domain] = config.smtpAddress.split('@');
    const ok =
      address &&
      (address === config.smtpAddress ||
        (address.startsWith(`${local}+`) && address.endsWith(`@${domain}`) && /^[a-z0-9._-]+$/.test(address.slice(local!.length + 1, -domain!.length - 1))));
    if (!ok)
      throw badRequest('intake_mail_address', `A mailbox source takes mail to ${config.smtpAddress} or a plus-address of it, like ${local}+ncsc@${domain}.`, {
        field: 'mailAddress',
      });
    if (input.url) throw badRequest('intake_url_not_allowed', 'A mailbox source has no URL.', { field: 'url' });
  } else if (input.url !== undefined) {
    if (!input.url) throw badRequest('intake_url_required', 'This kind of source needs the URL to read.', { field: 'url' });
    const checked = checkTargetUrl(input.url, config.allowedHosts);
    if (!checked.ok) throw badRequest('intake_unsafe_url', checked.reason, { field: 'url' });
    if (input.mailAddress) throw badRequest('intake_mail_address', 'Only a mailbox source has a mail address.', { field: 'mailAddress' });
  }
  for (const [i, armored] of (input.publicKeys ?? []).entries()) {
    try {
      await readKey({ armoredKey: armored });
    } catch {
      throw badRequest('intake_public_key', `Key ${i + 1} is not an ASCII-armoured OpenPGP public key.`, { field: `publicKeys.${i}` });
    }
  }
}

function uniqueAddress(err: unknown): never {
  if (err instanceof Error && /intake_sources_mail_address_key|unique/i.test(err.message))
    throw conflict('intake_mail_address_taken', 'Another mailbox source already takes mail to this address.');
  throw err;
}

export async function createSource(ctx: Ctx, input: SourceInput) {
  authorize(ctx.actor, 'intake:sources');
  const userId = ctx.actor.userId;
  await checkInput(ctx, input.kind, { url: input.url ?? '', mailAddress: input.mailAddress, publicKeys: input.publicKeys });
  const source = await inTransaction(ctx, async (tx) => {
    const row = await repo
      .insertSource(
        tx.db,
        {
          kind: input.kind,
          name: input.name,
          url: input.kind === 'mailbox' ? null : (input.url ?? null),
          tlp: input.tlp,
          intervalMinutes: input.intervalMinutes,
          enabled: input.enabled,
          publicKeys: input.publicKeys,
          mailAddress: input.kind === 'mailbox' ? (input.mailAddress ?? '').trim().toLowerCase() : null,
        },
        userId,
      )
      .catch(uniqueAddress);
    await record(tx, {
      action: 'intake.source.create',
      targetType: 'intake_source',
      targetId: row.id,
      details: { kind: row.kind, name: row.name, url: row.url },
    });
    return row;
  });
  return source;
}

export async function updateSource(ctx: Ctx, id: string, patch: Partial<Omit<SourceInput, 'kind'>>) {
  authorize(ctx.actor, 'intake:sources');
  const current = await repo.findSource(ctx.db, id);
  if (!current) throw notFound('source');
  await checkInput(ctx, current.kind, {
    url: patch.url,
    mailAddress: patch.mailAddress ?? (current.kind === 'mailbox' ? current.mail_address : undefined),
    publicKeys: patch.publicKeys,
  });
  return inTransaction(ctx, async (tx) => {
    const urlChanged = patch.url !== undefined && patch.url !== current.url;
    const row = await repo
      .updateSource(
        tx.db,
        id,
        {
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.url !== undefined && current.kind !== 'mailbox' && { url: patch.url }),
          ...(patch.tlp !== undefined && { tlp: patch.tlp }),
          ...(patch.intervalMinutes !== undefined && { intervalMinutes: patch.intervalMinutes }),
          ...(patch.enabled !== undefined && { enabled: patch.enabled }),
          ...(patch.publicKeys !== undefined && { publicKeys: patch.publicKeys }),
          ...(patch.mailAddress && current.kind === 'mailbox' && { mailAddress: patch.mailAddress.trim().toLowerCase() }),
        },
        urlChanged,
      )
      .catch(uniqueAddress);
    if (!row) throw notFound('source');
    await record(tx, { action: 'intake.source.update', targetType: 'intake_source', targetId: id, details: { fields: Object.keys(patch) } });
    return row;
  });
}

export async function deleteSource(ctx: Ctx, id: string) {
  authorize(ctx.actor, 'intake:sources');
  await inTransaction(ctx, async (tx) => {
    const left = await repo.deleteSource(tx.db, id);
    if (left === null) throw notFound('source');
    // Stories that keep items from other sources are recomputed without this source's.
    const declared = await loadDeclared(tx);
    for (const storyId of left) await refreshStory(tx, storyId, declared, null);
    await record(tx, { action: 'intake.source.delete', targetType: 'intake_source', targetId: id });
  });
}

interface Fetched {
  items: FetchedItem[];
  cursor: unknown;
  warnings: string[];
  /** Writes that belong to the run's transaction besides the items (KEV and EPSS tables). */
  write?: (tx: Ctx) => Promise<void>;
  /** CVEs whose stories need their enrichment again after the run ('all' after an EPSS file). */
  reenrich?: string[] | 'all';
}

async function fetchSource(ctx: Ctx, source: repo.SourceRow): Promise<Fetched> {
  const { intake } = ctx.services.config;
  const get = makeHttpGet({ allowedHosts: intake.allowedHosts, timeoutMs: intake.fetchTimeoutMs, maxBytes: intake.maxBytes });
  const url = source.url ?? '';
  switch (source.kind) {
    case 'csaf': {
      const cursor = CsafCursorSchema.safeParse(source.cursor);
      return readCsafProvider(get, { url, ...(source.public_keys.length && { publicKeys: source.public_keys }) }, cursor.success ? cursor.data : null);
    }
    case 'rss': {
      const cursor = FeedCursorSchema.safeParse(source.cursor);
      return readFeed(get, url, cursor.success ? cursor.data : null);
    }
    case 'kev': {
      const kev = await readKev(get, url);
      const previous = KevCursor.safeParse(source.cursor);
      const since = (previous.success ? previous.data.since : null) ?? new Date(Date.now() - KEV_FIRST_RUN_DAYS * 86_400_000).toISOString().slice(0, 10);
      const latest = kev.entries.reduce((max, e) => (e.dateAdded > max ? e.dateAdded : max), since);
      return {
        items: kevItems(kev.entries, since),
        cursor: { since: latest, catalogVersion: kev.catalogVersion },
        warnings: [],
        write: (tx) =>
          repo.upsertKev(
            tx.db,
            kev.entries.map((e) => ({ ...e, dueDate: e.dueDate ?? null })),
            kev.catalogVersion ?? null,
          ),
        reenrich: kev.entries.map((e) => e.cve),
      };
    }
    case 'epss': {
      const epss = await readEpss(get, url);
      return {
        items: [],
        cursor: { scoreDate: epss.scoreDate, modelVersion: epss.modelVersion, scores: epss.scores.length },
        warnings: [],
        write: (tx) => repo.upsertEpss(tx.db, epss.scores, epss.modelVersion ?? null, epss.scoreDate),
        reenrich: 'all',
      };
    }
    case 'mailbox':
      throw badRequest('intake_mailbox_not_fetched', 'A mailbox source is not fetched: its mail arrives on the intake address.');
  }
}

export interface RunOutcome {
  sourceId: string;
  ok: boolean;
  newItems: number;
  updatedItems: number;
  warnings: string[];
  error: string | null;
}

/** Runs one leased source: fetch, then store everything in one transaction; a failure keeps the last good state. */
async function runLeased(ctx: Ctx, source: repo.SourceRow): Promise<RunOutcome> {
  const startedAt = new Date();
  try {
    const fetched = await fetchSource(ctx, source);
    const declared = await loadDeclared(ctx);
    const counts = await inTransaction(ctx, async (tx) => {
      await fetched.write?.(tx);
      const c = await ingestItems(tx, source, fetched.items, declared);
      await repo.finishRun(tx.db, source, {
        startedAt,
        ok: true,
        newItems: c.newItems,
        updatedItems: c.updatedItems,
        warnings: fetched.warnings,
        error: null,
        cursor: fetched.cursor,
      });
      return c;
    });
    if (fetched.reenrich) await reenrich(ctx, fetched.reenrich);
    return { sourceId: source.id, ok: true, newItems: counts.newItems, updatedItems: counts.updatedItems, warnings: fetched.warnings, error: null };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    ctx.services.log.warn({ source: source.id, kind: source.kind, err: error }, 'intake source run failed');
    await repo.finishRun(ctx.db, source, { startedAt, ok: false, newItems: 0, updatedItems: 0, warnings: [], error: error.slice(0, 2000) });
    return { sourceId: source.id, ok: false, newItems: 0, updatedItems: 0, warnings: [], error };
  }
}

/** "Run now" from the sources page: runs even when not due, but never twice at once. */
export async function runSourceNow(ctx: Ctx, id: string): Promise<RunOutcome> {
  authorize(ctx.actor, 'intake:sources');
  const current = await repo.findSource(ctx.db, id);
  if (!current) throw notFound('source');
  if (current.kind === 'mailbox') throw badRequest('intake_mailbox_not_fetched', 'A mailbox source is not fetched: its mail arrives on the intake address.');
  const leased = await repo.leaseSource(ctx.db, id, false);
  if (!leased) throw conflict('intake_source_running', 'This source is being read right now; look again in a minute.');
  const outcome = await runLeased(ctx, leased);
  await record(ctx, {
    action: 'intake.source.run',
    targetType: 'intake_source',
    targetId: id,
    details: { ok: outcome.ok, newItems: outcome.newItems, updatedItems: outcome.updatedItems },
  });
  return outcome;
}

/** The job's work: every enabled source whose next run is due, one after another. */
export async function runDueSources(ctx: Ctx, limit = 20): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  for (const id of await repo.dueSourceIds(ctx.db, limit)) {
    const leased = await repo.leaseSource(ctx.db, id, true);
    if (leased) outcomes.push(await runLeased(ctx, leased));
  }
  return outcomes;
}
