import dgram from 'node:dgram';
import net from 'node:net';
import { decodeMessage, encodeMessage, FLAG, normaliseName, RCODE, RR, type DnsMessage, type DnsRecord } from '../../src/modules/monitoring/dns-wire.ts';

/** What the server says about one name: records by type, and how it behaves. */
export interface SignedZoneEntry {
  /** Record data by type (RR.*), each entry one record. */
  records?: Partial<Record<number, Buffer[]>>;
  /** TXT strings (convenience for SPF and DMARC). */
  TXT?: string[];
  /** Answer with AD set, as a validating resolver does for a secure name. */
  secure?: boolean;
  /** SERVFAIL unless the query has CD set, as a validating resolver does for a bogus zone; not for DS, which the (sound) parent holds. */
  bogus?: boolean;
  /** Over UDP, answer with TC and nothing else, so the client must ask over TCP. */
  truncate?: boolean;
  /** For a name inside a zone: the zone whose SOA goes in the authority section of a NODATA answer. */
  zone?: string;
}

export interface SignedDns {
  /** '127.0.0.1:port', for the checks' dnsServers. */
  server: string;
  port: number;
  names: Record<string, SignedZoneEntry>;
  /** Questions received, as 'name TYPE-number' with the transport, for assertions. */
  log: string[];
  stop(): Promise<void>;
}

/** SOA data: uncompressed names, five counters. */
export function soaData(zone: string): Buffer {
  const name = (n: string) => Buffer.concat([...n.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]), Buffer.from([0])]);
  const counters = Buffer.alloc(20);
  counters.writeUInt32BE(2026112601, 0);
  for (let i = 1; i < 5; i++) counters.writeUInt32BE(3600, i * 4);
  return Buffer.concat([name(`ns1.${zone}`), name(`hostmaster.${zone}`), counters]);
}

/** An RRSIG-looking record over `covered`: the fixed part and a signer name, with filler for a signature (never verified). */
export function rrsigData(covered: number, signer: string, keyTag: number): Buffer {
  const fixed = Buffer.alloc(18);
  fixed.writeUInt16BE(covered, 0);
  fixed[2] = 13;
  fixed[3] = signer.split('.').length;
  fixed.writeUInt32BE(3600, 4);
  fixed.writeUInt32BE(Math.floor(Date.UTC(2027, 0, 1) / 1000), 8);
  fixed.writeUInt32BE(Math.floor(Date.UTC(2026, 0, 1) / 1000), 12);
  fixed.writeUInt16BE(keyTag, 16);
  const signerName = Buffer.concat([...signer.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]), Buffer.from([0])]);
  return Buffer.concat([fixed, signerName, Buffer.alloc(64, 0xab)]);
}

function txtData(t: string): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < t.length || i === 0; i += 255) {
    const chunk = Buffer.from(t.slice(i, i + 255), 'latin1');
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

/**
 * A stand-in for a recursive resolver on 127.0.0.1 (UDP and TCP on one port), written with the
 * checks' own wire code: it answers from `names` as a resolver would after its work, with AD for
 * secure names, SERVFAIL for bogus ones unless CD is set, and RRSIGs beside signed sets. NODATA for
 * a known name without the type, NXDOMAIN for an unknown one. Nothing is signed for real.
 */
export async function startSignedDns(names: Record<string, SignedZoneEntry>): Promise<SignedDns> {
  const log: string[] = [];
  const answer = (query: Buffer, transport: 'udp' | 'tcp'): Buffer | null => {
    let q: DnsMessage;
    try {
      q = decodeMessage(query);
    } catch {
      return null;
    }
    const question = q.questions[0];
    if (!question) return null;
    const name = normaliseName(question.name);
    log.push(`${name || '.'} ${question.type} ${transport}${q.flags & FLAG.CD ? ' cd' : ''}`);
    const entry = names[name];
    const reply = (flags: number, answers: DnsRecord[] = [], authorities: DnsRecord[] = []) =>
      encodeMessage({ id: q.id, flags: FLAG.QR | FLAG.RA | (q.flags & FLAG.RD) | flags, questions: [question], answers, authorities, additionals: [] });
    if (!entry) return reply(RCODE.NXDOMAIN);
    if (entry.bogus && question.type !== RR.DS && !(q.flags & FLAG.CD)) return reply(RCODE.SERVFAIL);
    if (entry.truncate && transport === 'udp') return reply(FLAG.TC);
    const data = question.type === RR.TXT ? (entry.TXT ?? []).map(txtData) : (entry.records?.[question.type] ?? []);
    const records: DnsRecord[] = data.map((d) => ({ name, type: question.type, class: 1, ttl: 300, data: d }));
    const sigs = (entry.records?.[RR.RRSIG] ?? []).filter((d) => d.readUInt16BE(0) === question.type);
    if (records.length) records.push(...sigs.map((d) => ({ name, type: RR.RRSIG, class: 1, ttl: 300, data: d })));
    const authorities: DnsRecord[] = !records.length && entry.zone ? [{ name: entry.zone, type: RR.SOA, class: 1, ttl: 300, data: soaData(entry.zone) }] : [];
    return reply(entry.secure ? FLAG.AD : 0, records, authorities);
  };

  const serve = (udp: dgram.Socket) =>
    udp.on('message', (msg, rinfo) => {
      const out = answer(msg, 'udp');
      if (out) udp.send(out, rinfo.port, rinfo.address);
    });
  const tcp = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const out = answer(buf.subarray(2, 2 + buf.readUInt16BE(0)), 'tcp');
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (!out) return sock.destroy();
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        sock.write(Buffer.concat([len, out]));
      }
    });
    sock.on('error', () => sock.destroy());
  });
  // UDP and TCP on the same port number: the UDP port is free, the TCP one almost always; try again if not.
  let udp: dgram.Socket | null = null;
  let port = 0;
  for (let attempt = 0; !udp; attempt++) {
    const candidate = serve(dgram.createSocket('udp4'));
    await new Promise<void>((resolve) => candidate.bind(0, '127.0.0.1', resolve));
    port = candidate.address().port;
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, '127.0.0.1', () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      udp = candidate;
    } catch (err) {
      await new Promise<void>((resolve) => candidate.close(() => resolve()));
      if (attempt >= 5) throw err;
    }
  }
  const bound = udp;
  return {
    server: `127.0.0.1:${port}`,
    port,
    names,
    log,
    stop: async () => {
      await new Promise<void>((resolve) => bound.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
