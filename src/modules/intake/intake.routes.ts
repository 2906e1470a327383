import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { IdParams, Ok } from '#modules/identity/identity.schema.ts';
import * as sourceService from './source.service.ts';
import * as triage from './triage.service.ts';
import { presentEpss, presentItem, presentKev, presentRun, presentSource, presentStory } from './intake.presenter.ts';
import {
  BulkIdsInput,
  BulkNoActionInput,
  BulkReadInput,
  DraftOut,
  MediaInput,
  MediaOut,
  RunOutcomeOut,
  SourceDetailOut,
  SourceInput,
  SourceOut,
  SourcePatch,
  StoryDetailOut,
  StoryListQuery,
  StoryPageOut,
  UpdatedOut,
} from './intake.schema.ts';

const READ = { access: { auth: 'user', permission: 'intake:read' } } as const;
const WRITE = { access: { auth: 'user', permission: 'intake:write' } } as const;
const SOURCES = { access: { auth: 'user', permission: 'intake:sources' } } as const;
const tags = ['intake'];

export function intakeRoutes(app: App): void {
  // ---- sources
  app.get(
    '/api/v1/intake/sources',
    { config: READ, schema: { tags, summary: 'The sources the CERT reads, with their health', response: { 200: z.array(SourceOut) } } },
    async (req) => (await sourceService.listSources(req.ctx)).map(presentSource),
  );

  app.post(
    '/api/v1/intake/sources',
    {
      config: SOURCES,
      schema: { tags, summary: 'A new source: CSAF provider, RSS/Atom feed, KEV, EPSS or a mailbox', body: SourceInput, response: { 201: SourceOut } },
    },
    async (req, reply) => reply.status(201).send(presentSource(await sourceService.createSource(req.ctx, req.body))),
  );

  app.get(
    '/api/v1/intake/sources/:id',
    { config: READ, schema: { tags, summary: 'One source and its last 20 runs', params: IdParams, response: { 200: SourceDetailOut } } },
    async (req) => {
      const { source, runs } = await sourceService.getSource(req.ctx, req.params.id);
      return { ...presentSource(source), runs: runs.map(presentRun) };
    },
  );

  app.patch(
    '/api/v1/intake/sources/:id',
    {
      config: SOURCES,
      schema: { tags, summary: 'Change a source (a new URL starts it afresh)', params: IdParams, body: SourcePatch, response: { 200: SourceOut } },
    },
    async (req) => presentSource(await sourceService.updateSource(req.ctx, req.params.id, req.body)),
  );

  app.delete(
    '/api/v1/intake/sources/:id',
    {
      config: SOURCES,
      schema: { tags, summary: 'Remove a source with its items (stories made only of them go too)', params: IdParams, response: { 200: Ok } },
    },
    async (req) => {
      await sourceService.deleteSource(req.ctx, req.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/intake/sources/:id/run',
    { config: SOURCES, schema: { tags, summary: 'Read a source now', params: IdParams, response: { 200: RunOutcomeOut } } },
    async (req) => {
      const { sourceId: _sourceId, ...outcome } = await sourceService.runSourceNow(req.ctx, req.params.id);
      return outcome;
    },
  );

  // ---- stories
  app.get(
    '/api/v1/intake/stories',
    {
      config: READ,
      schema: { tags, summary: 'The triage inbox: stories, newest activity first', querystring: StoryListQuery, response: { 200: StoryPageOut } },
    },
    async (req) => {
      const page = await triage.listStories(req.ctx, req.query);
      return { items: page.rows.map(presentStory), nextCursor: page.nextCursor, unread: page.unread };
    },
  );

  app.get(
    '/api/v1/intake/stories/:id',
    {
      config: READ,
      schema: { tags, summary: 'One story: its items, KEV and EPSS, the participants it concerns', params: IdParams, response: { 200: StoryDetailOut } },
    },
    async (req) => {
      const d = await triage.getStory(req.ctx, req.params.id);
      return {
        ...presentStory(d.story),
        items: d.items.map(presentItem),
        kevEntries: d.kev.map(presentKev),
        epssScores: d.epss.map(presentEpss),
        concerned: d.concerned,
      };
    },
  );

  app.post(
    '/api/v1/intake/stories/read',
    { config: READ, schema: { tags, summary: 'Mark stories read or unread (for me)', body: BulkReadInput, response: { 200: UpdatedOut } } },
    async (req) => triage.markRead(req.ctx, req.body.ids, req.body.read),
  );

  app.post(
    '/api/v1/intake/stories/no-action',
    { config: WRITE, schema: { tags, summary: 'Decide that stories need no action, with the reason', body: BulkNoActionInput, response: { 200: UpdatedOut } } },
    async (req) => triage.decideNoAction(req.ctx, req.body.ids, req.body.reason),
  );

  app.post(
    '/api/v1/intake/stories/reopen',
    { config: WRITE, schema: { tags, summary: 'Take decisions back: the stories are open again', body: BulkIdsInput, response: { 200: UpdatedOut } } },
    async (req) => triage.reopen(req.ctx, req.body.ids),
  );

  app.post(
    '/api/v1/intake/stories/:id/advisory',
    {
      config: WRITE,
      schema: { tags, summary: 'Make a draft advisory from a story (a CSAF item is imported whole)', params: IdParams, response: { 201: DraftOut } },
    },
    async (req, reply) => reply.status(201).send(await triage.createDraftAdvisory(req.ctx, req.params.id)),
  );

  app.post(
    '/api/v1/intake/stories/:id/media',
    {
      config: WRITE,
      schema: { tags, summary: "Add a story to a week's media items (this week by default)", params: IdParams, body: MediaInput, response: { 201: MediaOut } },
    },
    async (req, reply) => reply.status(201).send(await triage.addToMedia(req.ctx, req.params.id, req.body.week)),
  );
}
