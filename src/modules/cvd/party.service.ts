import type { Readable } from 'node:stream';
import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, forbidden, notFound } from '#server/errors.ts';
import { record } from '#modules/audit/audit.service.ts';
import { notifyCertStaff, notifyUsers } from '#modules/notifications/notification.service.ts';
import * as repo from './cvd.repository.ts';
import { loadCvdCase, type LoadedCvdCase } from './cvd-access.ts';
import { presentFinderView, presentPartyView, visibleTo } from './cvd.presenter.ts';
import type { FinderViewOut, PartyPatch, PartyViewOut } from './cvd.schema.ts';
import { partyForToken } from './finder-link.ts';
import { updatePartyStatus } from './coordination.service.ts';
import { openAttachment, MAX_ATTACHMENTS } from './attachments.ts';
import type { IncomingAttachment } from './intake.service.ts';

/**
 * The parties' side: a participant or manufacturer with an account in the portal (`cvd:read` /
 * `cvd:respond` on its own party), and the finder or an outside party through a private link. Each
 * sees one channel; everything here is built from its own party row.
 */

function ownParty(c: LoadedCvdCase): repo.CvdPartyRow {
  // The CERT reads cases through its own routes; these are for the party's own channel.
  if (!c.ownParty) throw forbidden('This view is for a party to the case; the CERT uses /api/v1/cvd/cases/:id.');
  return c.ownParty;
}

async function partyViewOf(ctx: Ctx, row: repo.CvdCaseRow, party: repo.CvdPartyRow): Promise<PartyViewOut> {
  const [parties, messages, attachments] = await Promise.all([repo.partiesOf(ctx.db, row.id), repo.messagesOf(ctx.db, row.id, party.id), repo.attachmentsOf(ctx.db, row.id)]);
  return presentPartyView(row, party, { finder: parties.find((p) => p.kind === 'finder'), messages, attachments });
}

export async function partyView(ctx: Ctx, id: string): Promise<PartyViewOut> {
  const c = await loadCvdCase(ctx, id, 'cvd:read');
  const party = ownParty(c);
  await record(ctx, { action: 'cvd.read', targetType: 'cvd_case', targetId: id, details: { partyId: party.id } });
  return partyViewOf(ctx, c.row, party);
}

export async function partyReply(ctx: Ctx, id: string, body: string): Promise<PartyViewOut> {
  const { row, party } = await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:respond');
    const p = ownParty(c);
    await takeMessage(tx, c.row, p, body, [], c.actor.userId);
    return { row: c.row, party: p };
  });
  return partyViewOf(ctx, row, party);
}

export async function partyUpdate(ctx: Ctx, id: string, patch: PartyPatch): Promise<PartyViewOut> {
  const { row, partyId } = await inTransaction(ctx, async (tx) => {
    const c = await loadCvdCase(tx, id, 'cvd:respond', { forUpdate: true });
    const p = ownParty(c);
    await updatePartyStatus(tx, c.row, p, patch, c.actor.userId);
    await tellCert(tx, c.row, `${p.name}: ${patch.status ? `status ${patch.status.replace('_', ' ')}` : 'consent changed'} on ${c.row.reference}`, `party:${p.id}:${Date.now()}`);
    return { row: c.row, partyId: p.id };
  });
  const party = (await repo.partiesOf(ctx.db, id)).find((p) => p.id === partyId)!;
  return partyViewOf(ctx, row, party);
}

export async function partyAttachment(ctx: Ctx, id: string, attachmentId: string): Promise<{ fileName: string; stream: Readable }> {
  const c = await loadCvdCase(ctx, id, 'cvd:read');
  const party = ownParty(c);
  return download(ctx, c.row.id, attachmentId, party.id);
}

/** The CERT downloads any attachment of a case it can see. */
export async function certAttachment(ctx: Ctx, id: string, attachmentId: string): Promise<{ fileName: string; stream: Readable }> {
  const c = await loadCvdCase(ctx, id, 'cvd:read');
  if (c.access !== 'cert') return download(ctx, c.row.id, attachmentId, ownParty(c).id);
  return download(ctx, c.row.id, attachmentId, null);
}

async function download(ctx: Ctx, caseId: string, attachmentId: string, partyId: string | null): Promise<{ fileName: string; stream: Readable }> {
  const a = await repo.findAttachment(ctx.db, caseId, attachmentId);
  if (!a || (partyId !== null && !visibleTo(a, partyId))) throw notFound('attachment');
  await record(ctx, { action: 'cvd.attachment_download', targetType: 'cvd_case', targetId: caseId, details: { attachmentId, partyId } });
  return { fileName: a.file_name, stream: await openAttachment(ctx.services, a) };
}

// ---------------------------------------------------------------------------------------------
// Private links: the finder, and outside parties (a manufacturer or CERT without an account)

export type LinkView = { kind: 'finder'; view: FinderViewOut } | { kind: 'party'; view: PartyViewOut };

async function byToken(ctx: Ctx, token: string): Promise<{ row: repo.CvdCaseRow; party: repo.CvdPartyRow }> {
  const party = await partyForToken(ctx.db, token);
  const row = await repo.findCase(ctx.db, party.case_id);
  if (!row) throw notFound('case');
  return { row, party };
}

