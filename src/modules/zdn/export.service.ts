import type { Ctx } from '#server/context.ts';
import { badRequest } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { auditedRead } from '#lib/tlp.ts';
import { exportNeedsType, exportTypes, renderExport, type ExportFormat, type ExportIndicatorType, type RenderedExport } from './export-formats.ts';
import * as feeds from './feed.repository.ts';

const MAX_EXPORT = 500_000;

/**
 * The feed in a security tool's own format, for the reader's token: shared, unexpired indicators
 * under the reader's TLP clearance, one line per distinct value. Exports holding TLP:AMBER or above
 * are audited.
 */
export async function exportIndicators(ctx: Ctx, format: ExportFormat, type: ExportIndicatorType | undefined): Promise<RenderedExport> {
  authorize(ctx.actor, 'zdn:read');
  if (exportNeedsType(format) && !type) {
    throw badRequest('export_type_required', `The ${format} export holds one kind of value; add ?type= (one of ${exportTypes(format).join(', ')}).`, { field: 'type' });
  }
  if (type && !exportTypes(format).includes(type)) {
    throw badRequest('export_type_unsupported', `The ${format} export does not take ${type}; it takes ${exportTypes(format).join(', ')}.`, { field: 'type' });
  }
  // The same value in two events is one line (and one Suricata sid: the sid follows the stored value).
  const distinct = await feeds.feedIndicators(ctx.db, ctx.actor, { ceiling: 'RED', distinctValues: true, detectionOnly: true, limit: MAX_EXPORT });
  if (distinct.some((r) => auditedRead(r.tlp))) {
    await record(ctx, { action: 'zdn.export', targetType: null, targetId: null, details: { format, type: type ?? null, count: distinct.length } });
  }
  return renderExport(
    format,
    distinct.map((r) => ({
      id: r.id,
      type: r.type as ExportIndicatorType,
      value: r.value,
      tlp: r.tlp,
      confidence: r.confidence,
      validUntil: r.valid_until,
      eventTitle: r.event_title,
      tags: r.tags,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      seq: r.seq,
    })),
    { generatedAt: new Date(), feedName: 'Wachtpost ZDN', ...(type ? { type } : {}) },
  );
}
