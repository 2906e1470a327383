import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Ctx } from '#server/context.ts';
import type { Config } from '#server/config.ts';
import { AppError, badRequest } from '#server/errors.ts';
import { decryptForCert, isUndecryptable } from './mail-crypto.ts';
import type { StoredFile } from '#modules/incidents/evidence-store.ts';
import { MAX_ATTACHMENTS, discardAttachments, storeAttachment } from './attachments.ts';
import type { IncomingAttachment } from './intake.service.ts';
import { ReportInput } from './cvd.schema.ts';

/*
 * The report as it reaches the public form: plain form fields, or one OpenPGP message the finder's
 * browser encrypted to the CERT's key (the report and its files together, so nothing readable
 * crosses the network or a TLS-terminating proxy). Both end up as a ReportInput, checked the same way.
 * Also how the public forms are read (multipart or urlencoded), since the files arrive with them.
 */

/** One problem with what was sent, for the error summary: the field it is about (null: the whole form). */
export interface FieldIssue {
  field: string | null;
  code: string;
  message: string;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.length ? i.path.map(String).join('.') : null, code: 'validation_failed', message: i.message }));
}

/** The API's validation error, with every issue (the HTML form shows each at its field). */
export function validationFailed(issues: FieldIssue[]): AppError {
  const first = issues[0];
  return badRequest('validation_failed', first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : 'The form is not valid.', {
    issues: issues.map((i) => ({ field: i.field, in: 'body', message: i.message })),
  });
}

/** The issues an AppError carries (validation_failed: each; others: their one field). */
export function issuesOfError(err: AppError): FieldIssue[] {
  const d = err.details as { field?: unknown; issues?: { field?: unknown; message?: unknown }[] } | undefined;
  if (err.code === 'validation_failed' && Array.isArray(d?.issues))
    return d.issues.map((i) => ({
      field: typeof i.field === 'string' ? i.field : null,
      code: err.code,
      message: typeof i.message === 'string' ? i.message : err.message,
    }));
  return [{ field: typeof d?.field === 'string' ? d.field : null, code: err.code, message: err.message }];
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** A file name as handed in, reduced to its last path part, without control characters; never empty. */
export function cleanFileName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  return last.replace(CONTROL_CHARACTERS, '').trim().slice(0, 255) || 'attachment';
}

/** The media type as declared (it is only ever shown; files are served as octet-stream downloads). */
export function cleanContentType(type: string | undefined): string {
  const t = (type ?? '').trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(t) ? t : 'application/octet-stream';
}

// ---------------------------------------------------------------------------------------------
// Plain form fields

const field = z.string().optional();
const box = z.enum(['true', 'on'], 'A tick box sends "true" or nothing.').optional();

/** What the public form may send (strings, as browsers send them); ReportInput then checks the values. */
export const ReportForm = z
  .object({
    ticket: field,
    homepage: field,
    lang: z.enum(['nl', 'en'], 'The language is nl or en.').optional(),
    encrypted: field,
    targetKind: field,
    target: field,
    vendor: field,
    product: field,
    model: field,
    version: field,
    title: field,
    description: field,
    steps: field,
    impact: field,
    anonymous: box,
    finderName: field,
    finderEmail: field,
    credit: field,
    creditName: field,
    sharesIdentity: box,
    sharesAttachments: box,
    organisationId: field,
  })
  .strict();
export type ReportForm = z.infer<typeof ReportForm>;

/** The report fields (everything but the form's own: ticket, honeypot, language, encrypted). */
export const REPORT_FIELDS = [
  'targetKind',
  'target',
  'vendor',
  'product',
  'model',
  'version',
  'title',
  'description',
  'steps',
  'impact',
  'anonymous',
  'finderName',
  'finderEmail',
  'credit',
  'creditName',
  'sharesIdentity',
  'sharesAttachments',
  'organisationId',
] as const;

const given = (v: string | undefined): string | undefined => (v !== undefined && v.trim() !== '' ? v.trim() : undefined);

