import { isCertRole, type Role } from '#modules/access/permissions.ts';
import type { ChatMessageOut, ChatOut, ChatPerson } from './chat.schema.ts';
import type { ChatRow, MessageRow } from './chat.repository.ts';

function person(id: string | null, name: string | null, role: Role | null): ChatPerson | null {
  if (!id || name === null || role === null) return null;
  return { id, name, cert: isCertRole(role) };
}

export function presentChat(r: ChatRow): ChatOut {
  return {
    id: r.id,
    reference: r.reference,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    subject: r.subject,
    topic: r.topic,
    status: r.status,
    // Rows come from a query that only selects chats (chat_state not null).
    chatState: r.chat_state ?? 'ended',
    asker: person(r.asker_user_id, r.asker_name, r.asker_role),
    assignee: person(r.assignee_id, r.assignee_name, r.assignee_role),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function presentMessage(m: MessageRow): ChatMessageOut {
  return {
    id: m.id,
    requestId: m.request_id,
    kind: m.kind,
    channel: m.channel,
    author: person(m.author_user_id, m.author_name, m.author_role),
    body: m.body,
    createdAt: m.created_at.toISOString(),
  };
}

export function presentPeople(rows: readonly { id: string; name: string; role: Role }[]): ChatPerson[] {
  return rows.map((r) => ({ id: r.id, name: r.name, cert: isCertRole(r.role) })).sort((a, b) => a.name.localeCompare(b.name));
}
