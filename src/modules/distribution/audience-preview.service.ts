import type { Ctx } from '#server/context.ts';
import { notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { parseStoredContent } from '#modules/advisories/advisory.service.ts';
import { computeRelevantOrganisations } from '#modules/advisories/relevance.service.ts';
import * as productRepo from '#modules/advisories/advisory.repository.ts';
import { resolveAudience } from './delivery.service.ts';

/**
 * "312 contacts in 96 organisations; 41 encrypted": who the product's next publication would reach,
 * resolved exactly as publication will resolve it, shown to the analyst before approving.
 */
export async function previewAudience(ctx: Ctx, idOrIdentifier: string) {
  authorize(ctx.actor, 'distribution:read');
  const id = await productRepo.resolveProductId(ctx.db, idOrIdentifier);
  if (!id) throw notFound('product');
  const p = await productRepo.findProduct(ctx.db, id);
  if (!p) throw notFound('product');
  const content = parseStoredContent(p.draft_content);
  const audience = await resolveAudience(ctx, {
    productId: p.id,
    kind: p.kind,
    tlp: p.draft_tlp,
    ownerOrganisationId: p.owner_organisation_id,
    recipients: p.draft_recipients,
    relevantOrganisationIds: await computeRelevantOrganisations(ctx, content),
  });
  const byOrganisation = new Map<string, { organisationId: string; organisationName: string; contacts: number; encrypted: number; held: number }>();
  for (const c of audience.contacts) {
    const o = byOrganisation.get(c.organisation_id) ?? { organisationId: c.organisation_id, organisationName: c.organisation_name, contacts: 0, encrypted: 0, held: 0 };
    o.contacts++;
    if (c.encrypt) o.encrypted++;
    if (c.held) o.held++;
    byOrganisation.set(c.organisation_id, o);
  }
  return {
    tlp: p.draft_tlp,
    kind: p.kind,
    encryptionRequired: audience.encryptionRequired,
    summary: audience.summary,
    organisations: [...byOrganisation.values()],
    contacts: audience.contacts.slice(0, 5000).map((c) => ({
      contactId: c.contact_id,
      organisationId: c.organisation_id,
      organisationName: c.organisation_name,
      name: c.name,
      email: c.email,
      languages: c.mailLanguages,
      encrypted: c.encrypt,
      held: c.held,
      failing: c.email_failing_since !== null,
    })),
  };
}
