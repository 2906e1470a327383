import type { Ctx } from '#server/context.ts';
import { tlpRank, type Tlp } from '#lib/tlp.ts';
import { markingOf, versionFor, versionTlp, type DigestContent, type RecipientSummary } from './digest-content.ts';
import type { Language } from './templates/digest-mail.ts';
import * as repo from './digest.repository.ts';

/**
 * Who gets a digest and which version: the contacts subscribed to the digest's list (organisation
 * active), each with exactly the entries the policy's audience rule (`audienceSql`, as for the
 * product's own mail) admits for their organisation. Recipients with the same entries and languages
 * form a class: one rendering and one signature per class, encryption per contact.
 */

export const SUBSCRIPTION_OF_DIGEST = { week: 'end_of_week', month: 'end_of_month' } as const;

export interface DigestRecipient {
  contactId: string;
  organisationId: string;
  organisationName: string;
  name: string;
  email: string;
  languages: Language[];
  entryIds: string[];
  tlp: Tlp;
  key: { fingerprint: string; armored: string } | null;
  requireEncryption: boolean;
  /** Why the mail is held (the policy wants it encrypted and the contact has no usable key). */
  held: string | null;
  /** A week's recipient who may see none of the entries gets no mail. */
  skipped: boolean;
}

function encryptionRequired(ctx: Ctx, tlp: Tlp): boolean {
  const from = ctx.services.config.mailEncryptFromTlp;
  return from !== null && tlpRank(tlp) >= tlpRank(from);
}

export const classKey = (r: Pick<DigestRecipient, 'entryIds' | 'languages'>) => `${r.entryIds.join(',')}|${r.languages.join('+')}`;

export async function resolveRecipients(ctx: Ctx, content: DigestContent): Promise<{ recipients: DigestRecipient[]; summary: RecipientSummary }> {
  const subscription = SUBSCRIPTION_OF_DIGEST[content.kind];
  const contacts = await repo.subscribedContacts(ctx.db, subscription);
  const admitted = new Map<string, Set<string>>();
  for (const e of content.entries) admitted.set(e.id, await repo.admittedContactIds(ctx.db, markingOf(e), subscription));
  const now = Date.now();
  const recipients = contacts.map((c): DigestRecipient => {
    const entryIds = content.entries.filter((e) => admitted.get(e.id)!.has(c.contact_id)).map((e) => e.id);
    const tlp = versionTlp(versionFor(content, new Set(entryIds)));
    const hasKey = !!c.pgp_public_key && !!c.pgp_fingerprint && (!c.pgp_expires_at || c.pgp_expires_at.getTime() > now);
    const required = encryptionRequired(ctx, tlp);
    const langs = (['nl', 'en'] as const).filter((l) => c.languages.includes(l));
    return {
      contactId: c.contact_id,
      organisationId: c.organisation_id,
      organisationName: c.organisation_name,
      name: c.name,
      email: c.email,
      languages: langs.length ? [...langs] : ['nl'],
      entryIds,
      tlp,
      key: hasKey ? { fingerprint: c.pgp_fingerprint!, armored: c.pgp_public_key! } : null,
      requireEncryption: required,
      held: required && !hasKey ? `Held: TLP:${tlp} mail goes out encrypted only, and this contact has no usable OpenPGP key.` : null,
      // The month's figures are news for everyone; a week with nothing for a contact is not.
      skipped: content.kind === 'week' && entryIds.length === 0,
    };
  });
  const going = recipients.filter((r) => !r.skipped);
  const summary: RecipientSummary = {
    contacts: going.length,
    organisations: new Set(going.map((r) => r.organisationId)).size,
    encrypted: going.filter((r) => r.key).length,
    held: going.filter((r) => r.held).length,
    classes: new Set(going.map(classKey)).size,
    withoutEntries: recipients.length - going.length,
  };
  return { recipients, summary };
}
