import { inTransaction, type Ctx } from '#server/context.ts';
import { conflict, forbidden, notFound } from '#server/errors.ts';
import { authorize, organisationScope } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import type { Actor } from '#modules/access/actor.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import { findUserWithOrgById } from '#modules/identity/identity.repository.ts';
import { firstResponseDue } from '#modules/cvd/deadlines.ts';
import { workingDayOverrides } from '#modules/cvd/intake.service.ts';
import * as repo from './chat.repository.ts';
import { presentChat, presentMessage } from './chat.presenter.ts';
import type { ChatListQuery, ChatMessageOut, ChatOut, ChatStartInput } from './chat.schema.ts';

/**
 * The chat loaded for an actor: the request's organisation, or the CERT (requests:read). Another
 * tenant's chat does not exist for them (404).
 */
export async function loadChat(ctx: Ctx, id: string): Promise<{ actor: Actor; chat: repo.ChatRow }> {
  authorize(ctx.actor, 'requests:read');
  const chat = await repo.findChat(ctx.db, id);
  if (!chat) throw notFound('chat');
  authorize(ctx.actor, 'requests:read', { organisationId: chat.organisation_id, notFoundAs: 'chat' });
  return { actor: ctx.actor, chat };
}

/** Whoever writes into the chat: the CERT answers (requests:answer), the organisation asks (requests:ask). */
function authorizeSpeaker(actor: Actor, chat: repo.ChatRow): void {
  if (isCertRole(actor.role)) authorize(actor, 'requests:answer');
  else authorize(actor, 'requests:ask', { organisationId: chat.organisation_id, notFoundAs: 'chat' });
}

async function reload(ctx: Ctx, id: string): Promise<ChatOut> {
  const chat = await repo.findChat(ctx.db, id);
  if (!chat) throw notFound('chat');
  return presentChat(chat);
}

/** Tells the chat's sockets (every process) and the CERT's queue that the chat changed. */
async function announceState(ctx: Ctx, chat: { id: string; organisation_id: string }): Promise<void> {
  await publish(ctx, { type: 'chat.state', organisationId: chat.organisation_id, data: { requestId: chat.id } });
  await publish(ctx, { type: 'chat.queue', organisationId: null, data: { requestId: chat.id } });
}

/** A participant user opens a chat with the CERT's on-duty specialists: a request that waits in the queue. */
export async function startChat(ctx: Ctx, input: ChatStartInput): Promise<ChatOut> {
  authorize(ctx.actor, 'requests:ask');
  const actor = ctx.actor;
  // A CERT administrator holds every permission, but the CERT answers chats; it does not open them with itself.
  if (isCertRole(actor.role)) throw forbidden('The CERT answers chats; a participant’s user opens them.');
  const user = await findUserWithOrgById(ctx.db, actor.userId);
  if (!user) throw notFound('user');
  const now = new Date();
  const due = firstResponseDue(now, await workingDayOverrides(ctx, now));
  const id = await inTransaction(ctx, async (tx) => {
    const reference = await repo.nextReference(tx.db, now);
    const requestId = await repo.insertChat(tx.db, {
      reference,
      organisationId: actor.organisationId,
      askerUserId: actor.userId,
      askerEmail: actor.email,
      askerName: user.name,
      topic: input.topic ?? 'chat',
      subject: input.subject,
      language: input.language ?? 'nl',
      firstAnswerDue: due,
    });
    if (input.body) {
      const messageId = await repo.insertMessage(tx.db, { requestId, kind: 'question', authorUserId: actor.userId, body: input.body, at: now });
      await publish(tx, { type: 'chat.message', organisationId: actor.organisationId, data: { requestId, messageId } });
    }
    await record(tx, { action: 'chat.start', targetType: 'info_request', targetId: requestId, details: { reference } });
    await announceState(tx, { id: requestId, organisation_id: actor.organisationId });
    return requestId;
  });
  return reload(ctx, id);
}

/** Chats the actor may see; the CERT's queue is `state=waiting`. */
export async function listChats(ctx: Ctx, q: ChatListQuery): Promise<ChatOut[]> {
  authorize(ctx.actor, 'requests:read');
  const rows = await repo.listChats(ctx.db, { organisationIds: organisationScope(ctx.actor, 'requests:read'), state: q.state, limit: q.limit });
  return rows.map(presentChat);
}

