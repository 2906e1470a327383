import { simpleParser, type ParsedMail } from 'mailparser';

/**
 * Delivery status notifications (RFC 3464): the report a mail server sends back when it could not
 * deliver. Only a `multipart/report; report-type=delivery-status` counts; an auto-reply or a person
 * writing "Action: failed" in a plain mail is no bounce.
 */

export interface DsnRecipient {
  /** The address the report is about (Final-Recipient), lower-case. */
  recipient: string;
  action: string;
  /** The enhanced status code, e.g. 5.1.1. */
  status: string;
  diagnostic: string | null;
}

export interface Dsn {
  /** The Message-ID of the mail that bounced, from the returned headers or message. */
  originalMessageId: string | null;
  recipients: DsnRecipient[];
}

/** A permanent failure: the report says failed with a 5.x.x status. Delays (4.x.x) are not. */
export function isPermanent(r: DsnRecipient): boolean {
  return r.action === 'failed' && r.status.startsWith('5.');
}

export async function parseDsn(raw: Buffer): Promise<Dsn | null> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true });
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (type?.value?.toLowerCase() !== 'multipart/report' || type.params?.['report-type']?.toLowerCase() !== 'delivery-status') return null;
  return { originalMessageId: originalMessageId(mail), recipients: recipientFields(mail.text ?? '') };
}

// mailparser folds the message/delivery-status part into the text: the per-recipient groups are
// the blocks (separated by blank lines) that carry a Final-Recipient field.
function recipientFields(text: string): DsnRecipient[] {
  const out: DsnRecipient[] = [];
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    const fields = new Map<string, string>();
    let last: string | null = null;
    for (const line of block.split(/\r?\n/)) {
      if (/^\s/.test(line) && last) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      fields.set(last, m[2]!.trim());
    }
    const final = fields.get('final-recipient');
    const action = fields.get('action');
    const status = fields.get('status');
    if (!final || !action || !status) continue;
    const address = final.includes(';') ? final.slice(final.indexOf(';') + 1) : final;
    out.push({
      recipient: address.trim().replace(/^<|>$/g, '').toLowerCase(),
      action: action.toLowerCase(),
      status: status.split(/\s/)[0]!,
      diagnostic: fields.get('diagnostic-code') ?? null,
    });
  }
  return out;
}

function originalMessageId(mail: ParsedMail): string | null {
  for (const a of mail.attachments) {
    const type = a.contentType.toLowerCase();
    if (type !== 'text/rfc822-headers' && type !== 'message/rfc822') continue;
    const headers = a.content.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
    const m = /^Message-ID:\s*(<[^>\s]+>)/im.exec(headers);
    if (m) return m[1]!;
  }
  return null;
}
