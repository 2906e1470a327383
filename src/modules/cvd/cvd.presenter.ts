import type { CvdScope } from '#db/schema-cvd.ts';
import type * as repo from './cvd.repository.ts';
import type { AttachmentOut, CvdCaseOut, CvdSummaryOut, FinderViewOut, MessageOut, PartyOut, PartyViewOut } from './cvd.schema.ts';
import { disclosureState, firstResponseState, type Overrides } from './deadlines.ts';
import { redactFinder } from './finder-redaction.ts';

/**
 * Three readers, three views. The CERT sees everything. A party (participant, manufacturer, other
 * CERT) sees the report without the finder and only its own channel. The finder sees their report,
 * the progress and their own channel, with the parties unnamed. Names cross over only when both
 * sides agreed (the finder's `finder_shares_identity` and the party's `shares_identity`).
 */

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function scopeOut(scope: CvdScope) {
  return { organisations: scope.organisations, checkedAt: scope.checkedAt, outOfScope: scope.checkedAt !== null && scope.organisations.length === 0 };
}

export function presentParty(p: repo.CvdPartyRow): PartyOut {
  return {
    id: p.id,
    kind: p.kind,
    organisationId: p.organisation_id,
    name: p.name,
    email: p.email,
    status: p.status,
    sharesIdentity: p.shares_identity,
    hasPrivateLink: p.token_hash !== null,
    language: p.language,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

export function presentAttachment(a: repo.CvdAttachmentRow): AttachmentOut {
  return {
    id: a.id,
    partyId: a.party_id,
    fileName: a.file_name,
    contentType: a.content_type,
    sizeBytes: Number(a.size_bytes),
    sha256: a.sha256,
    sharedWith: a.shared_with,
    createdAt: a.created_at.toISOString(),
  };
}

function attachmentsOfMessage(all: readonly repo.CvdAttachmentRow[], messageId: string) {
  return all.filter((a) => a.message_id === messageId).map((a) => ({ id: a.id, fileName: a.file_name, sizeBytes: Number(a.size_bytes), sha256: a.sha256 }));
}

/** The label of who wrote a message, for the CERT (it may know everyone). */
function certAuthor(m: repo.MessageWithAuthor, parties: readonly repo.CvdPartyRow[]): string {
  if (m.direction !== 'in') return m.author_name ?? 'CERT';
  const p = parties.find((x) => x.id === m.party_id);
  if (!p) return 'Party';
  if (p.kind === 'finder') return p.name ? `${p.name} (finder)` : 'Finder (anonymous)';
  return m.author_name ? `${m.author_name}, ${p.name}` : p.name;
}

export function presentCase(
  c: repo.CvdCaseRow,
  d: {
    parties: readonly repo.CvdPartyRow[];
    messages: readonly repo.MessageWithAuthor[];
    attachments: readonly repo.CvdAttachmentRow[];
    events: Awaited<ReturnType<typeof repo.eventsOf>>;
    advisory: { id: string; identifier: string | null; status: string } | null;
    assignee: { id: string; name: string } | null;
    overrides: Overrides;
    now: Date;
  },
): CvdCaseOut {
  const closed = c.closed_at !== null;
  const fr = firstResponseState({ due: c.first_response_due, metAt: c.first_response_at, closed, now: d.now, overrides: d.overrides });
  const disc = disclosureState({ due: c.disclosure_due, closed, now: d.now });
  return {
    id: c.id,
    reference: c.reference,
    status: c.status,
    intake: c.intake,
    targetKind: c.target_kind,
    target: c.target,
    vendor: c.vendor,
    product: c.product,
    model: c.model,
    version: c.version,
    title: c.title,
    description: c.description,
    steps: c.steps,
    impact: c.impact,
    credit: c.credit,
    creditName: c.credit_name,
    finderSharesIdentity: c.finder_shares_identity,
    finderSharesAttachments: c.finder_shares_attachments,
    encrypted: c.encrypted,
    language: c.language,
    scope: scopeOut(c.scope),
    cveId: c.cve_id,
    cweId: c.cwe_id,
    cvssVector: c.cvss_vector,
    advisory: d.advisory,
    assignee: d.assignee,
    receivedAt: c.received_at.toISOString(),
    firstResponse: { due: c.first_response_due.toISOString(), metAt: iso(c.first_response_at), state: fr.state, workingDaysLeft: fr.workingDaysLeft },
    disclosure: { due: c.disclosure_due, state: disc.state, daysLeft: disc.daysLeft, disclosedAt: iso(c.disclosed_at) },
    closedAt: iso(c.closed_at),
    parties: d.parties.map(presentParty),
    messages: d.messages.map(
      (m): MessageOut => ({
        id: m.id,
        partyId: m.party_id,
        direction: m.direction,
        body: m.body,
        author: certAuthor(m, d.parties),
        relayedFromId: m.relayed_from_id,
        attachments: attachmentsOfMessage(d.attachments, m.id),
        createdAt: m.created_at.toISOString(),
      }),
    ),
    attachments: d.attachments.map(presentAttachment),
    events: d.events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, text: e.text, reason: e.reason, actor: e.actor_name })),
  };
}

