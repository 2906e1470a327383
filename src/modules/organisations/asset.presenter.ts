import type { z } from 'zod';
import type { AssetListRow } from './asset.repository.ts';
import type { Asset } from './organisation.schema.ts';

export function presentAsset(item: { row: AssetListRow; overlaps: { organisationId: string; organisationName: string; assetId: string; value: string }[] }): z.infer<typeof Asset> {
  const { row } = item;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    type: row.type,
    value: row.value,
    includeSubdomains: row.include_subdomains,
    product: (row.product) ?? null,
    status: row.status,
    overlaps: item.overlaps,
    rejectReason: row.reject_reason,
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
  };
}
