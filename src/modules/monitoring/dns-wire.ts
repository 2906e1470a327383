/**
 * The DNS wire format (RFC 1035 section 4, EDNS0 from RFC 6891, the DNSSEC header bits from RFC
 * 4035) for the few questions the checks ask that node:dns cannot: DS and DNSKEY with the AD and CD
 * bits. Records keep their data as bytes; the DNSSEC types have small readers below. Names are
 * decompressed when read and written uncompressed, which every server and resolver accepts.
 */

export const RR = { A: 1, NS: 2, CNAME: 5, SOA: 6, TXT: 16, AAAA: 28, OPT: 41, DS: 43, RRSIG: 46, DNSKEY: 48 } as const;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** Header flag bits (the 16 bits after the id). */
export const FLAG = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100, RA: 0x0080, AD: 0x0020, CD: 0x0010 } as const;
/** The DO bit in the OPT record's TTL field (RFC 3225): "send me the RRSIGs". */
export const EDNS_DO = 0x8000;

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: Buffer;
}

export interface DnsMessage {
  id: number;
  /** The header bits, rcode in the low four. */
  flags: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

export class DnsFormatError extends Error {}

/** Lower case, no trailing dot; the root is ''. */
export function normaliseName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

function encodeName(name: string): Buffer {
  const n = normaliseName(name);
  const parts: Buffer[] = [];
  for (const label of n ? n.split('.') : []) {
    const b = Buffer.from(label, 'latin1');
    if (b.length < 1 || b.length > 63) throw new DnsFormatError(`Label '${label}' in '${name}' is not 1-63 octets.`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw new DnsFormatError(`'${name}' is longer than 255 octets.`);
  return out;
}

/** Reads a possibly compressed name at `offset`; `end` is where the name's own bytes stop. */
export function readName(buf: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let off = offset;
  let end = -1;
  // Each pointer must go backwards, so a loop of pointers cannot run forever.
  let limit = offset;
  for (;;) {
    if (off >= buf.length) throw new DnsFormatError('Name runs past the message.');
    const len = buf[off]!;
    if (len === 0) {
      if (end < 0) end = off + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= buf.length) throw new DnsFormatError('Truncated name pointer.');
      const target = ((len & 0x3f) << 8) | buf[off + 1]!;
      if (target >= limit) throw new DnsFormatError('Name pointer does not point backwards.');
      if (end < 0) end = off + 2;
      limit = target;
      off = target;
      continue;
    }
    if (len & 0xc0) throw new DnsFormatError('Unknown label type.');
    if (off + 1 + len > buf.length) throw new DnsFormatError('Label runs past the message.');
    labels.push(buf.subarray(off + 1, off + 1 + len).toString('latin1'));
    off += len + 1;
  }
  return { name: labels.join('.').toLowerCase(), end };
}

function encodeRecord(r: DnsRecord): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(r.type, 0);
  fixed.writeUInt16BE(r.class, 2);
  fixed.writeUInt32BE(r.ttl >>> 0, 4);
  fixed.writeUInt16BE(r.data.length, 8);
  return Buffer.concat([encodeName(r.name), fixed, r.data]);
}

/** The message as bytes (uncompressed). */
export function encodeMessage(m: DnsMessage): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(m.id, 0);
  header.writeUInt16BE(m.flags, 2);
  header.writeUInt16BE(m.questions.length, 4);
  header.writeUInt16BE(m.answers.length, 6);
  header.writeUInt16BE(m.authorities.length, 8);
  header.writeUInt16BE(m.additionals.length, 10);
  const questions = m.questions.map((q) => {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(q.type, 0);
    tail.writeUInt16BE(q.class, 2);
    return Buffer.concat([encodeName(q.name), tail]);
  });
  return Buffer.concat([header, ...questions, ...[...m.answers, ...m.authorities, ...m.additionals].map(encodeRecord)]);
}

/** Parses a whole message; throws DnsFormatError on anything malformed. */
export function decodeMessage(buf: Buffer): DnsMessage {
  if (buf.length < 12) throw new DnsFormatError('Shorter than a DNS header.');
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)] as const;
  let off = 12;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const { name, end } = readName(buf, off);
    if (end + 4 > buf.length) throw new DnsFormatError('Truncated question.');
    questions.push({ name, type: buf.readUInt16BE(end), class: buf.readUInt16BE(end + 2) });
    off = end + 4;
  }
  const section = (count: number): DnsRecord[] => {
    const out: DnsRecord[] = [];
    for (let i = 0; i < count; i++) {
      const { name, end } = readName(buf, off);
      if (end + 10 > buf.length) throw new DnsFormatError('Truncated record header.');
      const len = buf.readUInt16BE(end + 8);
      if (end + 10 + len > buf.length) throw new DnsFormatError('Record data runs past the message.');
      out.push({
        name,
        type: buf.readUInt16BE(end),
        class: buf.readUInt16BE(end + 2),
        ttl: buf.readUInt32BE(end + 4),
        data: buf.subarray(end + 10, end + 10 + len),
      });
      off = end + 10 + len;
    }
    return out;
  };
  const answers = section(counts[1]);
  const authorities = section(counts[2]);
  const additionals = section(counts[3]);
  return { id: buf.readUInt16BE(0), flags: buf.readUInt16BE(2), questions, answers, authorities, additionals };
}

export const rcodeOf = (m: DnsMessage) => m.flags & 0x000f;
export const RCODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(RCODE).map(([k, v]) => [v, k]));

/**
 * A recursive query (RD) for one name and type, with EDNS0 (1232-byte UDP answers, the DNS flag
 * day 2020 size) and the DO bit, and the AD bit set so that a validating resolver says whether it
 * validated the answer (RFC 6840 section 5.7). `cd`: ask the resolver not to validate.
 */
export function buildQuery(id: number, name: string, type: number, opts: { cd?: boolean } = {}): Buffer {
  return encodeMessage({
    id,
    flags: FLAG.RD | FLAG.AD | (opts.cd ? FLAG.CD : 0),
    questions: [{ name, type, class: 1 }],
    answers: [],
    authorities: [],
    additionals: [{ name: '', type: RR.OPT, class: 1232, ttl: EDNS_DO, data: Buffer.alloc(0) }],
  });
}

// --- DNSSEC record data (RFC 4034) --------------------------------------------------------------

export interface DsData {
  keyTag: number;
  algorithm: number;
  digestType: number;
}

export function readDs(data: Buffer): DsData {
  if (data.length < 5) throw new DnsFormatError('DS record shorter than its fixed part.');
  return { keyTag: data.readUInt16BE(0), algorithm: data[2]!, digestType: data[3]! };
}

export interface DnskeyData {
  flags: number;
  protocol: number;
  algorithm: number;
  /** Secure entry point (bit 15, usually the key-signing key). */
  sep: boolean;
}

export function readDnskey(data: Buffer): DnskeyData {
  if (data.length < 5) throw new DnsFormatError('DNSKEY record shorter than its fixed part.');
  const flags = data.readUInt16BE(0);
  return { flags, protocol: data[2]!, algorithm: data[3]!, sep: (flags & 0x0001) === 1 };
}

/** The type an RRSIG covers (its first two octets). */
export function rrsigCovers(data: Buffer): number {
  if (data.length < 18) throw new DnsFormatError('RRSIG record shorter than its fixed part.');
  return data.readUInt16BE(0);
}
