import validate, { type CsafLibMessage, type CsafLibTest } from '@secvisogram/csaf-validator-lib/validate.js';
import * as mandatoryTests from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';

/**
 * Validation of CSAF 2.0 documents: the strict JSON schema (no properties beyond the schema) plus
 * every mandatory test of §6.1, run by @secvisogram/csaf-validator-lib, with two corrections where the
 * library disagrees with the OASIS test corpus:
 *
 * - 6.1.26: the library compares the category only with the profile names, not with the profile
 *   values, so "csafsecurityadvisory" passes; our own check follows the rule and runs next to it.
 * - 6.1.21: the library sorts the revision history by date alone, so entries with the same date keep
 *   their array order and "2, 1" on one date fails; our own check sorts equal dates by number (as the
 *   library already does for 6.1.14) and replaces the library's verdict.
 *
 * A document is valid when the schema and all mandatory tests pass. Optional tests (§6.2) run on
 * request and only add warnings.
 *
 * The tests run through the library's `validate.js`, the function its `validateStrict.js` delegates
 * to after checking that every test is one of the library's own. Every test here comes from the
 * library's own modules, so that check adds nothing, while importing `validateStrict.js` also loads
 * and compiles the optional and informative tests (about six times the start-up cost of the
 * mandatory tests alone). Optional tests are loaded only when asked for.
 */

export interface CsafFinding {
  /** "schema", or the test id of the specification, e.g. "6.1.26". */
  test: string;
  message: string;
  /** JSON pointer into the document, e.g. "/document/category". */
  path: string;
}

export interface CsafValidation {
  valid: boolean;
  failures: CsafFinding[];
  warnings: CsafFinding[];
}

export interface ValidateCsafOptions {
  /** Also run the optional tests (§6.2) and report what they find as warnings. */
  optional?: boolean;
}

/** "mandatoryTest_6_1_27_10" → "6.1.27.10". */
export function csafTestId(functionName: string): string {
  return functionName.replace(/^(mandatory|optional|informative)Test_/, '').replaceAll('_', '.');
}

const byTestNumber = ([a]: [string, CsafLibTest], [b]: [string, CsafLibTest]): number => {
  const na = csafTestId(a).split('.').map(Number);
  const nb = csafTestId(b).split('.').map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
};

/** The test functions of a library module, in the order of their numbers. */
const testsOf = (module: object, prefix: string): [string, CsafLibTest][] =>
  Object.entries(module as Record<string, unknown>)
    .filter((entry): entry is [string, CsafLibTest] => entry[0].startsWith(prefix) && typeof entry[1] === 'function')
    .sort(byTestNumber);

const MANDATORY = testsOf(mandatoryTests, 'mandatoryTest_');
let optionalTestsLoaded: Promise<[string, CsafLibTest][]> | undefined;
const loadOptionalTests = (): Promise<[string, CsafLibTest][]> =>
  (optionalTestsLoaded ??= import('@secvisogram/csaf-validator-lib/optionalTests.js').then((m) => testsOf(m, 'optionalTest_')));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const PROFILE_VALUES = ['csaf_base', 'csaf_security_incident_response', 'csaf_informational_advisory', 'csaf_security_advisory', 'csaf_vex'];
/** Dashes, hyphens, minus signs, underscores (connector punctuation) and white space, in all their Unicode variants. */
const SEPARATORS = /[\p{Dash}\p{Pc}\s\u2212]+/gu;
const normaliseCategory = (value: string): string => value.replace(SEPARATORS, '').toLowerCase();
/** Name (without "csaf_") and value of every profile other than CSAF Base, normalised. */
const PROHIBITED_CATEGORIES = new Set(PROFILE_VALUES.filter((v) => v !== 'csaf_base').flatMap((v) => [normaliseCategory(v), normaliseCategory(v.slice(5))]));

/**
 * CSAF 2.0 §6.1.26 Prohibited Document Category Name: the category must not equal (case-insensitively,
 * ignoring dashes, white space and underscores on both sides) the name without "csaf_" or the value of
 * any profile other than CSAF Base, and must not start with "csaf_" unless it is exactly "csaf_base".
 * Skipped for the values of the profiles themselves.
 */
export function checkProhibitedCategory(doc: unknown): CsafFinding[] {
  if (!isRecord(doc) || !isRecord(doc.document) || typeof doc.document.category !== 'string') return [];
  const category = doc.document.category;
  if (PROFILE_VALUES.includes(category)) return [];
  const path = '/document/category';
  if (category.toLowerCase().startsWith('csaf_')) return [{ test: '6.1.26', path, message: `the prefix "csaf_" is reserved for the profiles ("${category}")` }];
  if (PROHIBITED_CATEGORIES.has(normaliseCategory(category))) {
    return [{ test: '6.1.26', path, message: `"${category}" is the name or value of a profile other than CSAF Base` }];
  }
  return [];
}

