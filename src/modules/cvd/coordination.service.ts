import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict, notFound } from '#server/errors.ts';
import { record } from '#modules/audit/audit.service.ts';
import { queueMail } from '#modules/mail/outbox.service.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import { activeUserIdsOf } from '#modules/identity/users.repository.ts';
import { CVD_PARTY_ORGANISATION_KINDS } from '#db/schema-cvd.ts';
import * as repo from './cvd.repository.ts';
import { loadCvdCase, requireCvdCert, type LoadedCvdCase } from './cvd-access.ts';
import type { CvdCaseOut, MessageInput, PartyInput, PartyPatch } from './cvd.schema.ts';
import { reload } from './case.service.ts';
import { linkFor, newToken } from './finder-link.ts';
import { newLinkMail, newMessageMail, partyNoticeMail } from './cvd-mail-text.ts';
import { redactFinder } from './finder-redaction.ts';

/**
 * The relay: the CERT brings parties into a case and talks to each in its own channel. Nothing
 * crosses from one channel to another by itself; the CERT writes (or edits) what it passes on, and
 * attachments of the finder travel only with the finder's consent.
 */

export interface AddedParty {
  case: CvdCaseOut;
  partyId: string;
  /** The private link of a party without an account: shown once to the CERT (it is also mailed). */
  privateLink: string | null;
}

export async function addParty(ctx: Ctx, id: string, input: PartyInput): Promise<AddedParty> {
  const added = await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    return insertParty(tx, c, input);
  });
  return { case: await reload(ctx, id), ...added };
}

async function insertParty(ctx: Ctx, c: LoadedCvdCase, input: PartyInput): Promise<{ partyId: string; privateLink: string | null }> {
  let name = input.name ?? '';
  if (input.organisationId) {
    const org = await repo.organisation(ctx.db, input.organisationId);
    if (!org) throw badRequest('organisation_unknown', 'There is no such organisation.', { field: 'organisationId' });
    if (!CVD_PARTY_ORGANISATION_KINDS[input.kind].includes(org.kind))
      throw badRequest('cvd_party_kind', `A ${input.kind} party cannot be the ${org.kind} organisation ${org.name}; choose the kind that fits it.`, { field: 'kind' });
    if (c.parties.some((p) => p.organisation_id === org.id)) throw conflict('cvd_party_exists', `${org.name} is already a party to this case.`);
    name = name || org.name;
  } else {
    if (!input.email) throw badRequest('cvd_party_contact', 'A party without an account in the portal needs an e-mail address to be reached at.', { field: 'email' });
    if (!name) throw badRequest('cvd_party_name', 'Name the party (e.g. the manufacturer or CERT).', { field: 'name' });
  }
  const link = input.organisationId ? null : newToken();
  const party = await repo.insertParty(ctx.db, {
    case_id: c.row.id,
    kind: input.kind,
    organisation_id: input.organisationId ?? null,
    name,
    email: input.email ?? null,
    token_hash: link?.hash ?? null,
    language: input.language,
  });
  await repo.insertEvent(ctx.db, { caseId: c.row.id, kind: 'party', text: `${name} added as ${input.kind}.`, actorUserId: c.actor.userId });
  const privateLink = link ? linkFor(ctx.services.config.publicUrl, link.token) : null;
  if (input.notify) await noticeParty(ctx, c.row, party, privateLink);
  if (c.row.status === 'received' || c.row.status === 'triaged') {
    await repo.updateCase(ctx.db, c.row.id, { status: 'coordinating' });
    await repo.insertEvent(ctx.db, { caseId: c.row.id, kind: 'status', text: `Status ${c.row.status} → coordinating (a party was brought in).`, actorUserId: c.actor.userId });
  }
  await record(ctx, { action: 'cvd.party_add', targetType: 'cvd_case', targetId: c.row.id, details: { partyId: party.id, kind: input.kind, organisationId: input.organisationId ?? null } });
  return { partyId: party.id, privateLink };
}

