import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as repo from './request.repository.ts';
import { loadRequest, openRequest, reopen } from './request.service.ts';

/**
 * What the CERT keeps around the requests: mail held for review (released into the thread or
 * discarded; nothing is ever mailed back to its sender), the topic list and the canned answers.
 */

export async function listHeld(ctx: Ctx) {
  authorize(ctx.actor, 'requests:answer');
  const [messages, mails] = await Promise.all([repo.listHeldMessages(ctx.db), repo.listHeldMail(ctx.db)]);
  return {
    messages: messages.map((m) => ({
      id: m.id,
      requestId: m.request_id,
      reference: m.reference,
      from: m.from_address,
      body: m.body,
      pgp: m.pgp,
      receivedAt: m.created_at.toISOString(),
    })),
    mails: mails.map((m) => ({
      id: m.id,
      from: m.from_address,
      subject: m.subject,
      body: m.body,
      pgp: m.pgp,
      reason: m.reason,
      receivedAt: m.received_at.toISOString(),
    })),
  };
}

async function heldMessage(ctx: Ctx, requestId: string, messageId: string) {
  const row = await loadRequest(ctx, requestId, 'requests:answer');
  const m = await repo.findMessage(ctx.db, messageId);
  if (!m || m.request_id !== requestId || !m.held) throw notFound('held_message');
  return { row, m };
}

/** The CERT vouches for a held reply: it joins the thread as a question and reopens the request. */
export async function releaseHeldMessage(ctx: Ctx, requestId: string, messageId: string): Promise<void> {
  const { row } = await heldMessage(ctx, requestId, messageId);
  await inTransaction(ctx, async (tx) => {
    await repo.releaseMessage(tx.db, messageId);
    await reopen(tx, row);
    await record(tx, { action: 'request.held_release', targetType: 'info_request', targetId: requestId, details: { messageId } });
  });
}

export async function discardHeldMessage(ctx: Ctx, requestId: string, messageId: string): Promise<void> {
  await heldMessage(ctx, requestId, messageId);
  await inTransaction(ctx, async (tx) => {
    await repo.deleteMessage(tx.db, messageId);
    await record(tx, { action: 'request.held_discard', targetType: 'info_request', targetId: requestId, details: { messageId } });
    await publish(tx, { type: 'request.changed', organisationId: null, data: { id: requestId } });
  });
}

/** A held mail from an unknown sender becomes a request of the organisation the CERT chooses. */
export async function releaseHeldMail(ctx: Ctx, id: string, organisationId: string): Promise<{ id: string; reference: string }> {
  authorize(ctx.actor, 'requests:answer');
  authorize(ctx.actor, 'requests:read', { organisationId });
  const mail = await repo.findHeldMail(ctx.db, id);
  if (!mail) throw notFound('held_mail');
  const org = await ctx.db.selectFrom('organisations').select(['id', 'kind']).where('id', '=', organisationId).executeTakeFirst();
  if (org?.kind !== 'participant') throw badRequest('request_organisation_not_participant', 'Choose a participant organisation.', { field: 'organisationId' });
  return inTransaction(ctx, async (tx) => {
    await repo.deleteHeldMail(tx.db, id);
    const opened = await openRequest(tx, {
      organisationId,
      askerUserId: null,
      askerEmail: mail.from_address,
      askerName: null,
      topic: 'Mail',
      subject: mail.subject || '(no subject)',
      channel: 'mail',
      language: 'nl',
      receivedAt: mail.received_at,
      question: { body: mail.body, fromAddress: mail.from_address, messageId: mail.message_id, pgp: mail.pgp },
    });
    await record(tx, { action: 'request.held_mail_release', targetType: 'info_request', targetId: opened.id, details: { from: mail.from_address } });
    return { id: opened.id, reference: opened.reference };
  });
}

export async function discardHeldMail(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'requests:answer');
  const mail = await repo.findHeldMail(ctx.db, id);
  if (!mail) throw notFound('held_mail');
  await inTransaction(ctx, async (tx) => {
    await repo.deleteHeldMail(tx.db, id);
    await record(tx, { action: 'request.held_mail_discard', targetType: 'info_request_held_mail', targetId: id, details: { from: mail.from_address } });
  });
}

// ---- topics

const topicOut = (t: { id: string; name_nl: string; name_en: string; active: boolean }) => ({
  id: t.id,
  nameNl: t.name_nl,
  nameEn: t.name_en,
  active: t.active,
});

export async function listTopics(ctx: Ctx) {
  authorize(ctx.actor, 'requests:read');
  const cert = ctx.actor.organisationKind === 'cert';
  return (await repo.listTopics(ctx.db, cert)).map(topicOut);
}

export async function createTopic(ctx: Ctx, input: { nameNl: string; nameEn: string }) {
  authorize(ctx.actor, 'requests:answer');
  return inTransaction(ctx, async (tx) => {
    const existing = await repo.listTopics(tx.db, true);
    if (existing.some((t) => t.name_nl.toLowerCase() === input.nameNl.toLowerCase()))
      throw badRequest('request_topic_exists', 'That topic is on the list already.', { field: 'nameNl' });
    const t = await repo.insertTopic(tx.db, input);
    await record(tx, { action: 'request_topic.create', targetType: 'info_request_topic', targetId: t.id });
    return topicOut(t);
  });
}

export async function updateTopic(ctx: Ctx, id: string, patch: { nameNl?: string; nameEn?: string; active?: boolean }) {
  authorize(ctx.actor, 'requests:answer');
  return inTransaction(ctx, async (tx) => {
    const t = await repo.updateTopic(tx.db, id, { name_nl: patch.nameNl, name_en: patch.nameEn, active: patch.active });
    if (!t) throw notFound('topic');
    await record(tx, { action: 'request_topic.update', targetType: 'info_request_topic', targetId: id });
    return topicOut(t);
  });
}

// ---- canned answers

const cannedOut = (c: { id: string; title: string; body: string; language: 'nl' | 'en'; updated_at: Date }) => ({
  id: c.id,
  title: c.title,
  body: c.body,
  language: c.language,
  updatedAt: c.updated_at.toISOString(),
});

export async function listCanned(ctx: Ctx) {
  authorize(ctx.actor, 'requests:answer');
  return (await repo.listCanned(ctx.db)).map(cannedOut);
}

export async function createCanned(ctx: Ctx, input: { title: string; body: string; language: 'nl' | 'en' }) {
  authorize(ctx.actor, 'requests:answer');
  const actor = ctx.actor;
  return inTransaction(ctx, async (tx) => {
    const c = await repo.insertCanned(tx.db, { ...input, createdBy: actor.userId });
    await record(tx, { action: 'request_canned.create', targetType: 'info_request_canned_answer', targetId: c.id });
    return cannedOut(c);
  });
}

export async function updateCanned(ctx: Ctx, id: string, patch: { title?: string; body?: string; language?: 'nl' | 'en' }) {
  authorize(ctx.actor, 'requests:answer');
  return inTransaction(ctx, async (tx) => {
    const c = await repo.updateCanned(tx.db, id, patch);
    if (!c) throw notFound('canned_answer');
    await record(tx, { action: 'request_canned.update', targetType: 'info_request_canned_answer', targetId: id });
    return cannedOut(c);
  });
}

export async function deleteCanned(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'requests:answer');
  await inTransaction(ctx, async (tx) => {
    if (!(await repo.deleteCanned(tx.db, id))) throw notFound('canned_answer');
    await record(tx, { action: 'request_canned.delete', targetType: 'info_request_canned_answer', targetId: id });
  });
}
