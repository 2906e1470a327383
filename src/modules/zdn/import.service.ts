import { parse as parseCsv } from 'csv-parse/sync';
import type { Ctx } from '#server/context.ts';
import { badRequest, conflict } from '#server/errors.ts';
import { authorize, can } from '#modules/access/policy.ts';
import { TLP_LEVELS, tlpRank, type Tlp } from '#lib/tlp.ts';
import { extractIndicators, isIndicatorType } from './indicator-types.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import * as eventRepo from './event.repository.ts';
import { addIndicators, createEvent } from './ingest.service.ts';
import { parseMispEvent, type ParsedImport } from './import-misp.ts';
import { parseStixBundle } from './import-stix.ts';
import { MAX_BULK, type IndicatorInput, type IngestResultOut } from './zdn.schema.ts';

export interface ImportOptions {
  tlp?: Tlp | undefined;
  recipients?: { organisationId: string; userId?: string | null | undefined }[] | undefined;
}
export type ImportResult = IngestResultOut & { ignored: ParsedImport['ignored']; eventCreated: boolean };

/**
 * Stores a parsed file as one event. The marking comes from the request, else from the file (a MISP
 * `tlp:` tag, STIX marking refs); a file without one is refused rather than guessed. A MISP event
 * imported again lands in the same event (its uuid), so re-importing updates instead of duplicating.
 */
async function importParsed(ctx: Ctx, parsed: ParsedImport, origin: 'misp' | 'stix' | 'csv', options: ImportOptions): Promise<ImportResult> {
  authorize(ctx.actor, 'zdn:submit');
  const fileTlp = parsed.event.tlp;
  if (options.tlp && fileTlp && tlpRank(options.tlp) < tlpRank(fileTlp)) {
    throw badRequest('tlp_below_file', `The file is marked TLP:${fileTlp}; an import may keep or raise that marking, never lower it to TLP:${options.tlp}.`, {
      field: 'tlp',
    });
  }
  const tlp = options.tlp ?? fileTlp;
  if (!tlp) throw badRequest('tlp_required', 'The file carries no TLP marking; choose one for the import (?tlp=GREEN, …).', { field: 'tlp' });
  let eventId = parsed.event.id;
  const existing = eventId ? await eventRepo.findEventCore(ctx.db, eventId) : undefined;
  if (existing && existing.owner_organisation_id !== ctx.actor.organisationId && !can(ctx.actor, 'zdn:write')) {
    throw conflict('event_exists', 'An event with this uuid exists and belongs to another organisation.');
  }
  const created = !existing;
  if (created) {
    let recipients = options.recipients ?? [];
    // A participant's or partner's file marked AMBER or above and addressed to no one is a submission
    // to the CERT: the CERT is its recipient, or no analyst could ever see it to review it.
    if (!recipients.length && tlpRank(tlp) >= tlpRank('AMBER') && !can(ctx.actor, 'zdn:write')) {
      const cert = await orgRepo.findCert(ctx.db);
      if (cert) recipients = [{ organisationId: cert.id }];
    }
    const event = await createEvent(
      ctx,
      {
        title: parsed.event.title,
        description: parsed.event.description,
        tlp,
        recipients,
        threatLevel: parsed.event.threatLevel,
        analysis: parsed.event.analysis,
        ...(parsed.event.date ? { date: parsed.event.date } : {}),
        tags: parsed.event.tags,
        sourceAnonymous: false,
      },
      { origin, ...(eventId ? { id: eventId } : {}) },
    );
    eventId = event.id;
  }
  const eventTlp = existing ? existing.tlp : tlp;
  // A file may mark an indicator less strictly than its event; it then takes the event's marking.
  const indicators = parsed.indicators.map((i) => (i.tlp && tlpRank(i.tlp) >= tlpRank(eventTlp) ? i : { ...i, tlp: eventTlp }));
  const total: ImportResult = { eventId: eventId!, added: 0, updated: 0, held: 0, pending: 0, skipped: [], ignored: parsed.ignored, eventCreated: created };
  for (let start = 0; start < Math.max(indicators.length, 1); start += MAX_BULK) {
    const chunk = indicators.slice(start, start + MAX_BULK);
    if (chunk.length === 0) break;
    const r = await addIndicators(ctx, eventId!, chunk, { strict: false });
    total.added += r.added;
    total.updated += r.updated;
    total.held += r.held;
    total.pending += r.pending;
    total.skipped.push(...r.skipped.map((s) => ({ ...s, index: s.index + start })));
  }
  return total;
}

