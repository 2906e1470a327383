import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  parsed: ParsedMail;
  /** The bytes as they arrived (after SMTP dot-unstuffing): what a signature covers. */
  raw: Buffer;
}

export interface SmtpSink {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Return an error text to refuse a recipient with 451 (try again later); null accepts. */
  refuse: ((recipient: string) => string | null) | null;
  /** Return an error text to refuse a recipient for good (550). */
  reject: ((recipient: string) => string | null) | null;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that keeps every mail it receives, parsed by
 * mailparser. `delayMs` makes it a slow server, so a burst is spread over several workers.
 */
export async function startSmtpSink(options: { port?: number; delayMs?: number } = {}): Promise<SmtpSink> {
  const sink: SmtpSink = { port: 0, url: '', received: [], refuse: null, reject: null, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const permanent = sink.reject?.(address.address);
      if (permanent) {
        const err: Error & { responseCode?: number } = new Error(permanent);
        err.responseCode = 550;
        return callback(err);
      }
      const reason = sink.refuse?.(address.address);
      if (!reason) return callback();
      const err: Error & { responseCode?: number } = new Error(reason);
      err.responseCode = 451;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const from = session.envelope.mailFrom;
            sink.received.push({ envelopeFrom: from ? from.address : '', envelopeTo: session.envelope.rcptTo.map((a) => a.address), parsed, raw });
            setTimeout(() => callback(), options.delayMs ?? 0);
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  sink.port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://127.0.0.1:${sink.port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
