import { escapeHtml as e } from '#modules/advisories/product-page.ts';
import type { FieldIssue } from './report-crypto.ts';
import type { LinkView } from './party.service.ts';
import type { AttachmentOut, MessageOut } from './cvd.schema.ts';
import { CVD_CREDITS, CVD_PARTY_STATUSES, CVD_TARGET_KINDS, type CvdCredit } from '#db/schema-cvd.ts';
import { TEXT, fieldLabel, issueMessage, type Lang, type Texts } from './public-pages-text.ts';

/*
 * The public CVD pages as server-rendered HTML: usable without JavaScript, one column, labels on
 * every field, fieldsets for every group, an error summary (role=alert, focused, linking to each
 * field) and errors at the fields. Everything that comes from a person or the database is escaped
 * here; nothing loads from elsewhere (inline CSS, same-origin scripts only).
 */

const STYLE = `
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:46rem;margin:0 auto;padding:1rem 1.25rem 3rem;color:#1a1a1a;line-height:1.5;background:#fff}
a{color:#0b4f9c}a:focus,input:focus,textarea:focus,select:focus,button:focus,summary:focus{outline:3px solid #f5a623;outline-offset:2px}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin-top:2rem}
nav.top{display:flex;justify-content:flex-end;gap:1rem}
fieldset{border:1px solid #b8b8b8;border-radius:4px;margin:1.25rem 0;padding:.5rem 1rem 1rem}legend{font-weight:700;padding:0 .25rem}
.field{margin:.9rem 0}label{display:block;font-weight:600}.choice label,.check label{display:inline;font-weight:400}
.choice,.check{margin:.35rem 0}.hint{color:#505050;margin:.1rem 0 .3rem;font-size:.95rem}
input[type=text],input[type=email],input[type=url],textarea,select{width:100%;padding:.45rem;border:2px solid #666;border-radius:3px;font:inherit}
textarea{min-height:7rem}input[type=file]{font:inherit}
.invalid input,.invalid textarea,fieldset.invalid{border-color:#b00020}.error{color:#b00020;font-weight:600;margin:.2rem 0}
.summary{border:3px solid #b00020;padding:.5rem 1rem;margin:1rem 0}.summary h2{margin-top:.25rem;font-size:1.15rem}
.notice{border-left:5px solid #1b7f3b;background:#eef7f0;padding:.5rem 1rem}
button{font:inherit;font-weight:600;padding:.55rem 1.2rem;border:0;border-radius:4px;background:#0b4f9c;color:#fff;cursor:pointer}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}.small{font-size:.85rem;color:#505050}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.text{white-space:pre-wrap;overflow-wrap:anywhere}ol.messages{list-style:none;padding:0}ol.messages>li{border:1px solid #ccc;border-radius:4px;padding:.5rem 1rem;margin:.75rem 0}
ol.messages>li.out{border-left:5px solid #0b4f9c}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
`;

