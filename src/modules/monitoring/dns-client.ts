import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { getServers } from 'node:dns';
import net, { isIP } from 'node:net';
import { buildQuery, decodeMessage, FLAG, normaliseName, type DnsMessage } from './dns-wire.ts';

/**
 * A small stub resolver client for the questions node:dns cannot ask (DS, DNSKEY, with the AD and
 * CD bits): one query to the configured recursive resolvers (MONITORING_DNS_SERVERS, or the
 * system's as node:dns would use them) over UDP, again over TCP when the answer is truncated. It
 * trusts the resolver as node:dns does: what the DNSSEC check learns is what that resolver says.
 */

export interface DnsClientOptions {
  /** Resolvers as 'host', 'host:port', '[v6]:port' or a bare IPv6 address; empty: the system's. */
  servers: readonly string[];
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts per server (default 2, as the checks' node:dns resolver). */
  tries?: number;
}

export class DnsQueryError extends Error {
  constructor(
    message: string,
    readonly code: 'ETIMEOUT' | 'EBADRESP' | 'ECONNREFUSED' | 'ENOSERVER',
  ) {
    super(message);
  }
}

interface Server {
  host: string;
  port: number;
}

/** Parses the resolver forms node:dns's setServers() accepts. */
export function parseServer(s: string): Server {
  const v = s.trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(v);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ? Number(bracketed[2]) : 53 };
  if (isIP(v)) return { host: v, port: 53 };
  const hostPort = /^([0-9.]+):(\d+)$/.exec(v);
  if (hostPort && isIP(hostPort[1]!) === 4) return { host: hostPort[1]!, port: Number(hostPort[2]) };
  throw new DnsQueryError(`'${s}' is not a resolver address (IP, IP:port or [IPv6]:port).`, 'ENOSERVER');
}

function udpExchange(server: Server, query: Buffer, timeoutMs: number): Promise<Buffer> {
  const id = query.readUInt16BE(0);
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    let settled = false;
    // The first of answer, timeout and socket error settles; closing twice would throw.
    const done = (err: Error | null, buf?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(buf!);
    };
    const timer = setTimeout(() => done(new DnsQueryError(`No answer from ${server.host}:${server.port} within ${timeoutMs} ms.`, 'ETIMEOUT')), timeoutMs);
    sock.on('message', (msg, rinfo) => {
      // Only the server asked, with the id sent, may answer (a spoofed or late answer is ignored).
      if (rinfo.port !== server.port || msg.length < 12 || msg.readUInt16BE(0) !== id) return;
      done(null, msg);
    });
    sock.on('error', (err) => done(err));
    sock.send(query, server.port, server.host, (err) => {
      if (err) done(err);
    });
  });
}

function tcpExchange(server: Server, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const sock = net.connect({ host: server.host, port: server.port });
    const timer = setTimeout(
      () => sock.destroy(new DnsQueryError(`No answer over TCP from ${server.host}:${server.port} within ${timeoutMs} ms.`, 'ETIMEOUT')),
      timeoutMs,
    );
    const length = Buffer.alloc(2);
    length.writeUInt16BE(query.length);
    sock.once('connect', () => sock.write(Buffer.concat([length, query])));
    sock.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      const all = Buffer.concat(chunks);
      if (received >= 2 && received >= 2 + all.readUInt16BE(0)) {
        clearTimeout(timer);
        sock.end();
        resolve(all.subarray(2, 2 + all.readUInt16BE(0)));
      }
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.once('close', () => {
      clearTimeout(timer);
      reject(new DnsQueryError(`${server.host}:${server.port} closed the TCP connection before a whole answer.`, 'EBADRESP'));
    });
  });
}

/** An answer is only taken for the question asked. */
function matches(answer: DnsMessage, name: string, type: number): boolean {
  const q = answer.questions[0];
  return (answer.flags & FLAG.QR) !== 0 && !!q && q.type === type && normaliseName(q.name) === normaliseName(name);
}

/**
 * Asks the resolvers in turn (each `tries` times) until one answers; a truncated UDP answer is
 * asked again over TCP. Any rcode is an answer: the caller decides what SERVFAIL means.
 */
export async function queryDns(name: string, type: number, opts: DnsClientOptions & { cd?: boolean }): Promise<DnsMessage> {
  const servers = (opts.servers.length ? opts.servers : getServers()).map(parseServer);
  if (!servers.length) throw new DnsQueryError('No resolver configured.', 'ENOSERVER');
  let last: unknown = null;
  for (const server of servers)
    for (let attempt = 0; attempt < (opts.tries ?? 2); attempt++) {
      const query = buildQuery(randomInt(0, 0x10000), name, type, { cd: opts.cd ?? false });
      try {
        let answer = decodeMessage(await udpExchange(server, query, opts.timeoutMs));
        if (answer.flags & FLAG.TC) answer = decodeMessage(await tcpExchange(server, query, opts.timeoutMs));
        if (answer.id !== query.readUInt16BE(0) || !matches(answer, name, type))
          throw new DnsQueryError(`${server.host}:${server.port} answered another question.`, 'EBADRESP');
        return answer;
      } catch (err) {
        last = err;
      }
    }
  if (last instanceof Error) throw last;
  throw new DnsQueryError(`No answer for ${name}.`, 'ETIMEOUT');
}