/** The form's fields as a ReportInput (an empty field is a field not given), or the issues. */
export function reportFromForm(f: ReportForm): { ok: true; report: ReportInput } | { ok: false; issues: FieldIssue[] } {
  const parsed = ReportInput.safeParse({
    targetKind: given(f.targetKind),
    target: given(f.target),
    vendor: given(f.vendor),
    product: given(f.product),
    model: given(f.model),
    version: given(f.version),
    title: f.title ?? '',
    description: f.description ?? '',
    steps: f.steps ?? '',
    impact: f.impact ?? '',
    anonymous: f.anonymous !== undefined,
    finderName: given(f.finderName),
    finderEmail: given(f.finderEmail),
    credit: given(f.credit),
    creditName: given(f.creditName),
    sharesIdentity: f.sharesIdentity !== undefined,
    sharesAttachments: f.sharesAttachments !== undefined,
    language: f.lang ?? 'nl',
    organisationId: given(f.organisationId),
  });
  return parsed.success ? { ok: true, report: parsed.data } : { ok: false, issues: issuesOf(parsed.error) };
}

// ---------------------------------------------------------------------------------------------
// Encrypted in the browser

/** The largest armored message taken: room for about three attachments of the maximum size. */
export function encryptedMaxBytes(cvd: Config['cvd']): number {
  return 3 * cvd.attachmentMaxBytes + 1024 * 1024;
}

/** The largest decrypted plaintext read (a compressed message cannot unfold beyond this). */
export function plaintextMaxBytes(cvd: Config['cvd']): number {
  return 4 * cvd.attachmentMaxBytes + 1024 * 1024;
}

const Envelope = z
  .object({
    report: z.record(z.string(), z.unknown()),
    attachments: z
      .array(z.object({ name: z.string().max(1000), type: z.string().max(300).optional(), dataBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/) }).strict())
      .max(MAX_ATTACHMENTS)
      .default([]),
  })
  .strict();

export interface DecryptedFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface DecryptedReport {
  report: ReportInput;
  files: DecryptedFile[];
}

const undecryptable = () =>
  badRequest(
    'cvd_encrypted_invalid',
    'The encrypted report cannot be decrypted or read. Encrypt it to the CERT key offered on the form (/cvd/pgp-key.asc), as JSON {"report": …, "attachments": […]}, and send the armored message; or send the form without encryption.',
    { field: 'encrypted' },
  );

const tooLarge = (limit: number) =>
  new AppError(
    'payload_too_large',
    'cvd_encrypted_too_large',
    `The encrypted report is larger than the ${Math.floor(limit / 1024 / 1024)} MiB it may be once decrypted; leave out large files and send them later in a message.`,
    { field: 'encrypted' },
  );

/**
 * Decrypts a report the finder's browser encrypted to the CERT's key and checks it as the
 * plain form is checked. The decompressed size is capped (maxDecompressedMessageSize), so a small
 * compressed message cannot unfold into gigabytes.
 */
export async function decryptReport(ctx: Ctx, armored: string): Promise<DecryptedReport> {
  const { cvd } = ctx.services.config;
  if (armored.length > encryptedMaxBytes(cvd))
    throw new AppError(
      'payload_too_large',
      'cvd_encrypted_too_large',
      'The encrypted report is too large; leave out large files and send them later in a message.',
      { field: 'encrypted' },
    );
  if (!armored.includes('-----BEGIN PGP MESSAGE-----')) throw undecryptable();
  const limit = plaintextMaxBytes(cvd);
  let plaintext: Uint8Array;
  try {
    // The active key and the retired ones: a form loaded before a key rotation still decrypts.
    plaintext = await decryptForCert(ctx, armored, { maxBytes: limit });
  } catch (err) {
    if (isUndecryptable(err)) throw /decompressed message size/i.test(err.message) ? tooLarge(limit) : undecryptable();
    throw err;
  }
  // An uncompressed message is bounded by the armored size already; this says the same for both.
  if (plaintext.length > limit) throw tooLarge(limit);

  let envelope: z.infer<typeof Envelope>;
  try {
    envelope = Envelope.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)));
  } catch {
    throw undecryptable();
  }
  const report = ReportInput.safeParse(envelope.report);
  if (!report.success) throw validationFailed(issuesOf(report.error));

  const files = envelope.attachments.map((a): DecryptedFile => {
    const data = Buffer.from(a.dataBase64, 'base64');
    if (data.length === 0)
      throw badRequest('cvd_attachment_empty', 'An attached file is empty; leave it out or attach the right file.', { field: 'attachments' });
    if (data.length > cvd.attachmentMaxBytes)
      throw new AppError(
        'payload_too_large',
        'cvd_attachment_too_large',
        `An attachment may be at most ${Math.floor(cvd.attachmentMaxBytes / 1024 / 1024)} MiB; share larger files through a link in your message.`,
        { field: 'attachments', maxBytes: cvd.attachmentMaxBytes },
      );
    return { fileName: cleanFileName(a.name), contentType: cleanContentType(a.type), data };
  });
  return { report: report.data, files };
}

