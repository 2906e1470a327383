import { z } from 'zod';
import type { Ctx } from '#server/context.ts';
import type { Mailer } from '#modules/mail/mailer.ts';
import type { OutboxHandler } from '#modules/mail/outbox.service.ts';
import { signLink } from '#modules/keys/signed-link.ts';
import { alternativeEntity, encodeHeaderValue, formatAddress, message } from '#modules/distribution/mime.ts';
import { encryptBody, signBody, usableForEncryption, type SignedBody } from '#modules/distribution/pgp-mime.ts';
import { PermanentFailure } from '#modules/distribution/product-message.ts';
import { reportFailingAddress } from '#modules/distribution/address-health.service.ts';
import { DigestSnapshot, versionFor, versionTlp } from './digest-content.ts';
import { SUBSCRIPTION_OF_DIGEST } from './digest-audience.ts';
import { digestSubject, renderDigestMail } from './templates/digest-mail.ts';
import * as repo from './digest.repository.ts';

/**
 * The worker side of a digest: one outbox row per contact naming the digest and the entries of the
 * contact's version. The mail is rendered from the snapshot taken at sending, signed once per
 * version and language set (every contact of a class shares the signed body), and encrypted per
 * contact whose row carries a key, as product mail is (distribution/pgp-mime.ts).
 */

export const DigestDispatchPayload = z.object({
  template: z.literal('digest'),
  digestId: z.string(),
  /** The entries of this contact's version, in the digest's order. */
  entryIds: z.array(z.string()),
  to: z.string(),
  name: z.string().nullable(),
  languages: z.array(z.enum(['nl', 'en'])).min(1),
  messageId: z.string(),
  key: z.object({ fingerprint: z.string(), armored: z.string() }).nullable(),
  requireEncryption: z.boolean(),
});
export type DigestDispatchPayload = z.infer<typeof DigestDispatchPayload>;

const PREFERENCES_LINK_DAYS = 365;

/** A bounded memo of promises: the oldest entry goes first, a failed one is forgotten. */
function memo<V>(limit: number) {
  const map = new Map<string, Promise<V>>();
  return (key: string, make: () => Promise<V>): Promise<V> => {
    const hit = map.get(key);
    if (hit) return hit;
    const value = make();
    value.catch(() => map.delete(key));
    if (map.size >= limit) map.delete(map.keys().next().value!);
    map.set(key, value);
    return value;
  };
}

/** "Name <address>" or a bare address, as MAIL_FROM holds it. */
function mailbox(from: string): { name: string | null; address: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return m ? { name: m[1]!.trim() || null, address: m[2]!.trim() } : { name: null, address: from.trim() };
}

async function loadSnapshot(ctx: Ctx, digestId: string): Promise<DigestSnapshot> {
  const row = await repo.findDigest(ctx.db, digestId);
  if (!row || row.status !== 'sent') throw new PermanentFailure(`Digest ${digestId} has not been sent.`);
  const parsed = DigestSnapshot.safeParse(row.snapshot);
  if (!parsed.success) throw new PermanentFailure(`The snapshot of digest ${digestId} cannot be read.`);
  return parsed.data;
}

export function createDigestHandler(mailer: Mailer): OutboxHandler {
  const snapshots = memo<DigestSnapshot>(16);
  const bodies = memo<SignedBody>(256);

  return {
    async send(ctx, row) {
      const parsed = DigestDispatchPayload.safeParse(row.payload);
      if (!parsed.success) throw new PermanentFailure(`Unreadable outbox payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const p = parsed.data;
      const snapshot = await snapshots(p.digestId, () => loadSnapshot(ctx, p.digestId));
      const version = versionFor(snapshot.content, new Set(p.entryIds));
      const tlp = versionTlp(version);
      const config = ctx.services.config;
      // One rendering and one signature per version and language set, shared by every contact of the class.
      const signed = await bodies(`${p.digestId}:${p.entryIds.join(',')}:${p.languages.join('+')}`, () => {
        const rendered = renderDigestMail(version, p.languages, `${config.publicUrl}/account`);
        return signBody(ctx, alternativeEntity(rendered.text, rendered.html, p.languages.join(', ')));
      });

      let entity = signed.entity;
      if (p.key && (await usableForEncryption(p.key.fingerprint, p.key.armored))) entity = await encryptBody(signed, p.key, p.messageId);
      else if (p.requireEncryption) throw new PermanentFailure(`The contact's OpenPGP key can no longer be used, and TLP:${tlp} mail goes out encrypted only.`);

      const list = SUBSCRIPTION_OF_DIGEST[snapshot.content.kind];
      const sender = mailbox(config.mailFrom);
      const domain = new URL(config.publicUrl).hostname;
      const expires = new Date(new Date(snapshot.sentAt).getTime() + PREFERENCES_LINK_DAYS * 86_400_000);
      const unsubscribe = row.contact_id
        ? `${config.publicUrl}/m/preferences/${await signLink(ctx, 'contact-preferences', { c: row.contact_id, l: list }, expires)}`
        : `${config.publicUrl}/account`;
      const raw = message(
        [
          ['From', formatAddress(sender.name, sender.address)],
          ['To', formatAddress(p.name, p.to)],
          ['Subject', encodeHeaderValue(digestSubject(version, p.languages))],
          ['Date', new Date().toUTCString().replace('GMT', '+0000')],
          ['Message-ID', p.messageId],
          ['List-Id', `${encodeHeaderValue(`${snapshot.content.certName} ${list.replace(/_/g, ' ')}`)} <${list.replace(/_/g, '-')}.${domain}>`],
          ['List-Unsubscribe', `<${unsubscribe}>`],
          ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
          ['Precedence', 'list'],
          ['X-Wachtpost-Digest', `${snapshot.content.kind}; period=${snapshot.content.period}`],
          ['X-Wachtpost-TLP', tlp],
        ],
        entity,
      );
      // The envelope sender is the bounce address: delivery reports come back to the bounce intake.
      await mailer.sendRaw({ from: config.bounces.address, to: p.to }, raw);
    },
    async onGiveUp(ctx, row, error, permanent) {
      if (
        permanent &&
        row.contact_id &&
        !(error.includes('OpenPGP key') || error.includes('outbox payload') || error.includes('Digest ') || error.includes('snapshot'))
      )
        await reportFailingAddress(ctx, row.contact_id, error);
    },
  };
}