/** Tells a party it was brought into a case: the portal inbox and mail for an organisation, mail with the private link otherwise. */
async function noticeParty(ctx: Ctx, row: repo.CvdCaseRow, party: repo.CvdPartyRow, privateLink: string | null): Promise<void> {
  const portalLink = `${ctx.services.config.publicUrl}/cvd-party/${row.id}`;
  if (party.organisation_id) {
    await notifyUsers(ctx, await activeUserIdsOf(ctx.db, party.organisation_id), {
      kind: 'cvd.party',
      title: `Vulnerability report ${row.reference} concerns your organisation (embargo until ${row.disclosure_due})`,
      link: `/cvd-party/${row.id}`,
      subjectType: 'cvd_case',
      subjectId: row.id,
      dedupeKey: `cvd:${row.id}:party:${party.id}`,
    });
  }
  const to = party.email;
  if (to) {
    const finder = (await repo.partiesOf(ctx.db, row.id)).find((p) => p.kind === 'finder');
    const title = row.finder_shares_identity && party.shares_identity ? row.title : redactFinder(row.title, finder);
    await queueMail(ctx, `cvd:${row.id}:party:${party.id}:notice`, partyNoticeMail({ to, reference: row.reference, title, link: privateLink ?? portalLink, language: party.language, disclosureDue: row.disclosure_due, viaPortal: privateLink === null }));
  }
}

/** Adds as participant parties every organisation the scope check found (skipping those already in). */
export async function addScopeParties(ctx: Ctx, id: string): Promise<CvdCaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    const orgs = c.row.scope.organisations.filter((o) => !c.parties.some((p) => p.organisation_id === o.id));
    if (!orgs.length) throw conflict('cvd_scope_empty', c.row.scope.organisations.length ? 'Every organisation in scope is already a party.' : 'The scope check found no participant; add a party by hand or mark the case out of scope.');
    for (const o of orgs) await insertParty(tx, { ...c, parties: await repo.partiesOf(tx.db, id) }, { kind: 'participant', organisationId: o.id, name: undefined, language: 'nl', notify: true });
  });
  return reload(ctx, id);
}

/**
 * A medical device or product case: every participant that declared the affected product (and
 * model) becomes a party under the case's one embargo, each with its own remediation status.
 */
export async function addProductParties(ctx: Ctx, id: string): Promise<{ case: CvdCaseOut; added: number }> {
  const added = await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    if (!c.row.vendor || !c.row.product) throw badRequest('cvd_product_missing', 'The case names no vendor and product; set them first.', { field: 'product' });
    const owners = await repo.declaredProductOwners(tx.db, { vendor: c.row.vendor, product: c.row.product, model: c.row.model });
    let n = 0;
    for (const o of owners) {
      const parties = await repo.partiesOf(tx.db, id);
      if (parties.some((p) => p.organisation_id === o.id)) continue;
      await insertParty(tx, { ...c, parties }, { kind: 'participant', organisationId: o.id, name: undefined, language: 'nl', notify: true });
      n++;
    }
    return n;
  });
  return { case: await reload(ctx, id), added };
}

/** The CERT records a party's status (or its consent to be named to the finder). */
export async function patchParty(ctx: Ctx, id: string, partyId: string, patch: PartyPatch): Promise<CvdCaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    const party = c.parties.find((p) => p.id === partyId);
    if (!party) throw notFound('party');
    await updatePartyStatus(tx, c.row, party, patch, c.actor.userId);
  });
  return reload(ctx, id);
}

