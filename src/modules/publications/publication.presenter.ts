import type { PublicationDetailOut, PublicationOut } from './publication.schema.ts';
import type { PublicationRow, VersionRow } from './publication.repository.ts';
import type { getPublication } from './publication.service.ts';

/** One publication as a list shows it: never the search vector, never who wrote it. */
export function presentPublication(p: Omit<PublicationRow, 'cursor_at'>, today = new Date().toISOString().slice(0, 10)): PublicationOut {
  return {
    id: p.id,
    ownerOrganisationId: p.owner_organisation_id,
    kind: p.kind,
    title: p.title,
    summary: p.summary,
    tags: p.tags,
    language: p.language,
    tlp: p.tlp,
    audience: { kind: p.audience, segments: p.audience_segments, contactRoles: p.audience_contact_roles },
    reviewBy: p.review_by,
    reviewOverdue: p.review_by !== null && p.review_by <= today && p.status !== 'withdrawn',
    status: p.status,
    currentVersion: p.current_version,
    publishedAt: p.published_at?.toISOString() ?? null,
    withdrawnAt: p.withdrawn_at?.toISOString() ?? null,
    updatedAt: p.updated_at.toISOString(),
  };
}

function presentVersion(v: VersionRow, current: number | null, editor: boolean) {
  return {
    version: v.version,
    source: v.source,
    fileName: v.file_name,
    sizeBytes: v.size_bytes,
    sha256: v.pdf_sha256,
    changeNote: editor ? v.change_note : '',
    createdAt: v.created_at.toISOString(),
    publishedAt: v.published_at?.toISOString() ?? null,
    current: v.version === current,
    downloads: editor ? v.downloads : null,
  };
}

/** The detail: readers get the current version only; the CERT every version, its counts and the recipients. */
export function presentDetail(d: Awaited<ReturnType<typeof getPublication>>): PublicationDetailOut {
  return {
    ...presentPublication(d.pub),
    withdrawnReason: d.editor ? d.pub.withdrawn_reason : null,
    recipients: d.recipients ? d.recipients.map((r) => ({ organisationId: r.organisationId, userId: r.userId })) : null,
    versions: d.versions.map((v) => presentVersion(v, d.pub.current_version, d.editor)),
    markdown: d.markdown,
    html: d.html,
  };
}
