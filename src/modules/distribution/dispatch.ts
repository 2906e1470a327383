import { z } from 'zod';
import type { Ctx } from '#server/context.ts';
import type { Mailer } from '#modules/mail/mailer.ts';
import type { OutboxHandler } from '#modules/mail/outbox.service.ts';
import type { ClaimedRow } from '#modules/mail/outbox.repository.ts';
import { signLink } from '#modules/keys/signed-link.ts';
import { parseMailbox } from '#modules/mail/signed-mail.ts';
import { alternativeEntity, encodeHeaderValue, formatAddress, message } from './mime.ts';
import { sharedCiphertextOf, signBody, type SignedBody } from './pgp-mime.ts';
import { encryptionPool, type EncryptionPool } from './encryption-pool.ts';
import { productSubject, renderProductMail, type Language, type ResponseLinks } from './templates/product-mail.ts';
import { loadProductMessage, PermanentFailure, type ProductMessage } from './product-message.ts';
import { reportFailingAddress } from './address-health.service.ts';

/**
 * The worker side of a product delivery: one outbox row per contact, rendered from the stored
 * revision, PGP/MIME signed with the CERT key and encrypted where the row carries the contact's
 * key. Body and signature are made once per revision and language set and reused for every
 * recipient; only alerts, whose answer links are personal, are signed per recipient.
 */

export const DispatchPayload = z.object({
  template: z.literal('product'),
  productId: z.string(),
  revision: z.number().int(),
  to: z.string(),
  name: z.string().nullable(),
  languages: z.array(z.enum(['nl', 'en'])).min(1),
  messageId: z.string(),
  /** The contact's public key as it was at publication: encrypt to it. */
  key: z.object({ fingerprint: z.string(), armored: z.string() }).nullable(),
  /** The policy wanted this mail encrypted: without a usable key it must not go out. */
  requireEncryption: z.boolean(),
});
export type DispatchPayload = z.infer<typeof DispatchPayload>;

export const ALERT_LINK_DAYS = 14;
const PREFERENCES_LINK_DAYS = 365;

/** Bounded memo: the oldest entry goes first. */
class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    if (this.map.size >= this.limit) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, value);
    return value;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

export interface DispatchStats {
  signMs: number;
  signatures: number;
  encryptMs: number;
}

/** The header values every recipient of a revision and language set gets, encoded once. */
interface SharedHeaders {
  from: string;
  subject: string;
  listId: string;
  product: string;
}

function sharedHeaders(config: Ctx['services']['config'], rev: ProductMessage, languages: Language[]): SharedHeaders {
  const sender = parseMailbox(config.mailFrom);
  const domain = new URL(config.publicUrl).hostname;
  return {
    from: formatAddress(sender.name, sender.address),
    subject: encodeHeaderValue(productSubject(rev.input, languages)),
    listId: `${encodeHeaderValue(`${rev.input.certName} ${rev.input.kind}`)} <${rev.input.kind}.${domain}>`,
    product: `${rev.input.identifier}; revision=${rev.input.revision}`,
  };
}

