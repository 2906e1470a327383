import { parse } from 'csv-parse/sync';
import { inTransaction, type Ctx } from '#server/context.ts';
import { refreshRelevanceForOrganisation } from '#modules/advisories/relevance.service.ts';
import { AppError, badRequest, conflict, notFound } from '#server/errors.ts';
import { authorize, can, organisationScope } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as orgRepo from './organisation.repository.ts';
import * as repo from './asset.repository.ts';
import { normaliseAsset, type NormalisedAsset } from './asset-normalise.ts';
import type { AssetInput } from './organisation.schema.ts';

/** An asset with the claims of other organisations it overlaps, as the analyst must see them. */
export async function withOverlaps(ctx: Ctx, rows: repo.AssetListRow[]) {
  // Only the CERT learns who else claims the same space (and what exactly); a participant sees that
  // there is a conflict, nothing of the other claim.
  const seeOthers = ctx.actor !== null && can(ctx.actor, 'assets:decide');
  return Promise.all(
    rows.map(async (row) => {
      const overlaps = row.status === 'rejected' ? [] : await repo.overlapsFor(ctx.db, row.organisation_id, row);
      return {
        row,
        overlaps: seeOthers ? overlaps : overlaps.map(() => ({ organisationId: '', organisationName: '', assetId: '', value: '' })),
      };
    }),
  );
}

export async function listAssets(ctx: Ctx, organisationId: string) {
  authorize(ctx.actor, 'assets:read', { organisationId, notFoundAs: 'organisation' });
  if (!(await orgRepo.findOrganisation(ctx.db, organisationId))) throw notFound('organisation');
  return withOverlaps(ctx, await repo.listForOrganisation(ctx.db, organisationId));
}

export async function listAssetQueue(ctx: Ctx, q: { status?: string | undefined; cursor?: string | undefined; limit: number }) {
  authorize(ctx.actor, 'assets:read');
  const page = await repo.listByStatus(ctx.db, { scope: organisationScope(ctx.actor, 'assets:read'), ...q });
  return { items: await withOverlaps(ctx, page.rows), nextCursor: page.nextCursor };
}

async function participantOrThrow(ctx: Ctx, organisationId: string) {
  const org = await orgRepo.findOrganisation(ctx.db, organisationId);
  if (!org) throw notFound('organisation');
  if (org.kind !== 'participant' && org.kind !== 'partner') throw badRequest('assets_only_for_participants', 'Assets are declared for participants and partners.');
  return org;
}

/** A participant proposes; when the CERT itself adds an asset it is approved at once. */
export async function proposeAsset(ctx: Ctx, organisationId: string, input: AssetInput) {
  authorize(ctx.actor, 'assets:propose', { organisationId, notFoundAs: 'organisation' });
  await participantOrThrow(ctx, organisationId);
  const n = normaliseAsset(input);
  if ('error' in n) throw badRequest('asset_invalid', n.error, { field: input.type === 'product' ? 'product' : 'value' });
  if (await repo.duplicateOf(ctx.db, organisationId, n.asset)) throw conflict('asset_duplicate', `${n.asset.value} is already declared for this organisation.`, { field: 'value' });
  const status = can(ctx.actor, 'assets:decide') ? 'approved' : 'proposed';
  return inTransaction(ctx, async (tx) => {
    const { id } = await repo.insertAsset(tx.db, organisationId, n.asset, tx.actor?.userId ?? null, status);
    await record(tx, { action: 'asset.propose', targetType: 'asset', targetId: id, details: { organisationId, type: n.asset.type, value: n.asset.value, status } });
    await publish(tx, { type: 'asset.changed', organisationId, data: { id, status } });
    if (status === 'approved' && n.asset.type === 'product') await refreshRelevanceForOrganisation(tx, organisationId);
    const row = await repo.findAsset(tx.db, id);
    if (!row) throw notFound('asset');
    return (await withOverlaps(tx, [row]))[0]!;
  });
}

export async function decideAsset(ctx: Ctx, id: string, decision: { approve: true } | { approve: false; reason: string }) {
  authorize(ctx.actor, 'assets:decide');
  const existing = await repo.findAsset(ctx.db, id);
  if (!existing) throw notFound('asset');
  if (existing.status !== 'proposed') throw conflict('asset_already_decided', `This asset was already ${existing.status}.`);
  return inTransaction(ctx, async (tx) => {
    const status = decision.approve ? 'approved' : 'rejected';
    const changed = await repo.decide(tx.db, id, { status, by: tx.actor!.userId, reason: decision.approve ? null : decision.reason });
    if (!changed) throw conflict('asset_already_decided', 'Someone decided on this asset a moment ago.');
    await record(tx, { action: decision.approve ? 'asset.approve' : 'asset.reject', targetType: 'asset', targetId: id, details: { organisationId: existing.organisation_id, value: existing.value } });
    await publish(tx, { type: 'asset.changed', organisationId: existing.organisation_id, data: { id, status } });
    // Declared products decide which advisories are "relevant to you".
    if (status === 'approved' && existing.type === 'product') await refreshRelevanceForOrganisation(tx, existing.organisation_id);
    const row = await repo.findAsset(tx.db, id);
    return (await withOverlaps(tx, [row!]))[0]!;
  });
}