export function presentSummary(r: Awaited<ReturnType<typeof repo.listCases>>[number], overrides: Overrides, now: Date): CvdSummaryOut {
  const fr = firstResponseState({ due: r.first_response_due, metAt: r.first_response_at, closed: r.closed_at !== null, now, overrides });
  const concerns = r.target_kind === 'product' ? [r.vendor, r.product, r.model].filter(Boolean).join(' ') : (r.target ?? '');
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    title: r.title,
    targetKind: r.target_kind,
    concerns,
    receivedAt: r.received_at.toISOString(),
    firstResponse: { due: r.first_response_due.toISOString(), metAt: iso(r.first_response_at), state: fr.state, workingDaysLeft: fr.workingDaysLeft },
    disclosureDue: r.disclosure_due,
    parties: Number(r.party_count),
  };
}

/** A channel as its party (or the finder) reads it: 'out' is the CERT, 'in' is the reader. */
function channelMessages(messages: readonly repo.MessageWithAuthor[], attachments: readonly repo.CvdAttachmentRow[], partyId: string, selfLabel: string): MessageOut[] {
  return messages
    .filter((m) => m.party_id === partyId && m.direction !== 'note')
    .map((m) => ({
      id: m.id,
      partyId: m.party_id,
      direction: m.direction,
      body: m.body,
      author: m.direction === 'out' ? 'CERT' : selfLabel,
      // Which other party's message the CERT passed on is the CERT's business.
      relayedFromId: null,
      attachments: attachmentsOfMessage(
        attachments.filter((a) => visibleTo(a, partyId)),
        m.id,
      ),
      createdAt: m.created_at.toISOString(),
    }));
}

/** An attachment a party may see: one it handed in, or one the CERT passed on to it. */
export function visibleTo(a: repo.CvdAttachmentRow, partyId: string): boolean {
  return a.party_id === partyId || a.shared_with.includes(partyId);
}

function partyAttachment(a: repo.CvdAttachmentRow): AttachmentOut {
  // Who handed it in and who else got it are not the reader's business.
  return { ...presentAttachment(a), partyId: null, sharedWith: [] };
}

export function presentPartyView(
  c: repo.CvdCaseRow,
  party: repo.CvdPartyRow,
  d: { finder: repo.CvdPartyRow | undefined; messages: readonly repo.MessageWithAuthor[]; attachments: readonly repo.CvdAttachmentRow[] },
): PartyViewOut {
  const mutual = c.finder_shares_identity && party.shares_identity && d.finder !== undefined && d.finder.name !== '';
  // The finder's own words may name them (a signature, "found by …"): scrubbed unless both agreed.
  const text = (s: string) => (mutual ? s : redactFinder(s, d.finder));
  return {
    id: c.id,
    reference: c.reference,
    status: c.status,
    targetKind: c.target_kind,
    target: c.target,
    vendor: c.vendor,
    product: c.product,
    model: c.model,
    version: c.version,
    title: text(c.title),
    description: text(c.description),
    steps: text(c.steps),
    impact: text(c.impact),
    cveId: c.cve_id,
    disclosureDue: c.disclosure_due,
    party: { id: party.id, kind: party.kind, status: party.status, sharesIdentity: party.shares_identity },
    finder: mutual && d.finder ? { name: d.finder.name, email: d.finder.email } : null,
    messages: channelMessages(d.messages, d.attachments, party.id, party.name || 'You'),
    attachments: d.attachments.filter((a) => visibleTo(a, party.id)).map(partyAttachment),
  };
}

export function presentFinderView(
  c: repo.CvdCaseRow,
  finder: repo.CvdPartyRow,
  d: { parties: readonly repo.CvdPartyRow[]; messages: readonly repo.MessageWithAuthor[]; attachments: readonly repo.CvdAttachmentRow[]; advisoryUrl: string | null },
): FinderViewOut {
  return {
    reference: c.reference,
    status: c.status,
    title: c.title,
    description: c.description,
    steps: c.steps,
    impact: c.impact,
    targetKind: c.target_kind,
    target: c.target,
    vendor: c.vendor,
    product: c.product,
    receivedAt: c.received_at.toISOString(),
    firstResponseDue: c.first_response_due.toISOString(),
    firstResponseAt: iso(c.first_response_at),
    disclosureDue: c.disclosure_due,
    credit: c.credit,
    creditName: c.credit_name,
    sharesIdentity: c.finder_shares_identity,
    cveId: c.cve_id,
    advisoryUrl: d.advisoryUrl,
    parties: d.parties
      .filter((p) => p.kind !== 'finder')
      .map((p) => ({ kind: p.kind, status: p.status, name: c.finder_shares_identity && p.shares_identity ? p.name : null })),
    messages: channelMessages(d.messages, d.attachments, finder.id, 'You'),
    attachments: d.attachments.filter((a) => visibleTo(a, finder.id)).map(partyAttachment),
  };
}
