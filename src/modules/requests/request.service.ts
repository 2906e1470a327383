import { randomBytes } from 'node:crypto';
import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict, forbidden, notFound } from '#server/errors.ts';
import { authorize, reachOf } from '#modules/access/policy.ts';
import { isCertRole } from '#modules/access/permissions.ts';
import type { Actor } from '#modules/access/actor.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import { notifyCertStaff } from '#modules/notifications/notification.service.ts';
import type { ChatState, RequestChannel, RequestLanguage } from '#db/schema-requests.ts';
import * as repo from './request.repository.ts';
import * as kbRepo from './knowledge.repository.ts';
import { presentRequest, presentSummary } from './request.presenter.ts';
import type { AskInput, RequestListQuery, RequestOut, RequestSummaryOut } from './request.schema.ts';
import { queueRequestMail } from './request-mail.ts';
import { firstAnswerDue } from './sla.ts';

/**
 * Information requests: a participant's question, the CERT's answers and internal notes, as one
 * ticket (new → answered → closed; a new question reopens it). A request is its organisation's:
 * another organisation gets 404. Notes and held mail are the CERT's only, in the API and in mail.
 */

/** The CERT sees every request, notes and held mail; everyone else their organisation's thread. */
export function certView(actor: Actor): boolean {
  return isCertRole(actor.role) && reachOf(actor, 'requests:read') === 'any';
}

export async function loadRequest(ctx: Ctx, id: string, permission: 'requests:read' | 'requests:ask' | 'requests:answer'): Promise<repo.RequestRow> {
  authorize(ctx.actor, permission);
  const row = await repo.findRequest(ctx.db, id);
  if (!row) throw notFound('request');
  authorize(ctx.actor, permission, { organisationId: row.organisation_id, notFoundAs: 'request' });
  // A participant who may ask but not read (a narrow token) still must not see another's request.
  authorize(ctx.actor, 'requests:read', { organisationId: row.organisation_id, notFoundAs: 'request' });
  return row;
}

export async function listRequests(ctx: Ctx, q: RequestListQuery): Promise<RequestSummaryOut[]> {
  authorize(ctx.actor, 'requests:read');
  const actor = ctx.actor;
  const cert = certView(actor);
  const rows = await repo.listRequests(ctx.db, {
    organisationIds: cert ? null : [actor.organisationId],
    status: q.status,
    overdue: q.overdue === 'true',
    assigneeId: q.assignee === 'me' ? actor.userId : q.assignee,
    // Held mail is the CERT's business; for a participant the filter finds nothing to show.
    held: q.held === 'true' ? true : undefined,
    q: q.q,
    limit: q.limit,
  });
  if (q.held === 'true' && !cert) return [];
  return rows.map((r) => presentSummary(r, cert));
}

export async function getRequest(ctx: Ctx, id: string): Promise<RequestOut> {
  const row = await loadRequest(ctx, id, 'requests:read');
  const cert = certView(ctx.actor!);
  const messages = await repo.listMessages(ctx.db, id, { notes: cert, held: cert });
  const articles = cert ? await kbRepo.articlesOfRequest(ctx.db, id) : [];
  return presentRequest(row, messages, cert, articles);
}

export function newMailToken(): string {
  return randomBytes(12).toString('base64url');
}

export interface OpenRequestInput {
  organisationId: string;
  askerUserId: string | null;
  askerEmail: string | null;
  askerName: string | null;
  topic: string;
  subject: string;
  channel: RequestChannel;
  language: RequestLanguage;
  receivedAt?: Date;
  chatState?: ChatState | null;
  /** The first question; a chat may open without one. */
  question?: { body: string; fromAddress?: string | null; messageId?: string | null; inReplyTo?: string | null; pgp?: string | null };
}

/**
 * Opens a request without checking permissions: the caller did (the portal, the mail intake, the
 * chat module, which opens a request with channel 'chat' and chat_state 'waiting').
 */