/** Shared by the CERT, the party in the portal and the party through its link: one rule for a party's status. */
export async function updatePartyStatus(ctx: Ctx, row: repo.CvdCaseRow, party: repo.CvdPartyRow, patch: PartyPatch, actorUserId: string | null): Promise<void> {
  if (party.kind === 'finder' && patch.status !== undefined) throw badRequest('cvd_finder_status', 'The finder has no remediation status.', { field: 'status' });
  const set: { status?: typeof party.status; shares_identity?: boolean } = {};
  if (patch.status !== undefined && patch.status !== party.status) {
    set.status = patch.status;
    await repo.insertEvent(ctx.db, { caseId: row.id, kind: 'party_status', text: `${party.name || party.kind}: ${party.status} → ${patch.status}.`, actorUserId });
  }
  if (patch.sharesIdentity !== undefined && patch.sharesIdentity !== party.shares_identity) {
    set.shares_identity = patch.sharesIdentity;
    await repo.insertEvent(ctx.db, { caseId: row.id, kind: 'consent', text: `${party.name || party.kind} ${patch.sharesIdentity ? 'agrees' : 'no longer agrees'} to be named to the finder.`, actorUserId });
  }
  if (Object.keys(set).length) await repo.updateParty(ctx.db, party.id, set);
  await record(ctx, { action: 'cvd.party_update', targetType: 'cvd_case', targetId: row.id, details: { partyId: party.id, ...patch } });
}

/** A new private link for a party without an account (the old one stops working), mailed to it. */
export async function reissueLink(ctx: Ctx, id: string, partyId: string): Promise<AddedParty> {
  const privateLink = await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    const party = c.parties.find((p) => p.id === partyId);
    if (!party) throw notFound('party');
    if (party.organisation_id) throw badRequest('cvd_party_has_account', 'This party reads the case in the portal; it has no private link.', { field: 'partyId' });
    const { token, hash } = newToken();
    await repo.updateParty(tx.db, party.id, { token_hash: hash });
    const link = linkFor(tx.services.config.publicUrl, token);
    if (party.email) await queueMail(tx, `cvd:${id}:link:${party.id}:${hash.slice(0, 16)}`, newLinkMail({ to: party.email, reference: c.row.reference, link, language: party.language }));
    await repo.insertEvent(tx.db, { caseId: id, kind: 'link', text: `New private link for ${party.name || party.kind}.`, actorUserId: c.actor.userId });
    await record(tx, { action: 'cvd.link_reissue', targetType: 'cvd_case', targetId: id, details: { partyId } });
    return link;
  });
  return { case: await reload(ctx, id), partyId, privateLink };
}

/**
 * The CERT writes into one party's channel. A relay names the message it passes on (from another
 * channel); the text is the CERT's own, so the analyst leaves out what identifies the other side.
 * The first message to the finder stops the five-working-day clock.
 */
export async function sendMessage(ctx: Ctx, id: string, input: MessageInput): Promise<CvdCaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    const party = c.parties.find((p) => p.id === input.partyId);
    if (!party) throw badRequest('cvd_party_unknown', 'That party is not on this case.', { field: 'partyId' });
    if (input.relayedFromId) {
      const source = await repo.findMessage(tx.db, id, input.relayedFromId);
      if (!source || source.direction !== 'in') throw badRequest('cvd_relay_source', 'Only a message a party wrote on this case can be relayed.', { field: 'relayedFromId' });
      if (source.party_id === party.id) throw badRequest('cvd_relay_same', 'A message is relayed to another party, not back to its author.', { field: 'relayedFromId' });
    }
    // Every message, relayed or typed: a name pasted by hand crosses as easily as a quoted one.
    guardIdentity(c, party, input.body);
    const message = await repo.insertMessage(tx.db, { case_id: id, party_id: party.id, direction: 'out', body: input.body, author_user_id: c.actor.userId, relayed_from_id: input.relayedFromId ?? null });
    if (party.kind === 'finder' && !c.row.first_response_at) await repo.updateCase(tx.db, id, { first_response_at: message.created_at });
    await tellParty(tx, c.row, party, message.id);
    await record(tx, { action: 'cvd.message', targetType: 'cvd_case', targetId: id, details: { partyId: party.id, relayedFromId: input.relayedFromId ?? null } });
  });
  return reload(ctx, id);
}

