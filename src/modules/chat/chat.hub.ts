import { randomUUID } from 'node:crypto';
import type { Services } from '#server/context.ts';
import { systemContext } from '#server/context.ts';
import type { Unlisten } from '#db/database.ts';
import type { Actor } from '#modules/access/actor.ts';
import { can } from '#modules/access/policy.ts';
import { publish, REALTIME_CHANNEL, type RealtimeEvent } from '#modules/realtime/realtime.service.ts';

/** One open chat socket in this process. */
export interface ChatSocket {
  actor: Actor;
  requestId: string;
  organisationId: string;
  /** A chat event this socket may see (already filtered by access). */
  deliver(event: ChatEvent): void;
  /** Cut off: logged out, disabled, or the process stops. */
  close(code: number, reason: string): void;
}

export type ChatEvent =
  | { type: 'chat.message'; requestId: string; messageId: string }
  | { type: 'chat.state'; requestId: string }
  | { type: 'chat.typing'; requestId: string; userId: string }
  | { type: 'chat.presence'; requestId: string; userIds: string[] };

export interface ChatHubOptions {
  /** How often a process repeats who is connected here; others forget it after three silent beats. */
  heartbeatMs?: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The chat's per-process fan-out. Every chat event travels through the realtime module's NOTIFY
 * channel, so a participant on process A and an analyst on process B talk live. Presence is kept per
 * process (user ids, repeated on a heartbeat, forgotten when a process falls silent, so a killed
 * process's users go offline).
 */
export class ChatHub {
  readonly processId = randomUUID();
  private readonly sockets = new Map<string, Set<ChatSocket>>();
  /** requestId → processId → the users connected there, until `expires`. */
  private readonly remote = new Map<string, Map<string, { userIds: string[]; expires: number }>>();
  private readonly heartbeatMs: number;
  private unlisten: Unlisten | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly services: Services,
    options: ChatHubOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
  }

  async start(): Promise<void> {
    this.unlisten = await this.services.database.listen(REALTIME_CHANNEL, (payload) => this.hear(payload));
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const chats = [...this.sockets.entries()];
    for (const [, set] of chats) for (const s of set) s.close(1001, 'server_stopping');
    this.sockets.clear();
    // Others need not wait for the expiry: this process's users leave now.
    await Promise.all(chats.map(([requestId, set]) => this.announce(requestId, [...set][0]?.organisationId ?? null, [])));
    await this.unlisten?.();
  }

  async join(socket: ChatSocket): Promise<void> {
    let set = this.sockets.get(socket.requestId);
    if (!set) {
      set = new Set();
      this.sockets.set(socket.requestId, set);
    }
    set.add(socket);
    await this.announceLocal(socket.requestId, socket.organisationId);
  }

  async leave(socket: ChatSocket): Promise<void> {
    const set = this.sockets.get(socket.requestId);
    if (!set?.delete(socket)) return;
    if (set.size === 0) this.sockets.delete(socket.requestId);
    await this.announceLocal(socket.requestId, socket.organisationId);
  }

  /** Everyone connected to the chat, in any process. */
  presence(requestId: string): string[] {
    const ids = new Set(this.localUsers(requestId));
    const now = Date.now();
    for (const p of this.remote.get(requestId)?.values() ?? []) if (p.expires > now) for (const id of p.userIds) ids.add(id);
    return [...ids];
  }

  /** Typing indicators are ephemeral: published, never stored. The socket throttles them. */
  async typing(socket: ChatSocket): Promise<void> {
    await publish(systemContext(this.services, 'chat-typing'), {
      type: 'chat.typing',
      organisationId: socket.organisationId,
      internal: true,
      data: { requestId: socket.requestId, userId: socket.actor.userId },
    });
  }

  private localUsers(requestId: string): string[] {
    return [...new Set([...(this.sockets.get(requestId) ?? [])].map((s) => s.actor.userId))];
  }

  private async announceLocal(requestId: string, organisationId: string): Promise<void> {
    await this.announce(requestId, organisationId, this.localUsers(requestId));
  }

  private async announce(requestId: string, organisationId: string | null, userIds: string[]): Promise<void> {
    // Internal: the browsers' event streams need none of this chatter; the chat hubs read it themselves.
    const event: RealtimeEvent = { type: 'chat.presence', organisationId, internal: true, data: { requestId, processId: this.processId, userIds } };
    await publish(systemContext(this.services, 'chat-presence'), event).catch((err: unknown) => this.services.log.warn({ err }, 'chat presence not published'));
  }

  /** Repeats this process's presence, and forgets processes that fell silent. */
  private async beat(): Promise<void> {
    const now = Date.now();
    for (const [requestId, byProcess] of this.remote) {
      let changed = false;
      for (const [pid, p] of byProcess) {
        if (p.expires <= now) {
          byProcess.delete(pid);
          changed = true;
        }
      }
      if (byProcess.size === 0) this.remote.delete(requestId);
      if (changed) this.toSockets({ type: 'chat.presence', requestId, userIds: this.presence(requestId) }, null);
    }
    for (const [requestId, set] of this.sockets) {
      const first = [...set][0];
      if (first) await this.announceLocal(requestId, first.organisationId);
    }
  }

  private hear(payload: string): void {
    let event: RealtimeEvent;
    try {
      event = JSON.parse(payload) as RealtimeEvent;
    } catch {
      return;
    }
    // Every process publishes on this channel; anything not shaped like an event is ignored.
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string') return;
    if (event.revoke) this.revoke(event.revoke);
    if (!event.type.startsWith('chat.') || typeof event.data !== 'object' || event.data === null) return;
    const requestId = str(event.data.requestId);
    if (!requestId) return;
    switch (event.type) {
      case 'chat.message': {
        const messageId = str(event.data.messageId);
        if (messageId) this.toSockets({ type: 'chat.message', requestId, messageId }, event.organisationId);
        break;
      }
      case 'chat.state':
        this.toSockets({ type: 'chat.state', requestId }, event.organisationId);
        break;
      case 'chat.typing': {
        const userId = str(event.data.userId);
        if (userId) this.toSockets({ type: 'chat.typing', requestId, userId }, event.organisationId);
        break;
      }
      case 'chat.presence': {
        const pid = str(event.data.processId);
        const userIds = Array.isArray(event.data.userIds) ? event.data.userIds.filter((u): u is string => typeof u === 'string') : [];
        if (!pid) return;
        if (pid !== this.processId) {
          let byProcess = this.remote.get(requestId);
          if (!byProcess) {
            byProcess = new Map();
            this.remote.set(requestId, byProcess);
          }
          if (userIds.length === 0) byProcess.delete(pid);
          else byProcess.set(pid, { userIds, expires: Date.now() + 3 * this.heartbeatMs });
          if (byProcess.size === 0) this.remote.delete(requestId);
        }
        this.toSockets({ type: 'chat.presence', requestId, userIds: this.presence(requestId) }, event.organisationId);
        break;
      }
      default:
        break;
    }
  }

  /**
   * Only sockets of this chat, and only if their user may see the request's organisation: the
   * same rule as the upgrade, checked again for every event.
   */
  private toSockets(event: ChatEvent, organisationId: string | null): void {
    for (const s of this.sockets.get(event.requestId) ?? []) {
      if (organisationId !== null && organisationId !== s.organisationId) continue;
      if (!can(s.actor, 'requests:read', { organisationId: s.organisationId })) continue;
      s.deliver(event);
    }
  }

  private revoke(r: NonNullable<RealtimeEvent['revoke']>): void {
    for (const set of this.sockets.values()) {
      for (const s of set) {
        if (s.actor.userId !== r.userId) continue;
        if (r.sessionId && s.actor.sessionId !== r.sessionId) continue;
        if (r.exceptSessionId && s.actor.sessionId === r.exceptSessionId) continue;
        s.close(4401, 'session_ended');
      }
    }
  }
}
