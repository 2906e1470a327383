import { z } from 'zod';
import { TLP_LEVELS } from '#lib/tlp.ts';
import { RSIT_CLASSES } from '#lib/rsit.ts';
import { INDICATOR_TYPES } from '#modules/zdn/indicator-types.ts';

export const CASE_STATUSES = ['reported', 'triage', 'in_progress', 'contained', 'recovered', 'closed'] as const;
export const CASE_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const CASE_PRIORITIES = ['p1', 'p2', 'p3', 'p4'] as const;
export const CASE_PAP = ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const;
export const PATIENT_CARE_IMPACT = ['none', 'limited', 'severe', 'unknown'] as const;

const IsoDate = z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date and time with a zone, e.g. 2026-11-28T10:00:00Z.' });
const OneLine = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\r\n]+$/, 'One line, please.');
export const CaseIdParams = z.object({ id: z.uuid('This is not a valid case id.') }).strict();
export const CaseChildParams = z.object({ id: z.uuid('This is not a valid case id.'), childId: z.uuid('This is not a valid id.') }).strict();
export const CaseOrgParams = z.object({ id: z.uuid('This is not a valid case id.'), organisationId: z.uuid('This is not a valid organisation id.') }).strict();

/** The participant's guided report from the portal: what happened, when, which systems, care impact, who to call. */
export const CaseReportInput = z
  .object({
    title: OneLine(200),
    whatHappened: z.string().trim().min(10, 'Tell us in a sentence or two what happened.').max(20_000),
    startedAt: IsoDate.optional(),
    discoveredAt: IsoDate,
    systems: z.string().trim().max(5000).default(''),
    patientCareImpact: z.enum(PATIENT_CARE_IMPACT),
    patientCareDetails: z.string().trim().max(5000).default(''),
    personalData: z.enum(['yes', 'no', 'unknown']).default('unknown'),
    contactName: OneLine(200),
    contactPhone: z.string().trim().min(6).max(40).regex(/^[+0-9 ()-]+$/, 'A phone number holds digits, spaces, + ( ) and -.'),
    contactEmail: z.email().max(320).optional(),
  })
  .strict();
export type CaseReportInput = z.infer<typeof CaseReportInput>;

/** The CERT opens a case itself: a phone call it logs, or something it found. */
export const CaseCreateInput = z
  .object({
    intake: z.enum(['phone', 'analyst']),
    organisationIds: z.array(z.uuid()).min(1, 'Name the affected organisation.').max(50),
    title: OneLine(200),
    description: z.string().trim().max(20_000).default(''),
    categoryClass: z.enum(RSIT_CLASSES as [string, ...string[]]).optional(),
    categoryType: z.string().max(60).optional(),
    severity: z.enum(CASE_SEVERITIES).optional(),
    priority: z.enum(CASE_PRIORITIES).optional(),
    tlp: z.enum(TLP_LEVELS).optional(),
    reporterName: OneLine(200).optional(),
    reporterPhone: z.string().trim().max(40).optional(),
    reporterEmail: z.email().max(320).optional(),
    awareAt: IsoDate.optional(),
    nis2Applies: z.boolean().optional(),
    personalData: z.boolean().optional(),
  })
  .strict();
export type CaseCreateInput = z.infer<typeof CaseCreateInput>;

const CustomValue = z.union([z.string().max(2000), z.number(), z.boolean()]);

/** What the CERT changes on a case. */
export const CasePatch = z
  .object({
    title: OneLine(200).optional(),
    description: z.string().trim().max(20_000).optional(),
    categoryClass: z.enum(RSIT_CLASSES as [string, ...string[]]).optional(),
    categoryType: z.string().max(60).optional(),
    severity: z.enum(CASE_SEVERITIES).optional(),
    priority: z.enum(CASE_PRIORITIES).optional(),
    tlp: z.enum(TLP_LEVELS).optional(),
    pap: z.enum(CASE_PAP).optional(),
    status: z.enum(CASE_STATUSES).optional(),
    advice: z.string().max(20_000).optional(),
    nis2Applies: z.boolean().optional(),
    personalData: z.boolean().optional(),
    awareAt: IsoDate.optional(),
    organisationIds: z.array(z.uuid()).min(1).max(50).optional(),
    assigneeIds: z.array(z.uuid()).max(20).optional(),
    customFields: z.record(z.string(), CustomValue.nullable()).optional(),
  })
  .strict();
export type CasePatch = z.infer<typeof CasePatch>;

/** The notifications the affected organisation made (the room may record them; so may the CERT). */
export const ClockInput = z
  .object({
    earlyWarningAt: IsoDate.nullable().optional(),
    notificationAt: IsoDate.nullable().optional(),
    finalReportAt: IsoDate.nullable().optional(),
    dpaNotifiedAt: IsoDate.nullable().optional(),
  })
  .strict();
export type ClockInput = z.infer<typeof ClockInput>;

