import { sql } from 'kysely';
import type { Ctx } from '#server/context.ts';

export const REALTIME_CHANNEL = 'wachtpost_events';

/** One event pushed to browsers. `organisationId` scopes it: null means CERT staff only. */
export interface RealtimeEvent {
  type: string;
  organisationId: string | null;
  data: Record<string, unknown>;
  /**
   * Ends open streams: of the user (disabled, password reset), of one session (logout, revoked), or
   * of all but one session (password changed in that session).
   */
  revoke?: { userId: string; sessionId?: string; exceptSessionId?: string };
  /** When set, only these users' streams get the event (their own inbox), whatever their role. */
  userIds?: string[];
  /** Only for the hubs (a revocation), never forwarded to browsers. */
  internal?: boolean;
}

/**
 * Publishes through PostgreSQL NOTIFY inside the caller's transaction: the event reaches every
 * process (and so every browser) only if the change commits.
 */
export async function publish(ctx: Ctx, event: RealtimeEvent): Promise<void> {
  await sql`SELECT pg_notify(${REALTIME_CHANNEL}, ${JSON.stringify(event)})`.execute(ctx.db);
}