export function layout(lang: Lang, title: string, body: string, opts: { switchHref?: string; scripts?: string[] } = {}): string {
  const t = TEXT[lang];
  const nav = opts.switchHref
    ? `<nav class="top" aria-label="${lang === 'nl' ? 'Taal' : 'Language'}"><a href="${e(opts.switchHref)}" hreflang="${t.otherLang}" lang="${t.otherLang}">${e(t.otherLanguage)}</a></nav>`
    : '';
  const scripts = (opts.scripts ?? []).map((src) => `<script type="module" src="${e(src)}"></script>`).join('');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title><style>${STYLE}</style>${scripts}</head><body>${nav}<main id="main"><h1>${e(title)}</h1>${body}</main></body></html>`;
}

const fieldId = (name: string) => `f-${name}`;
/** Where an error summary link goes: the field, or for a group of radio buttons its first one. */
function anchor(field: string): string {
  if (field === 'targetKind') return `${fieldId(field)}-${CVD_TARGET_KINDS[0]}`;
  if (field === 'credit') return `${fieldId(field)}-${CVD_CREDITS[0]}`;
  return fieldId(field);
}

export function errorSummary(lang: Lang, issues: readonly FieldIssue[], extra: string[] = []): string {
  if (!issues.length && !extra.length) return '';
  const t = TEXT[lang];
  const items = issues.map((i) => {
    const label = fieldLabel(lang, i.field);
    const text = `${label ? `${label}: ` : ''}${issueMessage(lang, i)}`;
    return `<li data-code="${e(i.code)}">${label && i.field ? `<a href="#${e(anchor(i.field))}">${e(text)}</a>` : e(text)} <span class="small">(${e(t.errorCode)}: ${e(i.code)})</span></li>`;
  });
  const more = extra.map((x) => `<li>${e(x)}</li>`);
  // Focused on load (autofocus) and announced (role=alert), so keyboard and screen-reader users land on it.
  return `<div class="summary" role="alert" tabindex="-1" autofocus aria-labelledby="summary-title"><h2 id="summary-title">${e(t.errorSummary)}</h2><ul>${[...items, ...more].join('')}</ul></div>`;
}

interface FieldOpts {
  hint?: string;
  required?: boolean;
  type?: 'text' | 'email';
  maxlength?: number;
  minlength?: number;
  autocomplete?: string;
  rows?: number;
}

function fieldErrors(lang: Lang, name: string, issues: readonly FieldIssue[]): string {
  return issues
    .filter((i) => i.field === name)
    .map((i) => `<p class="error" id="${fieldId(name)}-error">${e(issueMessage(lang, i))}</p>`)
    .join('');
}

function control(
  lang: Lang,
  kind: 'input' | 'textarea',
  name: string,
  label: string,
  value: string | undefined,
  issues: readonly FieldIssue[],
  o: FieldOpts = {},
): string {
  const t = TEXT[lang];
  const id = fieldId(name);
  const err = fieldErrors(lang, name, issues);
  const described = [o.hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = [
    `id="${id}"`,
    `name="${name}"`,
    described ? `aria-describedby="${described}"` : '',
    err ? 'aria-invalid="true"' : '',
    o.required ? 'required' : '',
    o.maxlength ? `maxlength="${o.maxlength}"` : '',
    o.minlength ? `minlength="${o.minlength}"` : '',
    o.autocomplete ? `autocomplete="${o.autocomplete}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const el =
    kind === 'textarea'
      ? `<textarea ${attrs} rows="${o.rows ?? 6}">${e(value ?? '')}</textarea>`
      : `<input ${attrs} type="${o.type ?? 'text'}" value="${e(value ?? '')}">`;
  const mark = `<span class="small">(${e(o.required ? t.required : t.optional)})</span>`;
  return `<div class="field${err ? ' invalid' : ''}"><label for="${id}">${e(label)} ${mark}</label>${o.hint ? `<p class="hint" id="${id}-hint">${e(o.hint)}</p>` : ''}${err}${el}</div>`;
}

function radios(
  lang: Lang,
  name: string,
  legend: string,
  options: readonly { value: string; label: string }[],
  checked: string | undefined,
  issues: readonly FieldIssue[],
  o: { hint?: string; required?: boolean } = {},
): string {
  const err = fieldErrors(lang, name, issues);
  const items = options
    .map((opt) => {
      const id = `${fieldId(name)}-${opt.value}`;
      return `<div class="choice"><input type="radio" id="${id}" name="${name}" value="${e(opt.value)}"${checked === opt.value ? ' checked' : ''}${o.required ? ' required' : ''}> <label for="${id}">${e(opt.label)}</label></div>`;
    })
    .join('');
  return `<fieldset id="${fieldId(name)}"${err ? ' class="invalid"' : ''}><legend>${e(legend)}</legend>${o.hint ? `<p class="hint">${e(o.hint)}</p>` : ''}${err}${items}</fieldset>`;
}

function checkbox(name: string, label: string, checked: boolean): string {
  return `<div class="check"><input type="checkbox" id="${fieldId(name)}" name="${name}" value="true"${checked ? ' checked' : ''}> <label for="${fieldId(name)}">${e(label)}</label></div>`;
}

/** "ABCD 1234 …": the fingerprint in groups of four, as people compare it. */
export function groupedFingerprint(fp: string): string {
  return (fp.match(/.{1,4}/g) ?? []).join(' ');
}

export interface FormPage {
  lang: Lang;
  ticket: string;
  values: Partial<Record<string, string>>;
  issues: FieldIssue[];
  key: { fingerprint: string; armored: string } | null;
  limits: { maxFiles: number; maxBytes: number; encryptedMaxBytes: number };
  intakeAddress: string;
  assets: { script: string; openpgp: string };
  /** The form comes back after a failed submission that had files / was encrypted. */
  hadFiles?: boolean;
  wasEncrypted?: boolean;
}