export const CaseListQuery = z
  .object({
    status: z.enum([...CASE_STATUSES, 'open']).optional(),
    severity: z.enum(CASE_SEVERITIES).optional(),
    organisationId: z.uuid().optional(),
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const TaskInput = z
  .object({
    title: OneLine(300),
    side: z.enum(['cert', 'participant']),
    assigneeUserId: z.uuid().nullable().optional(),
    dueAt: IsoDate.nullable().optional(),
    checklist: z.array(z.string().trim().min(1).max(300)).max(50).default([]),
  })
  .strict();
export type TaskInput = z.infer<typeof TaskInput>;

export const TaskPatch = z
  .object({
    title: OneLine(300).optional(),
    status: z.enum(['open', 'done']).optional(),
    assigneeUserId: z.uuid().nullable().optional(),
    dueAt: IsoDate.nullable().optional(),
    checklist: z.array(z.object({ text: z.string().trim().min(1).max(300), done: z.boolean() }).strict()).max(50).optional(),
  })
  .strict();
export type TaskPatch = z.infer<typeof TaskPatch>;

export const TemplateTaskInput = z
  .object({
    title: OneLine(300),
    side: z.enum(['cert', 'participant']),
    dueInHours: z.number().int().min(1).max(24 * 90).optional(),
    checklist: z.array(z.string().trim().min(1).max(300)).max(50).default([]),
  })
  .strict();
export const TemplateInput = z
  .object({
    name: OneLine(120),
    categoryClass: z.enum(RSIT_CLASSES as [string, ...string[]]),
    categoryType: z.string().max(60).nullable().default(null),
    advice: z.string().max(20_000).default(''),
    tasks: z.array(TemplateTaskInput).max(50),
  })
  .strict();
export type TemplateInput = z.infer<typeof TemplateInput>;
export const ApplyTemplateInput = z.object({ templateId: z.uuid() }).strict();

export const CustomFieldInput = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'A key is lower-case letters, digits and _, starting with a letter.'),
    label: OneLine(120),
    kind: z.enum(['text', 'number', 'boolean', 'select']),
    options: z.array(OneLine(120)).max(50).default([]),
  })
  .strict()
  .refine((f) => f.kind !== 'select' || f.options.length > 0, { message: 'A select field lists its options.', path: ['options'] });
export type CustomFieldInput = z.infer<typeof CustomFieldInput>;

export const TimelineInput = z
  .object({
    at: IsoDate,
    source: z.string().trim().max(200).default(''),
    text: z.string().trim().min(1).max(10_000),
    shared: z.boolean().default(false),
    evidenceId: z.uuid().nullable().optional(),
  })
  .strict();
export type TimelineInput = z.infer<typeof TimelineInput>;
export const TimelinePatch = z.object({ shared: z.boolean().optional(), text: z.string().trim().min(1).max(10_000).optional() }).strict();

export const ObservableInput = z
  .object({
    type: z.enum(INDICATOR_TYPES, { error: `The type is one of ${INDICATOR_TYPES.join(', ')}.` }),
    value: z.string().min(1).max(10_000),
    comment: z.string().max(2000).default(''),
  })
  .strict();
export type ObservableInput = z.infer<typeof ObservableInput>;

/** Shares selected observables with the detection network as one new event. */
export const ShareObservablesInput = z
  .object({
    observableIds: z.array(z.uuid()).min(1, 'Pick at least one observable.').max(500),
    tlp: z.enum(TLP_LEVELS),
    // AMBER and AMBER+STRICT reach the organisations named here (and the CERT).
    recipients: z.array(z.uuid()).max(500).default([]),
    title: OneLine(256).optional(),
    // The affected organisation is not named to the network unless the CERT decides so.
    anonymous: z.boolean().default(true),
  })
  .strict()
  .refine((d) => d.tlp !== 'RED', { message: 'TLP:RED cannot go to the detection network; pick AMBER+STRICT or lower.', path: ['tlp'] })
  .refine((d) => !(d.tlp === 'AMBER' || d.tlp === 'AMBER+STRICT') || d.recipients.length > 0, { message: 'TLP:AMBER names the organisations it reaches: add recipients, or share as TLP:GREEN with the whole community.', path: ['recipients'] });
export type ShareObservablesInput = z.infer<typeof ShareObservablesInput>;

export const MessageInput = z.object({ body: z.string().trim().min(1).max(20_000), internal: z.boolean().default(false) }).strict();
export const GuestInput = z.object({ organisationId: z.uuid() }).strict();
export const LinkInput = z.object({ caseId: z.uuid() }).strict();
export const MergeInput = z.object({ intoCaseId: z.uuid() }).strict();
export const EvidenceRequestInput = z.object({ description: z.string().trim().min(3).max(2000) }).strict();

// --- Responses. A room reader gets the same shapes with the CERT-only parts left out (null or absent lists). ---

const Org = z.object({ id: z.uuid(), name: z.string() });
export const ClockOut = z.object({
  clock: z.enum(['nis2_early_warning', 'nis2_notification', 'nis2_final_report', 'gdpr_breach']),
  dueAt: z.string().nullable(),
  metAt: z.string().nullable(),
  state: z.enum(['met', 'open', 'due_soon', 'overdue', 'waiting']),
});
export type ClockOut = z.infer<typeof ClockOut>;

