import { type AddressResolver, safeGet } from '#lib/safe-http.ts';
import type { HttpGet, HttpResponse } from './types.ts';

export interface MakeHttpGetOptions {
  /** Exact hosts ("host" or "host:port") an administrator allowed although they are not public (INTAKE_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** The whole exchange of one GET, redirects included; default 60 s. */
  timeoutMs?: number;
  /** The largest answer taken; default 50 MiB. */
  maxBytes?: number;
  /** Same-origin redirects followed; default 3. */
  maxRedirects?: number;
  /** A resolver instead of the system's (tests, a configured DNS server). */
  resolve?: AddressResolver;
  /** Extra trust anchors (PEM) for https. */
  ca?: string;
}

const USER_AGENT = 'Wachtpost-Intake/1';

/**
 * The HttpGet the intake fetchers are given: `safeGet` with the SSRF rules on (only the allowed
 * hosts may be private), a size and time limit, and redirects followed only within the same origin.
 */
export function makeHttpGet(opts: MakeHttpGetOptions): HttpGet {
  return async (url, headers) => {
    const res = await safeGet(url, {
      allowedHosts: opts.allowedHosts,
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
      ...(opts.maxRedirects !== undefined ? { maxRedirects: opts.maxRedirects } : {}),
      ...(opts.resolve ? { resolve: opts.resolve } : {}),
      ...(opts.ca ? { ca: opts.ca } : {}),
      headers: { 'user-agent': USER_AGENT, ...headers },
    });
    return { status: res.status, body: res.body, url: res.url };
  };
}

/** A fetch that failed, with the address concerned; `status` is set when the server answered. */
export class IntakeFetchError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IntakeFetchError';
  }
}

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');

/**
 * GETs `url` and returns the answer when it is 200–299; otherwise throws an IntakeFetchError that
 * says what (`what`, e.g. "ROLIE feed") could not be fetched, from where, and why.
 */
export async function getOk(get: HttpGet, url: string | URL, what: string, headers?: Record<string, string>): Promise<HttpResponse> {
  const href = String(url);
  let res: HttpResponse;
  try {
    res = await get(url, headers);
  } catch (err) {
    throw new IntakeFetchError(`Could not fetch the ${what} ${href}: ${reasonOf(err)}.`, href, null, { cause: err });
  }
  if (res.status < 200 || res.status > 299) throw new IntakeFetchError(`Could not fetch the ${what} ${href}: the server answered HTTP ${res.status}.`, href, res.status);
  return res;
}

/** GETs and parses JSON; a body that is not JSON is an IntakeFetchError naming the address. */
export async function getJson(get: HttpGet, url: string | URL, what: string): Promise<{ json: unknown; url: URL }> {
  const res = await getOk(get, url, what, { accept: 'application/json' });
  try {
    return { json: JSON.parse(res.body.toString('utf8')) as unknown, url: res.url };
  } catch (err) {
    throw new IntakeFetchError(`The ${what} ${String(url)} is not valid JSON: ${reasonOf(err)}.`, String(url), res.status, { cause: err });
  }
}

/** "…: a.b[2].c: message" for the first few zod issues. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], max = 3): string {
  const parts = issues.slice(0, max).map((i) => {
    const where = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return where ? `${where}: ${i.message}` : i.message;
  });
  const more = issues.length > max ? ` (and ${issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
