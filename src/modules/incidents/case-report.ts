import { rsitClassLabel, rsitTypeLabel } from '#lib/rsit-labels.ts';
import { TLP_COLOURS, tlpLabel, type Tlp } from '#lib/tlp.ts';
import { escapeHtml } from '#modules/advisories/product-page.ts';
import type { ClockOut } from './incident.schema.ts';
import { amsterdamTime, CLOCK_LABELS, type Lang } from './incident-format.ts';
import { REPORT_LABELS as L } from './case-report-labels.ts';

/**
 * The case report as HTML, printed to PDF by the route. A pure function of its input, so the room
 * version can be checked without Chromium. The CERT's version holds everything; the room's holds what
 * the affected organisation may see. The loader already selects by access; this builder filters again
 * so that a loader mistake cannot put a CERT-only line into a document that leaves the platform.
 */

export interface ReportTask {
  title: string;
  side: 'cert' | 'participant';
  assignee: string | null;
  dueAt: Date | null;
  status: 'open' | 'done';
  checklistDone: number;
  checklistTotal: number;
}
export interface ReportTimelineEntry {
  at: Date;
  source: string;
  text: string;
  shared: boolean;
  author: string | null;
}
export interface ReportMessage {
  at: Date;
  author: string | null;
  fromCert: boolean;
  internal: boolean;
  body: string;
}
export interface ReportObservable {
  type: string;
  value: string;
  comment: string;
  sharedWithNetwork: boolean;
}
export interface ReportEvidence {
  fileName: string;
  description: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string | null;
  uploadedAt: Date;
  shared: boolean;
  /** Shared, or uploaded by the reader's own organisation: what the evidence list in the room shows. */
  visibleInRoom: boolean;
  deletedAt: Date | null;
}
export interface ReportCustody {
  at: Date;
  fileName: string;
  action: string;
  actor: string;
  reason: string;
  sha256: string;
}

