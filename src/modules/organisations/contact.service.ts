import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import * as identityRepo from '#modules/identity/identity.repository.ts';
import * as orgRepo from './organisation.repository.ts';
import * as repo from './contact.repository.ts';
import { parsePublicKey } from './pgp-key.ts';
import { releaseHeldMail } from '#modules/distribution/delivery.service.ts';
import type { ContactInput, ContactPatch } from './organisation.schema.ts';

export async function listContacts(ctx: Ctx, organisationId: string) {
  authorize(ctx.actor, 'contacts:read', { organisationId, notFoundAs: 'organisation' });
  if (!(await orgRepo.findOrganisation(ctx.db, organisationId))) throw notFound('organisation');
  return repo.listContacts(ctx.db, organisationId);
}

async function pgpColumns(key: string | null | undefined) {
  if (key === undefined) return {};
  if (key === null || key.trim() === '') return { pgp_public_key: null, pgp_fingerprint: null, pgp_user_ids: null, pgp_expires_at: null };
  const parsed = await parsePublicKey(key);
  return { pgp_public_key: parsed.armored, pgp_fingerprint: parsed.fingerprint, pgp_user_ids: parsed.userIds, pgp_expires_at: parsed.expiresAt };
}

async function checkUserLink(ctx: Ctx, organisationId: string, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const user = await identityRepo.findUserWithOrgById(ctx.db, userId);
  if (!user || user.organisation_id !== organisationId)
    throw badRequest('contact_user_mismatch', 'A contact can only be linked to a user of the same organisation.', { field: 'userId' });
}

export async function createContact(ctx: Ctx, organisationId: string, input: ContactInput) {
  authorize(ctx.actor, 'contacts:write', { organisationId, notFoundAs: 'organisation' });
  if (!(await orgRepo.findOrganisation(ctx.db, organisationId))) throw notFound('organisation');
  if (await repo.emailTaken(ctx.db, organisationId, input.email))
    throw conflict('contact_email_taken', 'This organisation already has a contact with this e-mail address.', { field: 'email' });
  await checkUserLink(ctx, organisationId, input.userId);
  const pgp = await pgpColumns(input.pgpPublicKey);
  return inTransaction(ctx, async (tx) => {
    const row = await repo.insertContact(tx.db, organisationId, {
      name: input.name,
      email: input.email,
      kind: input.kind,
      roles: input.roles,
      languages: [...new Set(input.languages)],
      phone: input.phone ?? null,
      subscriptions: [...new Set(input.subscriptions)],
      pgp_public_key: null,
      pgp_fingerprint: null,
      pgp_user_ids: null,
      pgp_expires_at: null,
      ...pgp,
      user_id: input.userId ?? null,
      only_relevant: input.onlyRelevant,
      email_failing_since: null,
      email_failure: null,
    });
    await record(tx, { action: 'contact.create', targetType: 'contact', targetId: row.id, details: { organisationId, email: row.email } });
    return row;
  });
}

async function loadForWrite(ctx: Ctx, id: string) {
  const existing = await repo.findContact(ctx.db, id);
  authorize(ctx.actor, 'contacts:write', { organisationId: existing?.organisation_id ?? '', notFoundAs: 'contact' });
  if (!existing) throw notFound('contact');
  return existing;
}

export async function updateContact(ctx: Ctx, id: string, patch: ContactPatch) {
  const existing = await loadForWrite(ctx, id);
  if (patch.email && (await repo.emailTaken(ctx.db, existing.organisation_id, patch.email, id))) {
    throw conflict('contact_email_taken', 'This organisation already has a contact with this e-mail address.', { field: 'email' });
  }
  await checkUserLink(ctx, existing.organisation_id, patch.userId);
  const pgp = await pgpColumns(patch.pgpPublicKey);
  return inTransaction(ctx, async (tx) => {
    const row = await repo.updateContact(tx.db, id, {
      ...(patch.name !== undefined && { name: patch.name }),
      // A changed address starts with a clean record.
      ...(patch.email !== undefined && {
        email: patch.email,
        ...(patch.email.toLowerCase() !== existing.email.toLowerCase() && { email_failing_since: null, email_failure: null }),
      }),
      ...(patch.onlyRelevant !== undefined && { only_relevant: patch.onlyRelevant }),
      ...(patch.kind !== undefined && { kind: patch.kind }),
      ...(patch.roles !== undefined && { roles: patch.roles }),
      ...(patch.languages !== undefined && { languages: [...new Set(patch.languages)] }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.subscriptions !== undefined && { subscriptions: [...new Set(patch.subscriptions)] }),
      ...(patch.userId !== undefined && { user_id: patch.userId }),
      ...pgp,
    });
    await record(tx, { action: 'contact.update', targetType: 'contact', targetId: id, details: { fields: Object.keys(patch) } });
    // Mail held back for want of a key goes out now, encrypted to the new one.
    if (pgp.pgp_public_key && pgp.pgp_fingerprint) await releaseHeldMail(tx, id, { fingerprint: pgp.pgp_fingerprint, armored: pgp.pgp_public_key });
    return row;
  });
}

export async function deleteContact(ctx: Ctx, id: string): Promise<void> {
  const existing = await loadForWrite(ctx, id);
  await inTransaction(ctx, async (tx) => {
    await repo.deleteContact(tx.db, id);
    await record(tx, {
      action: 'contact.delete',
      targetType: 'contact',
      targetId: id,
      details: { organisationId: existing.organisation_id, email: existing.email },
    });
  });
}
