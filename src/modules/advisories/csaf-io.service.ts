import type { Ctx } from '#server/context.ts';
import { AppError, badRequest } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { parseCvss3, parseCvss4 } from '#lib/cvss.ts';
import type { Tlp } from '#lib/tlp.ts';
import { AdvisoryContent, type ProductKind } from './advisory.content.ts';
import { createImported } from './advisory.service.ts';
import { publisherOf, renderHtml } from './publication.service.ts';
import { toCsaf } from './csaf/csaf-export.ts';
import { fromCsaf } from './csaf/csaf-import.ts';
import { validateCsaf } from './csaf/csaf-validate.ts';

/**
 * The editor's live preview and validation panel, and CSAF import. Nothing here writes except the
 * import, which creates a draft and records where it came from.
 */

const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export async function preview(ctx: Ctx, input: { kind: ProductKind; tlp: Tlp; content: unknown }) {
  authorize(ctx.actor, 'advisories:write');
  const parsed = AdvisoryContent.safeParse(input.content);
  if (!parsed.success) {
    return {
      valid: false,
      issues: parsed.error.issues.map((i) => ({ field: ['content', ...i.path.map(String)].join('.'), message: i.message })),
      html: null,
      scores: [],
      csaf: null,
    };
  }
  const content = parsed.data;
  const scores = content.vulnerabilities.map((v, index) => ({
    index,
    cve: v.cve ?? null,
    cvssV3: v.cvssV3 ? parseCvss3(v.cvssV3) : null,
    cvssV4: v.cvssV4 ? parseCvss4(v.cvssV4) : null,
  }));
  const issues = scores.flatMap((s) => [
    ...(s.cvssV3 && !s.cvssV3.ok ? [{ field: `content.vulnerabilities.${s.index}.cvssV3`, message: s.cvssV3.message }] : []),
    ...(s.cvssV4 && !s.cvssV4.ok ? [{ field: `content.vulnerabilities.${s.index}.cvssV4`, message: s.cvssV4.message }] : []),
  ]);
  let csaf: { valid: boolean; failures: { test: string; message: string; path: string }[]; document: unknown } | null = null;
  if (issues.length === 0 && (input.kind === 'advisory' || content.vulnerabilities.length === 0)) {
    const now = new Date().toISOString();
    const document = toCsaf(
      content,
      {
        kind: input.kind,
        identifier: 'PREVIEW-0000',
        tlp: input.tlp,
        revisions: [{ number: 1, date: now, summary: 'Preview.' }],
        initialReleaseDate: now,
        currentReleaseDate: now,
        status: 'final',
        selfUrl: `${ctx.services.config.publicUrl}/advisories/PREVIEW-0000`,
      },
      await publisherOf(ctx),
    );
    const result = await validateCsaf(document);
    csaf = { valid: result.valid, failures: result.failures, document };
  }
  return { valid: issues.length === 0 && (csaf?.valid ?? true), issues, html: renderHtml(content), scores, csaf };
}

async function fetchAllowed(ctx: Ctx, url: string): Promise<unknown> {
  const u = new URL(url);
  const allowed = ctx.services.config.csafImportAllowedHosts;
  if (!allowed.includes(u.hostname.toLowerCase()))
    throw badRequest('import_host_not_allowed', `Importing from ${u.hostname} is not allowed. An administrator can add it to CSAF_IMPORT_ALLOWED_HOSTS.`, { field: 'url' });
  let res: Response;
  try {
    res = await fetch(u, { redirect: 'error', signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } });
  } catch (err) {
    throw new AppError('bad_request', 'import_fetch_failed', `The document could not be fetched: ${err instanceof Error ? err.message : String(err)}.`, { field: 'url' });
  }
  if (!res.ok) throw new AppError('bad_request', 'import_fetch_failed', `The provider answered ${res.status}.`, { field: 'url' });
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'import_too_large', 'The document is larger than 5 MiB.');
  const text = await res.text();
  if (text.length > MAX_IMPORT_BYTES) throw new AppError('payload_too_large', 'import_too_large', 'The document is larger than 5 MiB.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('import_not_json', 'The document at that URL is not JSON.', { field: 'url' });
  }
}

/** A CSAF 2.0 document becomes a draft; an invalid one is refused with the failed tests listed. */
export async function importCsaf(ctx: Ctx, input: { document?: unknown; url?: string | undefined; tlp?: Tlp | undefined }) {
  authorize(ctx.actor, 'advisories:write');
  let document = input.url ? await fetchAllowed(ctx, input.url) : input.document;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document) as unknown;
    } catch {
      throw badRequest('import_not_json', 'The pasted text is not JSON.', { field: 'document' });
    }
  }
  const imported = await fromCsaf(document);
  if (!imported.ok)
    throw badRequest('csaf_invalid', `The document is not valid CSAF 2.0: it fails ${[...new Set(imported.failures.map((f) => f.test))].join(', ')}.`, {
      failures: imported.failures,
    });
  const source = { ...imported.source, ...(input.url ? { url: input.url } : {}), importedAt: new Date().toISOString() };
  const id = await createImported(ctx, { kind: imported.kind, tlp: input.tlp ?? imported.tlp ?? 'AMBER', content: imported.content, source });
  const validation = { valid: true, failures: [], notices: imported.notices };
  return { id, validation };
}