export async function linkView(ctx: Ctx, token: string): Promise<LinkView> {
  const { row, party } = await byToken(ctx, token);
  if (party.kind !== 'finder') return { kind: 'party', view: await partyViewOf(ctx, row, party) };
  const [parties, messages, attachments, advisory] = await Promise.all([
    repo.partiesOf(ctx.db, row.id),
    repo.messagesOf(ctx.db, row.id, party.id),
    repo.attachmentsOf(ctx.db, row.id),
    row.advisory_id ? repo.advisoryOf(ctx.db, row.advisory_id) : Promise.resolve(undefined),
  ]);
  // The advisory is linked once it is out, and only where anyone may read it (TLP:CLEAR).
  const advisoryUrl = advisory?.status === 'published' && advisory.identifier && advisory.tlp === 'CLEAR' ? `${ctx.services.config.publicUrl}/public/advisories/${encodeURIComponent(advisory.identifier)}` : null;
  return { kind: 'finder', view: presentFinderView(row, party, { parties, messages, attachments, advisoryUrl }) };
}

export async function linkReply(ctx: Ctx, token: string, body: string, attachments: readonly IncomingAttachment[]): Promise<void> {
  if (attachments.length > MAX_ATTACHMENTS) throw badRequest('cvd_too_many_attachments', `Attach at most ${MAX_ATTACHMENTS} files to one message.`, { field: 'attachments' });
  const { row, party } = await byToken(ctx, token);
  await inTransaction(ctx, (tx) => takeMessage(tx, row, party, body, attachments, null));
}

/** The finder changes whether parties may learn who they are; an outside party whether the finder may learn its name. */
export async function linkConsent(ctx: Ctx, token: string, sharesIdentity: boolean): Promise<void> {
  const { row, party } = await byToken(ctx, token);
  await inTransaction(ctx, async (tx) => {
    if (party.kind === 'finder') {
      if (sharesIdentity && party.name === '') throw badRequest('cvd_anonymous', 'You reported anonymously: there is no name to share. Write your name in a message if you want the CERT to know it.');
      await repo.updateCase(tx.db, row.id, { finder_shares_identity: sharesIdentity });
      await repo.insertEvent(tx.db, { caseId: row.id, kind: 'consent', text: `The finder ${sharesIdentity ? 'agrees' : 'no longer agrees'} to be named to the parties.`, actorUserId: null });
    } else {
      await updatePartyStatus(tx, row, party, { sharesIdentity }, null);
    }
    await tellCert(tx, row, `${row.reference}: ${party.kind === 'finder' ? 'the finder' : party.name} changed their consent to be named`, `consent:${party.id}:${Date.now()}`);
  });
}

/** An outside party (manufacturer, CERT) records its remediation status through its link. */
export async function linkStatus(ctx: Ctx, token: string, patch: PartyPatch): Promise<void> {
  const { row, party } = await byToken(ctx, token);
  if (party.kind === 'finder') throw badRequest('cvd_finder_status', 'The finder has no remediation status.', { field: 'status' });
  await inTransaction(ctx, async (tx) => {
    await updatePartyStatus(tx, row, party, patch, null);
    await tellCert(tx, row, `${party.name}: status ${patch.status?.replace('_', ' ') ?? 'unchanged'} on ${row.reference}`, `party:${party.id}:${Date.now()}`);
  });
}

export async function linkAttachment(ctx: Ctx, token: string, attachmentId: string): Promise<{ fileName: string; stream: Readable }> {
  const { row, party } = await byToken(ctx, token);
  return download(ctx, row.id, attachmentId, party.id);
}

// ---------------------------------------------------------------------------------------------

/** A party's message into its channel, with the files it handed in, and a notice to the CERT. */
async function takeMessage(ctx: Ctx, row: repo.CvdCaseRow, party: repo.CvdPartyRow, body: string, attachments: readonly IncomingAttachment[], authorUserId: string | null): Promise<void> {
  const message = await repo.insertMessage(ctx.db, { case_id: row.id, party_id: party.id, direction: 'in', body, author_user_id: authorUserId });
  for (const a of attachments) {
    await repo.insertAttachment(ctx.db, {
      case_id: row.id,
      party_id: party.id,
      message_id: message.id,
      file_name: a.fileName,
      content_type: a.contentType,
      size_bytes: a.sizeBytes,
      sha256: a.sha256,
      storage_name: a.storageName,
      encrypted: a.encrypted,
    });
  }
  await tellCert(ctx, row, `${row.reference}: new message from ${party.kind === 'finder' ? 'the finder' : party.name}`, `message:${message.id}`);
  await record(ctx, { action: 'cvd.reply', targetType: 'cvd_case', targetId: row.id, details: { partyId: party.id, attachments: attachments.length } });
}

/** The assignee when there is one, otherwise all CERT staff. */
async function tellCert(ctx: Ctx, row: repo.CvdCaseRow, title: string, key: string): Promise<void> {
  const n = { kind: 'cvd.update', title, link: `/cvd-cases/${row.id}`, subjectType: 'cvd_case', subjectId: row.id, dedupeKey: `cvd:${row.id}:${key}` };
  if (row.assignee_user_id) await notifyUsers(ctx, [row.assignee_user_id], n);
  else await notifyCertStaff(ctx, n);
}
