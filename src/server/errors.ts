/**
 * Typed errors with stable codes. Services throw these; one table maps a code's kind to an HTTP
 * status, so no service knows about HTTP and no client ever parses a message.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'not_acceptable'
  | 'conflict'
  | 'gone'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable';

const statusByKind: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  not_acceptable: 406,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable, machine-readable, e.g. `organisation_not_found`. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return statusByKind[this.kind];
  }
}

export const notFound = (what: string): AppError =>
  new AppError('not_found', `${what}_not_found`, `That ${what.replace(/_/g, ' ')} does not exist or you may not see it.`);

export const forbidden = (message = 'You are not allowed to do this.'): AppError =>
  new AppError('forbidden', 'forbidden', message);

export const badRequest = (code: string, message: string, details?: unknown): AppError =>
  new AppError('bad_request', code, message, details);

export const conflict = (code: string, message: string, details?: unknown): AppError =>
  new AppError('conflict', code, message, details);

/** The one error shape every API response uses. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
