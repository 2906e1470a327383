import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '#server/http-types.ts';
import type { Ctx } from '#server/context.ts';
import { AppError, badRequest, notFound } from '#server/errors.ts';
import { handleError } from '#server/http-errors.ts';
import { CVD_PARTY_STATUSES } from '#db/schema-cvd.ts';
import type { StoredFile } from '#modules/incidents/evidence-store.ts';
import { activeSigningKey } from '#modules/keys/signing-key.service.ts';
import * as repo from './cvd.repository.ts';
import { sendAttachment } from './cvd.routes.ts';
import { Language, ReplyInput } from './cvd.schema.ts';
import { checkReport, submitReport } from './intake.service.ts';
import { linkAttachment, linkConsent, linkReply, linkStatus, linkView } from './party.service.ts';
import { partyForToken } from './finder-link.ts';
import { MAX_ATTACHMENTS, discardAttachments } from './attachments.ts';
import { assertSameOrigin, checkTicket, formRateLimit, formRejected, honeypotFilled, issueTicket, linkRateLimit, spendTicket } from './form-guard.ts';
import {
  REPORT_FIELDS,
  ReportForm,
  decryptReport,
  encryptedMaxBytes,
  issuesOf,
  issuesOfError,
  keptValues,
  readForm,
  reportFromForm,
  storeDecrypted,
  validationFailed,
  type FormContent,
  type FieldIssue,
} from './report-crypto.ts';
import { renderAcknowledgements, renderCase, renderForm, renderMessage, renderNotFound, renderSubmitted, type AckRow } from './public-pages.ts';
import { TEXT, issueMessage, type Lang } from './public-pages-text.ts';

/*
 * The public, account-less side of CVD: the report form (/cvd), the finder's and outside parties'
 * private-link pages (/cvd/case/:token), the CERT key, the acknowledgements. Server-rendered HTML
 * that works without JavaScript; an encapsulated plugin because it brings its own body parsers
 * (multipart, urlencoded) and its own error pages.
 */

const PUBLIC = { access: { auth: 'public', permission: 'none' } } as const;
const tags = ['public'];
const LangQuery = z.object({ lang: Language.optional() }).strict();
const FormQuery = z.object({ lang: Language.optional(), org: z.uuid('The org parameter is an organisation id (a UUID).').optional() }).strict();
// Any string: a malformed token must take the same (slow) path to the same 404 as a wrong one.
const TokenParams = z.object({ token: z.string().max(512) }).strict();
const CaseQuery = z.object({ lang: Language.optional(), sent: z.enum(['message', 'consent', 'status']).optional() }).strict();
const AttachmentParams = z.object({ token: z.string().max(512), attachmentId: z.string().max(100) }).strict();
const AssetQuery = z
  .object({
    v: z
      .string()
      .regex(/^[0-9a-f]{16}$/, 'The asset version is 16 hex digits.')
      .optional(),
  })
  .strict();
const ReplyForm = z.object({ body: z.string().optional() }).strict();
const ConsentForm = z.object({ sharesIdentity: z.enum(['true', 'false'], 'Choose yes or no.') }).strict();
const StatusForm = z.object({ status: z.enum(CVD_PARTY_STATUSES, 'Choose one of the statuses.') }).strict();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------
// Static assets: our form script and the OpenPGP.js browser build, versioned by content hash so
// they can be cached for a year.

type AssetName = 'cvd-form.js' | 'openpgp.min.mjs';
const ASSET_PATHS: Record<AssetName, () => string> = {
  'cvd-form.js': () => fileURLToPath(new URL('./browser/cvd-form.js', import.meta.url)),
  // The package's exports do not list the browser build; it lies beside the Node build they resolve to.
  'openpgp.min.mjs': () => path.join(path.dirname(createRequire(import.meta.url).resolve('openpgp')), '..', 'openpgp.min.mjs'),
};
const assets = new Map<AssetName, Promise<{ body: Buffer; version: string }>>();

function asset(name: AssetName) {
  let a = assets.get(name);
  if (!a) {
    a = readFile(ASSET_PATHS[name]()).then((body) => ({ body, version: createHash('sha256').update(body).digest('hex').slice(0, 16) }));
    a.catch(() => assets.delete(name));
    assets.set(name, a);
  }
  return a;
}

