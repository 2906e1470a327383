import type { Ctx } from '#server/context.ts';
import * as repo from './outbox.repository.ts';
import type { ClaimedRow, OutboxKind } from './outbox.repository.ts';

/*
 * The two ends of drainOutbox's lanes: where their rows come from (claims) and where their "sent"
 * marks go (group commit).
 */

/**
 * The due rows, claimed a batch at a time. The next batch is claimed while the last rows of the
 * current one are still being sent, so the lanes do not run dry at every batch boundary.
 */
export class ClaimedRows {
  private readonly rows: ClaimedRow[] = [];
  /** Claimed and not yet finished: their leases are renewed. */
  private readonly held = new Set<string>();
  private claiming: Promise<void> | null = null;
  private exhausted = false;
  /** A claim that failed in the background: raised once the rows already claimed are taken. */
  private error: Error | null = null;
  constructor(
    private readonly ctx: Ctx,
    private readonly kinds: OutboxKind[],
    private readonly batch: number,
    private readonly lease: number,
    private readonly lanes: number,
  ) {}

  async next(): Promise<ClaimedRow | null> {
    for (;;) {
      if (this.rows.length <= this.lanes && !this.exhausted) this.claiming ??= this.claim();
      const row = this.rows.shift();
      if (row) return row;
      if (this.error) throw this.error;
      if (!this.claiming) return null;
      await this.claiming;
    }
  }

  finished(id: string): void {
    this.held.delete(id);
  }

  unfinished(): string[] {
    return [...this.held];
  }

  private async claim(): Promise<void> {
    try {
      const rows = await repo.claimDue(this.ctx.db, this.batch, this.kinds, this.lease);
      // A short batch means nothing more is due (rows that fall due later wait for the next drain).
      if (rows.length < this.batch) this.exhausted = true;
      for (const row of rows) {
        this.held.add(row.id);
        this.rows.push(row);
      }
    } catch (err) {
      this.error = err instanceof Error ? err : new Error(String(err));
      this.exhausted = true;
    } finally {
      this.claiming = null;
    }
  }
}

/**
 * Group commit for "sent": the marks of rows whose servers answered 250 are written together, one
 * statement per group instead of one per row.
 * - PostgreSQL runs the statement in its own process: a mark is written at once, and the marks that
 *   arrive meanwhile form the next group.
 * - The embedded database runs it on this thread, which then does nothing else: marks are held until
 *   every lane is waiting for its own, or the oldest has waited MARK_DELAY_MS.
 */
const MARK_DELAY_MS = 10;

export class SentMarker {
  private queued: { id: string; done: () => void; fail: (err: unknown) => void }[] = [];
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly hold: boolean;
  /** Lanes still at work, and how many of them are waiting for a mark. */
  private lanes: number;
  private waiting = 0;
  constructor(
    private readonly ctx: Ctx,
    lanes: number,
  ) {
    this.hold = ctx.services.database.kind === 'pglite';
    this.lanes = lanes;
  }

  /** Queues the mark of a sent row; pass what it returns to wait(). */
  mark(id: string): Promise<void> {
    const written = new Promise<void>((done, fail) => this.queued.push({ id, done, fail }));
    // Its failure is raised by wait(), which may come after the update has failed.
    written.catch(() => {});
    if (!this.hold) this.flush();
    else if (!this.running && !this.timer) this.timer = setTimeout(() => this.flush(), MARK_DELAY_MS);
    return written;
  }

  /** Waits until the mark is written (throws if the update failed). */
  async wait(written: Promise<void>): Promise<void> {
    this.waiting++;
    if (this.waiting >= this.lanes) this.flush();
    try {
      await written;
    } finally {
      this.waiting--;
    }
  }

  /** A lane has no more rows: the others need not wait for it. */
  laneDone(): void {
    this.lanes--;
    if (this.waiting >= this.lanes) this.flush();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queued.length) this.running ??= this.write();
  }

  private async write(): Promise<void> {
    while (this.queued.length) {
      const group = this.queued;
      this.queued = [];
      try {
        await repo.markSent(this.ctx.db, group.map((g) => g.id));
        for (const g of group) g.done();
      } catch (err) {
        for (const g of group) g.fail(err);
      }
    }
    this.running = null;
  }
}
