import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import type { Services } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import * as chats from './chat.service.ts';
import { convertChat } from './chat-convert.service.ts';
import { presentPeople } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';
import { ChatHub } from './chat.hub.ts';
import { serveChatSocket } from './chat.socket.ts';
import {
  ChatConvertInput,
  ChatConvertOut,
  ChatIdParams,
  ChatListQuery,
  ChatMessageInput,
  ChatMessageOut,
  ChatOut,
  ChatPerson,
  ChatStartInput,
} from './chat.schema.ts';

const READ = { access: { auth: 'user', permission: 'requests:read' } } as const;
const ASK = { access: { auth: 'user', permission: 'requests:ask' } } as const;
const ANSWER = { access: { auth: 'user', permission: 'requests:answer' } } as const;
const tags = ['chat'];

/**
 * A browser sends its cookie with a WebSocket upgrade from any site (there is no CORS for sockets),
 * so a cookie-authenticated upgrade must come from our own origin (Cross-Site WebSocket Hijacking).
 * Token clients send no cookie; an Origin they do send must still be ours.
 */
function checkOrigin(req: FastifyRequest, publicUrl: string): void {
  const origin = req.headers.origin;
  const ours = new URL(publicUrl).origin;
  if (origin === undefined ? req.headers.authorization === undefined : origin !== ours) {
    throw new AppError('forbidden', 'origin_not_allowed', 'This socket may only be opened from the portal itself.');
  }
}

/** Registered inside its own encapsulated plugin (see server/routes.ts), where @fastify/websocket is registered. */
export async function chatRoutes(app: App, services: Services): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  const hub = new ChatHub(services);
  await hub.start();
  app.addHook('onClose', async () => hub.stop());
  // A refused upgrade (401 from authentication, 403, 404) answers over the raw socket; end it then,
  // or the connection would linger half-open. @fastify/websocket does this only once its own
  // onRequest hook ran, which a failed authentication prevents.
  app.addHook('onResponse', async (req) => {
    if (req.headers.upgrade?.toLowerCase() === 'websocket') req.raw.socket.destroy();
  });

  app.post(
    '/api/v1/chats',
    {
      config: ASK,
      schema: {
        tags,
        summary: 'Open a chat with the CERT’s on-duty specialists (a request with channel chat, waiting in the queue)',
        body: ChatStartInput,
        response: { 201: ChatOut },
      },
    },
    async (req, reply) => reply.status(201).send(await chats.startChat(req.ctx, req.body)),
  );
  app.get(
    '/api/v1/chats',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Chats I may see; the CERT’s queue is state=waiting',
        querystring: ChatListQuery,
        response: { 200: z.object({ items: z.array(ChatOut) }) },
      },
    },
    async (req) => ({
      items: await chats.listChats(req.ctx, req.query),
    }),
  );
  app.get('/api/v1/chats/:id', { config: READ, schema: { tags, summary: 'One chat', params: ChatIdParams, response: { 200: ChatOut } } }, async (req) =>
    chats.getChat(req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/chats/:id/messages',
    {
      config: READ,
      schema: {
        tags,
        summary: 'The chat’s messages (CERT notes only for the CERT)',
        params: ChatIdParams,
        response: { 200: z.object({ items: z.array(ChatMessageOut) }) },
      },
    },
    async (req) => ({
      items: await chats.listMessages(req.ctx, req.params.id),
    }),
  );
  app.post(
    '/api/v1/chats/:id/messages',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Send a message into the chat (the organisation asks, the CERT answers)',
        params: ChatIdParams,
        body: ChatMessageInput,
        response: { 201: ChatMessageOut },
      },
    },
    async (req, reply) => reply.status(201).send(await chats.postMessage(req.ctx, req.params.id, req.body.body)),
  );
  app.post(
    '/api/v1/chats/:id/pick-up',
    { config: ANSWER, schema: { tags, summary: 'Take a waiting chat from the queue', params: ChatIdParams, response: { 200: ChatOut } } },
    async (req) => chats.pickUp(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/chats/:id/end',
    { config: READ, schema: { tags, summary: 'End the chat (either side); the request stays', params: ChatIdParams, response: { 200: ChatOut } } },
    async (req) => chats.endChat(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/chats/:id/convert',
    {
      config: ANSWER,
      schema: {
        tags,
        summary: 'Turn the chat into a request, an incident case or a CVD case in one step',
        params: ChatIdParams,
        body: ChatConvertInput,
        response: { 200: ChatConvertOut },
      },
    },
    async (req) => convertChat(req.ctx, req.params.id, req.body),
  );

  app.route({
    method: 'GET',
    url: '/api/v1/chats/:id/socket',
    config: READ,
    schema: {
      tags,
      summary: 'The chat live (WebSocket: JSON frames message, typing, ping). Without an upgrade: who is connected',
      params: ChatIdParams,
      response: { 200: z.object({ chat: ChatOut, presence: z.array(ChatPerson) }) },
    },
    // Access is decided before the upgrade, so a refused socket gets an HTTP 401/403/404 and never opens.
    preHandler: async (req) => {
      const { id } = req.params;
      if (req.headers.upgrade?.toLowerCase() === 'websocket') checkOrigin(req, services.config.publicUrl);
      await chats.loadChat(req.ctx, id);
    },
    handler: async (req) => {
      const { id } = req.params;
      return { chat: await chats.getChat(req.ctx, id), presence: presentPeople(await repo.people(req.ctx.db, hub.presence(id))) };
    },
    wsHandler: async (socket, req) => {
      const { id } = req.params;
      try {
        await serveChatSocket(socket, req, hub, services, id);
      } catch (err) {
        if (!(err instanceof AppError)) req.log.error({ err }, 'chat socket failed');
        socket.send(
          // Only our own errors say why; anything else stays in the log.
          JSON.stringify({
            type: 'error',
            code: err instanceof AppError ? err.code : 'internal_error',
            message: err instanceof AppError ? err.message : 'The chat failed; please reconnect.',
          }),
        );
        socket.close(4403, 'refused');
      }
    },
  });
}
