import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The environment, parsed once at boot; a wrong value stops the start with a sentence saying which. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  WACHTPOST_DATA_DIR: z.string().default('./data'),
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().default('Wachtpost <noreply@cert.example>'),
  // Where bounces (delivery status notifications) go: the envelope sender of product mail. Default: the MAIL_FROM address.
  BOUNCE_ADDRESS: z.string().optional(),
  BOUNCE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
  PARTICIPANT_MFA_REQUIRED: bool.default(false),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WACHTPOST_KEY_PASSPHRASE: z.string().min(12, 'WACHTPOST_KEY_PASSPHRASE must be at least 12 characters.').optional(),
  PRODUCT_ID_SCHEME: z
    .string()
    .regex(/\{seq(:\d)?\}/, 'PRODUCT_ID_SCHEME must contain {seq} or {seq:N}, e.g. WP-{year}-{seq:4}.')
    .default('WP-{kind}{year}-{seq:4}'),
  CSAF_IMPORT_ALLOWED_HOSTS: z.string().default(''),
  SECURITY_CONTACT: z.string().default('mailto:cert@cert.example'),
  MAIL_ENCRYPT_FROM_TLP: z.enum(['none', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'], 'MAIL_ENCRYPT_FROM_TLP is none, GREEN, AMBER, AMBER+STRICT or RED.').default('none'),
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  WEBHOOK_ALLOWED_HOSTS: z.string().default(''),
  ALERT_REMINDER_MINUTES: z.coerce.number().int().min(1).default(120),
  MONITORING_DNS_SERVERS: z
    .string()
    .regex(/^[0-9a-fA-F.:[\], ]*$/, 'MONITORING_DNS_SERVERS is a comma-separated list of resolver addresses, e.g. 192.0.2.53 or 127.0.0.1:5353.')
    .default(''),
  MONITORING_DNS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  MONITORING_DNS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  MONITORING_DAILY_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'MONITORING_DAILY_TIME is HH:MM (Europe/Amsterdam), e.g. 07:00.').default('07:00'),
  MONITORING_INBOX_DIR: z.string().optional(),
  MONITORING_MAX_ADDRESSES_PER_RANGE: z.coerce.number().int().min(1).max(1_048_576).default(4096),
  MONITORING_FEED_ALLOWED_HOSTS: z.string().default(''),
  MONITORING_FEED_DIR: z.string().optional(),
  MONITORING_FEED_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(50 * 1024 * 1024),
  MONITORING_FEED_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(120_000),
  MONITORING_INTAKE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MONITORING_INTAKE_ADDRESS: z.string().default('monitoring@cert.example'),
  MONITORING_INTAKE_SENDERS: z
    .string()
    .regex(
      /^\s*(([^\s@,]*@)?[a-z0-9.-]+\s*(,\s*|$))*$/i,
      'MONITORING_INTAKE_SENDERS is a comma-separated list of addresses and domains, e.g. shadowserver.org,reports@partner.example.',
    )
    .default(''),
  INCIDENT_EVIDENCE_DIR: z.string().optional(),
  INCIDENT_EVIDENCE_MAX_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 ** 3),
  INCIDENT_EVIDENCE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'INCIDENT_EVIDENCE_KEY is 32 random bytes in base64 (openssl rand -base64 32).')
    .optional(),
  INCIDENT_INTAKE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INCIDENT_INTAKE_ADDRESS: z.string().default('incident@cert.example'),
  INCIDENT_REMINDER_HOURS: z.coerce.number().int().min(1).max(72).default(6),
  CVD_INTAKE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CVD_INTAKE_ADDRESS: z.string().default('cvd@cert.example'),
  REQUESTS_INTAKE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  REQUESTS_INTAKE_ADDRESS: z.string().default('vragen@cert.example'),
  REQUESTS_SLA_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(2),
  INTAKE_ALLOWED_HOSTS: z.string().default(''),
  INTAKE_FETCH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  INTAKE_MAX_MB: z.coerce.number().int().min(1).max(500).default(50),
  INTAKE_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INTAKE_SMTP_ADDRESS: z.string().default('intake@cert.example'),
  CVD_DISCLOSURE_DAYS: z.coerce.number().int().min(1).max(730).default(90),
  CVD_FORM_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
  CVD_FORM_MIN_SECONDS: z.coerce.number().int().min(0).max(600).default(3),
  CVD_ATTACHMENT_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  CVD_CNA_SHORT_NAME: z.string().regex(/^[A-Za-z0-9_-]{2,32}$/, 'CVD_CNA_SHORT_NAME is the CNA short name, e.g. CERTzorg.').default('Wachtpost'),
  CVD_CNA_ORG_ID: z.uuid('CVD_CNA_ORG_ID is the CNA organisation UUID the CVE Program gave you.').default('00000000-0000-4000-8000-000000000000'),
  DIGESTS_WEEK_SEND_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'DIGESTS_WEEK_SEND_TIME is HH:MM (Europe/Amsterdam), e.g. 16:00.').default('16:00'),
  DIGESTS_MONTH_SEND_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'DIGESTS_MONTH_SEND_TIME is HH:MM (Europe/Amsterdam), e.g. 10:00.').default('10:00'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  participantMfaRequired: boolean;
  trustProxy: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Protects the CERT's private OpenPGP key in the database; without it the key is stored unprotected. */
  keyPassphrase: string | undefined;
  /** e.g. "WP-{kind}{year}-{seq:4}": {kind} is "" for advisories, "INFO-" and "ALERT-" for the others. */
  productIdScheme: string;
  /** Hosts from which a CSAF document may be imported by URL (exact host names). */
  csafImportAllowedHosts: string[];
  /** The Contact: line of security.txt (mailto: or https:). */
  securityContact: string;
  /** Product mail at or above this TLP goes only to contacts with a key (held for the others); null: never required. */
  mailEncryptFromTlp: 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED' | null;
  /** Outbox rows one worker process sends at once (over a pool of SMTP connections). */
  mailConcurrency: number;
  /** How long a claimed outbox row stays with a worker that stops renewing it (e.g. was killed). */
  outboxLeaseSeconds: number;
  /** Webhook hosts (host or host:port) an administrator allows although they resolve to private or loopback addresses. */
  webhookAllowedHosts: string[];
  /** An operational alert's recipients who have not answered after this long get a reminder to their on-call contacts. */
  alertReminderMinutes: number;
  /** True when the public URL is HTTPS: cookies get Secure and responses HSTS. */
  secure: boolean;
  monitoring: {
    /** Resolvers for blacklist checks ('host' or 'host:port'); empty: the system's. */
    dnsServers: string[];
    dnsConcurrency: number;
    dnsTimeoutMs: number;
    /** When the daily checks and mail run on working days, Europe/Amsterdam. */
    dailyTime: string;
    /** A folder watched for reports (Shadowserver CSV, nmap XML); processed files move to its 'done' folder. */
    inboxDir: string | undefined;
    /** Addresses of one declared range checked against IP blacklists (a /20 by default). */
    maxAddressesPerRange: number;
    /** Blocklist feed and check hosts (host or host:port) an administrator allows although they are not public, or plain http. */
    feedAllowedHosts: string[];
    /** The folder whose files blocklist sources of `file` read (a feed dropped on disk); default <data dir>/feeds. */
    feedDir: string;
    /** The largest feed accepted, in bytes (fetched or read). */
    feedMaxBytes: number;
    /** The time limit of one feed download. */
    feedTimeoutMs: number;
    /** The SMTP port that takes reports (Shadowserver CSV attachments) by mail (not listening when unset). */
    intakeSmtpPort: number | undefined;
    /** The address reports by mail are sent to; mail to other addresses is refused. */
    intakeAddress: string;
    /** Senders whose reports are taken: addresses, or domains (with their subdomains); empty: any sender. */
    intakeSenders: string[];
  };
  incidents: {
    /** Where evidence files are stored (outside the web root); default <data dir>/evidence. */
    evidenceDir: string;
    /** The largest evidence upload, in bytes (4 GiB by default). */
    evidenceMaxBytes: number;
    /** AES-256-GCM key for evidence at rest; without it files are stored as uploaded. */
    evidenceKey: Buffer | undefined;
    /** The SMTP port that takes incident reports by mail (not listening when unset). */
    intakeSmtpPort: number | undefined;
    /** The address reports by mail are sent to; mail to other addresses is refused. */
    intakeAddress: string;
    /** How long before a NIS2 or GDPR deadline the participant and the CERT are reminded. */
    reminderHours: number;
  };
  bounces: {
    /** The envelope sender of product mail, where receiving servers send their delivery reports. */
    address: string;
    /** The SMTP port that takes those reports (not listening when unset). */
    smtpPort: number | undefined;
  };
  requests: {
    /** The SMTP port that takes information requests by mail (not listening when unset). */
    intakeSmtpPort: number | undefined;
    /** The request address: questions by mail are sent to it, answers come from it. */
    intakeAddress: string;
    /** The first answer is due within this many Dutch working days. */
    slaWorkingDays: number;
  };
  intake: {
    /** Hosts an administrator allowed despite the SSRF rules (exact host or host:port), e.g. a CSAF mirror on the LAN. */
    allowedHosts: string[];
    fetchTimeoutMs: number;
    maxBytes: number;
    /** The SMTP port of the intake mailbox (not listening when unset). */
    smtpPort: number | undefined;
    /** The intake address; plus-addresses of it (intake+ncsc@…) route to mailbox sources of their own. */
    smtpAddress: string;
  };
  cvd: {
    /** The SMTP port that takes (PGP-encrypted) vulnerability reports by mail (not listening when unset). */
    intakeSmtpPort: number | undefined;
    /** The CVD address: reports by mail are sent to it; mail to other addresses is refused. */
    intakeAddress: string;
    /** The default target disclosure date, in days after receipt. */
    disclosureDays: number;
    /** Reports one address may send through the public form per hour. */
    formPerHour: number;
    /** A form sent back sooner than this after it was served is taken for a robot. */
    formMinSeconds: number;
    /** The largest attachment a finder may hand in, in bytes. */
    attachmentMaxBytes: number;
    /** The CNA that submits CVE records made from cases (cveMetadata.assignerShortName / assignerOrgId). */
    cnaShortName: string;
    cnaOrgId: string;
  };
  digests: {
    /** The end-of-week digest goes out on the week's last working day at this time (Europe/Amsterdam). */
    weekSendTime: string;
    /** An approved end-of-month digest goes out at the first tick past this time (Europe/Amsterdam). */
    monthSendTime: string;
  };
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as shells and service managers use it.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`The environment has settings Wachtpost cannot use:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? '127.0.0.1' : e.HOST}:${e.PORT}`).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.WACHTPOST_DATA_DIR),
    publicUrl,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    participantMfaRequired: e.PARTICIPANT_MFA_REQUIRED,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    keyPassphrase: e.WACHTPOST_KEY_PASSPHRASE,
    productIdScheme: e.PRODUCT_ID_SCHEME,
    csafImportAllowedHosts: e.CSAF_IMPORT_ALLOWED_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    securityContact: e.SECURITY_CONTACT,
    mailEncryptFromTlp: e.MAIL_ENCRYPT_FROM_TLP === 'none' ? null : e.MAIL_ENCRYPT_FROM_TLP,
    mailConcurrency: e.MAIL_CONCURRENCY,
    outboxLeaseSeconds: e.OUTBOX_LEASE_SECONDS,
    webhookAllowedHosts: e.WEBHOOK_ALLOWED_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    alertReminderMinutes: e.ALERT_REMINDER_MINUTES,
    secure: publicUrl.startsWith('https://'),
    monitoring: {
      dnsServers: e.MONITORING_DNS_SERVERS.split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      dnsConcurrency: e.MONITORING_DNS_CONCURRENCY,
      dnsTimeoutMs: e.MONITORING_DNS_TIMEOUT_MS,
      dailyTime: e.MONITORING_DAILY_TIME,
      inboxDir: e.MONITORING_INBOX_DIR ? path.resolve(e.MONITORING_INBOX_DIR) : undefined,
      maxAddressesPerRange: e.MONITORING_MAX_ADDRESSES_PER_RANGE,
      feedAllowedHosts: e.MONITORING_FEED_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      feedDir: path.resolve(e.MONITORING_FEED_DIR ?? path.join(e.WACHTPOST_DATA_DIR, 'feeds')),
      feedMaxBytes: e.MONITORING_FEED_MAX_BYTES,
      feedTimeoutMs: e.MONITORING_FEED_TIMEOUT_MS,
      intakeSmtpPort: e.MONITORING_INTAKE_SMTP_PORT,
      intakeAddress: e.MONITORING_INTAKE_ADDRESS.trim().toLowerCase(),
      intakeSenders: e.MONITORING_INTAKE_SENDERS.split(',')
        .map((a) => a.trim().toLowerCase().replace(/^@/, ''))
        .filter(Boolean),
    },
    incidents: {
      evidenceDir: path.resolve(e.INCIDENT_EVIDENCE_DIR ?? path.join(e.WACHTPOST_DATA_DIR, 'evidence')),
      evidenceMaxBytes: e.INCIDENT_EVIDENCE_MAX_BYTES,
      evidenceKey: e.INCIDENT_EVIDENCE_KEY ? Buffer.from(e.INCIDENT_EVIDENCE_KEY, 'base64') : undefined,
      intakeSmtpPort: e.INCIDENT_INTAKE_SMTP_PORT,
      intakeAddress: e.INCIDENT_INTAKE_ADDRESS.trim().toLowerCase(),
      reminderHours: e.INCIDENT_REMINDER_HOURS,
    },
    bounces: {
      address: (e.BOUNCE_ADDRESS ?? /<([^>]+)>/.exec(e.MAIL_FROM)?.[1] ?? e.MAIL_FROM).trim().toLowerCase(),
      smtpPort: e.BOUNCE_SMTP_PORT,
    },
    requests: {
      intakeSmtpPort: e.REQUESTS_INTAKE_SMTP_PORT,
      intakeAddress: e.REQUESTS_INTAKE_ADDRESS.trim().toLowerCase(),
      slaWorkingDays: e.REQUESTS_SLA_WORKING_DAYS,
    },
    intake: {
      allowedHosts: e.INTAKE_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      fetchTimeoutMs: e.INTAKE_FETCH_TIMEOUT_SECONDS * 1000,
      maxBytes: e.INTAKE_MAX_MB * 1024 * 1024,
      smtpPort: e.INTAKE_SMTP_PORT,
      smtpAddress: e.INTAKE_SMTP_ADDRESS.trim().toLowerCase(),
    },
    cvd: {
      intakeSmtpPort: e.CVD_INTAKE_SMTP_PORT,
      intakeAddress: e.CVD_INTAKE_ADDRESS.trim().toLowerCase(),
      disclosureDays: e.CVD_DISCLOSURE_DAYS,
      formPerHour: e.CVD_FORM_PER_HOUR,
      formMinSeconds: e.CVD_FORM_MIN_SECONDS,
      attachmentMaxBytes: e.CVD_ATTACHMENT_MAX_BYTES,
      cnaShortName: e.CVD_CNA_SHORT_NAME,
      cnaOrgId: e.CVD_CNA_ORG_ID,
    },
    digests: { weekSendTime: e.DIGESTS_WEEK_SEND_TIME, monthSendTime: e.DIGESTS_MONTH_SEND_TIME },
  };
}