export async function getChat(ctx: Ctx, id: string): Promise<ChatOut> {
  const { chat } = await loadChat(ctx, id);
  return presentChat(chat);
}

export async function listMessages(ctx: Ctx, id: string): Promise<ChatMessageOut[]> {
  const { actor, chat } = await loadChat(ctx, id);
  const rows = await repo.listMessages(ctx.db, chat.id, { withNotes: isCertRole(actor.role) });
  return rows.map(presentMessage);
}

/** One message, as seen by `ctx`'s actor (a note only by the CERT); undefined when not visible. */
export async function readMessage(ctx: Ctx, requestId: string, messageId: string): Promise<ChatMessageOut | undefined> {
  const { actor } = await loadChat(ctx, requestId);
  const row = await repo.findMessage(ctx.db, messageId);
  if (!row || row.request_id !== requestId || (row.kind === 'note' && !isCertRole(actor.role))) return undefined;
  return presentMessage(row);
}

/**
 * A message into a live chat. The CERT's first message picks a waiting chat up and counts as the
 * request's first answer.
 */
export async function postMessage(ctx: Ctx, id: string, body: string): Promise<ChatMessageOut> {
  const { actor, chat } = await loadChat(ctx, id);
  authorizeSpeaker(actor, chat);
  const cert = isCertRole(actor.role);
  const messageId = await inTransaction(ctx, async (tx) => {
    const locked = await repo.lockChat(tx.db, chat.id);
    if (locked?.chat_state === 'ended') throw conflict('chat_ended', 'This chat has ended; ask a new question or start a new chat.');
    const now = new Date();
    const mid = await repo.insertMessage(tx.db, { requestId: chat.id, kind: cert ? 'answer' : 'question', authorUserId: actor.userId, body, at: now });
    if (cert) {
      await repo.markAnswered(tx.db, chat.id, now);
      if (locked?.chat_state === 'waiting') {
        await repo.setChatState(tx.db, chat.id, { state: 'active', assigneeId: actor.userId });
        await announceState(tx, chat);
      }
    } else {
      await repo.touch(tx.db, chat.id, now);
    }
    await record(tx, { action: 'chat.message', targetType: 'info_request', targetId: chat.id, details: { messageId: mid } });
    await publish(tx, { type: 'chat.message', organisationId: chat.organisation_id, data: { requestId: chat.id, messageId: mid } });
    return mid;
  });
  const row = await repo.findMessage(ctx.db, messageId);
  if (!row) throw notFound('message');
  return presentMessage(row);
}

/** An analyst takes a waiting chat from the queue. */
export async function pickUp(ctx: Ctx, id: string): Promise<ChatOut> {
  const { actor, chat } = await loadChat(ctx, id);
  authorize(actor, 'requests:answer');
  await inTransaction(ctx, async (tx) => {
    const locked = await repo.lockChat(tx.db, chat.id);
    if (locked?.chat_state !== 'waiting') throw conflict('chat_not_waiting', 'Someone else picked this chat up already, or it has ended.');
    await repo.setChatState(tx.db, chat.id, { state: 'active', assigneeId: actor.userId });
    await record(tx, { action: 'chat.pick_up', targetType: 'info_request', targetId: chat.id });
    await announceState(tx, chat);
  });
  return reload(ctx, id);
}

/** Either side ends the chat; the request stays (and can be answered further by mail or portal). */
export async function endChat(ctx: Ctx, id: string): Promise<ChatOut> {
  const { actor, chat } = await loadChat(ctx, id);
  authorizeSpeaker(actor, chat);
  await inTransaction(ctx, async (tx) => {
    const locked = await repo.lockChat(tx.db, chat.id);
    if (locked?.chat_state === 'ended') return;
    await repo.setChatState(tx.db, chat.id, { state: 'ended' });
    await record(tx, { action: 'chat.end', targetType: 'info_request', targetId: chat.id });
    await announceState(tx, chat);
  });
  return reload(ctx, id);
}