export async function openRequest(ctx: Ctx, input: OpenRequestInput): Promise<{ id: string; reference: string; questionId: string | null }> {
  const receivedAt = input.receivedAt ?? new Date();
  const due = await firstAnswerDue(ctx, receivedAt);
  return inTransaction(ctx, async (tx) => {
    const reference = await repo.nextReference(tx.db, receivedAt);
    const id = await repo.insertRequest(tx.db, {
      reference,
      organisation_id: input.organisationId,
      asker_user_id: input.askerUserId,
      asker_email: input.askerEmail,
      asker_name: input.askerName,
      topic: input.topic,
      subject: input.subject,
      channel: input.channel,
      language: input.language,
      first_answer_due: due,
      mail_token: newMailToken(),
      chat_state: input.chatState ?? null,
      created_at: receivedAt,
    });
    let questionId: string | null = null;
    if (input.question) {
      questionId = await repo.insertMessage(tx.db, {
        request_id: id,
        kind: 'question',
        channel: input.channel,
        author_user_id: input.askerUserId,
        from_address: input.question.fromAddress ?? input.askerEmail,
        body: input.question.body,
        message_id: input.question.messageId ?? null,
        in_reply_to: input.question.inReplyTo ?? null,
        pgp: input.question.pgp ?? null,
        created_at: receivedAt,
      });
    }
    await record(tx, {
      action: 'request.create',
      targetType: 'info_request',
      targetId: id,
      details: { reference, channel: input.channel, organisationId: input.organisationId },
    });
    await publish(tx, { type: 'request.created', organisationId: input.organisationId, data: { id, reference } });
    await notifyCertStaff(tx, {
      kind: 'request.created',
      title: `${reference}: ${input.subject}`,
      link: `/requests/${id}`,
      subjectType: 'info_request',
      subjectId: id,
      dedupeKey: `request-created:${id}`,
    });
    return { id, reference, questionId };
  });
}

async function topicName(ctx: Ctx, input: AskInput): Promise<string> {
  if (input.topicId) {
    const topic = (await repo.listTopics(ctx.db, false)).find((t) => t.id === input.topicId);
    if (!topic) throw badRequest('request_topic_unknown', 'That topic is not on the list; choose another or type your own.', { field: 'topicId' });
    return input.language === 'en' ? topic.name_en : topic.name_nl;
  }
  if (input.topic) return input.topic;
  throw badRequest('request_topic_missing', 'Choose a topic from the list or type your own.', { field: 'topic' });
}

/** A participant asks a question in the portal; they get an acknowledgement by mail. */
export async function askQuestion(ctx: Ctx, input: AskInput): Promise<RequestOut> {
  authorize(ctx.actor, 'requests:ask');
  const actor = ctx.actor;
  if (actor.organisationKind !== 'participant') throw forbidden('Only participants put questions to the CERT.');
  const topic = await topicName(ctx, input);
  const asker = await repo.userById(ctx.db, actor.userId);
  const id = await inTransaction(ctx, async (tx) => {
    const opened = await openRequest(tx, {
      organisationId: actor.organisationId,
      askerUserId: actor.userId,
      askerEmail: actor.email,
      askerName: asker?.name ?? null,
      topic,
      subject: input.subject,
      channel: 'portal',
      language: input.language,
      question: { body: input.body },
    });
    const row = (await repo.findRequest(tx.db, opened.id))!;
    const ack =
      input.language === 'en'
        ? `We received your question "${input.subject}" (${opened.reference}). A specialist of the CERT answers it; you can follow it in the portal.\n\nReply to this mail to add to your question.`
        : `We hebben uw vraag "${input.subject}" ontvangen (${opened.reference}). Een specialist van het CERT beantwoordt haar; u volgt haar in het portaal.\n\nBeantwoord deze mail om iets aan uw vraag toe te voegen.`;
    const messageId = await queueRequestMail(tx, { request: row, key: `request-ack:${opened.id}`, text: ack, thread: [] });
    // The question is known by the acknowledgement's Message-ID: a reply to it threads into the request.
    if (messageId && opened.questionId)
      await tx.db.updateTable('info_request_messages').set({ message_id: messageId }).where('id', '=', opened.questionId).execute();
    return opened.id;
  });
  return getRequest(ctx, id);
}

/** The asker (or a colleague) adds to the question in the portal: a closed or answered request reopens. */
export async function followUp(ctx: Ctx, id: string, body: string): Promise<RequestOut> {
  const row = await loadRequest(ctx, id, 'requests:ask');
  await inTransaction(ctx, async (tx) => {
    await repo.insertMessage(tx.db, {
      request_id: id,
      kind: 'question',
      channel: 'portal',
      author_user_id: tx.actor!.userId,
      from_address: tx.actor!.email,
      body,
    });
    await reopen(tx, row);
    await record(tx, { action: 'request.question', targetType: 'info_request', targetId: id });
  });
  return getRequest(ctx, id);
}

/** A new question reopens the request and restarts nothing else: the SLA is about the first answer. */
export async function reopen(ctx: Ctx, row: Pick<repo.RequestRow, 'id' | 'organisation_id' | 'status'>): Promise<void> {
  if (row.status !== 'new') await repo.updateRequest(ctx.db, row.id, { status: 'new', closed_at: null });
  else await repo.updateRequest(ctx.db, row.id, {});
  await publish(ctx, { type: 'request.changed', organisationId: row.organisation_id, data: { id: row.id } });
}

