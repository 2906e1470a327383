import type { Database, Unlisten } from '#db/database.ts';
import type { Actor } from '#modules/access/actor.ts';
import { canSeeMarked } from '#modules/access/policy.ts';
import { changesAfter, lastSeq, visibleChangesAfter, type ChangeRow } from './stream.repository.ts';
import { ZDN_CHANNEL } from './stream.service.ts';

export interface StreamFilter {
  types: ReadonlySet<string> | null;
  minConfidence: number;
}

export interface StreamMessage {
  seq: number;
  change: ChangeRow['change'];
  indicator: { id: string; eventId: string; type: string; value: string; tlp: string; confidence: number; validUntil: string | null; tags: string[] };
}

export interface StreamSubscriber {
  actor: Actor;
  filter: StreamFilter;
  /** One or more server-sent events (`id:`, `event:`, `data:` and a blank line each), to be written as they are. */
  send(events: string): void;
  close(): void;
  /** Whether the credentials the stream was opened with still hold (token or session not revoked, user active). */
  stillAllowed(): Promise<boolean>;
}

interface Entry {
  subscriber: StreamSubscriber;
  /** Live changes held back while the subscriber's missed changes are read from the log. */
  buffer: ChangeRow[] | null;
  lastSent: number;
}

const PAGE = 5000;

function toMessage(row: ChangeRow): StreamMessage {
  // An indicator that left the feeds (rejected after sharing) reaches subscribers as revoked.
  const change = row.status !== 'active' && row.change !== 'expired' ? 'revoked' : row.change;
  return {
    seq: row.seq,
    change,
    indicator: {
      id: row.id,
      eventId: row.event_id,
      type: row.type,
      value: row.value,
      tlp: row.tlp,
      confidence: row.confidence,
      validUntil: row.valid_until ? new Date(row.valid_until).toISOString() : null,
      tags: row.tags,
    },
  };
}

/** A change as a server-sent event: its sequence number is the event id a client resumes from. */
function eventText(row: ChangeRow): string {
  const m = toMessage(row);
  return `id: ${m.seq}\nevent: ${m.change}\ndata: ${JSON.stringify(m.indicator)}\n\n`;
}

/**
 * Renders each change once however many subscribers receive it, and hands every subscriber all it
 * wants of a batch in one write: with a thousand streams open, a write per change and stream would
 * spend the wake-up on system calls.
 */
class Batch {
  private readonly texts: (string | undefined)[];
  constructor(readonly rows: readonly ChangeRow[]) {
    this.texts = new Array<string | undefined>(rows.length);
  }

  /** What the entry wants of the rows after its last sent one; updates lastSent. */
  sendTo(entry: Entry): void {
    let out = '';
    for (let k = 0; k < this.rows.length; k++) {
      const row = this.rows[k]!;
      if (row.seq <= entry.lastSent || !wanted(entry, row)) continue;
      out += this.texts[k] ??= eventText(row);
      entry.lastSent = row.seq;
    }
    if (out) entry.subscriber.send(out);
  }
}

function wanted(entry: Entry, row: ChangeRow): boolean {
  const { actor, filter } = entry.subscriber;
  if (filter.types && !filter.types.has(row.type)) return false;
  if (row.confidence < filter.minConfidence && row.change !== 'expired') return false;
  return canSeeMarked(actor, { tlp: row.tlp, ownerOrganisationId: row.owner_organisation_id, recipients: row.recipients });
}

/**
 * The detection network's live feed, one per process: one LISTEN, one read of the change log per
 * wake-up, fanned out to every subscriber through the TLP rule in code (`canSeeMarked`). A
 * subscriber that resumes (Last-Event-ID) first gets what it missed, read with the same rule in SQL,
 * while live changes wait in its buffer, so nothing is lost or sent twice. One sweep timer rechecks
 * every subscriber's credentials and ends the streams whose token, session or user no longer holds.
 */