export async function importMisp(ctx: Ctx, json: unknown, options: ImportOptions): Promise<ImportResult> {
  const parsed = parseMispEvent(json);
  if (!parsed.ok) throw badRequest('misp_event_invalid', parsed.error);
  return importParsed(ctx, parsed.value, 'misp', options);
}

export async function importStix(ctx: Ctx, json: unknown, options: ImportOptions): Promise<ImportResult> {
  const parsed = parseStixBundle(json);
  if (!parsed.ok) throw badRequest('stix_bundle_invalid', parsed.error);
  return importParsed(ctx, parsed.value, 'stix', options);
}

/**
 * CSV with a header row: `type,value` and optionally `tlp,confidence,comment,tags,valid_until` (tags
 * separated by `;`). The event is named by the `title` option.
 */
export async function importCsv(ctx: Ctx, text: string, options: ImportOptions & { title: string }): Promise<ImportResult> {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (err) {
    throw badRequest('csv_invalid', `The CSV cannot be read: ${(err as Error).message}`);
  }
  const first = records[0];
  if (!first || !('type' in first) || !('value' in first))
    throw badRequest('csv_invalid', 'The CSV needs a header row with at least the columns type and value.');
  const ignored: ParsedImport['ignored'] = [];
  const indicators: IndicatorInput[] = [];
  records.forEach((r, i) => {
    const type = (r.type ?? '').toLowerCase();
    if (!isIndicatorType(type)) {
      ignored.push({ ref: `line ${i + 2}`, reason: `unknown type "${type.slice(0, 40)}"` });
      return;
    }
    const tlp = (r.tlp ?? '').toUpperCase().replace(/^TLP:/, '');
    const confidence = Number(r.confidence);
    // A cell that is there but unreadable refuses its line: a silent default would share the value
    // more widely (a TLP) or with more weight (a confidence) than its sender meant.
    const problem =
      r.tlp && !(TLP_LEVELS as readonly string[]).includes(tlp)
        ? `tlp "${r.tlp.slice(0, 20)}" is not a TLP 2.0 marking`
        : r.confidence && !(Number.isInteger(confidence) && confidence >= 0 && confidence <= 100)
          ? `confidence "${r.confidence.slice(0, 20)}" is not a whole number from 0 to 100`
          : r.valid_until && Number.isNaN(Date.parse(r.valid_until))
            ? `valid_until "${r.valid_until.slice(0, 40)}" is not a date`
            : null;
    if (problem) {
      ignored.push({ ref: `line ${i + 2}`, reason: problem });
      return;
    }
    indicators.push({
      type,
      value: r.value ?? '',
      ...(r.tlp ? { tlp: tlp as Tlp } : {}),
      ...(r.confidence ? { confidence } : {}),
      ...(r.comment ? { comment: r.comment.slice(0, 5000) } : {}),
      ...(r.tags
        ? {
            tags: r.tags
              .split(';')
              .map((t) => t.trim())
              .filter(Boolean)
              .slice(0, 50),
          }
        : {}),
      ...(r.valid_until ? { validUntil: new Date(r.valid_until).toISOString() } : {}),
    });
  });
  const parsed: ParsedImport = {
    event: { id: null, title: options.title, description: '', tlp: null, date: null, threatLevel: 4, analysis: 0, tags: [] },
    indicators,
    ignored,
  };
  return importParsed(ctx, parsed, 'csv', options);
}

/** Free text (a report, a mail) → candidate indicators, refanged; nothing is stored until the analyst picks. */
export function extractFromText(ctx: Ctx, text: string) {
  authorize(ctx.actor, 'zdn:submit');
  return extractIndicators(text);
}
