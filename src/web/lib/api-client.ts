// Thin fetch wrapper for the Wachtpost API: JSON in/out, same-origin cookies, CSRF header on
// every state-changing request, and a typed ApiError for the `{ error: { code, message } }` shape.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toApiError(status: number, body: unknown, fallback: string): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error)) {
    const code = typeof error.code === 'string' ? error.code : `http_${status}`;
    const message = typeof error.message === 'string' ? error.message : fallback;
    return new ApiError(status, code, message, error.details);
  }
  return new ApiError(status, `http_${status}`, fallback);
}

// The token is issued by /auth/me, but the server may also hand it out elsewhere (header or a
// top-level field) during login; picking it up wherever it appears keeps pre-/me POSTs working.
function captureCsrfToken(response: Response, body: unknown): void {
  const header = response.headers.get('x-csrf-token');
  if (header) csrfToken = header;
  if (isRecord(body) && typeof body.csrfToken === 'string') csrfToken = body.csrfToken;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export async function request<T>(
  method: Method,
  path: string,
  options: { query?: Record<string, QueryValue>; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network_error', 'Network error: the server could not be reached.');
  }

  const body = await readBody(response);
  captureCsrfToken(response, body);
  if (!response.ok) {
    throw toApiError(response.status, body, response.statusText || `HTTP ${response.status}`);
  }
  // The server validates its responses against the published schema; re-validating every
  // payload here would duplicate that contract, so the declared type is trusted.
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Record<string, QueryValue>) =>
    request<T>('POST', path, { body: body ?? {}, query }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Cursor-paginated list envelope used by all list endpoints. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