export interface CaseReportInput {
  access: 'cert' | 'room';
  lang: Lang;
  generatedAt: Date;
  generatedBy: string;
  case: {
    reference: string;
    title: string;
    description: string;
    advice: string;
    status: string;
    severity: string;
    priority: string;
    tlp: Tlp;
    pap: string;
    categoryClass: string;
    categoryType: string;
    intake: string;
    reporter: { name: string | null; email: string | null; phone: string | null };
    awareAt: Date;
    occurredAt: Date | null;
    openedAt: Date;
    firstResponseAt: Date | null;
    containedAt: Date | null;
    recoveredAt: Date | null;
    closedAt: Date | null;
  };
  affected: string[];
  guests: string[];
  assignees: string[];
  clocks: ClockOut[];
  tasks: ReportTask[];
  timeline: ReportTimelineEntry[];
  messages: ReportMessage[];
  observables: ReportObservable[];
  evidence: ReportEvidence[];
  custody: ReportCustody[];
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;line-height:1.45;font-size:10.5pt}
.tlp{background:#000;padding:.2rem .7rem;display:inline-block;font-weight:700;font-family:monospace;font-size:1rem;-webkit-print-color-adjust:exact}
.meta{color:#444}
h1{font-size:1.5rem;margin:.6rem 0 .2rem}
h2{font-size:1.15rem;margin:1.2rem 0 .3rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.3rem 0}
th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;-webkit-print-color-adjust:exact}
tr{page-break-inside:avoid}
code{font-size:.82em;word-break:break-all}
.text{white-space:pre-wrap}
.overdue{color:#b00;font-weight:700}
`;

const h = escapeHtml;
/** A code in words; an unknown code (a value added later) is shown as it is rather than hidden. */
const word = (labels: Readonly<Record<string, string>>, code: string) => h(labels[code] ?? code);
const time = (d: Date | null) => (d ? h(amsterdamTime(d, false)) : '—');
const text = (s: string) => `<div class="text">${h(s)}</div>`;

function table(head: string[], rows: string[][], empty: string): string {
  if (!rows.length) return `<p>${empty}</p>`;
  return `<table><thead><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function facts(rows: [string, string][]): string {
  return `<table><tbody>${rows.map(([k, v]) => `<tr><th style="width:30%">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function tlpBadge(tlp: Tlp): string {
  return `<span class="tlp" style="color:${TLP_COLOURS[tlp]}">${h(tlpLabel(tlp))}</span>`;
}

export function buildCaseReportHtml(input: CaseReportInput): string {
  const t = L[input.lang];
  const cert = input.access === 'cert';
  const c = input.case;
  // The room's view, enforced here as well as in the loader (see the comment at the top).
  const tasks = cert ? input.tasks : input.tasks.filter((x) => x.side === 'participant');
  const timeline = cert ? input.timeline : input.timeline.filter((x) => x.shared);
  const messages = cert ? input.messages : input.messages.filter((x) => !x.internal);
  const evidence = cert ? input.evidence : input.evidence.filter((x) => x.visibleInRoom);
  const reporter =
    [c.reporter.name, c.reporter.email, c.reporter.phone]
      .filter((x): x is string => Boolean(x))
      .map(h)
      .join(' · ') || '—';

  const factRows: [string, string][] = [
    [t.status, word(t.statuses, c.status)],
    [t.severity, word(t.severities, c.severity)],
    [t.priority, h(c.priority)],
    ['TLP / PAP', `${h(tlpLabel(c.tlp))} / PAP:${h(c.pap)}`],
    [
      t.category,
      `${h(rsitClassLabel(c.categoryClass, input.lang))} / ${h(rsitTypeLabel(c.categoryType, input.lang))} <code>${h(c.categoryClass)}/${h(c.categoryType)}</code>`,
    ],
    [t.intake, word(t.intakes, c.intake)],
    [t.reporter, reporter],
    [t.affected, h(input.affected.join(', ')) || '—'],
    [t.guests, h(input.guests.join(', ')) || '—'],
  ];
  if (cert) factRows.push([t.assignees, h(input.assignees.join(', ')) || '—']);

  const timeRows: [string, string][] = [
    [t.awareAt, time(c.awareAt)],
    [t.occurredAt, time(c.occurredAt)],
    [t.openedAt, time(c.openedAt)],
    [t.firstResponseAt, time(c.firstResponseAt)],
    [t.containedAt, time(c.containedAt)],
    [t.recoveredAt, time(c.recoveredAt)],
    [t.closedAt, time(c.closedAt)],
  ];

  const clocks = input.clocks.length
    ? table(
        [t.clock, t.due, t.met, t.state],
        input.clocks.map((k) => [
          h(CLOCK_LABELS[input.lang][k.clock]),
          k.dueAt ? time(new Date(k.dueAt)) : '—',
          k.metAt ? time(new Date(k.metAt)) : '—',
          `<span class="${k.state === 'overdue' ? 'overdue' : ''}">${h(t.states[k.state])}</span>`,
        ]),
        t.none,
      )
    : `<p>${t.noClocks}</p>`;

  const taskTable = table(
    [t.task, ...(cert ? [t.side] : []), t.assignee, t.due, t.status, t.checklist],
    tasks.map((x) => [
      h(x.title),
      ...(cert ? [x.side === 'cert' ? t.cert : t.participant] : []),
      h(x.assignee ?? '—'),
      time(x.dueAt),
      word(t.taskStatuses, x.status),
      x.checklistTotal ? `${x.checklistDone}/${x.checklistTotal}` : '—',
    ]),
    t.none,
  );

  const timelineTable = table(
    [t.at, t.source, t.text, t.author, ...(cert ? [t.shared] : [])],
    timeline.map((x) => [time(x.at), h(x.source), text(x.text), h(x.author ?? '—'), ...(cert ? [x.shared ? t.yes : t.no] : [])]),
    t.none,
  );

  const messageTable = table(
    [t.at, t.author, t.text, ...(cert ? [t.internal] : [])],
    messages.map((x) => [time(x.at), `${h(x.author ?? '—')}${x.fromCert ? ' (CERT)' : ''}`, text(x.body), ...(cert ? [x.internal ? t.yes : t.no] : [])]),
    t.none,
  );

  const evidenceTable = table(
    [t.file, t.size, 'SHA-256', t.uploaded, ...(cert ? [t.shared] : [])],
    evidence.map((x) => [
      `${h(x.fileName)}${x.deletedAt ? ` (${t.deleted} ${time(x.deletedAt)})` : ''}${x.description ? `<br>${h(x.description)}` : ''}`,
      h(bytes(x.sizeBytes)),
      `<code>${h(x.sha256)}</code>`,
      `${time(x.uploadedAt)}${x.uploadedBy ? `<br>${h(x.uploadedBy)}` : ''}`,
      ...(cert ? [x.shared ? t.yes : t.no] : []),
    ]),
    t.none,
  );

  const certOnly = cert
    ? `<h2>${t.observables}</h2>${table(
        [t.type, t.value, t.comment, t.inNetwork],
        input.observables.map((o) => [h(o.type), `<code>${h(o.value)}</code>`, h(o.comment), o.sharedWithNetwork ? t.yes : t.no]),
        t.none,
      )}
<h2>${t.custody}</h2>${table(
        [t.at, t.file, t.action, t.author, t.reason, 'SHA-256'],
        input.custody.map((x) => [time(x.at), h(x.fileName), h(x.action), h(x.actor), h(x.reason), `<code>${h(x.sha256)}</code>`]),
        t.none,
      )}`
    : '';

  return `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8">
<title>${h(c.reference)}: ${h(c.title)}</title><style>${STYLE}</style></head>
<body>
${tlpBadge(c.tlp)}
<p class="meta">${cert ? t.certReport : t.roomReport} · ${t.generated} ${time(input.generatedAt)} ${t.by} ${h(input.generatedBy)}</p>
<h1>${h(c.reference)}: ${h(c.title)}</h1>
<h2>${t.summary}</h2>${c.description ? text(c.description) : `<p>—</p>`}
${c.advice ? `<h2>${t.advice}</h2>${text(c.advice)}` : ''}
<h2>${t.facts}</h2>${facts(factRows)}
<h2>${t.times}</h2>${facts(timeRows)}
<h2>${t.clocks}</h2>${clocks}
<h2>${t.tasks}</h2>${taskTable}
<h2>${t.timeline}</h2>${timelineTable}
<h2>${t.messages}</h2>${messageTable}
<h2>${t.evidence}</h2>${evidenceTable}
${certOnly}
${tlpBadge(c.tlp)}
</body></html>`;
}

/** Chromium's header and footer: the TLP label on every page, and page numbers at the bottom. */
export function reportHeaderFooter(tlp: Tlp, reference: string): { headerHtml: string; footerHtml: string } {
  const label = `<span style="background:#000;color:${TLP_COLOURS[tlp]};padding:2px 6px;font-weight:bold">${h(tlpLabel(tlp))}</span>`;
  const box = 'width:100%;font-size:10px;padding:0 15mm;font-family:monospace;-webkit-print-color-adjust:exact';
  return {
    headerHtml: `<div style="${box}">${label} <span style="color:#444">${h(reference)}</span></div>`,
    footerHtml: `<div style="${box};display:flex;justify-content:space-between">${label}<span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>`,
  };
}