const assetUrl = async (name: AssetName) => `/cvd/assets/${name}?v=${(await asset(name)).version}`;

// ---------------------------------------------------------------------------------------------

const wantsHtml = (req: FastifyRequest) => (req.headers.accept ?? '').includes('text/html');
/** The page language before the query is validated (error pages of hooks that run earlier). */
const queryLang = (req: FastifyRequest): Lang => ((req.query as { lang?: unknown } | undefined)?.lang === 'en' ? 'en' : 'nl');

function html(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** The CERT key for the form, or null when there is none yet (the form then works without encryption). */
async function formKey(ctx: Ctx): Promise<{ fingerprint: string; armored: string } | null> {
  try {
    const k = await activeSigningKey(ctx);
    return { fingerprint: k.fingerprint, armored: k.publicKeyArmored };
  } catch (err) {
    if (err instanceof AppError && err.code === 'signing_key_missing') return null;
    throw err;
  }
}

interface FormState {
  lang: Lang;
  values: Partial<Record<string, string>>;
  issues: FieldIssue[];
  hadFiles?: boolean;
  wasEncrypted?: boolean;
}

async function sendForm(req: FastifyRequest, reply: FastifyReply, status: number, s: FormState) {
  const { config } = req.ctx.services;
  const page = renderForm({
    ...s,
    ticket: await issueTicket(req.ctx, s.lang),
    key: await formKey(req.ctx),
    limits: { maxFiles: MAX_ATTACHMENTS, maxBytes: config.cvd.attachmentMaxBytes, encryptedMaxBytes: encryptedMaxBytes(config.cvd) },
    intakeAddress: config.cvd.intakeAddress,
    assets: { script: await assetUrl('cvd-form.js'), openpgp: await assetUrl('openpgp.min.mjs') },
  });
  return html(reply, status, page);
}

// ---------------------------------------------------------------------------------------------

export async function publicCvdRoutes(app: App): Promise<void> {
  // Limits that depend on the configuration are given per request (readForm).
  await app.register(multipart, { throwFileSizeLimit: false, limits: { fieldNameSize: 100, fields: 40, parts: 60, headerPairs: 100 } });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const fields = new Map<string, string | string[]>();
    for (const [k, v] of new URLSearchParams(body as string)) {
      const prev = fields.get(k);
      fields.set(k, prev === undefined ? v : [...[prev].flat(), v]);
    }
    done(null, Object.fromEntries(fields));
  });

  // Forms that change something must come from our own pages (see assertSameOrigin for why and how).
  app.addHook('onRequest', async (req) => {
    if (req.method === 'POST') assertSameOrigin(req, req.ctx.services.config.publicUrl);
  });
  // Pages with a ticket, a private link or a case on them: never cached, never indexed, never leaked through Referer.
  app.addHook('onSend', async (req, reply) => {
    const p = req.url.split('?')[0] ?? '';
    if (p === '/cvd' || p.startsWith('/cvd/case/')) {
      void reply.header('cache-control', 'no-store');
      void reply.header('referrer-policy', 'no-referrer');
      void reply.header('x-robots-tag', 'noindex, nofollow');
    }
  });

  // People get a page in their language; programs the API's error shape.
  app.setErrorHandler(async (error: FastifyError | AppError | Error, req, reply) => {
    if (!wantsHtml(req)) return handleError(error, req, reply);
    const lang = queryLang(req);
    const t = TEXT[lang];
    const fe = error as FastifyError;
    const err: AppError | null =
      error instanceof AppError
        ? error
        : hasZodFastifySchemaValidationErrors(error)
          ? badRequest('validation_failed', error.validation[0]?.message ?? 'The request is not valid.')
          : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? new AppError('unsupported_media_type', 'cvd_form_media_type', 'Send the form from its page.')
            : fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
              ? new AppError('payload_too_large', 'cvd_form_too_large', 'The form is too large.')
              : fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500
                ? new AppError('bad_request', 'bad_request', 'The request is not valid.')
                : null;
    if (!err) {
      req.log.error({ err: error }, 'unhandled error on a public CVD page');
      return html(
        reply,
        500,
        renderMessage(
          lang,
          t.errorTitle,
          `${lang === 'nl' ? 'Er ging bij ons iets mis. Noem bij een melding hierover code' : 'Something went wrong on our side. Quote'} ${req.id}.`,
        ),
      );
    }
    if (err.kind === 'not_found') return html(reply, 404, renderNotFound(lang));
    if (err.code === 'cvd_rate_limited') {
      const seconds = err.retryAfterSeconds ?? 60;
      void reply.header('retry-after', String(seconds));
      return html(reply, 429, renderMessage(lang, t.rateLimitedTitle, t.rateLimited(Math.max(1, Math.ceil(seconds / 60))), { code: err.code }));
    }
    const field = (err.details as { field?: unknown } | undefined)?.field;
    const message = issueMessage(lang, { field: typeof field === 'string' ? field : null, code: err.code, message: err.message });
    // Back to the case page the request came from, or to the form.
    const casePage = /^\/cvd\/case\/[A-Za-z0-9_-]{43}/.exec(req.url)?.[0];
    const backHref = `${casePage ?? '/cvd'}${lang === 'en' ? '?lang=en' : ''}`;
    return html(reply, err.status, renderMessage(lang, t.errorTitle, message, { code: err.code, backHref, backLabel: casePage ? t.backToCase : t.back }));
  });

  // --- the form --------------------------------------------------------------------------------

  app.get(
    '/cvd',
    { config: PUBLIC, schema: { tags, summary: 'The vulnerability report form (works without JavaScript)', querystring: FormQuery } },
    async (req, reply) =>
      sendForm(req, reply, 200, { lang: req.query.lang ?? 'nl', values: req.query.org ? { organisationId: req.query.org } : {}, issues: [] }),
  );

  app.post(
    '/cvd',
    {
      config: { ...PUBLIC, rateLimit: formRateLimit() },
      schema: { tags, summary: 'Send a vulnerability report (multipart/form-data or urlencoded; optionally encrypted in the browser)', querystring: LangQuery },
    },
    async (req, reply) => {
      const { ctx } = req;
      let lang: Lang = req.query.lang ?? 'nl';
      let encrypted = false;
      const form: FormContent = { fields: {}, files: [], hadFiles: false };
      const stored: StoredFile[] = [];
      try {
        await readForm(req, encryptedMaxBytes(ctx.services.config.cvd), form);
        stored.push(...form.files);
        const parsed = ReportForm.safeParse(form.fields);
        if (!parsed.success) throw validationFailed(issuesOf(parsed.error));
        const f = parsed.data;
        lang = f.lang ?? lang;
        if (honeypotFilled(f.homepage)) throw formRejected();
        const ticket = await checkTicket(ctx, f.ticket);

        let report;
        let files = form.files;
        if (f.encrypted) {
          encrypted = true;
          // The browser sends the encrypted message instead of the fields; plaintext beside it means something went wrong there.
          if (files.length || REPORT_FIELDS.some((k) => (f[k] ?? '').trim() !== ''))
            throw badRequest('cvd_encrypted_mixed', 'Send either the encrypted report or the form fields, not both.', { field: 'encrypted' });
          const d = await decryptReport(ctx, f.encrypted);
          report = d.report;
          files = await storeDecrypted(ctx, d.files, stored);
        } else {
          const r = reportFromForm(f);
          if (!r.ok) throw validationFailed(r.issues);
          report = r.report;
        }
        checkReport(report);
        await spendTicket(ctx, ticket);
        // An account the browser happens to be logged in with is not the finder: the report is not tied to it.
        const s = await submitReport({ ...ctx, actor: null }, report, files, { intake: 'form', encrypted });
        // The case holds the files now: nothing after this point may discard them.
        stored.length = 0;
        const due = (await repo.findCase(ctx.db, s.id))?.first_response_due.toISOString() ?? null;
        if (!wantsHtml(req)) return reply.status(201).send({ reference: s.reference, link: s.link, token: s.token });
        // The link carries no language: its page speaks the one the finder chose, stored on their party row.
        return html(
          reply,
          201,
          renderSubmitted(lang, { reference: s.reference, link: s.link, withMail: report.finderEmail !== undefined, firstResponseDue: due }),
        );
      } catch (err) {
        await discardAttachments(ctx.services, stored);
        if (!(err instanceof AppError) || !wantsHtml(req) || err.status >= 500 || err.kind === 'too_many_requests') throw err;
        if (err.code === 'cvd_form_rejected') return html(reply, 400, renderMessage(lang, TEXT[lang].errorTitle, TEXT[lang].rejected, { code: err.code }));
        // Shown again with what was typed (never what was encrypted: that stays out of responses) and a fresh ticket.
        const values = encrypted ? {} : keptValues(form.fields);
        return sendForm(req, reply, err.status, { lang, values, issues: issuesOfError(err), hadFiles: form.hadFiles, wasEncrypted: encrypted });
      }
    },
  );

  app.get('/cvd/pgp-key.asc', { config: PUBLIC, schema: { tags, summary: 'The CERT’s public OpenPGP key for encrypting reports' } }, async (req, reply) => {
    const key = await activeSigningKey(req.ctx);
    void reply.header('cache-control', 'public, max-age=300');
    void reply.header('content-disposition', `inline; filename="${key.fingerprint}.asc"`);
    return reply.type('application/pgp-keys').send(key.publicKeyArmored);
  });

  app.get(
    '/cvd/assets/:name',
    {
      config: PUBLIC,
      schema: {
        tags,
        summary: 'Scripts of the report form (encryption in the browser)',
        params: z.object({ name: z.enum(['cvd-form.js', 'openpgp.min.mjs']) }).strict(),
        querystring: AssetQuery,
      },
    },
    async (req, reply) => {
      const a = await asset(req.params.name);
      // Versioned URLs (?v=<hash>) never change content; an unversioned request gets a short cache.
      void reply.header('cache-control', req.query.v === a.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      void reply.header('x-content-type-options', 'nosniff');
      return reply.type('text/javascript; charset=utf-8').send(a.body);
    },
  );

  app.get(
    '/cvd/acknowledgements',
    { config: PUBLIC, schema: { tags, summary: 'Researchers credited for disclosed vulnerabilities', querystring: LangQuery } },
    async (req, reply) => {
      const lang = req.query.lang ?? 'nl';
      const rows: AckRow[] = (await repo.acknowledgements(req.ctx.db)).map((r) => {
        // Only advisories anyone may read are linked; the case title is shown only beside such a link,
        // since it was written for the CERT and may name a participant's system.
        const href =
          r.advisory_tlp === 'CLEAR' && r.advisory_status === 'published' && r.advisory_identifier
            ? `/public/advisories/${encodeURIComponent(r.advisory_identifier)}${lang === 'en' ? '?lang=en' : ''}`
            : null;
        return {
          name: (r.credit === 'name' || r.credit === 'alias') && r.credit_name ? r.credit_name : null,
          reference: r.reference,
          title: href ? r.title : null,
          cveId: r.cve_id,
          disclosedAt: r.disclosed_at?.toISOString() ?? null,
          advisoryHref: href,
        };
      });
      void reply.header('cache-control', 'public, max-age=300');
      return html(reply, 200, renderAcknowledgements(lang, rows));
    },
  );

  // --- the private link --------------------------------------------------------------------------

  const LINK = { ...PUBLIC, rateLimit: linkRateLimit() };

  async function sendCase(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    lang: Lang,
    status: number,
    extra: { issues?: FieldIssue[]; replyText?: string; notice?: 'message' | 'consent' | 'status' } = {},
  ) {
    const link = await linkView(req.ctx, token);
    return html(
      reply,
      status,
      renderCase({
        lang,
        token,
        link,
        issues: extra.issues ?? [],
        ...(extra.replyText !== undefined && { replyText: extra.replyText }),
        ...(extra.notice && { notice: extra.notice }),
      }),
    );
  }

  /** After a change: back to the page (303, so a reload does not post again). */
  const backTo = (reply: FastifyReply, token: string, lang: Lang | undefined, sent: string) =>
    reply.redirect(`/cvd/case/${token}?${new URLSearchParams({ ...(lang && { lang }), sent }).toString()}#${sent === 'message' ? 'messages' : 'main'}`, 303);

  /** A failed change on the case page: shown there with the error, for people; the error shape for programs. */
  async function caseFailure(req: FastifyRequest, reply: FastifyReply, token: string, lang: Lang, err: unknown, replyText?: string) {
    if (!(err instanceof AppError) || !wantsHtml(req) || err.status >= 500 || err.kind === 'not_found' || err.kind === 'too_many_requests') throw err;
    return sendCase(req, reply, token, lang, err.status, { issues: issuesOfError(err), ...(replyText !== undefined && { replyText }) });
  }

  app.get(
    '/cvd/case/:token',
    { config: LINK, schema: { tags, summary: 'A case through its private link (finder or outside party)', params: TokenParams, querystring: CaseQuery } },
    async (req, reply) => {
      const party = await partyForToken(req.ctx.db, req.params.token);
      return sendCase(req, reply, req.params.token, req.query.lang ?? party.language, 200, req.query.sent ? { notice: req.query.sent } : {});
    },
  );

  app.post(
    '/cvd/case/:token/messages',
    {
      config: LINK,
      schema: { tags, summary: 'Write to the CERT through the private link (text and files, multipart)', params: TokenParams, querystring: LangQuery },
    },
    async (req, reply) => {
      const { token } = req.params;
      // The token first: nothing is read or stored for a link that leads nowhere.
      const party = await partyForToken(req.ctx.db, token);
      const lang = req.query.lang ?? party.language;
      const form: FormContent = { fields: {}, files: [], hadFiles: false };
      try {
        await readForm(req, 128 * 1024, form);
        const parsed = ReplyForm.safeParse(form.fields);
        if (!parsed.success) throw validationFailed(issuesOf(parsed.error));
        const body = ReplyInput.safeParse({ body: parsed.data.body ?? '' });
        if (!body.success) throw validationFailed(issuesOf(body.error));
        await linkReply(req.ctx, token, body.data.body, form.files);
      } catch (err) {
        await discardAttachments(req.ctx.services, form.files);
        const typed = form.fields.body;
        return caseFailure(req, reply, token, lang, err, typeof typed === 'string' ? typed : undefined);
      }
      return backTo(reply, token, req.query.lang, 'message');
    },
  );

  app.post(
    '/cvd/case/:token/consent',
    {
      config: LINK,
      schema: {
        tags,
        summary: 'Agree (or no longer) that the other side may learn who you are',
        params: TokenParams,
        querystring: LangQuery,
        body: ConsentForm,
      },
    },
    async (req, reply) => {
      const { token } = req.params;
      const party = await partyForToken(req.ctx.db, token);
      try {
        await linkConsent(req.ctx, token, req.body.sharesIdentity === 'true');
      } catch (err) {
        return caseFailure(req, reply, token, req.query.lang ?? party.language, err);
      }
      return backTo(reply, token, req.query.lang, 'consent');
    },
  );

  app.post(
    '/cvd/case/:token/status',
    {
      config: LINK,
      schema: { tags, summary: 'An outside party records its remediation status', params: TokenParams, querystring: LangQuery, body: StatusForm },
    },
    async (req, reply) => {
      const { token } = req.params;
      const party = await partyForToken(req.ctx.db, token);
      try {
        await linkStatus(req.ctx, token, { status: req.body.status });
      } catch (err) {
        return caseFailure(req, reply, token, req.query.lang ?? party.language, err);
      }
      return backTo(reply, token, req.query.lang, 'status');
    },
  );

  app.get(
    '/cvd/case/:token/attachments/:attachmentId',
    { config: LINK, schema: { tags, summary: 'Download an attachment of the case (always as a download)', params: AttachmentParams, querystring: LangQuery } },
    async (req, reply) => {
      const { token, attachmentId } = req.params;
      if (!UUID.test(attachmentId)) {
        // Not an id at all: the token still decides how slowly "not found" comes back.
        await partyForToken(req.ctx.db, token);
        throw notFound('attachment');
      }
      return sendAttachment(reply, await linkAttachment(req.ctx, token, attachmentId));
    },
  );
}
