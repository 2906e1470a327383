// Distribution at scale: one advisory delivered to 5,000 contacts (20 % with their own OpenPGP keys,
// so signed and encrypted) through the real worker (createDispatchHandler + drainOutbox) to an SMTP
// server in a process of its own (test/helpers/smtp-sink-process.mjs) on 127.0.0.1. Side by side,
// the baseline of mailing scripts: one `gpg --sign` process per message, over the same 5,000
// message bodies, one after another. Prints one JSON line.
// Options: --contacts N (default 5000), --keyed-share F (default 0.2), --baseline-messages N (default:
// all contacts), --concurrency N (default 8).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { generateKey } from 'openpgp';
import pino from 'pino';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadConfig } from '../src/server/config.ts';
import { systemContext, type Ctx } from '../src/server/context.ts';
import { buildActor } from '../src/modules/identity/actor-builder.ts';
import { findUserWithOrgById } from '../src/modules/identity/identity.repository.ts';
import { insertUser } from '../src/modules/identity/users.repository.ts';
import * as orgRepo from '../src/modules/organisations/organisation.repository.ts';
import { insertContact } from '../src/modules/organisations/contact.repository.ts';
import { parsePublicKey } from '../src/modules/organisations/pgp-key.ts';
import { ensureSigningKey } from '../src/modules/keys/signing-key.service.ts';
import * as drafts from '../src/modules/advisories/advisory.service.ts';
import { publish } from '../src/modules/advisories/publication.service.ts';
import { createMailer } from '../src/modules/mail/mailer.ts';
import { drainOutbox } from '../src/modules/mail/outbox.service.ts';
import { createDispatchHandler, type DispatchStats } from '../src/modules/distribution/dispatch.ts';
import { alternativeEntity } from '../src/modules/distribution/mime.ts';
import { loadProductMessage } from '../src/modules/distribution/product-message.ts';
import { renderProductMail } from '../src/modules/distribution/templates/product-mail.ts';
import { makeContent } from './lib/advisory-content.ts';
import { lcg, round } from './lib/measure.ts';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '5000' },
    'keyed-share': { type: 'string', default: '0.2' },
    'baseline-messages': { type: 'string' },
    concurrency: { type: 'string', default: '8' },
  },
});
const N = Number(values.contacts);
const KEYED = Math.round(N * Number(values['keyed-share']));
const BASELINE_N = Math.min(N, Number(values['baseline-messages'] ?? N));
const CONCURRENCY = Number(values.concurrency);
if (!(N > 0 && BASELINE_N > 0 && CONCURRENCY > 0 && KEYED >= 0 && KEYED <= N)) throw new Error('--contacts, --baseline-messages and --concurrency take positive numbers, --keyed-share a fraction');
const MESSAGES_PER_S_TARGET = 500;
const RATIO_TARGET = 2.4;
const GPG = '/usr/bin/gpg';

const root = path.resolve(import.meta.dirname, '..');
const log = pino({ level: 'silent' });

// ---- the SMTP server, in its own process
const sink = spawn(process.execPath, [path.join(root, 'test/helpers/smtp-sink-process.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
let received = 0;
const port = await new Promise<number>((resolve) => {
  readline.createInterface({ input: sink.stdout }).on('line', (line) => {
    if (line.startsWith('PORT ')) resolve(Number(line.slice(5)));
    else if (line.startsWith('MSG ')) received++;
  });
});

// ---- the installation
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://wachtpost.bench.example', SMTP_URL: `smtp://127.0.0.1:${port}`, ...(process.env.DATABASE_URL && { DATABASE_URL: process.env.DATABASE_URL }) });
const database = await openDatabase({ databaseUrl: config.databaseUrl });
await migrate(database);
const system: Ctx = systemContext({ config, database, log }, 'bench');
const db = database.db;
await ensureSigningKey(system);
const cert = (await orgRepo.findCert(db)) ?? (await orgRepo.insertOrganisation(db, { kind: 'cert', name: 'CERT voor de zorg', shortName: null, segment: null, membershipStatus: 'active', memberSince: null, memberUntil: null }));
const tag = Date.now().toString(36);
const asActor = async (role: 'cert-analyst' | 'cert-admin', i: number): Promise<Ctx> => {
  const u = await insertUser(db, { email: `bench-${tag}-${i}@cert.example`, name: `Bench ${i}`, role, organisationId: cert.id, passwordHash: null, status: 'active' });
  return { ...system, actor: await buildActor(db, (await findUserWithOrgById(db, u.id))!, { sessionId: 'bench' }) };
};
const [author, reviewer1, reviewer2] = [await asActor('cert-analyst', 1), await asActor('cert-analyst', 2), await asActor('cert-admin', 3)];

// ---- 5,000 contacts in 100 organisations, every fifth with a key of its own (generated here)
const setupStarted = performance.now();
const rnd = lcg(42);
const orgCount = Math.max(1, Math.ceil(N / 50));
const orgIds: string[] = [];
for (let o = 0; o < orgCount; o++) {
  const org = await orgRepo.insertOrganisation(db, { kind: 'participant', name: `Zorginstelling ${tag}-${o}`, shortName: null, segment: 'hospital', membershipStatus: 'active', memberSince: null, memberUntil: null });
  orgIds.push(org.id);
}
for (let i = 0; i < N; i++) {
  let pgp = { pgp_public_key: null as string | null, pgp_fingerprint: null as string | null, pgp_user_ids: null as string[] | null, pgp_expires_at: null as Date | null };
  if (i % Math.round(N / Math.max(1, KEYED)) === 0 && i / Math.round(N / Math.max(1, KEYED)) < KEYED) {
    const { publicKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: `contact${i}@instelling.example` }], format: 'armored' });
    const parsed = await parsePublicKey(publicKey);
    pgp = { pgp_public_key: parsed.armored, pgp_fingerprint: parsed.fingerprint, pgp_user_ids: parsed.userIds, pgp_expires_at: parsed.expiresAt };
  }
  await insertContact(db, orgIds[i % orgCount]!, {
    name: `Contact ${i}`,
    email: `contact${i}@instelling${i % orgCount}.example`,
    kind: 'person',
    roles: [],
    languages: rnd() < 0.8 ? ['nl'] : rnd() < 0.5 ? ['en'] : ['nl', 'en'],
    phone: null,
    subscriptions: ['advisories'],
    ...pgp,
    user_id: null,
  });
}
const setupMs = performance.now() - setupStarted;

