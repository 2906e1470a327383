import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { RawSmtpPool } from './raw-smtp-pool.ts';

// The pool behind Mailer.sendRaw: connections are reused, a connection the server closed while idle
// is replaced, and the bytes arrive as given.

interface Server {
  url: string;
  sessions: number;
  received: string[];
  close(): Promise<void>;
}

async function startServer(socketTimeout: number): Promise<Server> {
  const s: Server = { url: '', sessions: 0, received: [], close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    socketTimeout,
    onConnect(_session, callback) {
      s.sessions++;
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        s.received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  s.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  s.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return s;
}

const envelope = { from: 'bounces@cert.example', to: 'contact@zorg.example' };
const raw = (n: number) => `Message-ID: <m${n}@cert.example>\r\nSubject: test ${n}\r\n\r\n.leading dot\r\nbody ${n}`;

describe('RawSmtpPool', () => {
  let pool: RawSmtpPool | null = null;
  let server: Server | null = null;
  afterEach(async () => {
    pool?.close();
    await server?.close();
  });

  it('reuses its connections and sends the bytes as given (dot-stuffed on the wire only)', async () => {
    server = await startServer(60_000);
    pool = new RawSmtpPool({ url: server.url, maxConnections: 2, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 5000 });
    for (let i = 0; i < 3; i++) await pool.send(envelope, raw(i));
    await Promise.all([3, 4, 5, 6].map((i) => pool!.send(envelope, raw(i))));
    expect(server.received).toHaveLength(7);
    expect(server.received[0]).toBe(`${raw(0)}\r\n`);
    expect(server.sessions).toBeLessThanOrEqual(2);
  });

  it('replaces a connection the server closed while it was idle', async () => {
    server = await startServer(300);
    pool = new RawSmtpPool({ url: server.url, maxConnections: 1, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 5000 });
    await pool.send(envelope, raw(1));
    await new Promise((r) => setTimeout(r, 800));
    await pool.send(envelope, raw(2));
    expect(server.received).toHaveLength(2);
    expect(server.sessions).toBe(2);
  });
});
