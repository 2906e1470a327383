import { createHash } from 'node:crypto';
import { activeUserIdsOf } from '#modules/identity/users.repository.ts';
import { queueSignedMail } from '#modules/mail/signed-mail.ts';
import { encryptionRequired } from '#modules/distribution/delivery.service.ts';
import { notifyUsers } from '#modules/notifications/notification.service.ts';
import { inTransaction, type Ctx } from '#server/context.ts';
import * as repo from './finding.repository.ts';
import { findingLabel } from './finding-types.ts';
import { amsterdamDay } from './working-days.ts';

type Lang = 'nl' | 'en';
/** The marking of the daily mail: findings about one participant's systems are for that participant. */
const MAIL_TLP = 'AMBER';
type NewFinding = Awaited<ReturnType<typeof repo.claimNewFindings>>[number];

const TEXT = {
  nl: {
    subject: (n: number, day: string) => `[TLP:AMBER] Monitoring: ${n} nieuwe bevinding${n === 1 ? '' : 'en'} (${day})`,
    intro: (n: number) => `Bij de dagelijkse controle van uw systemen vonden wij ${n} nieuwe bevinding${n === 1 ? '' : 'en'}.`,
    reopened: 'opnieuw gezien na herstel',
    seen: 'laatst gezien',
    source: 'bron',
    portal: 'Bekijk de details, geef aan wat u ermee doet of meld het opgelost in het portaal:',
    tlp: 'TLP:AMBER — alleen voor uw organisatie en wie u nodig heeft om dit op te lossen.',
    fallback: (n: number, url: string) => `Monitoring: ${n} nieuwe bevinding${n === 1 ? '' : 'en'}. Bekijk ze in het portaal: ${url}`,
  },
  en: {
    subject: (n: number, day: string) => `[TLP:AMBER] Monitoring: ${n} new finding${n === 1 ? '' : 's'} (${day})`,
    intro: (n: number) => `Today's check of your systems found ${n} new finding${n === 1 ? '' : 's'}.`,
    reopened: 'seen again after it was resolved',
    seen: 'last seen',
    source: 'source',
    portal: 'See the details, say what you do about it, or mark it resolved in the portal:',
    tlp: 'TLP:AMBER — for your organisation and those it needs to fix this, no further.',
    fallback: (n: number, url: string) => `Monitoring: ${n} new finding${n === 1 ? '' : 's'}. See them in the portal: ${url}`,
  },
} as const;

/** One mail: the new findings grouped by type, most severe first, in the contact's language. */
export function composeDigest(lang: Lang, day: string, findings: readonly NewFinding[], portalUrl: string): { subject: string; text: string } {
  const t = TEXT[lang];
  const groups = new Map<string, NewFinding[]>();
  for (const f of findings) groups.set(f.type, [...(groups.get(f.type) ?? []), f]);
  const order = ['critical', 'high', 'medium', 'low', 'info'];
  const worst = (list: NewFinding[]) => Math.min(...list.map((f) => order.indexOf(f.severity)));
  const sections = [...groups.entries()]
    .sort((a, b) => worst(a[1]) - worst(b[1]) || a[0].localeCompare(b[0]))
    .map(([type, list]) => {
      const lines = list.map((f) => {
        const where = f.port ? `${f.subject}:${f.port}` : f.subject;
        const extra = [`${t.seen} ${f.last_seen.toISOString().slice(0, 16).replace('T', ' ')} UTC`, `${t.source} ${f.sources.join(', ')}`];
        if (f.reopened_count > 0) extra.unshift(t.reopened);
        return `  - ${where}${f.asset_value ? ` (${f.asset_value})` : ''} [${f.severity}] — ${extra.join('; ')}`;
      });
      return `${findingLabel(type, lang)} (${list.length})\n${lines.join('\n')}`;
    });
  return {
    subject: t.subject(findings.length, day),
    text: `${t.tlp}\n\n${t.intro(findings.length)}\n\n${sections.join('\n\n')}\n\n${t.portal}\n${portalUrl}\n\n${t.tlp}\n`,
  };
}

function languageOf(languages: readonly string[]): Lang {
  return languages[0] === 'en' ? 'en' : 'nl';
}

/**
 * The day's mail: one per participant contact with all new (and reopened) findings, through the
 * outbox, in the same transaction that marks them notified. A second run the same day finds nothing
 * new and sends nothing; the outbox key stops a repeat of the same mail. Each mail is PGP/MIME
 * signed with the CERT key and encrypted to the contact's key where it has a usable one; under the
 * policy "encrypted only from TLP:AMBER" a contact without one gets no mail (the findings wait in
 * the portal), and the log says so.
 */
export async function sendDailyDigests(ctx: Ctx): Promise<{ organisations: number; mails: number; findings: number }> {
  const day = amsterdamDay();
  let organisations = 0;
  let mails = 0;
  let findings = 0;
  for (const organisationId of await repo.organisationsWithNewFindings(ctx.db)) {
    // One organisation's failure (a contact row that breaks rendering, a lock timeout) leaves its
    // findings new for the next run and does not stop the others' mail.
    await inTransaction(ctx, async (tx) => {
      const fresh = await repo.claimNewFindings(tx.db, organisationId);
      if (!fresh.length) return;
      const contacts = await repo.monitoringContacts(tx.db, organisationId);
      const users = await activeUserIdsOf(tx.db, organisationId);
      const portalUrl = new URL('/monitoring', tx.services.config.publicUrl).toString();
      // The same findings make the same key: a repeat is dropped, a later batch the same day is not.
      const batchKey = createHash('sha256')
        .update(
          fresh
            .map((f) => f.id)
            .sort()
            .join(','),
        )
        .digest('hex')
        .slice(0, 16);
      for (const c of contacts) {
        const lang = languageOf(c.languages);
        const mail = composeDigest(lang, day, fresh, portalUrl);
        const outcome = await queueSignedMail(tx, {
          key: `monitoring-${organisationId}-${day}-${c.id}-${batchKey}`,
          to: c.email,
          toName: c.name,
          subject: mail.subject,
          text: mail.text,
          html: null,
          language: lang,
          headers: [
            ['Auto-Submitted', 'auto-generated'],
            ['X-Wachtpost-TLP', MAIL_TLP],
          ],
          encryptTo: c.pgp_public_key && c.pgp_fingerprint ? { fingerprint: c.pgp_fingerprint, armored: c.pgp_public_key } : null,
          requireEncryption: encryptionRequired(tx, MAIL_TLP),
          fallbackText: TEXT[lang].fallback(fresh.length, portalUrl),
        });
        if (outcome.queued) mails++;
        else tx.services.log.warn({ organisationId, contact: c.id }, 'monitoring mail held back: the policy wants TLP:AMBER mail encrypted and the contact has no usable key');
      }
      await notifyUsers(tx, users, {
        kind: 'monitoring.findings',
        title: `Monitoring: ${fresh.length} new finding${fresh.length === 1 ? '' : 's'}`,
        body: [...new Set(fresh.map((f) => findingLabel(f.type, 'en')))].join(', '),
        link: '/monitoring',
        subjectType: 'organisation',
        subjectId: organisationId,
        dedupeKey: `monitoring-digest:${organisationId}:${day}`,
      });
      await repo.markNotified(
        tx.db,
        fresh.map((f) => f.id),
      );
      organisations++;
      findings += fresh.length;
    }).catch((err: unknown) => ctx.services.log.error({ err, organisationId }, 'monitoring mail for an organisation failed; its findings stay new'));
  }
  return { organisations, mails, findings };
}