export function renderForm(p: FormPage): string {
  const { lang, values: v, issues } = p;
  const t = TEXT[lang];
  const mib = Math.floor(p.limits.maxBytes / 1024 / 1024);
  const extra = [...(p.hadFiles ? [t.filesAgain] : []), ...(p.wasEncrypted ? [t.encryptedNotRefilled] : [])];
  const org = v.organisationId ? `<input type="hidden" name="organisationId" value="${e(v.organisationId)}">` : '';
  const encryption = p.key
    ? `<p>${e(t.encryptIntro)}</p><p>${e(t.fingerprint)}: <code>${e(groupedFingerprint(p.key.fingerprint))}</code><br><a href="/cvd/pgp-key.asc">${e(t.keyLink)}</a></p>
<div id="encrypt-option" hidden><div class="check"><input type="checkbox" id="f-encrypt"> <label for="f-encrypt">${e(t.encryptBox)}</label></div><p id="encrypt-status" class="hint" role="status" aria-live="polite"></p></div>
<noscript><p>${e(t.encryptNoScript)} <a href="mailto:${e(p.intakeAddress)}">${e(p.intakeAddress)}</a>.</p></noscript>`
    : `<p>${e(t.noKey)}</p>`;
  const data = p.key
    ? ` data-key="${e(p.key.armored)}" data-openpgp="${e(p.assets.openpgp)}" data-max-files="${p.limits.maxFiles}" data-max-bytes="${p.limits.maxBytes}" data-max-encrypted="${p.limits.encryptedMaxBytes}" data-msg-encrypting="${e(t.encrypting)}" data-msg-failed="${e(t.encryptFailed)}" data-msg-too-large="${e(t.encryptTooLarge)}" data-msg-target="${e(issueMessage(lang, { field: 'target', code: 'cvd_target_missing', message: 'Name the website or system.' }))}" data-msg-product="${e(issueMessage(lang, { field: 'vendor', code: 'cvd_product_missing', message: 'Name the manufacturer and the product.' }))}"`
    : '';
  const body = `${errorSummary(lang, issues, extra)}<p>${e(t.formIntro)}</p><p>${e(t.formRules)}</p>
<form id="cvd-form" method="post" action="/cvd${lang === 'en' ? '?lang=en' : ''}" enctype="multipart/form-data" accept-charset="utf-8"${data}>
<input type="hidden" name="ticket" value="${e(p.ticket)}"><input type="hidden" name="lang" value="${lang}">${org}
<div class="hp" aria-hidden="true"><label for="${fieldId('homepage')}">${e(t.honeypot)}</label><input type="text" id="${fieldId('homepage')}" name="homepage" value="" tabindex="-1" autocomplete="off"></div>
${radios(
  lang,
  'targetKind',
  t.whatLegend,
  CVD_TARGET_KINDS.map((k) => ({ value: k, label: t.targetKinds[k] })),
  v.targetKind,
  issues,
  { required: true },
)}
${control(lang, 'input', 'target', t.target, v.target, issues, { hint: t.targetHint, maxlength: 2000, autocomplete: 'off' })}
<fieldset><legend>${e(t.productLegend)}</legend><p class="hint">${e(t.productHint)}</p>
${control(lang, 'input', 'vendor', t.vendor, v.vendor, issues, { maxlength: 200 })}${control(lang, 'input', 'product', t.product, v.product, issues, { maxlength: 200 })}
${control(lang, 'input', 'model', t.model, v.model, issues, { maxlength: 200 })}${control(lang, 'input', 'version', t.version, v.version, issues, { maxlength: 200 })}</fieldset>
<fieldset><legend>${e(t.vulnLegend)}</legend>
${control(lang, 'input', 'title', t.title, v.title, issues, { hint: t.titleHint, required: true, maxlength: 200 })}
${control(lang, 'textarea', 'description', t.description, v.description, issues, { hint: t.descriptionHint, required: true, minlength: 20, maxlength: 50000, rows: 8 })}
${control(lang, 'textarea', 'steps', t.steps, v.steps, issues, { maxlength: 50000 })}
${control(lang, 'textarea', 'impact', t.impact, v.impact, issues, { hint: t.impactHint, maxlength: 20000, rows: 4 })}</fieldset>
<fieldset><legend>${e(t.filesLegend)}</legend><div class="field${fieldErrors(lang, 'attachments', issues) ? ' invalid' : ''}"><label for="f-attachments">${e(t.files)} <span class="small">(${e(t.optional)})</span></label><p class="hint" id="f-attachments-hint">${e(t.filesHint(p.limits.maxFiles, mib))}</p>${fieldErrors(lang, 'attachments', issues)}<input type="file" id="f-attachments" name="attachments" multiple aria-describedby="f-attachments-hint"></div></fieldset>
<fieldset><legend>${e(t.contactLegend)}</legend><p class="hint">${e(t.contactHint)}</p>
${checkbox('anonymous', t.anonymous, v.anonymous !== undefined)}
${control(lang, 'input', 'finderName', t.finderName, v.finderName, issues, { maxlength: 200, autocomplete: 'name' })}
${control(lang, 'input', 'finderEmail', t.finderEmail, v.finderEmail, issues, { type: 'email', maxlength: 320, autocomplete: 'email' })}
${checkbox('sharesIdentity', t.sharesIdentity, v.sharesIdentity !== undefined)}${checkbox('sharesAttachments', t.sharesAttachments, v.sharesAttachments !== undefined)}</fieldset>
${radios(
  lang,
  'credit',
  t.creditLegend,
  CVD_CREDITS.map((c: CvdCredit) => ({ value: c, label: t.credits[c] })),
  v.credit ?? 'none',
  issues,
  { hint: t.creditHint },
)}
${control(lang, 'input', 'creditName', t.creditName, v.creditName, issues, { maxlength: 200 })}
<fieldset><legend>${e(t.encryptLegend)}</legend>${encryption}</fieldset>
<p><button type="submit">${e(t.submit)}</button></p></form>
<p><a href="/cvd/acknowledgements${lang === 'en' ? '?lang=en' : ''}">${e(t.ackTitle)}</a></p>`;
  const switchHref =
    `/cvd?${new URLSearchParams({ ...(t.otherLang === 'en' ? { lang: 'en' } : {}), ...(v.organisationId ? { org: v.organisationId } : {}) }).toString()}`.replace(
      /\?$/,
      '',
    );
  return layout(lang, t.formTitle, body, { switchHref, scripts: p.key ? [p.assets.script] : [] });
}

