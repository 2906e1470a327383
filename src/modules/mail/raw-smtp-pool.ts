import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type { Envelope } from './mailer.ts';

/**
 * Complete messages (built and signed by the caller) over a few reused SMTP connections.
 * nodemailer's SMTPConnection still speaks the protocol (STARTTLS, AUTH, PIPELINING, dot-stuffing,
 * timeouts); what is left out is nodemailer's Mail layer, which composes every message again as a
 * MIME tree of streams, runs plugins and makes up a Message-ID for its log: for a message that is
 * already complete that was a fifth of the sending thread's time in a large delivery.
 *
 * A connection that failed in any way is closed, never reused; the caller (the outbox) retries.
 */

export interface RawSmtpPoolOptions {
  url: string;
  maxConnections: number;
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}

/** A connection is closed after this long without a message (the server would close it anyway). */
const IDLE_MS = 30_000;

interface Idle {
  connection: SMTPConnection;
  timer: NodeJS.Timeout;
}

export class RawSmtpPool {
  private readonly idle: Idle[] = [];
  /** Connections open or being opened, idle or busy. */
  private count = 0;
  private readonly waiting: ((connection: SMTPConnection | null) => void)[] = [];
  private closed = false;

  constructor(private readonly options: RawSmtpPoolOptions) {}

  async send(envelope: Envelope, raw: string): Promise<void> {
    const connection = await this.acquire();
    try {
      await new Promise<void>((resolve, reject) => connection.send({ from: envelope.from, to: [envelope.to] }, raw, (err) => (err ? reject(err) : resolve())));
    } catch (err) {
      this.discard(connection);
      throw err;
    }
    this.release(connection);
  }

  close(): void {
    this.closed = true;
    for (const { connection, timer } of this.idle.splice(0)) {
      clearTimeout(timer);
      connection.close();
    }
    for (const wake of this.waiting.splice(0)) wake(null);
  }

  /** An idle connection, a new one while fewer than maxConnections are open, or the next one released. */
  private async acquire(): Promise<SMTPConnection> {
    for (;;) {
      if (this.closed) throw new Error('The SMTP connection pool is closed.');
      const idle = this.idle.pop();
      if (idle) {
        clearTimeout(idle.timer);
        return idle.connection;
      }
      if (this.count < this.options.maxConnections) return this.open();
      const released = await new Promise<SMTPConnection | null>((wake) => this.waiting.push(wake));
      if (released) return released;
    }
  }

  private release(connection: SMTPConnection): void {
    const next = this.waiting.shift();
    if (next) return next(connection);
    if (this.closed) return this.discard(connection);
    const timer = setTimeout(() => {
      const at = this.idle.findIndex((i) => i.connection === connection);
      if (at >= 0) this.idle.splice(at, 1);
      this.discard(connection);
    }, IDLE_MS);
    timer.unref();
    this.idle.push({ connection, timer });
  }

  /** Closes a connection for good and lets a waiting sender open another. */
  private discard(connection: SMTPConnection): void {
    connection.removeAllListeners('end');
    connection.close();
    this.count--;
    // Nothing to hand over: a waiter goes round again and opens a connection of its own.
    this.waiting.shift()?.(null);
  }

  private async open(): Promise<SMTPConnection> {
    this.count++;
    const { auth, ...url } = parseConnectionUrl(this.options.url);
    const connection = new SMTPConnection({
      ...url,
      connectionTimeout: this.options.connectionTimeout,
      greetingTimeout: this.options.greetingTimeout,
      socketTimeout: this.options.socketTimeout,
    });
    // Errors during a send reach its callback as well; an error event left unheard would throw.
    connection.on('error', () => {});
    let fail: (err: Error) => void = () => {};
    const closed = () => fail(new Error('The SMTP server closed the connection.'));
    try {
      // A failure while connecting comes as an 'error' or 'end' event, or to the callback.
      await new Promise<void>((resolve, reject) => {
        fail = reject;
        connection.once('error', fail);
        connection.once('end', closed);
        connection.connect((err) => {
          if (err) return reject(err);
          if (!auth || !connection.allowsAuth) return resolve();
          connection.login(auth, (loginErr) => (loginErr ? reject(loginErr) : resolve()));
        });
      });
    } catch (err) {
      this.discard(connection);
      throw err;
    } finally {
      connection.off('error', fail);
      connection.off('end', closed);
    }
    // The server may close a connection while it is idle: it just leaves the pool.
    connection.once('end', () => {
      const at = this.idle.findIndex((i) => i.connection === connection);
      if (at < 0) return;
      clearTimeout(this.idle[at]!.timer);
      this.idle.splice(at, 1);
      this.discard(connection);
    });
    return connection;
  }
}
