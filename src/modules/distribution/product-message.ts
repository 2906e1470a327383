import type { Ctx } from '#server/context.ts';
import { markdownToText } from '#lib/markdown.ts';
import { parseStoredContent } from '#modules/advisories/advisory.service.ts';
import { portalUrl } from '#modules/advisories/publication.service.ts';
import { certOrganisation } from '#modules/advisories/advisory.repository.ts';
import type { Language, ProductMailInput } from './templates/product-mail.ts';
import * as repo from './delivery.repository.ts';

/** A failure no retry can mend (the row is given up at once). */
export class PermanentFailure extends Error {
  readonly permanent = true;
}

export interface ProductMessage {
  input: ProductMailInput;
  ownerOrganisationId: string;
  summary: string;
}

/** What every channel (mail, webhook) says about one published revision, read from what was frozen. */
export async function loadProductMessage(ctx: Ctx, productId: string, revision: number): Promise<ProductMessage> {
  const row = await repo.revisionForMail(ctx.db, productId, revision);
  if (!row || !row.identifier) throw new PermanentFailure(`Product ${productId} revision ${revision} does not exist.`);
  const content = parseStoredContent(row.content);
  const html = row.html as { nl: { body: string; advice: string }; en: { body: string; advice: string } | null };
  const cert = await certOrganisation(ctx.db);
  const text = (lang: Language) => {
    const t = lang === 'nl' ? content.nl : content.en;
    const h = lang === 'nl' ? html.nl : html.en;
    if (!t || !h) return null;
    return { title: t.title, summary: t.summary, bodyHtml: h.body, adviceHtml: h.advice, bodyText: markdownToText(t.body), adviceText: markdownToText(t.advice) };
  };
  return {
    ownerOrganisationId: row.owner_organisation_id,
    summary: content.nl.summary,
    input: {
      kind: row.kind,
      identifier: row.identifier,
      revision: row.revision,
      tlp: row.tlp,
      urgency: content.urgency,
      cves: [...new Set(content.vulnerabilities.map((v) => v.cve).filter((c): c is string => !!c))],
      changeSummary: row.change_summary,
      withdrawnReason: row.change_summary.startsWith('Withdrawn: ') ? row.change_summary.slice('Withdrawn: '.length) : null,
      publishedAt: row.published_at,
      portalUrl: portalUrl(ctx, row.identifier),
      preferencesUrl: `${ctx.services.config.publicUrl}/account`,
      certName: cert?.name ?? 'CERT',
      text: { nl: text('nl'), en: text('en') },
    },
  };
}
