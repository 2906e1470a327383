import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import type { Services } from '#server/context.ts';
import { IdParams } from '#modules/identity/identity.schema.ts';
import { TLP_LEVELS } from '#lib/tlp.ts';
import * as events from './event.service.ts';
import * as ingest from './ingest.service.ts';
import * as indicators from './indicator.service.ts';
import * as imports from './import.service.ts';
import * as warninglists from './warninglist.service.ts';
import { exportIndicators } from './export.service.ts';
import { EXPORT_FORMATS } from './export-formats.ts';
import { INDICATOR_TYPES } from './indicator-types.ts';
import { streamRoute } from './stream.routes.ts';
import { hitsOfMyOrganisation } from './hits.service.ts';
import {
  BulkIndicatorInput,
  EventInput,
  EventListQuery,
  EventOut,
  ExtractInput,
  IndicatorListQuery,
  IndicatorOut,
  IngestResultOut,
  ReviewInput,
  SightingInput,
  ValueSightingInput,
} from './zdn.schema.ts';

const READ = { access: { auth: 'user', permission: 'zdn:read' } } as const;
const SUBMIT = { access: { auth: 'user', permission: 'zdn:submit' } } as const;
const WRITE = { access: { auth: 'user', permission: 'zdn:write' } } as const;
const tags = ['zdn'];
const IMPORT_LIMIT = 20 * 1024 * 1024;

const ImportQuery = z
  .object({
    tlp: z.enum(TLP_LEVELS).optional(),
    recipients: z
      .string()
      .max(20_000)
      .optional()
      .transform((s) => (s ? s.split(',').map((organisationId) => ({ organisationId: organisationId.trim() })) : undefined))
      .pipe(z.array(z.object({ organisationId: z.uuid('recipients is a comma-separated list of organisation ids.') })).optional()),
  })
  .strict();
const ImportOut = IngestResultOut.extend({ ignored: z.array(z.object({ ref: z.string(), reason: z.string() })), eventCreated: z.boolean() });
const SightingOut = z.object({ id: z.uuid(), indicatorId: z.uuid(), kind: z.string(), count: z.number(), seenAt: z.string() });
const CsvImportInput = z
  .object({ title: z.string().trim().min(1).max(256), csv: z.string().min(1).max(IMPORT_LIMIT), tlp: z.enum(TLP_LEVELS).optional(), recipients: z.array(z.object({ organisationId: z.uuid() }).strict()).max(500).optional() })
  .strict();

