import { queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../lib/api-client';
// The server's own types (type-only: nothing of the server is bundled).
import type {
  ChatConvertInput,
  ChatConvertOut,
  ChatMessageOut,
  ChatOut,
  ChatPerson,
  ChatStartInput,
  ChatStateName,
  ServerFrame,
} from '#modules/chat/chat.schema.ts';

export type Chat = ChatOut;
export type ChatMessage = ChatMessageOut;
export type Person = ChatPerson;
export type ChatState = ChatStateName;
export type Frame = ServerFrame;
export type NewChat = z.input<typeof ChatStartInput>;
export type Conversion = z.input<typeof ChatConvertInput>;
export type Converted = ChatConvertOut;

export const chatKeys = {
  all: ['chats'] as const,
  list: (state: ChatState | undefined) => ['chats', 'list', state ?? 'all'] as const,
  detail: (id: string) => ['chats', 'detail', id] as const,
};

export function chatListQuery(state?: ChatState) {
  return queryOptions({
    queryKey: chatKeys.list(state),
    queryFn: ({ signal }) => api.get<{ items: Chat[] }>('/api/v1/chats', { state }, signal).then((r) => r.items),
  });
}

export function chatQuery(id: string) {
  return queryOptions({
    queryKey: chatKeys.detail(id),
    queryFn: ({ signal }) => api.get<Chat>(`/api/v1/chats/${id}`, undefined, signal),
  });
}

export const startChat = (body: NewChat) => api.post<Chat>('/api/v1/chats', body);
export const pickUpChat = (id: string) => api.post<Chat>(`/api/v1/chats/${id}/pick-up`);
export const endChat = (id: string) => api.post<Chat>(`/api/v1/chats/${id}/end`);
export const convertChat = (id: string, body: Conversion) => api.post<Converted>(`/api/v1/chats/${id}/convert`, body);

/** The socket's address on this origin (ws: or wss: as the page was loaded). */
export function socketUrl(id: string): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/api/v1/chats/${id}/socket`;
}
