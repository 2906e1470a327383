import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { recordDenied } from '#modules/audit/audit.service.ts';
import { AppError, type ErrorBody } from './errors.ts';

// Fastify's own errors that are the client's fault, with our stable codes and words a person can act on.
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is empty; send a JSON object.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length', message: 'The Content-Length header does not match the body.' },
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', message: 'The URL is not valid.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', message: 'A part of the URL is too long.' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'bad_request', message: 'The request could not be routed.' },
};

/**
 * A PostgreSQL "data exception" (SQLSTATE class 22): a value the database cannot take, such as a NUL
 * character in text, a date out of its range or a malformed uuid. It comes from what the client sent.
 */
function isDataException(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code) && typeof e.severity === 'string';
}

/** A unique constraint hit by two requests racing past the same duplicate check (SQLSTATE 23505). */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown };
  return e.code === '23505' && typeof e.severity === 'string';
}

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** The one error handler: every failure becomes `{ error: { code, message, details } }`, never a stack trace. */
export async function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (error instanceof AppError) {
    if (error.kind === 'forbidden' && request.ctx) {
      await recordDenied(request.ctx, `${request.method} ${request.routeOptions.url ?? request.url}`, null, null, error.message).catch((e: unknown) =>
        request.log.error({ err: e }, 'could not audit a denied request'),
      );
    }
    if (error.retryAfterSeconds) void reply.header('retry-after', String(error.retryAfterSeconds));
    await reply.status(error.status).send(body(error.code, error.message, error.details));
    return;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      field: [v.instancePath.replace(/^\//, '').replace(/\//g, '.'), (v.params as { issue?: { path?: unknown[] } }).issue?.path?.join('.')].filter(Boolean).join('.') || null,
      in: (error as { validationContext?: string }).validationContext ?? 'body',
      message: v.message ?? 'Invalid value.',
    }));
    const first = issues[0];
    await reply
      .status(400)
      .send(body('validation_failed', first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : 'The request is not valid.', { issues }));
    return;
  }
  if (isUniqueViolation(error)) {
    await reply.status(409).send(body('conflict', 'This already exists (it was created a moment ago); reload and check.'));
    return;
  }
  if (isDataException(error)) {
    request.log.info({ err: error }, 'the database refused a value from the request');
    await reply.status(400).send(body('invalid_value', 'A value in the request cannot be stored or searched for (for example a NUL character, or a date out of range).'));
    return;
  }
  const fastifyError = error as FastifyError;
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) {
    await reply.status(known.status).send(body(known.code, known.message));
    return;
  }
  if (fastifyError.statusCode === 429) {
    await reply.status(429).send(body('rate_limited', 'Too many requests; slow down and try again shortly.'));
    return;
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    await reply.status(fastifyError.statusCode).send(body('bad_request', 'The request is not valid.'));
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  await reply.status(500).send(body('internal_error', `Something went wrong on our side. Quote request id ${request.id} when you report it.`));
}