export class ZdnStreamHub {
  private readonly entries = new Set<Entry>();
  private unlisten: Unlisten | undefined;
  private database: Database | undefined;
  private seq = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweepDue = 0;
  private sweeping = false;

  /** `recheckMs` is read each time the sweep is armed, so a stream opened under a shorter interval is rechecked within it. */
  constructor(private readonly recheckMs: () => number) {}

  async start(database: Database): Promise<void> {
    this.database = database;
    this.seq = await lastSeq(database.db);
    this.unlisten = await database.listen(ZDN_CHANNEL, () => void this.wake());
  }

  /** Reads the log up to its end; a wake-up during a read makes one more read afterwards. */
  wake(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          await this.readAll();
        } while (this.again);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  private async readAll(): Promise<void> {
    if (!this.database) return;
    for (;;) {
      const rows = await changesAfter(this.database.db, this.seq, PAGE);
      if (rows.length) {
        this.dispatch(rows);
        this.seq = rows[rows.length - 1]!.seq;
      }
      if (rows.length < PAGE) return;
    }
  }

  private dispatch(rows: readonly ChangeRow[]): void {
    const batch = new Batch(rows);
    for (const entry of this.entries) {
      if (entry.buffer) entry.buffer.push(...rows);
      else batch.sendTo(entry);
    }
  }

  /**
   * Adds a subscriber. With `afterSeq` it first receives every visible change after that number
   * (a reconnecting client sends the id of the last event it saw).
   */
  async add(subscriber: StreamSubscriber, afterSeq: number | null): Promise<() => void> {
    const entry: Entry = { subscriber, buffer: afterSeq === null ? null : [], lastSent: afterSeq ?? this.seq };
    this.entries.add(entry);
    this.armSweep();
    const remove = () => {
      this.entries.delete(entry);
    };
    if (afterSeq === null || !this.database) return remove;
    try {
      for (;;) {
        const rows = await visibleChangesAfter(this.database.db, subscriber.actor, entry.lastSent, PAGE);
        new Batch(rows).sendTo(entry);
        // Rows this subscriber's filter passes by still move its position on.
        if (rows.length) entry.lastSent = Math.max(entry.lastSent, rows[rows.length - 1]!.seq);
        if (rows.length < PAGE) break;
      }
      const buffered = entry.buffer ?? [];
      entry.buffer = null;
      new Batch(buffered).sendTo(entry);
    } catch (err) {
      remove();
      throw err;
    }
    return remove;
  }

  /**
   * Arms the sweep to run one interval from now, unless it is due sooner already: a new stream is
   * rechecked at most one interval after it opened, and every interval after that.
   */
  private armSweep(): void {
    const ms = this.recheckMs();
    const due = Date.now() + ms;
    if (this.sweepTimer && this.sweepDue <= due) return;
    clearTimeout(this.sweepTimer);
    this.sweepDue = due;
    this.sweepTimer = setTimeout(() => void this.sweep(), ms);
    // The open connections keep the process alive; their recheck need not.
    this.sweepTimer.unref();
  }

  /** Rechecks the open streams one after another (no burst of queries on the pool) and ends those no longer allowed. */
  private async sweep(): Promise<void> {
    this.sweepTimer = undefined;
    // A sweep still running re-arms when it ends.
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const entry of [...this.entries]) {
        // A failed check (the database briefly away) keeps the stream: the next sweep asks again.
        const allowed = await entry.subscriber.stillAllowed().catch(() => true);
        if (!allowed && this.entries.has(entry)) entry.subscriber.close();
      }
    } finally {
      this.sweeping = false;
    }
    if (this.entries.size > 0) this.armSweep();
  }

  get size(): number {
    return this.entries.size;
  }

  get lastSeq(): number {
    return this.seq;
  }

  async stop(): Promise<void> {
    clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const entry of this.entries) entry.subscriber.close();
    this.entries.clear();
    await this.unlisten?.();
    await this.reading;
  }
}