/** The CERT answers: the answer is mailed to the asker (signed, threaded) and the request is answered. */
export async function answer(ctx: Ctx, id: string, input: { body: string; close: boolean }): Promise<RequestOut> {
  const row = await loadRequest(ctx, id, 'requests:answer');
  await inTransaction(ctx, async (tx) => {
    const messageRowId = await repo.insertMessage(tx.db, {
      request_id: id,
      kind: 'answer',
      channel: row.channel === 'chat' ? 'portal' : row.channel,
      author_user_id: tx.actor!.userId,
      body: input.body,
    });
    const thread = await repo.threadMessageIds(tx.db, id);
    const messageId = await queueRequestMail(tx, { request: row, key: `request-answer:${messageRowId}`, text: input.body, thread });
    if (messageId) await tx.db.updateTable('info_request_messages').set({ message_id: messageId, channel: 'mail' }).where('id', '=', messageRowId).execute();
    const now = new Date();
    await repo.updateRequest(tx.db, id, {
      status: input.close ? 'closed' : 'answered',
      first_answered_at: row.first_answered_at ?? now,
      closed_at: input.close ? now : null,
      assignee_id: row.assignee_id ?? tx.actor!.userId,
    });
    await record(tx, { action: 'request.answer', targetType: 'info_request', targetId: id, details: { mailed: messageId !== null, close: input.close } });
    await publish(tx, { type: 'request.changed', organisationId: row.organisation_id, data: { id } });
  });
  return getRequest(ctx, id);
}

/** An internal note: CERT only, never shown to the participant, never mailed. */
export async function addNote(ctx: Ctx, id: string, body: string): Promise<RequestOut> {
  await loadRequest(ctx, id, 'requests:answer');
  await inTransaction(ctx, async (tx) => {
    await repo.insertMessage(tx.db, { request_id: id, kind: 'note', channel: 'portal', author_user_id: tx.actor!.userId, body });
    await repo.updateRequest(tx.db, id, {});
    await record(tx, { action: 'request.note', targetType: 'info_request', targetId: id });
    // organisationId null: CERT staff only.
    await publish(tx, { type: 'request.changed', organisationId: null, data: { id } });
  });
  return getRequest(ctx, id);
}

export async function patchRequest(
  ctx: Ctx,
  id: string,
  patch: { assigneeId?: string | null; status?: 'closed' | 'new'; topic?: string },
): Promise<RequestOut> {
  const row = await loadRequest(ctx, id, 'requests:answer');
  await inTransaction(ctx, async (tx) => {
    const values: Parameters<typeof repo.updateRequest>[2] = {};
    if (patch.assigneeId !== undefined) {
      if (patch.assigneeId !== null) {
        const user = await repo.userById(tx.db, patch.assigneeId);
        if (!user || !isCertRole(user.role))
          throw badRequest('request_assignee_not_cert', 'A request is assigned to a specialist of the CERT.', { field: 'assigneeId' });
      }
      values.assignee_id = patch.assigneeId;
    }
    if (patch.status === 'closed') {
      if (row.status === 'closed') throw conflict('request_already_closed', 'The request is closed already.');
      values.status = 'closed';
      values.closed_at = new Date();
    } else if (patch.status === 'new') {
      if (row.status !== 'closed') throw conflict('request_not_closed', 'Only a closed request is reopened.');
      values.status = 'new';
      values.closed_at = null;
    }
    if (patch.topic) values.topic = patch.topic;
    await repo.updateRequest(tx.db, id, values);
    await record(tx, { action: 'request.update', targetType: 'info_request', targetId: id, details: { ...patch } });
    await publish(tx, { type: 'request.changed', organisationId: row.organisation_id, data: { id } });
  });
  return getRequest(ctx, id);
}

/**
 * For the chat module: a chat becomes a plain request. The chat ends; the thread (its messages are
 * already the request's) stays, and the request is answered by portal and mail from here on.
 */
export async function chatToRequest(ctx: Ctx, id: string, opts: { subject?: string; topic?: string } = {}): Promise<RequestOut> {
  const row = await loadRequest(ctx, id, 'requests:answer');
  await inTransaction(ctx, async (tx) => {
    await repo.updateRequest(tx.db, id, { chat_state: 'ended', ...(opts.subject && { subject: opts.subject }), ...(opts.topic && { topic: opts.topic }) });
    await record(tx, { action: 'request.from_chat', targetType: 'info_request', targetId: id });
    await publish(tx, { type: 'request.changed', organisationId: row.organisation_id, data: { id } });
  });
  return getRequest(ctx, id);
}
