import { createHash } from 'node:crypto';
import { inTransaction, type Ctx } from '#server/context.ts';
import { AppError, badRequest, notFound } from '#server/errors.ts';
import { tlpRank } from '#lib/tlp.ts';
import type { MaterialKind, MeetingTlp } from '#db/schema-meetings.ts';
import { record } from '#modules/audit/audit.service.ts';
import { publish } from '#modules/realtime/realtime.service.ts';
import * as orgRepo from '#modules/organisations/organisation.repository.ts';
import { canSeeMaterial, loadMeeting } from './meeting-access.ts';
import { sniffMaterialType } from './material-type.ts';
import { presentMaterial } from './meeting.presenter.ts';
import * as repo from './meeting.repository.ts';

export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;

export interface MaterialUpload {
  kind: MaterialKind;
  title: string;
  tlp: MeetingTlp;
  /** Named organisations for AMBER and up; empty: those of the meeting. */
  recipients: string[];
  fileName: string;
  content: Buffer;
}

/**
 * Materials under TLP. A material is never more open than its meeting: its marking is the meeting's
 * or stricter, and its named organisations are among the meeting's (for a GREEN meeting, any). Left
 * empty, they are the meeting's own. A reader must see both the meeting and the material.
 */
export async function uploadMaterial(ctx: Ctx, meetingId: string, input: MaterialUpload) {
  return inTransaction(ctx, async (tx) => {
    const { meeting } = await loadMeeting(tx, meetingId, 'meetings:write');
    if (input.content.byteLength === 0) throw badRequest('material_empty', 'The file is empty.', { field: 'file' });
    const mediaType = sniffMaterialType(input.content, input.fileName);
    if (!mediaType)
      throw new AppError(
        'unsupported_media_type',
        'material_type_refused',
        'Upload PDF, an office document (pptx, docx, xlsx, odp, odt), PNG, JPEG or plain text.',
        { field: 'file' },
      );
    if (tlpRank(input.tlp) < tlpRank(meeting.tlp))
      throw badRequest('material_tlp_too_open', `A material may not be more open than its meeting (TLP:${meeting.tlp}).`, { field: 'tlp' });
    const meetingRecipients = (await repo.recipientsOf(tx.db, repo.MEETING_OBJECT, meeting.id)).map((r) => r.organisationId);
    let recipients: string[] = [];
    if (input.tlp !== 'GREEN') {
      recipients = input.recipients.length ? [...new Set(input.recipients)] : meetingRecipients;
      if (!recipients.length)
        throw badRequest('validation_failed', 'TLP:AMBER, AMBER+STRICT and RED materials name the organisations that may read them.', { field: 'recipients' });
      const known = await orgRepo.findOrganisationIds(tx.db, recipients);
      if (known.length !== recipients.length) throw badRequest('recipient_unknown', 'A named organisation does not exist.', { field: 'recipients' });
      if (meeting.tlp !== 'GREEN' && recipients.some((r) => !meetingRecipients.includes(r)))
        throw badRequest('material_tlp_too_open', 'A material may only name organisations invited to the meeting.', { field: 'recipients' });
    }
    const id = await repo.insertMaterial(tx.db, {
      meetingId: meeting.id,
      owner: meeting.owner_organisation_id,
      kind: input.kind,
      title: input.title,
      tlp: input.tlp,
      fileName: input.fileName,
      mediaType,
      content: input.content,
      sha256: createHash('sha256').update(input.content).digest('hex'),
      uploadedBy: tx.actor!.userId,
    });
    await repo.setRecipients(tx.db, repo.MATERIAL_OBJECT, id, recipients);
    await record(tx, {
      action: 'meeting.material.upload',
      targetType: 'meeting_material',
      targetId: id,
      details: { meetingId, tlp: input.tlp, recipients: recipients.length, sizeBytes: input.content.byteLength },
    });
    await publish(tx, { type: 'meeting.changed', organisationId: null, data: { id: meeting.id } });
    return presentMaterial((await repo.findMaterial(tx.db, meeting.id, id))!);
  });
}

/** A download, only through the meeting's and the material's markings; else it does not exist. */
export async function downloadMaterial(ctx: Ctx, meetingId: string, materialId: string) {
  const { actor } = await loadMeeting(ctx, meetingId, 'meetings:read');
  const material = await repo.findMaterial(ctx.db, meetingId, materialId);
  if (!material) throw notFound('material');
  if (!(await canSeeMaterial(ctx, actor, material))) {
    await record(ctx, {
      action: 'meeting.material.download',
      targetType: 'meeting_material',
      targetId: materialId,
      outcome: 'denied',
      details: { tlp: material.tlp },
    });
    throw notFound('material');
  }
  const content = await repo.materialContent(ctx.db, materialId);
  if (!content) throw notFound('material');
  if (material.tlp !== 'GREEN')
    await record(ctx, { action: 'meeting.material.download', targetType: 'meeting_material', targetId: materialId, details: { tlp: material.tlp } });
  return { material, content: Buffer.from(content.content) };
}
