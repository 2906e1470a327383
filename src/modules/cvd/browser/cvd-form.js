/* global document, window, FileReader, HTMLInputElement, HTMLTextAreaElement */
/*
 * Progressive enhancement of the public CVD report form (served from /cvd/assets/cvd-form.js; no
 * build step). Without this script the form is posted as it is, over HTTPS. With it, a finder who
 * ticks "encrypt in my browser" has the report and its files encrypted to the CERT's OpenPGP key
 * (embedded in the page, data-key) before anything is sent: the form then posts only the armored
 * message in the field "encrypted", plus the form's own fields (ticket, language, honeypot).
 */

const form = document.getElementById('cvd-form');
const option = document.getElementById('encrypt-option');
const box = document.getElementById('f-encrypt');
const status = document.getElementById('encrypt-status');

/** The form's own fields, sent beside the encrypted message (none of them is about the report). */
const KEEP = new Set(['ticket', 'lang', 'homepage', 'encrypted']);
const TEXT_FIELDS = [
  'target',
  'vendor',
  'product',
  'model',
  'version',
  'title',
  'description',
  'steps',
  'impact',
  'finderName',
  'finderEmail',
  'creditName',
  'organisationId',
];
const FLAGS = ['anonymous', 'sharesIdentity', 'sharesAttachments'];

function say(text) {
  if (status) status.textContent = text;
}

function value(name) {
  const el = form.elements.namedItem(name);
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el.value.trim();
  // A group of radio buttons.
  return el && 'value' in el ? String(el.value) : '';
}

function flag(name) {
  const el = form.elements.namedItem(name);
  return el instanceof HTMLInputElement && el.checked;
}

/** The report as the server's ReportInput expects it: empty fields left out, tick boxes as booleans. */
function collectReport() {
  const report = { language: value('lang') === 'en' ? 'en' : 'nl' };
  const kind = value('targetKind');
  if (kind) report.targetKind = kind;
  const credit = value('credit');
  if (credit) report.credit = credit;
  for (const name of TEXT_FIELDS) {
    const v = value(name);
    if (v) report[name] = v;
  }
  for (const name of FLAGS) report[name] = flag(name);
  // title and description are required by the form itself; send them even when empty so the server names them.
  report.title = report.title ?? '';
  report.description = report.description ?? '';
  return report;
}

/** What the server would refuse anyway, said before encrypting (the encrypted form cannot be shown again). */
function checkTargets() {
  const kind = value('targetKind');
  const target = form.elements.namedItem('target');
  const vendor = form.elements.namedItem('vendor');
  target.setCustomValidity(kind && kind !== 'product' && !value('target') ? form.dataset.msgTarget : '');
  vendor.setCustomValidity(kind === 'product' && (!value('vendor') || !value('product')) ? form.dataset.msgProduct : '');
  return form.reportValidity();
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function plaintextControls() {
  return Array.from(form.elements).filter((el) => 'name' in el && el.name && !KEEP.has(el.name));
}

/** Back to the plain form (after a failure, or when the page is shown again from the history). */
function restore() {
  for (const el of plaintextControls()) el.disabled = false;
  form.querySelector('input[name="encrypted"]')?.remove();
  delete form.dataset.sealed;
}

async function encryptAndSend() {
  const maxFiles = Number(form.dataset.maxFiles);
  const maxBytes = Number(form.dataset.maxBytes);
  const maxEncrypted = Number(form.dataset.maxEncrypted);
  const input = form.elements.namedItem('attachments');
  const files = input instanceof HTMLInputElement && input.files ? Array.from(input.files) : [];
  const total = files.reduce((n, f) => n + f.size, 0);
  // Base64 and armour make the message about 1.8 times the files; the server takes up to data-max-encrypted.
  if (files.length > maxFiles || files.some((f) => f.size > maxBytes) || total * 1.8 > maxEncrypted) {
    say(form.dataset.msgTooLarge);
    return;
  }
  say(form.dataset.msgEncrypting);
  const openpgp = await import(form.dataset.openpgp);
  const encryptionKeys = await openpgp.readKey({ armoredKey: form.dataset.key });
  const attachments = [];
  for (const f of files) attachments.push({ name: f.name, type: f.type || 'application/octet-stream', dataBase64: await readBase64(f) });
  const message = await openpgp.createMessage({ text: JSON.stringify({ report: collectReport(), attachments }) });
  const armored = await openpgp.encrypt({ message, encryptionKeys });

  // Nothing readable leaves the browser: the report fields and file inputs are disabled (disabled controls are not sent).
  for (const el of plaintextControls()) el.disabled = true;
  const hidden = document.createElement('input');
  hidden.type = 'hidden';
  hidden.name = 'encrypted';
  hidden.value = armored;
  form.append(hidden);
  form.dataset.sealed = 'true';
  form.submit();
}

if (form && option && box && form.dataset.key && form.dataset.openpgp) {
  option.hidden = false;
  form.addEventListener('submit', (event) => {
    if (!box.checked || form.dataset.sealed) return;
    event.preventDefault();
    if (!checkTargets()) return;
    encryptAndSend().catch(() => {
      restore();
      say(form.dataset.msgFailed);
    });
  });
  // Custom messages must be cleared as the finder corrects the fields, or the form stays invalid.
  form.addEventListener('input', () => {
    form.elements.namedItem('target')?.setCustomValidity('');
    form.elements.namedItem('vendor')?.setCustomValidity('');
  });
  window.addEventListener('pageshow', restore);
}
