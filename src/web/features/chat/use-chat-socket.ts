import { useCallback, useEffect, useRef, useState } from 'react';
import { socketUrl, type Chat, type ChatMessage, type Frame, type Person } from './api';

export type Connection = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ChatSocketState {
  connection: Connection;
  chat: Chat | null;
  messages: ChatMessage[];
  presence: Person[];
  /** Who is typing now (an entry disappears a few seconds after their last keystroke). */
  typing: Person[];
  lastError: { code: string; message: string } | null;
  send(body: string): void;
  typed(): void;
}

const TYPING_SHOWN_MS = 5000;
const TYPING_SEND_EVERY_MS = 2000;
const MAX_BACKOFF_MS = 30_000;
/** Close codes after which reconnecting cannot help: the session ended or access was refused. */
const FINAL_CODES = new Set([4401, 4403]);

function parse(data: unknown): Frame | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    // The server's frames are its own schema; only the discriminator is checked here.
    return typeof value === 'object' && value !== null && 'type' in value ? (value as Frame) : null;
  } catch {
    return null;
  }
}

function merge(list: ChatMessage[], m: ChatMessage): ChatMessage[] {
  if (list.some((x) => x.id === m.id)) return list;
  return [...list, m].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * One chat, live: the browser's WebSocket (the session cookie goes along with the upgrade), with
 * reconnects on an exponential backoff. Each (re)connect starts with a `hello` carrying the whole
 * history, so nothing said while the connection was down is missed.
 */
export function useChatSocket(requestId: string): ChatSocketState {
  const [connection, setConnection] = useState<Connection>('connecting');
  const [chat, setChat] = useState<Chat | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [presence, setPresence] = useState<Person[]>([]);
  const [typing, setTyping] = useState<{ person: Person; until: number }[]>([]);
  const [lastError, setLastError] = useState<{ code: string; message: string } | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const lastTyped = useRef(0);

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      const ws = new WebSocket(socketUrl(requestId));
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        setConnection('open');
      };
      ws.onmessage = (event: MessageEvent<unknown>) => {
        const frame = parse(event.data);
        if (!frame) return;
        switch (frame.type) {
          case 'hello':
            setChat(frame.chat);
            setMessages(frame.messages);
            setPresence(frame.presence);
            break;
          case 'message':
            setMessages((list) => merge(list, frame.message));
            // Whoever just sent a message has stopped typing.
            setTyping((list) => list.filter((x) => x.person.id !== frame.message.author?.id));
            break;
          case 'typing':
            setTyping((list) => [...list.filter((x) => x.person.id !== frame.user.id), { person: frame.user, until: Date.now() + TYPING_SHOWN_MS }]);
            break;
          case 'presence':
            setPresence(frame.users);
            break;
          case 'state':
            setChat(frame.chat);
            break;
          case 'error':
            setLastError({ code: frame.code, message: frame.message });
            break;
          case 'pong':
            break;
        }
      };
      ws.onclose = (event) => {
        socket.current = null;
        if (stopped) return;
        if (FINAL_CODES.has(event.code)) {
          setConnection('closed');
          return;
        }
        setConnection('reconnecting');
        // 1 s, 2 s, 4 s … up to 30 s, with jitter so a restarted server is not hit all at once.
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
        attempt += 1;
        retry = setTimeout(connect, delay);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket.current?.close();
    };
  }, [requestId]);

  // Typing indicators fade out on their own.
  useEffect(() => {
    if (typing.length === 0) return;
    const timer = setInterval(() => setTyping((list) => list.filter((x) => x.until > Date.now())), 1000);
    return () => clearInterval(timer);
  }, [typing.length]);

  const send = useCallback((body: string) => {
    socket.current?.send(JSON.stringify({ type: 'message', body }));
  }, []);
  const typed = useCallback(() => {
    const now = Date.now();
    if (now - lastTyped.current < TYPING_SEND_EVERY_MS) return;
    lastTyped.current = now;
    socket.current?.send(JSON.stringify({ type: 'typing' }));
  }, []);

  return { connection, chat, messages, presence, typing: typing.map((x) => x.person), lastError, send, typed };
}