export const CaseSummaryOut = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  severity: z.enum(CASE_SEVERITIES),
  priority: z.enum(CASE_PRIORITIES),
  tlp: z.enum(TLP_LEVELS),
  categoryClass: z.string(),
  categoryType: z.string(),
  organisations: z.array(z.string()),
  openTasks: z.number(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type CaseSummaryOut = z.infer<typeof CaseSummaryOut>;

export const CaseOut = CaseSummaryOut.extend({
  access: z.enum(['cert', 'room']),
  description: z.string(),
  pap: z.enum(CASE_PAP),
  intake: z.enum(['portal', 'mail', 'phone', 'analyst']),
  report: z.record(z.string(), z.unknown()),
  reporter: z.object({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
  advice: z.string(),
  affected: z.array(Org),
  guests: z.array(Org.extend({ kind: z.string(), invitedAt: z.string() })),
  nis2Applies: z.boolean(),
  personalData: z.boolean(),
  awareAt: z.string(),
  clocks: z.array(ClockOut),
  firstResponseAt: z.string().nullable(),
  containedAt: z.string().nullable(),
  recoveredAt: z.string().nullable(),
  // CERT only (null / empty in the room):
  assignees: z.array(z.object({ id: z.uuid(), name: z.string(), email: z.string() })),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
  related: z.array(z.object({ id: z.uuid(), reference: z.string(), title: z.string(), status: z.string(), relation: z.enum(['link', 'merged_into', 'merged_from']) })),
  mergedIntoId: z.uuid().nullable(),
});
export type CaseOut = z.infer<typeof CaseOut>;

export const TaskOut = z.object({
  id: z.uuid(),
  title: z.string(),
  side: z.enum(['cert', 'participant']),
  assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  dueAt: z.string().nullable(),
  status: z.enum(['open', 'done']),
  checklist: z.array(z.object({ text: z.string(), done: z.boolean() })),
  doneAt: z.string().nullable(),
});
export type TaskOut = z.infer<typeof TaskOut>;

export const TimelineOut = z.object({
  id: z.uuid(),
  at: z.string(),
  source: z.string(),
  text: z.string(),
  shared: z.boolean(),
  evidenceId: z.uuid().nullable(),
  indicatorId: z.uuid().nullable(),
  author: z.string().nullable(),
  createdAt: z.string(),
});
export type TimelineOut = z.infer<typeof TimelineOut>;

export const ObservableOut = z.object({
  id: z.uuid(),
  type: z.string(),
  value: z.string(),
  comment: z.string(),
  timelineId: z.uuid().nullable(),
  indicatorId: z.uuid().nullable(),
  // Sightings in the detection network by organisations other than the affected ones (counts only).
  seenByOthers: z.object({ organisations: z.number(), last7d: z.number(), lastSeenAt: z.string().nullable() }),
  // For the analyst: the other open cases holding the same value ("this campaign hits three hospitals").
  otherCases: z.array(z.object({ id: z.uuid(), reference: z.string(), organisations: z.array(z.string()) })),
  createdAt: z.string(),
});
export type ObservableOut = z.infer<typeof ObservableOut>;

export const MessageOut = z.object({
  id: z.uuid(),
  body: z.string(),
  internal: z.boolean(),
  author: z.string().nullable(),
  fromCert: z.boolean(),
  createdAt: z.string(),
});
export type MessageOut = z.infer<typeof MessageOut>;

export const EvidenceOut = z.object({
  id: z.uuid(),
  fileName: z.string(),
  description: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  encrypted: z.boolean(),
  shared: z.boolean(),
  requestId: z.uuid().nullable(),
  uploadedBy: z.string().nullable(),
  uploadedAt: z.string(),
  deletionRequested: z.object({ by: z.string().nullable(), at: z.string(), reason: z.string() }).nullable(),
  deletedAt: z.string().nullable(),
});
export type EvidenceOut = z.infer<typeof EvidenceOut>;

export const EvidenceRequestOut = z.object({ id: z.uuid(), description: z.string(), requestedAt: z.string(), fulfilledAt: z.string().nullable() });

export const CustodyOut = z.object({
  id: z.string(),
  evidenceId: z.uuid(),
  fileName: z.string(),
  action: z.enum(['upload', 'download', 'handover', 'deletion_requested', 'deletion_approved', 'deletion_refused']),
  actor: z.string(),
  reason: z.string(),
  sha256: z.string(),
  details: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type CustodyOut = z.infer<typeof CustodyOut>;

export const TemplateOut = z.object({
  id: z.uuid(),
  name: z.string(),
  categoryClass: z.string(),
  categoryType: z.string().nullable(),
  advice: z.string(),
  tasks: z.array(z.object({ title: z.string(), side: z.enum(['cert', 'participant']), dueInHours: z.number().optional(), checklist: z.array(z.string()) })),
});
export const CustomFieldOut = z.object({ key: z.string(), label: z.string(), kind: z.enum(['text', 'number', 'boolean', 'select']), options: z.array(z.string()) });
