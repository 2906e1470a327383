import { z } from 'zod';

/** The secure chat: a request with channel 'chat', talked live over a WebSocket (or these HTTP routes). */
export const CHAT_STATES = ['waiting', 'active', 'ended'] as const;
export type ChatStateName = (typeof CHAT_STATES)[number];

/** Longest chat message; a frame is refused before parsing when its raw text is far longer. */
export const MAX_MESSAGE_CHARS = 4000;
export const MAX_FRAME_BYTES = 16 * 1024;

const Body = z.string().trim().min(1, 'Write a message.').max(MAX_MESSAGE_CHARS, `At most ${MAX_MESSAGE_CHARS} characters.`);

export const ChatIdParams = z.object({ id: z.uuid() }).strict();

export const ChatStartInput = z
  .object({
    subject: z.string().trim().min(1, 'Say in a few words what it is about.').max(200),
    topic: z.string().trim().max(100).optional(),
    /** The first message, so the analyst who picks the chat up sees the question at once. */
    body: Body.optional(),
    language: z.enum(['nl', 'en']).optional(),
  })
  .strict();
export type ChatStartInput = z.infer<typeof ChatStartInput>;

export const ChatListQuery = z
  .object({
    state: z.enum(CHAT_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();
export type ChatListQuery = z.infer<typeof ChatListQuery>;

export const ChatMessageInput = z.object({ body: Body }).strict();

/** One step conversions by the analyst. The chat ends; the created case is linked in a note. */
export const ChatConvertInput = z.discriminatedUnion('to', [
  z.object({ to: z.literal('request') }).strict(),
  z
    .object({
      to: z.literal('incident'),
      title: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
  z
    .object({
      to: z.literal('cvd'),
      title: z.string().trim().min(1).max(200).optional(),
      targetKind: z.enum(['website', 'system', 'product']),
      target: z.string().trim().max(2000).optional(),
      vendor: z.string().trim().max(200).optional(),
      product: z.string().trim().max(200).optional(),
    })
    .strict(),
]);
export type ChatConvertInput = z.infer<typeof ChatConvertInput>;

export const ChatPerson = z.object({ id: z.string(), name: z.string(), cert: z.boolean() });
export type ChatPerson = z.infer<typeof ChatPerson>;

export const ChatOut = z.object({
  id: z.string(),
  reference: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  subject: z.string(),
  topic: z.string(),
  status: z.enum(['new', 'answered', 'closed']),
  chatState: z.enum(CHAT_STATES),
  asker: ChatPerson.nullable(),
  assignee: ChatPerson.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChatOut = z.infer<typeof ChatOut>;

export const ChatMessageOut = z.object({
  id: z.string(),
  requestId: z.string(),
  kind: z.enum(['question', 'answer', 'note']),
  channel: z.enum(['portal', 'mail', 'chat']),
  author: ChatPerson.nullable(),
  body: z.string(),
  createdAt: z.string(),
});
export type ChatMessageOut = z.infer<typeof ChatMessageOut>;

export const ChatConvertOut = z.object({
  chat: ChatOut,
  to: z.enum(['request', 'incident', 'cvd']),
  /** The request itself, the incident case or the CVD case. */
  id: z.string(),
  reference: z.string(),
});
export type ChatConvertOut = z.infer<typeof ChatConvertOut>;

/** What a browser may send over the socket. Anything else gets an error frame. */
export const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), body: Body }).strict(),
  z.object({ type: z.literal('typing') }).strict(),
  z.object({ type: z.literal('ping') }).strict(),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** What the server sends over the socket. */
export type ServerFrame =
  | { type: 'hello'; chat: ChatOut; messages: ChatMessageOut[]; presence: ChatPerson[] }
  | { type: 'message'; message: ChatMessageOut }
  | { type: 'typing'; user: ChatPerson }
  | { type: 'presence'; users: ChatPerson[] }
  | { type: 'state'; chat: ChatOut }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string };
