import { inTransaction, type Ctx } from '#server/context.ts';
import { badRequest, conflict } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import { createCase } from '#modules/incidents/case.service.ts';
import { logReport } from '#modules/cvd/case.service.ts';
import { ReportInput } from '#modules/cvd/cvd.schema.ts';
import * as repo from './chat.repository.ts';
import { presentChat } from './chat.presenter.ts';
import { loadChat } from './chat.service.ts';
import type { ChatConvertInput, ChatConvertOut } from './chat.schema.ts';
import { notFound } from '#server/errors.ts';

/**
 * The conversation as plain text: the description of the case it becomes. It names the people who
 * wrote, never the organisation: a CVD case's parties must not learn who reported (the asker is the
 * finder there, and the finder redaction takes their name and address out of every party's view).
 */
function transcript(chat: repo.ChatRow, messages: Awaited<ReturnType<typeof repo.listMessages>>): string {
  const lines = messages.map((m) => `[${m.created_at.toISOString().slice(0, 16).replace('T', ' ')} UTC] ${m.author_name ?? 'unknown'}: ${m.body}`);
  return [`Secure chat ${chat.reference}: ${chat.subject}`, '', ...lines].join('\n');
}

/**
 * One step for the analyst: the chat becomes a request (it simply ends and stays a request with
 * channel 'chat'), an incident case or a CVD case for the request's organisation, created by those
 * modules' own intake. The chat ends, and a CERT-only note in the request links the new case.
 */
export async function convertChat(ctx: Ctx, id: string, input: ChatConvertInput): Promise<ChatConvertOut> {
  const { actor, chat } = await loadChat(ctx, id);
  authorize(actor, 'requests:answer');
  const result = await inTransaction(ctx, async (tx) => {
    const locked = await repo.lockChat(tx.db, chat.id);
    if (locked?.chat_state === 'ended' && input.to !== 'request')
      throw conflict('chat_ended', 'This chat has ended already; open the case from the request instead.');
    const messages = await repo.listMessages(tx.db, chat.id, { withNotes: false });
    const text = transcript(chat, messages).slice(0, 20_000);
    let made: { id: string; reference: string };
    switch (input.to) {
      case 'request':
        made = { id: chat.id, reference: chat.reference };
        break;
      case 'incident': {
        const c = await createCase(tx, { intake: 'analyst', organisationIds: [chat.organisation_id], title: input.title ?? chat.subject, description: text });
        made = { id: c.id, reference: c.reference };
        break;
      }
      case 'cvd': {
        const parsed = ReportInput.safeParse({
          targetKind: input.targetKind,
          target: input.target,
          vendor: input.vendor,
          product: input.product,
          title: input.title ?? chat.subject,
          description: text.padEnd(20, '.'),
          // The asker is the finder: their name and address are what the finder redaction keeps from the
          // parties, and what the finder's private link is sent to. No organisationId: that names whose
          // security.txt sent a finder here, not who reported.
          ...(chat.asker_name && { finderName: chat.asker_name }),
          ...(chat.asker_email && { finderEmail: chat.asker_email }),
        });
        if (!parsed.success) throw badRequest('cvd_report_invalid', parsed.error.issues[0]?.message ?? 'The CVD report is not complete.');
        const r = await logReport(tx, parsed.data);
        made = { id: r.case.id, reference: r.case.reference };
        break;
      }
    }
    const at = new Date();
    if (input.to !== 'request') {
      const kindName = input.to === 'incident' ? 'incident case' : 'CVD case';
      await repo.insertMessage(tx.db, {
        requestId: chat.id,
        kind: 'note',
        authorUserId: actor.userId,
        body: `Chat converted into ${kindName} ${made.reference} (${input.to}:${made.id}).`,
        at,
      });
    }
    if (locked?.chat_state !== 'ended') await repo.setChatState(tx.db, chat.id, { state: 'ended' });
    await record(tx, {
      action: 'chat.convert',
      targetType: 'info_request',
      targetId: chat.id,
      details: { to: input.to, id: made.id, reference: made.reference },
    });
    await publish(tx, { type: 'chat.state', organisationId: chat.organisation_id, data: { requestId: chat.id } });
    await publish(tx, { type: 'chat.queue', organisationId: null, data: { requestId: chat.id } });
    return made;
  });
  const after = await repo.findChat(ctx.db, chat.id);
  if (!after) throw notFound('chat');
  return { chat: presentChat(after), to: input.to, id: result.id, reference: result.reference };
}
