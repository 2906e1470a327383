import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Outgoing HTTP to addresses that users typed in (webhooks, blocklist feeds, checks of declared domains): guarded against server-side request
 * forgery. Every address a name resolves to must be public unicast, checked at connect time (so a
 * name that resolves differently later, DNS rebinding, is caught too); loopback, private,
 * link-local, unique-local, CGNAT, multicast and reserved ranges are refused unless an
 * administrator allowed that exact host. Redirects are never followed.
 */

export class UnsafeTargetError extends Error {
  readonly permanent = true;
}

/** Why an address may not be contacted, or null when it may. */
export function forbiddenAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  return range === 'unicast' ? null : `${address} is a ${range} address`;
}

export function hostKey(url: URL): string[] {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return url.port ? [host, `${host}:${url.port}`] : [host];
}

export function isAllowedHost(url: URL, allowedHosts: readonly string[]): boolean {
  return hostKey(url).some((h) => allowedHosts.includes(h));
}

/** Checks a URL as typed: http(s) only, no credentials, and a literal IP must be public unless allowed. */
export function checkTargetUrl(raw: string, allowedHosts: readonly string[]): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'This is not a URL.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'Only https:// URLs are allowed.' };
  if (url.username || url.password) return { ok: false, reason: 'Put no user name or password in the URL; use the secret instead.' };
  const allowed = isAllowedHost(url, allowedHosts);
  if (url.protocol === 'http:' && !allowed) return { ok: false, reason: 'Only https:// URLs are allowed (an administrator can allow a plain-http host).' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowed && ipaddr.isValid(host)) {
    const reason = forbiddenAddressReason(host);
    if (reason) return { ok: false, reason: `The address is not public (${reason}); an administrator can allow this exact host.` };
  }
  if (!allowed && /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host)) return { ok: false, reason: `${host} is a local name; an administrator can allow this exact host.` };
  return { ok: true, url };
}

/** Resolves a name to its addresses (e.g. through a configured resolver instead of the system's). */
export type AddressResolver = (hostname: string) => Promise<string[]>;

/**
 * A connect-time lookup: through the system (or the given resolver), refusing any answer that is not
 * public unicast when `guard` is on.
 */
export function makeLookup(resolve?: AddressResolver, guard = true): LookupFunction {
  return (hostname, options, callback) => {
    const done = (err: Error | null, list: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      if (!list.length) return callback(Object.assign(new Error(`${hostname} has no address.`), { code: 'ENOTFOUND' }), '', 0);
      if (guard) {
        for (const a of list) {
          const reason = forbiddenAddressReason(a.address);
          if (reason) return callback(new UnsafeTargetError(`${hostname} resolves to a forbidden address: ${reason}.`), '', 0);
        }
      }
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    };
    if (ipaddr.isValid(hostname)) return done(null, [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }]);
    if (resolve) {
      resolve(hostname).then(
        (addrs) => done(null, addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))),
        (err: Error) => done(err, []),
      );
      return;
    }
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => done(err, addresses ?? []));
  };
}

const guardedLookup: LookupFunction = makeLookup();

export interface PostResult {
  status: number;
  body: string;
}

/** An address written in the URL itself is checked before connecting (names are checked at connect time). */
function literalTargetRefusal(url: URL, allowedHosts: readonly string[]): UnsafeTargetError | null {
  if (isAllowedHost(url, allowedHosts)) return null;
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  const reason = ipaddr.isValid(literal) ? forbiddenAddressReason(literal) : null;
  return reason ? new UnsafeTargetError(`Refused: ${reason}.`) : null;
}

