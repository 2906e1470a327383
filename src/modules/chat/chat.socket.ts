import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Ctx, Services } from '#server/context.ts';
import { AppError } from '#server/errors.ts';
import { stillAuthenticated } from '#server/authenticate.ts';
import * as repo from './chat.repository.ts';
import * as chats from './chat.service.ts';
import { presentPeople } from './chat.presenter.ts';
import { ClientFrame, MAX_FRAME_BYTES, type ChatPerson, type ServerFrame } from './chat.schema.ts';
import type { ChatEvent, ChatHub, ChatSocket } from './chat.hub.ts';

/** One typing event per user and chat in this window, however fast the keys go. */
const TYPING_THROTTLE_MS = 2000;
/** Dead connections (a laptop lid closed) are found by a ping the other end must answer. */
const PING_MS = 30_000;

/** Names for user ids: events carry ids only. */
async function namesOf(ctx: Ctx, ids: readonly string[]): Promise<ChatPerson[]> {
  return presentPeople(await repo.people(ctx.db, ids));
}

function errorFrame(err: unknown): ServerFrame & { type: 'error' } {
  if (err instanceof AppError) return { type: 'error', code: err.code, message: err.message };
  return { type: 'error', code: 'internal_error', message: 'Something went wrong; try again.' };
}

/**
 * Serves one chat socket. The upgrade has been authenticated (session cookie or token), its Origin
 * checked and the chat's access decided before this runs; every frame the user sends is checked
 * again (a user logged out or disabled mid-chat is cut off), and every event goes through the hub's
 * access filter.
 */
export async function serveChatSocket(ws: WebSocket, req: FastifyRequest, hub: ChatHub, services: Services, requestId: string): Promise<void> {
  const ctx = req.ctx;
  const { actor, chat } = await chats.loadChat(ctx, requestId);
  const send = (frame: ServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  let lastTyping = 0;
  let alive = true;
  // Frames are handled one after the other, so messages persist and echo in the order they were sent.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (fn: () => Promise<void>): void => {
    queue = queue.then(fn).catch((err: unknown) => {
      if (!(err instanceof AppError)) services.log.warn({ err }, 'chat socket');
      send(errorFrame(err));
      if (err instanceof AppError && (err.kind === 'not_found' || err.kind === 'forbidden' || err.kind === 'unauthenticated')) ws.close(4403, err.code);
    });
  };

  const socket: ChatSocket = {
    actor,
    requestId: chat.id,
    organisationId: chat.organisation_id,
    deliver: (event: ChatEvent) => enqueue(() => deliver(event)),
    close: (code, reason) => ws.close(code, reason),
  };

  async function deliver(event: ChatEvent): Promise<void> {
    switch (event.type) {
      case 'chat.message': {
        const message = await chats.readMessage(ctx, event.requestId, event.messageId);
        if (message) send({ type: 'message', message });
        break;
      }
      case 'chat.state':
        send({ type: 'state', chat: await chats.getChat(ctx, event.requestId) });
        break;
      case 'chat.typing': {
        if (event.userId === actor.userId) break;
        const [user] = await namesOf(ctx, [event.userId]);
        if (user) send({ type: 'typing', user });
        break;
      }
      case 'chat.presence':
        send({ type: 'presence', users: await namesOf(ctx, hub.presence(event.requestId)) });
        break;
    }
  }

  /** The same check as the upgrade, for each frame: still logged in, still allowed to see the chat. */
  async function recheck(): Promise<void> {
    if (!(await stillAuthenticated(req, services))) throw new AppError('unauthenticated', 'session_ended', 'Your session has ended; log in again.');
    await chats.loadChat(ctx, chat.id);
  }

  async function handle(text: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      send({ type: 'error', code: 'frame_invalid_json', message: 'A frame must be one JSON object.' });
      return;
    }
    const frame = ClientFrame.safeParse(parsed);
    if (!frame.success) {
      const issue = frame.error.issues[0];
      send({ type: 'error', code: 'frame_invalid', message: issue ? `${issue.path.join('.') || 'frame'}: ${issue.message}` : 'This frame is not valid.' });
      return;
    }
    await recheck();
    switch (frame.data.type) {
      case 'message':
        // The author's own copy arrives through the hub like everyone else's, after commit.
        await chats.postMessage(ctx, chat.id, frame.data.body);
        break;
      case 'typing': {
        const now = Date.now();
        if (now - lastTyping < TYPING_THROTTLE_MS) return;
        lastTyping = now;
        await hub.typing(socket);
        break;
      }
      case 'ping':
        send({ type: 'pong' });
        break;
    }
  }

  ws.on('message', (data, isBinary) => {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (isBinary) return send({ type: 'error', code: 'frame_not_text', message: 'Send JSON text frames.' });
    if (size > MAX_FRAME_BYTES) return send({ type: 'error', code: 'frame_too_large', message: `A frame may be at most ${MAX_FRAME_BYTES} bytes.` });
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    enqueue(() => handle(text));
  });
  ws.on('pong', () => (alive = true));
  const pinger = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
    // A session that ended without a revocation event (expired) is noticed here too.
    enqueue(async () => {
      if (!(await stillAuthenticated(req, services))) {
        send({ type: 'error', code: 'session_ended', message: 'Your session has ended; log in again.' });
        ws.close(4401, 'session_ended');
      }
    });
  }, PING_MS);
  ws.on('close', () => {
    clearInterval(pinger);
    void hub.leave(socket);
  });
  ws.on('error', (err) => services.log.debug({ err }, 'chat socket error'));

  await hub.join(socket);
  // Through the queue: the history is read before any live message is forwarded after it.
  enqueue(async () => {
    const [messages, presence] = await Promise.all([chats.listMessages(ctx, chat.id), namesOf(ctx, hub.presence(chat.id))]);
    send({ type: 'hello', chat: await chats.getChat(ctx, chat.id), messages, presence });
  });
}