// ---------------------------------------------------------------------------------------------
// Reading a form (the report form and the reply form of the private link): urlencoded, or
// multipart with the files streamed into the attachment store as they arrive

export type Fields = Record<string, string | string[]>;

function multipartError(err: unknown, maxFiles: number): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown }).code;
  if (code === 'FST_FILES_LIMIT')
    return badRequest('cvd_too_many_attachments', `Attach at most ${maxFiles} files; send more in a later message.`, { field: 'attachments' });
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
    return new AppError('payload_too_large', 'cvd_form_too_large', 'The form has too many fields or files.');
  return badRequest('cvd_form_malformed', 'The form arrived damaged or incomplete; send it again from the page.');
}

/** What a form brought: its fields, the files it stored, and whether it came with files at all. */
export interface FormContent {
  fields: Fields;
  files: IncomingAttachment[];
  hadFiles: boolean;
}

/**
 * Reads the form into `into` as it arrives. A file that is refused (too large, one too many) does
 * not stop the reading: the rest of the form is still read, its files skipped, so the fields typed
 * after the file input can be shown again; then the first refusal is thrown. On any failure the
 * files stored so far are removed.
 */
export async function readForm(
  req: FastifyRequest,
  maxFieldBytes: number,
  into: FormContent = { fields: {}, files: [], hadFiles: false },
): Promise<FormContent> {
  const { services } = req.ctx;
  if (!req.isMultipart()) {
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      throw new AppError(
        'unsupported_media_type',
        'cvd_form_media_type',
        'Send the form as multipart/form-data or application/x-www-form-urlencoded, as the page does.',
      );
    into.fields = (req.body ?? {}) as Fields;
    return into;
  }
  const fields = new Map<string, string | string[]>();
  let refused: AppError | undefined;
  try {
    // One more file part than attachments: a file input left empty still sends an (empty) part.
    const limits = { fileSize: services.config.cvd.attachmentMaxBytes + 1, fieldSize: maxFieldBytes, files: MAX_ATTACHMENTS + 1 };
    for await (const part of req.parts({ limits })) {
      if (part.type === 'field') {
        if (part.valueTruncated) throw new AppError('payload_too_large', 'cvd_form_too_large', 'A field of the form is too long.', { field: part.fieldname });
        const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        const prev = fields.get(part.fieldname);
        fields.set(part.fieldname, prev === undefined ? value : [...[prev].flat(), value]);
        continue;
      }
      if (part.fieldname !== 'attachments')
        throw validationFailed([{ field: part.fieldname, code: 'validation_failed', message: 'This form takes files only as "attachments".' }]);
      if (!part.filename || refused) {
        part.file.resume();
        into.hadFiles ||= Boolean(part.filename);
        continue;
      }
      into.hadFiles = true;
      try {
        if (into.files.length >= MAX_ATTACHMENTS) throw multipartError({ code: 'FST_FILES_LIMIT' }, MAX_ATTACHMENTS);
        // The attachment store counts and hashes the bytes and stops past the limit (busboy's is one byte more).
        const stored = await storeAttachment(services, part.file);
        into.files.push({ ...stored, fileName: cleanFileName(part.filename), contentType: cleanContentType(part.mimetype) });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        refused = err;
        part.file.resume();
      }
    }
    if (refused) throw refused;
  } catch (err) {
    await discardAttachments(services, into.files);
    into.files = [];
    // A refused file may leave the rest of the body unreadable; the refusal is what the person must hear.
    throw refused ?? multipartError(err, MAX_ATTACHMENTS);
  } finally {
    // fromEntries defines own properties, so a field named __proto__ stays a field.
    into.fields = Object.fromEntries(fields);
  }
  return into;
}

/** The report's typed values, to show again (strings only; unknown fields dropped). */
export function keptValues(fields: Fields): Partial<Record<string, string>> {
  return Object.fromEntries(REPORT_FIELDS.flatMap((k) => (typeof fields[k] === 'string' ? [[k, fields[k]]] : [])));
}

export async function storeDecrypted(
  ctx: Ctx,
  files: { fileName: string; contentType: string; data: Buffer }[],
  into: StoredFile[],
): Promise<IncomingAttachment[]> {
  const out: IncomingAttachment[] = [];
  for (const f of files) {
    const stored = await storeAttachment(ctx.services, Readable.from([f.data]));
    into.push(stored);
    out.push({ ...stored, fileName: f.fileName, contentType: f.contentType });
  }
  return out;
}