const majorOf = (number: string): number => Number.parseInt(number, 10);
const timeOf = (date: string): number => Date.parse(date);

/**
 * CSAF 2.0 §6.1.21 Missing Item in Revision History: sorted ascending by date, the revision history
 * starts at (major) version 0 or 1 and omits no (major) version. Entries with the same date are
 * ordered by their number.
 */
export function checkMissingRevision(doc: unknown): CsafFinding[] {
  if (!isRecord(doc) || !isRecord(doc.document) || !isRecord(doc.document.tracking)) return [];
  const history = doc.document.tracking.revision_history;
  if (!Array.isArray(history) || history.length === 0) return [];
  const entries: { date: string; number: string }[] = [];
  for (const item of history) {
    if (!isRecord(item) || typeof item.date !== 'string' || typeof item.number !== 'string') return [];
    entries.push({ date: item.date, number: item.number });
  }
  const sorted = entries
    .map((e, i) => ({ ...e, i, time: timeOf(e.date), major: majorOf(e.number) }))
    .sort((a, b) => {
      if (!Number.isNaN(a.time) && !Number.isNaN(b.time) && a.time !== b.time) return a.time - b.time;
      if (Number.isNaN(a.time) || Number.isNaN(b.time)) {
        const byText = a.date.localeCompare(b.date);
        if (byText !== 0) return byText;
      }
      return a.major - b.major || a.i - b.i;
    });
  const majors = [...new Set(sorted.map((e) => e.major))];
  const path = '/document/tracking/revision_history';
  const first = majors[0];
  if (first === undefined || Number.isNaN(first)) return [];
  const findings: CsafFinding[] = [];
  if (first !== 0 && first !== 1)
    findings.push({ test: '6.1.21', path, message: 'the revision history does not start with version 0 or 1 when sorted by date' });
  majors.forEach((major, i) => {
    const expected = first + i;
    if (major > expected) findings.push({ test: '6.1.21', path, message: `version ${expected} is missing from the revision history` });
  });
  return findings;
}

const toFindings = (test: string, messages: readonly CsafLibMessage[]): CsafFinding[] =>
  messages.map((m) => ({ test, message: String(m.message), path: typeof m.instancePath === 'string' ? m.instancePath : '' }));

async function runLibTest(name: string, test: CsafLibTest, doc: unknown): Promise<{ failures: CsafFinding[]; warnings: CsafFinding[] }> {
  const id = name === 'csaf_2_0_strict' ? 'schema' : csafTestId(name);
  try {
    const result = await validate([test], doc);
    const r = result.tests[0];
    if (!r) return { failures: [], warnings: [] };
    const failures = toFindings(id, r.errors);
    if (!r.isValid && failures.length === 0) failures.push({ test: id, message: 'the test failed', path: '' });
    return { failures, warnings: toFindings(id, [...r.warnings, ...r.infos]) };
  } catch (e) {
    // The library assumes schema-conformant input in places; a crash means the document is malformed.
    return {
      failures: [{ test: id, message: `the test could not run on this document: ${e instanceof Error ? e.message : String(e)}`, path: '' }],
      warnings: [],
    };
  }
}

/**
 * Validates a CSAF 2.0 document against the strict schema and every mandatory test (§6.1).
 * Never throws: anything that is not a JSON object is refused with a schema failure.
 */
export async function validateCsaf(doc: unknown, options: ValidateCsafOptions = {}): Promise<CsafValidation> {
  if (!isRecord(doc)) {
    return { valid: false, failures: [{ test: 'schema', message: 'a CSAF document is a JSON object', path: '' }], warnings: [] };
  }
  const failures: CsafFinding[] = [];
  const warnings: CsafFinding[] = [];
  const add = (r: { failures: CsafFinding[]; warnings: CsafFinding[] }) => {
    failures.push(...r.failures);
    warnings.push(...r.warnings);
  };

  add(await runLibTest('csaf_2_0_strict', csaf_2_0_strict, doc));
  for (const [name, test] of MANDATORY) {
    if (name === 'mandatoryTest_6_1_21') {
      failures.push(...checkMissingRevision(doc));
      continue;
    }
    add(await runLibTest(name, test, doc));
    if (name === 'mandatoryTest_6_1_26' && !failures.some((f) => f.test === '6.1.26')) failures.push(...checkProhibitedCategory(doc));
  }
  if (options.optional) {
    for (const [name, test] of await loadOptionalTests()) {
      const r = await runLibTest(name, test, doc);
      warnings.push(...r.failures, ...r.warnings);
    }
  }
  return { valid: failures.length === 0, failures, warnings };
}
