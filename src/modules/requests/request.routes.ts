import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import * as requests from './request.service.ts';
import * as admin from './request-admin.service.ts';
import * as kb from './knowledge.service.ts';
import {
  AnswerInput,
  ArticleDraftOut,
  ArticleInput,
  ArticleListQuery,
  ArticleOut,
  ArticlePatch,
  AskInput,
  CannedInput,
  CannedOut,
  CannedPatch,
  FollowUpInput,
  HeldOut,
  IdParams,
  MessageParams,
  NoteInput,
  ReleaseHeldMailInput,
  RequestIdParams,
  RequestListQuery,
  RequestOut,
  RequestPatch,
  RequestSummaryOut,
  TopicInput,
  TopicOut,
  TopicPatch,
} from './request.schema.ts';

const READ = { access: { auth: 'user', permission: 'requests:read' } } as const;
const ASK = { access: { auth: 'user', permission: 'requests:ask' } } as const;
const ANSWER = { access: { auth: 'user', permission: 'requests:answer' } } as const;
const KB_READ = { access: { auth: 'user', permission: 'publications:read' } } as const;
const tags = ['requests'];
const kbTags = ['knowledge'];

/** Information requests (tickets) and the knowledge base made from their answers. */
export function requestRoutes(app: App): void {
  app.get(
    '/api/v1/requests',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Information requests of my organisation (the CERT: the queue)',
        querystring: RequestListQuery,
        response: { 200: z.array(RequestSummaryOut) },
      },
    },
    async (req) => requests.listRequests(req.ctx, req.query),
  );
  app.post(
    '/api/v1/requests',
    { config: ASK, schema: { tags, summary: 'Ask the CERT a question', body: AskInput, response: { 201: RequestOut } } },
    async (req, reply) => reply.status(201).send(await requests.askQuestion(req.ctx, req.body)),
  );
  app.get(
    '/api/v1/requests/topics',
    { config: READ, schema: { tags, summary: 'The topics a question may be about', response: { 200: z.array(TopicOut) } } },
    async (req) => admin.listTopics(req.ctx),
  );
  app.post(
    '/api/v1/requests/topics',
    { config: ANSWER, schema: { tags, summary: 'Add a topic', body: TopicInput, response: { 201: TopicOut } } },
    async (req, reply) => reply.status(201).send(await admin.createTopic(req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/requests/topics/:id',
    { config: ANSWER, schema: { tags, summary: 'Rename or retire a topic', params: IdParams, body: TopicPatch, response: { 200: TopicOut } } },
    async (req) => admin.updateTopic(req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/requests/canned-answers',
    { config: ANSWER, schema: { tags, summary: 'Canned answers', response: { 200: z.array(CannedOut) } } },
    async (req) => admin.listCanned(req.ctx),
  );
  app.post(
    '/api/v1/requests/canned-answers',
    { config: ANSWER, schema: { tags, summary: 'Add a canned answer', body: CannedInput, response: { 201: CannedOut } } },
    async (req, reply) => reply.status(201).send(await admin.createCanned(req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/requests/canned-answers/:id',
    { config: ANSWER, schema: { tags, summary: 'Change a canned answer', params: IdParams, body: CannedPatch, response: { 200: CannedOut } } },
    async (req) => admin.updateCanned(req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/requests/canned-answers/:id',
    { config: ANSWER, schema: { tags, summary: 'Remove a canned answer', params: IdParams } },
    async (req, reply) => {
      await admin.deleteCanned(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
  app.get('/api/v1/requests/held', { config: ANSWER, schema: { tags, summary: 'Mail held for review', response: { 200: HeldOut } } }, async (req) =>
    admin.listHeld(req.ctx),
  );
  app.post(
    '/api/v1/requests/held-mail/:id/release',
    {
      config: ANSWER,
      schema: {
        tags,
        summary: 'Release a held mail as a request of an organisation',
        params: IdParams,
        body: ReleaseHeldMailInput,
        response: { 201: z.object({ id: z.uuid(), reference: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await admin.releaseHeldMail(req.ctx, req.params.id, req.body.organisationId)),
  );
  app.delete(
    '/api/v1/requests/held-mail/:id',
    { config: ANSWER, schema: { tags, summary: 'Discard a held mail (nothing is sent back)', params: IdParams } },
    async (req, reply) => {
      await admin.discardHeldMail(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/requests/:id',
    { config: READ, schema: { tags, summary: 'One request and its thread', params: RequestIdParams, response: { 200: RequestOut } } },
    async (req) => requests.getRequest(req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/requests/:id',
    {
      config: ANSWER,
      schema: { tags, summary: 'Assign, close or reopen a request', params: RequestIdParams, body: RequestPatch, response: { 200: RequestOut } },
    },
    async (req) => requests.patchRequest(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/requests/:id/questions',
    {
      config: ASK,
      schema: { tags, summary: 'Add to the question (reopens the request)', params: RequestIdParams, body: FollowUpInput, response: { 200: RequestOut } },
    },
    async (req) => requests.followUp(req.ctx, req.params.id, req.body.body),
  );
  app.post(
    '/api/v1/requests/:id/answers',
    {
      config: ANSWER,
      schema: { tags, summary: 'Answer (mailed to the asker, signed)', params: RequestIdParams, body: AnswerInput, response: { 200: RequestOut } },
    },
    async (req) => requests.answer(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/requests/:id/notes',
    { config: ANSWER, schema: { tags, summary: 'Add an internal note (CERT only)', params: RequestIdParams, body: NoteInput, response: { 200: RequestOut } } },
    async (req) => requests.addNote(req.ctx, req.params.id, req.body.body),
  );
  app.post(
    '/api/v1/requests/:id/held/:messageId/release',
    { config: ANSWER, schema: { tags, summary: 'Release a held reply into the thread', params: MessageParams, response: { 200: RequestOut } } },
    async (req) => {
      await admin.releaseHeldMessage(req.ctx, req.params.id, req.params.messageId);
      return requests.getRequest(req.ctx, req.params.id);
    },
  );
  app.delete(
    '/api/v1/requests/:id/held/:messageId',
    { config: ANSWER, schema: { tags, summary: 'Discard a held reply (nothing is sent back)', params: MessageParams } },
    async (req, reply) => {
      await admin.discardHeldMessage(req.ctx, req.params.id, req.params.messageId);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/v1/requests/:id/article-draft',
    {
      config: ANSWER,
      schema: { tags, summary: 'An anonymised knowledge-base draft of the question and answer', params: RequestIdParams, response: { 200: ArticleDraftOut } },
    },
    async (req) => kb.articleDraft(req.ctx, req.params.id),
  );

  app.get(
    '/api/v1/knowledge',
    { config: KB_READ, schema: { tags: kbTags, summary: 'Knowledge-base articles', querystring: ArticleListQuery, response: { 200: z.array(ArticleOut) } } },
    async (req) => kb.listArticles(req.ctx, req.query),
  );
  app.post(
    '/api/v1/knowledge',
    {
      config: ANSWER,
      schema: { tags: kbTags, summary: 'Publish an article (anonymised; TLP:CLEAR or GREEN)', body: ArticleInput, response: { 201: ArticleOut } },
    },
    async (req, reply) => reply.status(201).send(await kb.createArticle(req.ctx, req.body)),
  );
  app.get(
    '/api/v1/knowledge/:id',
    { config: KB_READ, schema: { tags: kbTags, summary: 'One article', params: IdParams, response: { 200: ArticleOut } } },
    async (req) => kb.getArticle(req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/knowledge/:id',
    { config: ANSWER, schema: { tags: kbTags, summary: 'Change an article', params: IdParams, body: ArticlePatch, response: { 200: ArticleOut } } },
    async (req) => kb.updateArticle(req.ctx, req.params.id, req.body),
  );
  app.delete('/api/v1/knowledge/:id', { config: ANSWER, schema: { tags: kbTags, summary: 'Remove an article', params: IdParams } }, async (req, reply) => {
    await kb.deleteArticle(req.ctx, req.params.id);
    return reply.status(204).send();
  });
}
