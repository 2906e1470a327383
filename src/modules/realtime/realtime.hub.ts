import { isCertRole } from '#modules/access/permissions.ts';
import type { Actor } from '#modules/access/actor.ts';
import type { Database, Unlisten } from '#db/database.ts';
import { REALTIME_CHANNEL, type RealtimeEvent } from './realtime.service.ts';

export interface Subscriber {
  actor: Actor;
  send(event: RealtimeEvent): void;
  close(): void;
}

/**
 * The per-process fan-out: one LISTEN on the database, many browser streams. Each event goes only to
 * subscribers the access rule allows (CERT staff, or the event's own organisation).
 */
export class RealtimeHub {
  private readonly subscribers = new Set<Subscriber>();
  private unlisten: Unlisten | undefined;

  async start(database: Database): Promise<void> {
    this.unlisten = await database.listen(REALTIME_CHANNEL, (payload) => {
      let event: RealtimeEvent;
      try {
        event = JSON.parse(payload) as RealtimeEvent;
      } catch {
        return;
      }
      this.dispatch(event);
    });
  }

  dispatch(event: RealtimeEvent): void {
    for (const s of this.subscribers) {
      const r = event.revoke;
      if (r && s.actor.userId === r.userId && (!r.sessionId || s.actor.sessionId === r.sessionId) && (!r.exceptSessionId || s.actor.sessionId !== r.exceptSessionId)) {
        s.close();
        this.subscribers.delete(s);
        continue;
      }
      if (event.internal) continue;
      if (event.userIds) {
        if (event.userIds.includes(s.actor.userId)) s.send(event);
        continue;
      }
      if (isCertRole(s.actor.role) || (event.organisationId !== null && event.organisationId === s.actor.organisationId)) s.send(event);
    }
  }

  add(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get size(): number {
    return this.subscribers.size;
  }

  async stop(): Promise<void> {
    for (const s of this.subscribers) s.close();
    this.subscribers.clear();
    await this.unlisten?.();
  }
}
