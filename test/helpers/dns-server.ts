import dgram from 'node:dgram';

/** Records a name has: TXT strings and A/AAAA addresses. */
export interface DnsZone {
  [name: string]: { TXT?: string[]; A?: string[] };
}

export interface TinyDns {
  /** '127.0.0.1:port', for MONITORING_DNS_SERVERS. */
  server: string;
  zone: DnsZone;
  stop(): Promise<void>;
}

/**
 * A tiny authoritative DNS server over UDP on 127.0.0.1 for tests: answers A and TXT from `zone`
 * (which the test may change while it runs), NODATA for a known name without that type, NXDOMAIN
 * for an unknown name. No compression in questions, no EDNS, no TCP: enough for c-ares.
 */
export async function startTinyDns(zone: DnsZone): Promise<TinyDns> {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    let off = 12;
    const labels: string[] = [];
    while (off < msg.length && msg[off]! > 0) {
      const len = msg[off]!;
      labels.push(msg.subarray(off + 1, off + 1 + len).toString('latin1'));
      off += len + 1;
    }
    off++;
    const qtype = msg.readUInt16BE(off);
    const question = msg.subarray(12, off + 4);
    const name = labels.join('.').toLowerCase();
    const entry = zone[name];
    const answers: Buffer[] = [];
    if (entry && qtype === 1) for (const a of entry.A ?? []) answers.push(rr(1, Buffer.from(a.split('.').map(Number))));
    if (entry && qtype === 16)
      for (const t of entry.TXT ?? []) {
        const parts: Buffer[] = [];
        for (let i = 0; i < t.length || i === 0; i += 255) {
          const chunk = Buffer.from(t.slice(i, i + 255), 'latin1');
          parts.push(Buffer.from([chunk.length]), chunk);
        }
        answers.push(rr(16, Buffer.concat(parts)));
      }
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | (entry ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    sock.send(Buffer.concat([header, question, ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const { port } = sock.address();
  return { server: `127.0.0.1:${port}`, zone, stop: () => new Promise((resolve) => sock.close(() => resolve())) };
}

/** One answer record, its name a pointer to the question's. */
function rr(type: number, rdata: Buffer): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(0xc00c, 0);
  b.writeUInt16BE(type, 2);
  b.writeUInt16BE(1, 4);
  b.writeUInt32BE(60, 6);
  b.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([b, rdata]);
}