export interface ImportReport {
  dryRun: boolean;
  accepted: number;
  rejected: { line: number; value: string; reason: string }[];
}

const CSV_COLUMNS = ['type', 'value', 'include_subdomains', 'vendor', 'product', 'version', 'cpe', 'purl', 'medical_device', 'model'];
const yes = (v: string | undefined) => ['true', 'yes', 'ja', '1', 'y', 'j'].includes((v ?? '').trim().toLowerCase());

/**
 * Imports assets from CSV (header: type,value,include_subdomains,vendor,product,version,cpe,purl,
 * medical_device,model). A dry run reports every row it would refuse and why, and writes nothing;
 * a real run imports all accepted rows in one transaction.
 */
export async function importAssets(ctx: Ctx, organisationId: string, csv: string, dryRun: boolean): Promise<ImportReport> {
  authorize(ctx.actor, 'assets:propose', { organisationId, notFoundAs: 'organisation' });
  await participantOrThrow(ctx, organisationId);
  let records: Record<string, string>[];
  try {
    records = parse<Record<string, string>>(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch (err) {
    throw badRequest('csv_invalid', `The CSV could not be read: ${err instanceof Error ? err.message : 'unknown error'}.`);
  }
  const header = Object.keys(records[0] ?? {});
  if (!header.includes('type')) throw badRequest('csv_header_missing', `The first row must name the columns; expected: ${CSV_COLUMNS.join(',')}.`);
  const unknown = header.filter((h) => !CSV_COLUMNS.includes(h));
  if (unknown.length) throw badRequest('csv_unknown_columns', `Unknown columns: ${unknown.join(', ')}. Expected: ${CSV_COLUMNS.join(',')}.`);
  if (records.length > 10_000) throw new AppError('payload_too_large', 'csv_too_many_rows', 'Import at most 10,000 rows at a time.');

  const accepted: NormalisedAsset[] = [];
  const rejected: ImportReport['rejected'] = [];
  const seen = new Set<string>();
  for (const [i, r] of records.entries()) {
    const line = i + 2; // 1-based, after the header
    const type = (r.type ?? '').toLowerCase();
    const shown = r.value || [r.vendor, r.product, r.version].filter(Boolean).join(' ');
    if (!['ip_range', 'asn', 'domain', 'product'].includes(type)) {
      rejected.push({ line, value: shown, reason: `Unknown type “${r.type ?? ''}”; use ip_range, asn, domain or product.` });
      continue;
    }
    const input: AssetInput = {
      type: type as AssetInput['type'],
      value: r.value,
      includeSubdomains: yes(r.include_subdomains),
      ...(type === 'product' && {
        product: { vendor: r.vendor ?? '', product: r.product ?? '', version: r.version || null, cpe: r.cpe || null, purl: r.purl || null, medicalDevice: yes(r.medical_device), model: r.model || null },
      }),
    };
    const n = normaliseAsset(input);
    if ('error' in n) {
      rejected.push({ line, value: shown, reason: n.error });
      continue;
    }
    const key = `${n.asset.type}|${n.asset.value}`;
    if (seen.has(key)) {
      rejected.push({ line, value: shown, reason: `Duplicate of an earlier row (${n.asset.value}).` });
      continue;
    }
    if (await repo.duplicateOf(ctx.db, organisationId, n.asset)) {
      rejected.push({ line, value: shown, reason: `${n.asset.value} is already declared for this organisation.` });
      continue;
    }
    seen.add(key);
    accepted.push(n.asset);
  }
  if (!dryRun && accepted.length) {
    const status = can(ctx.actor, 'assets:decide') ? 'approved' : 'proposed';
    await inTransaction(ctx, async (tx) => {
      for (const a of accepted) await repo.insertAsset(tx.db, organisationId, a, tx.actor?.userId ?? null, status);
      await record(tx, { action: 'asset.import', targetType: 'organisation', targetId: organisationId, details: { accepted: accepted.length, rejected: rejected.length, status } });
      await publish(tx, { type: 'asset.changed', organisationId, data: { imported: accepted.length } });
      if (status === 'approved' && accepted.some((a) => a.type === 'product')) await refreshRelevanceForOrganisation(tx, organisationId);
    });
  }
  return { dryRun, accepted: accepted.length, rejected };
}