export function zdnRoutes(app: App, services: Services): void {
  app.get('/api/v1/zdn/events', { config: READ, schema: { tags, summary: 'Detection-network events I may see', querystring: EventListQuery, response: { 200: z.object({ items: z.array(EventOut), nextCursor: z.string().nullable() }) } } }, async (req) =>
    events.listEvents(req.ctx, req.query),
  );
  app.post('/api/v1/zdn/events', { config: SUBMIT, schema: { tags, summary: 'Create an event (the CERT shares; others submit for review)', body: EventInput, response: { 201: EventOut } } }, async (req, reply) =>
    reply.status(201).send(events.presentEvent(await ingest.createEvent(req.ctx, req.body), req.ctx)),
  );
  app.get('/api/v1/zdn/events/:id', { config: READ, schema: { tags, summary: 'One event', params: IdParams, response: { 200: EventOut } } }, async (req) => events.getEvent(req.ctx, req.params.id));
  app.get('/api/v1/zdn/events/:id/stix', { config: READ, schema: { tags, summary: 'The event as a STIX 2.1 bundle', params: IdParams } }, async (req, reply) => {
    const bundle = await events.eventBundle(req.ctx, req.params.id);
    void reply.header('content-disposition', `attachment; filename="zdn-event-${req.params.id}.stix.json"`);
    return reply.type('application/stix+json;version=2.1').send(bundle);
  });
  app.post('/api/v1/zdn/events/:id/indicators', { config: SUBMIT, bodyLimit: IMPORT_LIMIT, schema: { tags, summary: 'Add indicators to an event (all or nothing)', params: IdParams, body: BulkIndicatorInput, response: { 200: IngestResultOut } } }, async (req) =>
    ingest.addIndicators(req.ctx, req.params.id, req.body.indicators, { strict: true }),
  );

  app.get('/api/v1/zdn/indicators', { config: READ, schema: { tags, summary: 'Search indicators I may see', querystring: IndicatorListQuery, response: { 200: z.object({ items: z.array(IndicatorOut), nextCursor: z.string().nullable() }) } } }, async (req) =>
    indicators.listIndicators(req.ctx, req.query),
  );
  app.get('/api/v1/zdn/indicators/:id', { config: READ, schema: { tags, summary: 'One indicator, its correlations and sightings', params: IdParams, response: { 200: IndicatorOut } } }, async (req) =>
    indicators.getIndicator(req.ctx, req.params.id),
  );
  app.post('/api/v1/zdn/indicators/:id/review', { config: WRITE, schema: { tags, summary: 'Share or refuse a submitted or warninglisted indicator', params: IdParams, body: ReviewInput, response: { 200: IndicatorOut } } }, async (req) =>
    indicators.reviewIndicator(req.ctx, req.params.id, req.body.decision, req.body.reason),
  );
  app.post('/api/v1/zdn/indicators/:id/sightings', { config: SUBMIT, schema: { tags, summary: 'Report a sighting (seen, blocked, false positive)', params: IdParams, body: SightingInput, response: { 201: SightingOut } } }, async (req, reply) =>
    reply.status(201).send(await indicators.addSighting(req.ctx, req.params.id, req.body)),
  );
  app.post('/api/v1/zdn/sightings', { config: SUBMIT, schema: { tags, summary: 'Report a sighting of a value', body: ValueSightingInput, response: { 201: SightingOut } } }, async (req, reply) =>
    reply.status(201).send(await indicators.addSightingByValue(req.ctx, req.body)),
  );

  app.post('/api/v1/zdn/import/misp', { config: SUBMIT, bodyLimit: IMPORT_LIMIT, schema: { tags, summary: 'Import a MISP event (JSON)', querystring: ImportQuery, body: z.unknown(), response: { 200: ImportOut } } }, async (req) =>
    imports.importMisp(req.ctx, req.body, req.query),
  );
  app.post('/api/v1/zdn/import/stix', { config: SUBMIT, bodyLimit: IMPORT_LIMIT, schema: { tags, summary: 'Import a STIX 2.1 bundle', querystring: ImportQuery, body: z.unknown(), response: { 200: ImportOut } } }, async (req) =>
    imports.importStix(req.ctx, req.body, req.query),
  );
  app.post('/api/v1/zdn/import/csv', { config: SUBMIT, bodyLimit: IMPORT_LIMIT, schema: { tags, summary: 'Import indicators from CSV (type,value[,tlp,confidence,comment,tags,valid_until])', body: CsvImportInput, response: { 200: ImportOut } } }, async (req) =>
    imports.importCsv(req.ctx, req.body.csv, { title: req.body.title, tlp: req.body.tlp, recipients: req.body.recipients }),
  );
  app.post('/api/v1/zdn/extract', { config: SUBMIT, schema: { tags, summary: 'Find indicators in free text (refanged); nothing is stored', body: ExtractInput, response: { 200: z.object({ candidates: z.array(z.object({ type: z.enum(INDICATOR_TYPES), value: z.string() })) }) } } }, async (req) => ({
    candidates: imports.extractFromText(req.ctx, req.body.text),
  }));

  app.get('/api/v1/zdn/exports/:format', { config: READ, schema: { tags, summary: 'The feed as CSV, value list, Suricata, Zeek intel, RPZ or firewall list', params: z.object({ format: z.enum(EXPORT_FORMATS) }).strict(), querystring: z.object({ type: z.enum(INDICATOR_TYPES).optional() }).strict() } }, async (req, reply) => {
    const out = await exportIndicators(req.ctx, req.params.format, req.query.type);
    void reply.header('content-disposition', `attachment; filename="${out.fileName}"`);
    void reply.header('x-content-type-options', 'nosniff');
    return reply.type(out.mediaType).send(out.body);
  });

  app.get('/api/v1/zdn/hits', { config: READ, schema: { tags, summary: "Indicators that hit my organisation's declared networks" } }, async (req) => ({ items: await hitsOfMyOrganisation(req.ctx) }));

  app.get('/api/v1/zdn/warninglists', { config: READ, schema: { tags, summary: 'Warninglists (benign values flagged before sharing)' } }, async (req) => ({
    items: (await warninglists.listWarninglists(req.ctx)).map((w) => ({ id: w.id, name: w.name, version: w.version, description: w.description, type: w.type, matchingAttributes: w.matching_attributes, enabled: w.enabled, entries: Number(w.entry_count), updatedAt: w.updated_at.toISOString() })),
  }));
  app.post('/api/v1/zdn/warninglists', { config: WRITE, bodyLimit: IMPORT_LIMIT, schema: { tags, summary: 'Import a MISP-format warninglist (replaces one of the same name)', body: z.unknown() } }, async (req, reply) =>
    reply.status(201).send(await warninglists.importWarninglist(req.ctx, req.body)),
  );
  app.patch('/api/v1/zdn/warninglists/:id', { config: WRITE, schema: { tags, summary: 'Enable or disable a warninglist', params: IdParams, body: z.object({ enabled: z.boolean() }).strict() } }, async (req, reply) => {
    await warninglists.setWarninglistEnabled(req.ctx, req.params.id, req.body.enabled);
    return reply.status(204).send();
  });

  streamRoute(app, services);
}
