import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import { AppError, badRequest } from '#server/errors.ts';
import { attachmentDisposition } from '#server/content-disposition.ts';
import * as community from './community.service.ts';
import * as posts from './community-post.service.ts';
import * as files from './community-attachment.service.ts';
import {
  AnswerInput,
  AttachmentOut,
  AttachmentParams,
  HideInput,
  ListQuery,
  MemberOrganisationOut,
  PostEdit,
  PostInput,
  PostParams,
  PreferenceInput,
  ReactionParams,
  SearchHitOut,
  SearchQuery,
  SpaceInput,
  SpaceOut,
  SpaceParams,
  SpacePatch,
  ThreadInput,
  ThreadModeration,
  ThreadOut,
  ThreadParams,
  ThreadSummaryOut,
  VersionOut,
} from './community.schema.ts';
import { COMMUNITY_PREFERENCE_MODES } from '#db/schema-community.ts';

const READ = { access: { auth: 'user', permission: 'community:read' } } as const;
const POST = { access: { auth: 'user', permission: 'community:post' } } as const;
const MODERATE = { access: { auth: 'user', permission: 'community:moderate' } } as const;
const tags = ['community'];

/** The participants' community: spaces, threads, replies, reactions, moderation, search. */
export function communityRoutes(app: App): void {
  app.get(
    '/api/v1/community/spaces',
    { config: READ, schema: { tags, summary: 'The spaces I am a member of (the CERT: all)', response: { 200: z.object({ items: z.array(SpaceOut) }) } } },
    async (req) => ({
      items: await community.listSpaces(req.ctx),
    }),
  );
  app.post(
    '/api/v1/community/spaces',
    { config: MODERATE, schema: { tags, summary: 'Create a space and say who may see it', body: SpaceInput, response: { 201: SpaceOut } } },
    async (req, reply) => reply.status(201).send(await community.createSpace(req.ctx, req.body)),
  );
  app.get(
    '/api/v1/community/spaces/:spaceId',
    { config: READ, schema: { tags, summary: 'One space', params: SpaceParams, response: { 200: SpaceOut } } },
    async (req) => community.getSpace(req.ctx, req.params.spaceId),
  );
  app.patch(
    '/api/v1/community/spaces/:spaceId',
    {
      config: MODERATE,
      schema: { tags, summary: 'Change a space (name, who may see it, archive)', params: SpaceParams, body: SpacePatch, response: { 200: SpaceOut } },
    },
    async (req) => community.updateSpace(req.ctx, req.params.spaceId, req.body),
  );
  app.get(
    '/api/v1/community/spaces/:spaceId/organisations',
    {
      config: READ,
      schema: {
        tags,
        summary: 'The organisations of a space (to name as TLP recipients)',
        params: SpaceParams,
        response: { 200: z.object({ items: z.array(MemberOrganisationOut) }) },
      },
    },
    async (req) => ({
      items: await community.spaceOrganisations(req.ctx, req.params.spaceId),
    }),
  );
  app.get(
    '/api/v1/community/spaces/:spaceId/threads',
    {
      config: READ,
      schema: {
        tags,
        summary: 'A space’s threads I may see (pinned first)',
        params: SpaceParams,
        querystring: ListQuery,
        response: { 200: z.object({ items: z.array(ThreadSummaryOut), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => community.listThreads(req.ctx, req.params.spaceId, req.query),
  );
  app.post(
    '/api/v1/community/spaces/:spaceId/threads',
    {
      config: POST,
      schema: { tags, summary: 'Start a thread (Markdown, under a TLP marking)', params: SpaceParams, body: ThreadInput, response: { 201: ThreadOut } },
    },
    async (req, reply) => reply.status(201).send(await posts.createThread(req.ctx, req.params.spaceId, req.body)),
  );
  app.put(
    '/api/v1/community/spaces/:spaceId/preference',
    {
      config: READ,
      schema: {
        tags,
        summary: 'How I hear of new posts in a space: instantly, daily digest or never',
        params: SpaceParams,
        body: PreferenceInput,
        response: { 200: z.object({ mode: z.enum(COMMUNITY_PREFERENCE_MODES) }) },
      },
    },
    async (req) => community.setPreference(req.ctx, req.params.spaceId, req.body.mode),
  );

  app.get(
    '/api/v1/community/threads/:threadId',
    { config: READ, schema: { tags, summary: 'A thread with the posts I may see', params: ThreadParams, response: { 200: ThreadOut } } },
    async (req) => community.getThread(req.ctx, req.params.threadId),
  );
  app.patch(
    '/api/v1/community/threads/:threadId',
    { config: MODERATE, schema: { tags, summary: 'Pin, lock or move a thread', params: ThreadParams, body: ThreadModeration, response: { 200: ThreadOut } } },
    async (req) => posts.moderateThread(req.ctx, req.params.threadId, req.body),
  );
  app.post(
    '/api/v1/community/threads/:threadId/posts',
    { config: POST, schema: { tags, summary: 'Reply in a thread', params: ThreadParams, body: PostInput, response: { 201: ThreadOut } } },
    async (req, reply) => reply.status(201).send(await posts.reply(req.ctx, req.params.threadId, req.body)),
  );
  app.put(
    '/api/v1/community/threads/:threadId/answer',
    {
      config: POST,
      schema: {
        tags,
        summary: 'Mark a reply as the answer (the thread’s author or the CERT)',
        params: ThreadParams,
        body: AnswerInput,
        response: { 200: ThreadOut },
      },
    },
    async (req) => posts.markAnswer(req.ctx, req.params.threadId, req.body.postId),
  );

  app.patch(
    '/api/v1/community/posts/:postId',
    {
      config: POST,
      schema: { tags, summary: 'Edit my post (the previous version is kept)', params: PostParams, body: PostEdit, response: { 200: ThreadOut } },
    },
    async (req) => posts.editPost(req.ctx, req.params.postId, req.body),
  );
  app.get(
    '/api/v1/community/posts/:postId/versions',
    {
      config: MODERATE,
      schema: { tags, summary: 'Earlier versions of a post', params: PostParams, response: { 200: z.object({ items: z.array(VersionOut) }) } },
    },
    async (req) => ({
      items: await posts.postVersions(req.ctx, req.params.postId),
    }),
  );
  app.post(
    '/api/v1/community/posts/:postId/hide',
    { config: MODERATE, schema: { tags, summary: 'Hide a post (with a reason)', params: PostParams, body: HideInput, response: { 200: ThreadOut } } },
    async (req) => posts.hidePost(req.ctx, req.params.postId, req.body.reason),
  );
  app.post(
    '/api/v1/community/posts/:postId/unhide',
    { config: MODERATE, schema: { tags, summary: 'Show a hidden post again', params: PostParams, response: { 200: ThreadOut } } },
    async (req) => posts.hidePost(req.ctx, req.params.postId, null),
  );
  app.put(
    '/api/v1/community/posts/:postId/reactions/:kind',
    { config: POST, schema: { tags, summary: 'React to a post', params: ReactionParams, response: { 200: ThreadOut } } },
    async (req) => posts.react(req.ctx, req.params.postId, req.params.kind, true),
  );
  app.delete(
    '/api/v1/community/posts/:postId/reactions/:kind',
    { config: POST, schema: { tags, summary: 'Take my reaction back', params: ReactionParams, response: { 200: ThreadOut } } },
    async (req) => posts.react(req.ctx, req.params.postId, req.params.kind, false),
  );

  app.get(
    '/api/v1/community/attachments/:attachmentId',
    { config: READ, schema: { tags, summary: 'Download an attachment (always as a download)', params: AttachmentParams } },
    async (req, reply) => {
      const file = await files.openAttachment(req.ctx, req.params.attachmentId);
      void reply.header('content-disposition', attachmentDisposition(file.fileName));
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('cache-control', 'no-store');
      void reply.header('content-security-policy', "default-src 'none'; sandbox");
      return reply.type(file.mediaType).send(file.stream);
    },
  );
  app.get(
    '/api/v1/community/search',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Search the threads and replies I may see',
        querystring: SearchQuery,
        response: { 200: z.object({ items: z.array(SearchHitOut) }) },
      },
    },
    async (req) => ({
      items: await community.searchCommunity(req.ctx, req.query.q, req.query.limit),
    }),
  );
}

/** Uploads are multipart: their own encapsulated plugin, so the JSON API keeps its body parsers. */
export async function communityUploadRoutes(app: App): Promise<void> {
  await app.register(multipart, { throwFileSizeLimit: false, limits: { fieldNameSize: 100, fields: 5, parts: 6, files: 1, headerPairs: 100 } });
  app.post(
    '/api/v1/community/posts/:postId/attachments',
    { config: POST, schema: { tags, summary: 'Attach a file to my post (multipart, field "file")', params: PostParams, response: { 201: AttachmentOut } } },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError('unsupported_media_type', 'community_attachment_media_type', 'Send the file as multipart/form-data in a field named "file".');
      let file: Awaited<ReturnType<typeof req.file>>;
      try {
        file = await req.file({ limits: { fileSize: files.MAX_ATTACHMENT_BYTES + 1, files: 1 } });
      } catch {
        throw badRequest('community_attachment_malformed', 'The upload arrived damaged or incomplete.');
      }
      if (!file || file.fieldname !== 'file') throw badRequest('community_attachment_missing', 'Send the file in a field named "file".', { field: 'file' });
      const out = await files.addAttachment(req.ctx, req.params.postId, { fileName: file.filename, stream: file.file });
      return reply.status(201).send({ id: out.id, fileName: out.fileName, mediaType: out.mediaType, sizeBytes: out.sizeBytes });
    },
  );
}