/** POSTs a body; resolves with the status (a redirect is a result, not followed), rejects on network errors. */
export function safePost(url: URL, body: string, headers: Record<string, string>, opts: { allowedHosts: readonly string[]; timeoutMs?: number }): Promise<PostResult> {
  const allowed = isAllowedHost(url, opts.allowedHosts);
  const refused = literalTargetRefusal(url, opts.allowedHosts);
  if (refused) return Promise.reject(refused);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Wachtpost-Webhook/1', ...headers },
        lookup: allowed ? undefined : guardedLookup,
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 2000) text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer from ${url.host} within ${(opts.timeoutMs ?? 10_000) / 1000} s.`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The answer was bigger than the caller accepts. */
export class ResponseTooLargeError extends Error {
  readonly permanent = true;
}

export interface GetResult {
  status: number;
  body: Buffer;
  /** The URL finally answered (after same-host redirects). */
  url: URL;
}

export interface SafeGetOptions {
  allowedHosts: readonly string[];
  /** The whole exchange, redirects included. */
  timeoutMs?: number;
  maxBytes?: number;
  /** Redirects followed within the same host (scheme, host and port); one to another host is refused. */
  maxRedirects?: number;
  resolve?: AddressResolver;
  headers?: Record<string, string>;
  /** Extra trust anchors (PEM) for https, e.g. a private CA. */
  ca?: string;
}

const sameOrigin = (a: URL, b: URL) => a.protocol === b.protocol && a.host.toLowerCase() === b.host.toLowerCase();

/**
 * GETs a URL under the same SSRF rules as safePost (checked as typed and again at connect time), with
 * a size limit (announced or streamed) and a time limit for the whole exchange. Redirects are
 * followed only within the same origin; a redirect elsewhere is refused (UnsafeTargetError).
 */
export async function safeGet(raw: string | URL, opts: SafeGetOptions): Promise<GetResult> {
  const checked = checkTargetUrl(String(raw), opts.allowedHosts);
  if (!checked.ok) throw new UnsafeTargetError(checked.reason);
  const first = checked.url;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;
  const deadline = Date.now() + timeoutMs;
  let url = first;
  for (let hop = 0; ; hop++) {
    const res = await getOnce(url, opts, maxBytes, deadline, timeoutMs);
    if (res.status >= 300 && res.status < 400 && res.location !== undefined) {
      let next: URL;
      try {
        next = new URL(res.location, url);
      } catch {
        throw new UnsafeTargetError(`${url.host} redirected to an unreadable location.`);
      }
      if (!sameOrigin(next, first)) throw new UnsafeTargetError(`${url.host} redirected to ${next.protocol}//${next.host}: redirects to another host are not followed.`);
      if (hop >= (opts.maxRedirects ?? 3)) throw new UnsafeTargetError(`${url.host} redirected more than ${opts.maxRedirects ?? 3} times.`);
      url = next;
      continue;
    }
    return { status: res.status, body: res.body, url };
  }
}

function getOnce(
  url: URL,
  opts: SafeGetOptions,
  maxBytes: number,
  deadline: number,
  timeoutMs: number,
): Promise<{ status: number; body: Buffer; location?: string }> {
  const allowed = isAllowedHost(url, opts.allowedHosts);
  const refused = literalTargetRefusal(url, opts.allowedHosts);
  if (refused) return Promise.reject(refused);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const left = Math.max(1, deadline - Date.now());
    const req = client.request(url, {
      method: 'GET',
      headers: { 'user-agent': 'Wachtpost-Monitoring/1', accept: '*/*', ...opts.headers },
      lookup: allowed ? (opts.resolve ? makeLookup(opts.resolve, false) : undefined) : opts.resolve ? makeLookup(opts.resolve) : guardedLookup,
      timeout: left,
      ...(opts.ca && url.protocol === 'https:' ? { ca: opts.ca } : {}),
    });
    const timer = setTimeout(() => req.destroy(new Error(`No complete answer from ${url.host} within ${timeoutMs / 1000} s.`)), left);
    req.on('timeout', () => req.destroy(new Error(`No answer from ${url.host} within ${timeoutMs / 1000} s.`)));
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        clearTimeout(timer);
        return resolve({ status, body: Buffer.alloc(0), location: res.headers.location });
      }
      const announced = Number(res.headers['content-length']);
      if (Number.isFinite(announced) && announced > maxBytes) {
        req.destroy(new ResponseTooLargeError(`${url.host} announced ${announced} bytes; the limit is ${maxBytes}.`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      // A body over the limit fails the request even when its last bytes and 'end' arrive in the
      // same read as the overflow: the flag, not the destroy, decides, and the response (not the
      // finished request) is what gets destroyed.
      let tooLarge: ResponseTooLargeError | null = null;
      res.on('data', (c: Buffer) => {
        if (tooLarge) return;
        size += c.length;
        if (size > maxBytes) {
          tooLarge = new ResponseTooLargeError(`The answer from ${url.host} is larger than the limit of ${maxBytes} bytes.`);
          chunks.length = 0;
          clearTimeout(timer);
          reject(tooLarge);
          res.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(tooLarge ?? err);
      });
      res.on('end', () => {
        clearTimeout(timer);
        if (tooLarge) reject(tooLarge);
        else resolve({ status, body: Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}
