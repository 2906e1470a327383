import type { Ctx } from '#server/context.ts';
import { AppError, badRequest, conflict, notFound } from '#server/errors.ts';
import { authorize } from '#modules/access/policy.ts';
import { record } from '#modules/audit/audit.service.ts';
import { findActiveForSigning } from '#modules/keys/signing-key.repository.ts';
import { unlockedKey } from '#modules/keys/openpgp-key.ts';
import * as repo from './disclosure.repository.ts';
import { buildSecurityTxt, cleartextSign } from './security-txt.ts';

/**
 * Participants may delegate their coordinated vulnerability disclosure to the CERT: their
 * security.txt (RFC 9116) then sends finders to the CERT's form and address. The CERT records the
 * delegation; the file is made here for the CERT (CLI, UI) and for the participant's own users.
 */

/** RFC 9116 §2.5.5: Expires less than a year ahead. */
export const MAX_EXPIRES_DAYS = 365;
/** Canonical URLs taken from the organisation's domains: a few, as each is one more place to keep current. */
const MAX_CANONICAL = 3;
const DAY_MS = 86_400_000;

export interface Delegation {
  organisationId: string;
  name: string;
  delegated: boolean;
}

export async function setDelegation(ctx: Ctx, organisationId: string, delegated: boolean): Promise<Delegation> {
  authorize(ctx.actor, 'cvd:write');
  const org = await repo.organisationForDelegation(ctx.db, organisationId);
  if (!org) throw notFound('organisation');
  if (org.kind !== 'participant')
    throw conflict('cvd_delegation_participants_only', `Only participants delegate their CVD to the CERT; ${org.name} is a ${org.kind}.`);
  if (org.cvd_delegated !== delegated) {
    await repo.setDelegated(ctx.db, organisationId, delegated);
    await record(ctx, { action: 'cvd.delegation', targetType: 'organisation', targetId: organisationId, details: { delegated } });
  }
  return { organisationId, name: org.name, delegated };
}

export interface SecurityTxtOptions {
  /** Days until Expires, 1–365; default 365. */
  expiresDays?: number | undefined;
  /** OpenPGP cleartext-signed with the CERT's active key. */
  signed?: boolean | undefined;
  /** Where the participant will serve the file; default: https://<domain>/.well-known/security.txt for its approved domains. */
  canonical?: string[] | undefined;
}

export interface SecurityTxtFile {
  organisationId: string;
  name: string;
  expires: Date;
  signed: boolean;
  text: string;
}

/**
 * Expires at midnight UTC, `days` ahead (floored): a round date is easier to put in a calendar, and
 * the same file comes out all day long, from the UI and the CLI alike. Still in the future (at least
 * the coming midnight) and, at 365 days, less than a year ahead.
 */
export function expiresAfter(days: number, now: Date = new Date()): Date {
  const at = new Date(now.getTime() + days * DAY_MS);
  at.setUTCHours(0, 0, 0, 0);
  return at;
}

async function signingKey(ctx: Ctx) {
  const row = await findActiveForSigning(ctx.db);
  if (!row) throw new AppError('conflict', 'signing_key_missing', 'No active OpenPGP key: run “wachtpost keys rotate” or “wachtpost keys import <file>”.');
  if (row.expires_at && row.expires_at.getTime() <= Date.now())
    throw new AppError('conflict', 'signing_key_expired', 'The active OpenPGP key has expired: run “wachtpost keys rotate” or “wachtpost keys import <file>”.');
  return unlockedKey(row.fingerprint, row.private_key, ctx.services.config.keyPassphrase);
}

/** The security.txt for an organisation that delegated its CVD: the CERT's, or the organisation's own users'. */
export async function securityTxtFor(ctx: Ctx, organisationId: string, opts: SecurityTxtOptions = {}): Promise<SecurityTxtFile> {
  authorize(ctx.actor, 'organisations:read', { organisationId, notFoundAs: 'organisation' });
  const org = await repo.organisationForDelegation(ctx.db, organisationId);
  if (!org) throw notFound('organisation');
  if (!org.cvd_delegated)
    throw conflict(
      'cvd_not_delegated',
      `${org.name} has not delegated its coordinated vulnerability disclosure to the CERT, so there is no security.txt pointing at the CERT for it. The CERT records the delegation first.`,
    );
  const days = opts.expiresDays ?? MAX_EXPIRES_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRES_DAYS)
    throw badRequest('cvd_expires_days', `Expires is 1 to ${MAX_EXPIRES_DAYS} days ahead (RFC 9116 asks for less than a year).`, { field: 'expiresDays' });
  const c = ctx.services.config;
  // Every URL in the file must be https (RFC 9116 §2.5); say so plainly rather than with a field code.
  if (!c.publicUrl.startsWith('https://'))
    throw conflict(
      'cvd_public_url_not_https',
      `PUBLIC_URL is ${c.publicUrl}; a security.txt may only point at https:// addresses. Set PUBLIC_URL to the CERT's https address.`,
    );

  const canonical = opts.canonical ?? (await repo.approvedDomains(ctx.db, org.id, MAX_CANONICAL)).map((d) => `https://${d}/.well-known/security.txt`);
  const certName = (await repo.certName(ctx.db)) ?? 'the CERT';
  const expires = expiresAfter(days);
  const text = buildSecurityTxt({
    comment: `security.txt of ${org.name.replace(/\s+/g, ' ')}.\nVulnerability reports are handled by ${certName.replace(/\s+/g, ' ')} (coordinated vulnerability disclosure).`,
    contacts: [`${c.publicUrl}/cvd?org=${org.id}`, `mailto:${c.cvd.intakeAddress}`],
    expires,
    encryption: `${c.publicUrl}/cvd/pgp-key.asc`,
    acknowledgments: `${c.publicUrl}/cvd/acknowledgements`,
    preferredLanguages: ['nl', 'en'],
    canonical,
    csaf: [`${c.publicUrl}/.well-known/csaf/provider-metadata.json`],
  });
  if (!opts.signed) return { organisationId: org.id, name: org.name, expires, signed: false, text };
  const signed = await cleartextSign(text, await signingKey(ctx));
  // A file signed with the CERT's key on a participant's behalf: worth a line in the audit log.
  await record(ctx, { action: 'cvd.security_txt_signed', targetType: 'organisation', targetId: org.id, details: { expires: expires.toISOString() } });
  return { organisationId: org.id, name: org.name, expires, signed: true, text: signed };
}