export function createDispatchHandler(mailer: Mailer, stats?: DispatchStats, pool: EncryptionPool = encryptionPool()): OutboxHandler {
  const revisions = new Memo<Promise<ProductMessage>>(32);
  const bodies = new Memo<Promise<SignedBody>>(128);
  const headers = new Memo<SharedHeaders>(128);

  async function responseLinks(ctx: Ctx, row: ClaimedRow, p: DispatchPayload, rev: ProductMessage): Promise<ResponseLinks | null> {
    if (rev.input.kind !== 'alert' || rev.input.withdrawnReason !== null || !row.contact_id || !row.organisation_id) return null;
    const expires = new Date(rev.input.publishedAt.getTime() + ALERT_LINK_DAYS * 86_400_000);
    const base = `${ctx.services.config.publicUrl}/respond/`;
    const link = async (s: keyof ResponseLinks) => base + (await signLink(ctx, 'alert-response', { p: p.productId, o: row.organisation_id!, c: row.contact_id!, s }, expires));
    return { received: await link('received'), not_affected: await link('not_affected'), mitigating: await link('mitigating'), patched: await link('patched') };
  }

  async function sign(ctx: Ctx, entity: string): Promise<SignedBody> {
    const body = await signBody(ctx, entity);
    if (stats) {
      stats.signMs += body.signMs;
      stats.signatures++;
    }
    return body;
  }

  /** Everything up to the SMTP conversation: the mail as it will leave, and the sending of it. */
  async function prepare(ctx: Ctx, row: ClaimedRow): Promise<() => Promise<void>> {
    const parsed = DispatchPayload.safeParse(row.payload);
    if (!parsed.success) throw new PermanentFailure(`Unreadable outbox payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const p = parsed.data;
    const revKey = `${p.productId}:${p.revision}`;
    const revPromise = revisions.get(revKey, () => loadProductMessage(ctx, p.productId, p.revision));
    revPromise.catch(() => revisions.delete(revKey));
    const rev = await revPromise;
    const links = await responseLinks(ctx, row, p, rev);
    const languages = p.languages as Language[];
    const rendered = () => renderProductMail(rev.input, languages, links);
    const makeBody = () => {
      const r = rendered();
      return sign(ctx, alternativeEntity(r.text, r.html, languages.join(', ')));
    };
    const bodyKey = `${revKey}:${languages.join('+')}`;
    let signed: SignedBody;
    if (links) signed = await makeBody();
    else {
      const promise = bodies.get(bodyKey, makeBody);
      promise.catch(() => bodies.delete(bodyKey));
      signed = await promise;
    }

    let entity: string | null = null;
    if (p.key) {
      const started = performance.now();
      entity = await pool.encrypt(await sharedCiphertextOf(signed), p.key, p.messageId);
      if (stats) stats.encryptMs += performance.now() - started;
    }
    if (entity === null) {
      // No key, or one that can no longer take mail (revoked, expired): signed only, where allowed.
      if (p.requireEncryption) throw new PermanentFailure(`The contact's OpenPGP key can no longer be used, and TLP:${rev.input.tlp} mail goes out encrypted only.`);
      entity = signed.entity;
    }

    const config = ctx.services.config;
    const shared = headers.get(bodyKey, () => sharedHeaders(config, rev, languages));
    const unsubscribe = row.contact_id
      ? `${config.publicUrl}/m/preferences/${await signLink(ctx, 'contact-preferences', { c: row.contact_id, k: rev.input.kind }, new Date(rev.input.publishedAt.getTime() + PREFERENCES_LINK_DAYS * 86_400_000))}`
      : `${config.publicUrl}/account`;
    const raw = message(
      [
        ['From', shared.from],
        ['To', formatAddress(p.name, p.to)],
        ['Subject', shared.subject],
        ['Date', new Date().toUTCString().replace('GMT', '+0000')],
        ['Message-ID', p.messageId],
        ['List-Id', shared.listId],
        ['List-Unsubscribe', `<${unsubscribe}>`],
        ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
        ['Precedence', 'list'],
        ['X-Wachtpost-Product', shared.product],
        ['X-Wachtpost-TLP', rev.input.tlp],
      ],
      entity,
    );
    // The envelope sender is the bounce address: delivery reports come back to the bounce intake.
    return () => mailer.sendRaw({ from: config.bounces.address, to: p.to }, raw);
  }

  return {
    prepare,
    async send(ctx, row) {
      await (await prepare(ctx, row))();
    },
    async onGiveUp(ctx, row, error, permanent) {
      if (permanent && row.contact_id && !(error.includes('OpenPGP key') || error.includes('outbox payload'))) await reportFailingAddress(ctx, row.contact_id, error);
    },
  };
}