const DATE_LOCALE: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB' };

/** A moment as people in the Netherlands read it (Europe/Amsterdam), with the zone named. */
export function dateTime(lang: Lang, iso: string): string {
  return (
    new Intl.DateTimeFormat(DATE_LOCALE[lang], { timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso)) +
    ' (Europe/Amsterdam)'
  );
}

/** A calendar date (YYYY-MM-DD) written out. */
export function day(lang: Lang, d: string): string {
  return new Intl.DateTimeFormat(DATE_LOCALE[lang], { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${d}T12:00:00Z`));
}

export function renderSubmitted(lang: Lang, s: { reference: string; link: string; withMail: boolean; firstResponseDue: string | null }): string {
  const t = TEXT[lang];
  const body = `<div class="notice" role="status"><p>${e(t.caseNumber)}: <strong class="mono">${e(s.reference)}</strong></p></div>
<h2>${e(t.privateLink)}</h2><p><a class="mono" href="${e(s.link)}">${e(s.link)}</a></p>
<p><label for="link-copy">${e(t.privateLink)}</label><input type="text" id="link-copy" readonly value="${e(s.link)}"></p>
<p><strong>${e(t.keepLink)}</strong></p>${s.withMail ? `<p>${e(t.mailSent)}</p>` : ''}${s.firstResponseDue ? `<p>${e(t.firstResponseBy)} ${e(dateTime(lang, s.firstResponseDue))}.</p>` : ''}
<p><a href="${e(s.link)}">${e(t.openCase)}</a></p>`;
  return layout(lang, t.submittedTitle, body);
}

// ---------------------------------------------------------------------------------------------
// The private link page

function size(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${Math.ceil(n / 1024)} KiB` : `${n} B`;
}

function attachmentItem(base: string, a: { id: string; fileName: string; sizeBytes: number; sha256: string }, t: Texts): string {
  return `<li><a href="${e(`${base}/attachments/${a.id}`)}" download>${e(a.fileName)}</a> <span class="small">(${size(a.sizeBytes)}, ${e(t.download)}; SHA-256 <code>${e(a.sha256)}</code>)</span></li>`;
}

function messageItem(lang: Lang, base: string, m: MessageOut): string {
  const t = TEXT[lang];
  const files = m.attachments.length ? `<ul>${m.attachments.map((a) => attachmentItem(base, a, t)).join('')}</ul>` : '';
  return `<li class="${m.direction}"><p class="small"><strong>${e(m.direction === 'out' ? t.fromCert : t.fromYou)}</strong> · ${e(dateTime(lang, m.createdAt))}</p><div class="text">${e(m.body)}</div>${files}</li>`;
}

function fact(label: string, value: string | null | undefined, raw = false): string {
  return value ? `<dt>${e(label)}</dt><dd>${raw ? value : e(value)}</dd>` : '';
}

export interface CasePage {
  lang: Lang;
  token: string;
  link: LinkView;
  issues: FieldIssue[];
  replyText?: string;
  notice?: 'message' | 'consent' | 'status';
}

export function renderCase(p: CasePage): string {
  const { lang, link, issues } = p;
  const t = TEXT[lang];
  const base = `/cvd/case/${p.token}`;
  // The language travels explicitly: without it a page falls back to the party's own language.
  const q = `?lang=${lang}`;
  const v = link.view;
  const affected =
    v.targetKind === 'product'
      ? [v.vendor, v.product, link.kind === 'party' ? link.view.model : null, link.kind === 'party' ? link.view.version : null].filter(Boolean).join(' ')
      : (v.target ?? '');

  const facts = [
    fact(t.status, t.statuses[v.status]),
    link.kind === 'finder' ? fact(t.received, dateTime(lang, link.view.receivedAt)) : '',
    link.kind === 'finder'
      ? link.view.firstResponseAt
        ? fact(t.firstResponseAt, dateTime(lang, link.view.firstResponseAt))
        : fact(t.firstResponseDue, dateTime(lang, link.view.firstResponseDue))
      : '',
    fact(t.disclosureDue, day(lang, v.disclosureDue)),
    fact(t.cve, v.cveId),
    link.kind === 'finder' && link.view.advisoryUrl ? fact(t.advisory, `<a href="${e(link.view.advisoryUrl)}">${e(link.view.advisoryUrl)}</a>`, true) : '',
    link.kind === 'finder' ? fact(t.creditLabel, `${t.credits[link.view.credit]}${link.view.creditName ? ` (${link.view.creditName})` : ''}`) : '',
    link.kind === 'party' ? fact(t.yourStatus, t.partyStatuses[link.view.party.status]) : '',
  ].join('');

  const report = `<h2>${e(t.report)}</h2><dl class="facts">${fact(t.affected, `${t.targetKinds[v.targetKind]}: ${affected}`)}${fact(t.title, v.title)}</dl>
<h3>${e(t.description)}</h3><div class="text">${e(v.description)}</div>${v.steps ? `<h3>${e(t.steps)}</h3><div class="text">${e(v.steps)}</div>` : ''}${v.impact ? `<h3>${e(t.impact)}</h3><div class="text">${e(v.impact)}</div>` : ''}`;

  const others =
    link.kind === 'finder'
      ? `<h2>${e(t.parties)}</h2>${link.view.parties.length ? `<ul>${link.view.parties.map((x) => `<li>${e(t.partyKinds[x.kind])}${x.name ? ` — ${e(x.name)}` : ` <span class="small">(${e(t.unnamed)})</span>`}: ${e(t.partyStatuses[x.status])}</li>`).join('')}</ul>` : `<p>${e(t.noParties)}</p>`}`
      : `<h2>${e(t.finder)}</h2><p>${link.view.finder ? e([link.view.finder.name, link.view.finder.email].filter(Boolean).join(' — ')) : e(t.finderUnknown)}</p>`;

  const messages = `<h2 id="messages">${e(t.messages)}</h2>${v.messages.length ? `<ol class="messages">${v.messages.map((m) => messageItem(lang, base, m)).join('')}</ol>` : `<p>${e(t.noMessages)}</p>`}`;
  const files = `<h2>${e(t.attachments)}</h2>${v.attachments.length ? `<ul>${v.attachments.map((a: AttachmentOut) => attachmentItem(base, a, t)).join('')}</ul>` : `<p>${e(t.noAttachments)}</p>`}`;

  const reply = `<form method="post" action="${e(`${base}/messages${q}`)}" enctype="multipart/form-data" accept-charset="utf-8"><fieldset><legend>${e(t.replyLegend)}</legend>
${control(lang, 'textarea', 'body', t.replyBody, p.replyText, issues, { required: true, maxlength: 20000 })}
<div class="field${fieldErrors(lang, 'attachments', issues) ? ' invalid' : ''}"><label for="f-attachments">${e(t.files)} <span class="small">(${e(t.optional)})</span></label>${fieldErrors(lang, 'attachments', issues)}<input type="file" id="f-attachments" name="attachments" multiple></div>
<p><button type="submit">${e(t.replySubmit)}</button></p></fieldset></form>`;

  const sharing = link.kind === 'finder' ? link.view.sharesIdentity : link.view.party.sharesIdentity;
  const consent = `<form method="post" action="${e(`${base}/consent${q}`)}"><fieldset><legend>${e(t.consentLegend)}</legend><p>${e(link.kind === 'finder' ? t.consentFinder : t.consentParty)}</p>
<div class="choice"><input type="radio" id="c-yes" name="sharesIdentity" value="true"${sharing ? ' checked' : ''}> <label for="c-yes">${e(t.yes)}</label></div>
<div class="choice"><input type="radio" id="c-no" name="sharesIdentity" value="false"${sharing ? '' : ' checked'}> <label for="c-no">${e(t.no)}</label></div>
<p><button type="submit">${e(t.save)}</button></p></fieldset></form>`;

  const status =
    link.kind === 'party'
      ? `<form method="post" action="${e(`${base}/status${q}`)}"><fieldset><legend>${e(t.statusLegend)}</legend>${CVD_PARTY_STATUSES.map(
          (s) =>
            `<div class="choice"><input type="radio" id="s-${s}" name="status" value="${s}"${link.view.party.status === s ? ' checked' : ''}> <label for="s-${s}">${e(t.partyStatuses[s])}</label></div>`,
        ).join('')}<p><button type="submit">${e(t.save)}</button></p></fieldset></form>`
      : '';

  const notice = p.notice ? `<div class="notice" role="status"><p>${e(t.sent[p.notice])}</p></div>` : '';
  const body = `${errorSummary(lang, issues)}${notice}<dl class="facts">${facts}</dl>${report}${others}${messages}${files}${reply}${consent}${status}`;
  return layout(lang, t.caseTitle(v.reference), body, { switchHref: `${base}?lang=${t.otherLang}` });
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements and plain message pages

export interface AckRow {
  name: string | null;
  reference: string;
  title: string | null;
  cveId: string | null;
  disclosedAt: string | null;
  advisoryHref: string | null;
}

export function renderAcknowledgements(lang: Lang, rows: readonly AckRow[]): string {
  const t = TEXT[lang];
  const items = rows
    .map((r) => {
      const what = [
        r.cveId ? `<code>${e(r.cveId)}</code>` : '',
        r.title && r.advisoryHref ? `<a href="${e(r.advisoryHref)}">${e(r.title)}</a>` : '',
        r.disclosedAt ? `<span class="small">${e(day(lang, r.disclosedAt.slice(0, 10)))}</span>` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      return `<li><strong>${e(r.name ?? t.anonymousResearcher)}</strong>${what ? ` — ${what}` : ''}</li>`;
    })
    .join('');
  const body = `<p>${e(t.ackIntro)}</p>${items ? `<ul>${items}</ul>` : `<p>${e(t.ackNone)}</p>`}<p><a href="/cvd${lang === 'en' ? '?lang=en' : ''}">${e(t.reportLink)}</a></p>`;
  return layout(lang, t.ackTitle, body, { switchHref: `/cvd/acknowledgements${lang === 'en' ? '' : '?lang=en'}` });
}

/** A page that only says something (an error, a refusal); `code` is shown for support. */
export function renderMessage(lang: Lang, title: string, message: string, opts: { code?: string; backHref?: string; backLabel?: string } = {}): string {
  const t = TEXT[lang];
  return layout(
    lang,
    title,
    `<div role="alert"><p>${e(message)}</p>${opts.code ? `<p class="small">${e(t.errorCode)}: ${e(opts.code)}</p>` : ''}</div>${opts.backHref ? `<p><a href="${e(opts.backHref)}">${e(opts.backLabel ?? t.back)}</a></p>` : ''}`,
  );
}

/** The one page for a link that leads nowhere: the same bytes for a wrong, a malformed and a missing token. */
export function renderNotFound(lang: Lang): string {
  const t = TEXT[lang];
  return renderMessage(lang, t.notFoundTitle, t.notFound);
}