// ---- publish (the transaction writes one outbox row per contact), then deliver
let cve = 9000;
const content = makeContent('advisory', { rnd: lcg(7), year: 2026, nextCve: () => cve++ });
const id = await drafts.createProduct(author, { kind: 'advisory', tlp: 'GREEN', recipients: [], content });
await drafts.submitForReview(author, id, undefined);
await drafts.approve(reviewer1, id);
await drafts.approve(reviewer2, id).catch(() => undefined);
const publishStarted = performance.now();
const published = await publish(reviewer1, id);
const publishMs = performance.now() - publishStarted;
const expected = published.audience.contacts;
const encrypted = published.audience.encrypted;

const mailer = createMailer(config.smtpUrl, config.mailFrom, log, { maxConnections: CONCURRENCY });
const stats: DispatchStats = { signMs: 0, signatures: 0, encryptMs: 0 };
const handler = createDispatchHandler(mailer, stats);
const receivedBefore = received;
const deliverStarted = performance.now();
const sent = await drainOutbox(system, { dispatch: handler }, { concurrency: CONCURRENCY, batch: 200, leaseSeconds: 120 });
while (received - receivedBefore < sent) await new Promise((r) => setTimeout(r, 5));
const deliverMs = performance.now() - deliverStarted;
mailer.close();
const messagesPerS = sent / (deliverMs / 1000);

// ---- the baseline: one gpg process per message, signing each message body (as mailing scripts do)
let gpgPerS: number | null = null;
let baselineMs = 0;
const haveGpg = spawnSync(GPG, ['--version']).status === 0;
if (haveGpg) {
  const home = mkdtempSync(path.join(tmpdir(), 'wp-bench-gpg-'));
  try {
    const key = await db.selectFrom('signing_keys').select(['private_key', 'fingerprint']).where('status', '=', 'active').executeTakeFirstOrThrow();
    writeFileSync(path.join(home, 'key.asc'), key.private_key);
    spawnSync(GPG, ['--batch', '--homedir', home, '--import', path.join(home, 'key.asc')], { stdio: 'ignore' });
    const message = await loadProductMessage(system, id, published.revision);
    const bodies = (['nl', 'en'] as const).map((l) => {
      const r = renderProductMail(message.input, [l]);
      return alternativeEntity(r.text, r.html, l);
    });
    const started = performance.now();
    for (let i = 0; i < BASELINE_N; i++) {
      const r = spawnSync(GPG, ['--batch', '--homedir', home, '--pinentry-mode', 'loopback', '--passphrase', '', '--local-user', key.fingerprint, '--armor', '--detach-sign'], { input: bodies[i % 5 === 4 ? 1 : 0] });
      if (r.status !== 0) throw new Error(`gpg --sign failed: ${r.stderr.toString()}`);
    }
    baselineMs = performance.now() - started;
    gpgPerS = BASELINE_N / (baselineMs / 1000);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

sink.kill('SIGTERM');
await database.close();

console.log(
  JSON.stringify({
    bench: 'distribution',
    messages_per_s: round(messagesPerS, 1),
    gpg_baseline_messages_per_s: gpgPerS === null ? null : round(gpgPerS, 1),
    ratio_vs_gpg: gpgPerS === null ? null : round(messagesPerS / gpgPerS, 2),
    signing_share: round(stats.signMs / deliverMs, 4),
    delivered: received - receivedBefore,
    expected,
    encrypted,
    signatures: stats.signatures,
    // Lane time spent waiting for encryption (the lanes wait side by side, hence the division).
    encrypt_lane_share: round(stats.encryptMs / (deliverMs * CONCURRENCY), 4),
    deliver_ms: round(deliverMs, 0),
    publish_ms: round(publishMs, 0),
    setup_ms: round(setupMs, 0),
    baseline_messages: BASELINE_N,
    baseline_ms: round(baselineMs, 0),
    concurrency: CONCURRENCY,
    database: config.databaseUrl ? 'postgresql' : 'pglite',
    targets: { messages_per_s: MESSAGES_PER_S_TARGET, ratio_vs_gpg: RATIO_TARGET },
    met: { messages_per_s: messagesPerS >= MESSAGES_PER_S_TARGET, ratio_vs_gpg: gpgPerS === null ? null : messagesPerS / gpgPerS >= RATIO_TARGET },
    loadavg_1m: round(loadavg()[0]!, 2),
  }),
);
