import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Outgoing HTTP to addresses that users typed in (webhooks): guarded against server-side request
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

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses;
    for (const a of list) {
      const reason = forbiddenAddressReason(a.address);
      if (reason) return callback(new UnsafeTargetError(`${hostname} resolves to a forbidden address: ${reason}.`), '', 0);
    }
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  });
};

export interface PostResult {
  status: number;
  body: string;
}

/** POSTs a body; resolves with the status (a redirect is a result, not followed), rejects on network errors. */
export function safePost(url: URL, body: string, headers: Record<string, string>, opts: { allowedHosts: readonly string[]; timeoutMs?: number }): Promise<PostResult> {
  const allowed = isAllowedHost(url, opts.allowedHosts);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowed && ipaddr.isValid(literal)) {
    const reason = forbiddenAddressReason(literal);
    if (reason) return Promise.reject(new UnsafeTargetError(`Refused: ${reason}.`));
  }
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