/**
 * A relayed text that still holds the other side's name or address is refused unless both sides
 * agreed to be named: the check that keeps the finder and the participant apart when an analyst
 * pastes a message whole.
 */
function guardIdentity(c: LoadedCvdCase, to: repo.CvdPartyRow, body: string): void {
  const finder = c.parties.find((p) => p.kind === 'finder');
  const text = body.toLowerCase();
  const mutual = (other: repo.CvdPartyRow) => c.row.finder_shares_identity && other.shares_identity;
  const leaks = (p: repo.CvdPartyRow | undefined) =>
    p !== undefined && [p.name, p.email].some((v) => v !== null && v.trim().length >= 3 && text.includes(v.trim().toLowerCase()));
  if (to.kind !== 'finder' && finder && !mutual(to) && leaks(finder))
    throw badRequest('cvd_identity_leak', 'The message names the finder (name or address), who is not to be named to this party; take it out.', { field: 'body' });
  if (to.kind === 'finder') {
    const named = c.parties.find((p) => p.kind !== 'finder' && !mutual(p) && leaks(p));
    if (named) throw badRequest('cvd_identity_leak', `The message names ${named.name}, who is not to be named to the finder; take it out.`, { field: 'body' });
  }
}

/** Mail (and the portal inbox) that a party has a new message: never the message itself. */
async function tellParty(ctx: Ctx, row: repo.CvdCaseRow, party: repo.CvdPartyRow, messageId: string): Promise<void> {
  if (party.organisation_id) {
    await notifyUsers(ctx, await activeUserIdsOf(ctx.db, party.organisation_id), {
      kind: 'cvd.message',
      title: `New message from the CERT on ${row.reference}`,
      link: `/cvd-party/${row.id}`,
      subjectType: 'cvd_case',
      subjectId: row.id,
      dedupeKey: `cvd:${row.id}:message:${messageId}`,
    });
  }
  if (party.email) {
    const viaPortal = party.organisation_id !== null;
    await queueMail(ctx, `cvd:${row.id}:message:${messageId}`, newMessageMail({ to: party.email, reference: row.reference, link: viaPortal ? `${ctx.services.config.publicUrl}/cvd-party/${row.id}` : null, language: party.language, viaPortal }));
  }
}

export async function addNote(ctx: Ctx, id: string, body: string): Promise<CvdCaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write');
    requireCvdCert(c);
    await repo.insertMessage(tx.db, { case_id: id, party_id: null, direction: 'note', body, author_user_id: c.actor.userId });
  });
  return reload(ctx, id);
}

/** Passes an attachment on to another party; a finder's attachment only when the finder agreed. */
export async function shareAttachment(ctx: Ctx, id: string, attachmentId: string, partyId: string): Promise<CvdCaseOut> {
  await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:write', { forUpdate: true });
    requireCvdCert(c);
    const a = await repo.findAttachment(tx.db, id, attachmentId);
    if (!a) throw notFound('attachment');
    const to = c.parties.find((p) => p.id === partyId);
    if (!to) throw badRequest('cvd_party_unknown', 'That party is not on this case.', { field: 'partyId' });
    const from = c.parties.find((p) => p.id === a.party_id);
    if (from?.kind === 'finder' && !c.row.finder_shares_attachments)
      throw conflict('cvd_finder_consent', 'The finder did not agree that their attachments are passed on; ask them in their channel, or describe what the file shows.');
    await repo.shareAttachment(tx.db, a.id, to.id);
    await repo.insertEvent(tx.db, { caseId: id, kind: 'attachment', text: `${a.file_name} passed on to ${to.name || to.kind}.`, actorUserId: c.actor.userId });
    await record(tx, { action: 'cvd.attachment_share', targetType: 'cvd_case', targetId: id, details: { attachmentId, partyId } });
  });
  return reload(ctx, id);
}
