import * as cvssCalculatorModule from 'ae-cvss-calculator';

/**
 * CVSS vectors: strict parsing against the FIRST metric tables (so an analyst learns which metric is
 * wrong, in plain words), then score calculation by ae-cvss-calculator.
 *
 * - CVSS 3.0/3.1 (FIRST spec §6, Table 15): metrics in any order, all Base metrics required, no metric
 *   twice. CVSS 4.0 (FIRST spec §7, Table 23): the same, but the order of the table is mandatory.
 *   CVSS 2.0 (FIRST guide §2.4): only kept for imported documents.
 * - The normalised vector lists the metrics in table order and leaves out "Not Defined" values (X, or
 *   ND for 2.0), which mean the same as an absent metric.
 * - `baseScore` is the score of the Base metrics alone (for 4.0: CVSS-B). For 4.0, `score` and
 *   `nomenclature` also give the score of the whole vector (CVSS-BT, -BE or -BTE).
 */

// The package is a UMD bundle: Node's ESM loader exposes it as the default export, bundlers as named exports.
type CvssCalculatorModule = typeof cvssCalculatorModule;
const calculator: CvssCalculatorModule = (cvssCalculatorModule as unknown as { default?: CvssCalculatorModule }).default ?? cvssCalculatorModule;

export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface CvssOk<V extends string> {
  ok: true;
  version: V;
  /** The vector in the order of the specification's table, without "Not Defined" metrics. */
  vector: string;
  baseScore: number;
  baseSeverity: CvssSeverity;
}
export interface Cvss4Ok extends CvssOk<'4.0'> {
  /** Score of the whole vector (equals baseScore when only Base metrics are given). */
  score: number;
  severity: CvssSeverity;
  /** CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE. */
  nomenclature: 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';
}
export interface CvssError {
  ok: false;
  message: string;
}
export type Cvss3Result = CvssOk<'3.0' | '3.1'> | CvssError;
export type Cvss4Result = Cvss4Ok | CvssError;
export type Cvss2Result = CvssOk<'2.0'> | CvssError;

interface MetricDef {
  name: string;
  values: readonly string[];
  mandatory: boolean;
  /** The value that means "Not Defined", left out of the normalised vector. */
  notDefined?: string;
}

const metric = (name: string, values: string, mandatory = false, notDefined: string | undefined = mandatory ? undefined : 'X'): MetricDef => ({
  name,
  values: values.split(','),
  mandatory,
  ...(notDefined ? { notDefined } : {}),
});

/** CVSS v3.1 specification, Table 15 (v3.0 has the same metrics and values). */
const CVSS3_METRICS: readonly MetricDef[] = [
  metric('AV', 'N,A,L,P', true),
  metric('AC', 'L,H', true),
  metric('PR', 'N,L,H', true),
  metric('UI', 'N,R', true),
  metric('S', 'U,C', true),
  metric('C', 'H,L,N', true),
  metric('I', 'H,L,N', true),
  metric('A', 'H,L,N', true),
  metric('E', 'X,H,F,P,U'),
  metric('RL', 'X,U,W,T,O'),
  metric('RC', 'X,C,R,U'),
  metric('CR', 'X,H,M,L'),
  metric('IR', 'X,H,M,L'),
  metric('AR', 'X,H,M,L'),
  metric('MAV', 'X,N,A,L,P'),
  metric('MAC', 'X,L,H'),
  metric('MPR', 'X,N,L,H'),
  metric('MUI', 'X,N,R'),
  metric('MS', 'X,U,C'),
  metric('MC', 'X,N,L,H'),
  metric('MI', 'X,N,L,H'),
  metric('MA', 'X,N,L,H'),
];

/** CVSS v4.0 specification, Table 23; this order is mandatory in a vector. */
const CVSS4_METRICS: readonly MetricDef[] = [
  metric('AV', 'N,A,L,P', true),
  metric('AC', 'L,H', true),
  metric('AT', 'N,P', true),
  metric('PR', 'N,L,H', true),
  metric('UI', 'N,P,A', true),
  metric('VC', 'H,L,N', true),
  metric('VI', 'H,L,N', true),
  metric('VA', 'H,L,N', true),
  metric('SC', 'H,L,N', true),
  metric('SI', 'H,L,N', true),
  metric('SA', 'H,L,N', true),
  metric('E', 'X,A,P,U'),
  metric('CR', 'X,H,M,L'),
  metric('IR', 'X,H,M,L'),
  metric('AR', 'X,H,M,L'),
  metric('MAV', 'X,N,A,L,P'),
  metric('MAC', 'X,L,H'),
  metric('MAT', 'X,N,P'),
  metric('MPR', 'X,N,L,H'),
  metric('MUI', 'X,N,P,A'),
  metric('MVC', 'X,N,L,H'),
  metric('MVI', 'X,N,L,H'),
  metric('MVA', 'X,N,L,H'),
  metric('MSC', 'X,N,L,H'),
  metric('MSI', 'X,N,L,H,S'),
  metric('MSA', 'X,N,L,H,S'),
  metric('S', 'X,N,P'),
  metric('AU', 'X,N,Y'),
  metric('R', 'X,A,U,I'),
  metric('V', 'X,D,C'),
  metric('RE', 'X,L,M,H'),
  metric('U', 'X,Clear,Green,Amber,Red'),
];

/** CVSS v2.0 guide, Tables 1–3 (base, temporal, environmental). */
const CVSS2_METRICS: readonly MetricDef[] = [
  metric('AV', 'L,A,N', true),
  metric('AC', 'H,M,L', true),
  metric('Au', 'M,S,N', true),
  metric('C', 'N,P,C', true),
  metric('I', 'N,P,C', true),
  metric('A', 'N,P,C', true),
  metric('E', 'U,POC,F,H,ND', false, 'ND'),
  metric('RL', 'OF,TF,W,U,ND', false, 'ND'),
  metric('RC', 'UC,UR,C,ND', false, 'ND'),
  metric('CDP', 'N,L,LM,MH,H,ND', false, 'ND'),
  metric('TD', 'N,L,M,H,ND', false, 'ND'),
  metric('CR', 'L,M,H,ND', false, 'ND'),
  metric('IR', 'L,M,H,ND', false, 'ND'),
  metric('AR', 'L,M,H,ND', false, 'ND'),
];

type ParsedMetrics = { ok: true; values: Map<string, string>; normalised: string[] } | CvssError;

/**
 * Splits "AV:N/AC:L/…" and checks every part against the table. `label` prefixes messages
 * ("CVSS 3.1"); `fixedOrder` enforces the table order (CVSS 4.0).
 */
function parseMetrics(body: string, table: readonly MetricDef[], label: string, fixedOrder: boolean): ParsedMetrics {
  const fail = (message: string): CvssError => ({ ok: false, message: `${label}: ${message}` });
  const index = new Map(table.map((m, i) => [m.name, i]));
  const values = new Map<string, string>();
  let lastIndex = -1;
  let lastName = '';
  if (body === '') return fail(`mandatory metric ${table[0]?.name ?? 'AV'} is missing`);
  for (const part of body.split('/')) {
    if (part === '') return fail('the vector has an empty part (check the slashes)');
    const colon = part.indexOf(':');
    if (colon <= 0 || colon === part.length - 1) return fail(`'${part}' is not a metric:value pair`);
    const name = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const i = index.get(name);
    const def = i === undefined ? undefined : table[i];
    if (i === undefined || !def) {
      const hint = table.find((m) => m.name.toLowerCase() === name.toLowerCase());
      return fail(`unknown metric '${name}'${hint ? ` (metric names are case-sensitive: did you mean ${hint.name}?)` : ''}`);
    }
    if (values.has(name)) return fail(`metric ${name} is given more than once`);
    if (!def.values.includes(value)) return fail(`metric ${name} has an invalid value '${value}' (allowed: ${def.values.join(', ')})`);
    if (fixedOrder && i < lastIndex) return fail(`metric ${name} must come before ${lastName} (the specification fixes the order of the metrics)`);
    values.set(name, value);
    if (i > lastIndex) {
      lastIndex = i;
      lastName = name;
    }
  }
  for (const def of table) {
    if (def.mandatory && !values.has(def.name)) return fail(`mandatory metric ${def.name} is missing`);
  }
  const normalised = table.flatMap((def) => {
    const value = values.get(def.name);
    return value === undefined || value === def.notDefined ? [] : [`${def.name}:${value}`];
  });
  return { ok: true, values, normalised };
}

/** Qualitative severity rating scale (CVSS v3.1 §5, v4.0 §6): the same bands for both. */
export function cvssSeverity(score: number): CvssSeverity {
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

const oneDecimal = (n: number): number => Math.round(n * 10) / 10;

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Parses a CVSS 3.0 or 3.1 vector ("CVSS:3.1/AV:N/…") and computes its base score. */
function computeCvss3(input: string): Cvss3Result {
  const vector = input.trim();
  if (vector === '') return { ok: false, message: 'not a CVSS 3.x vector: it is empty' };
  const prefix = /^CVSS:(3\.[01])\//.exec(vector);
  if (!prefix) {
    const other = /^CVSS:(\d+\.\d+)\//.exec(vector);
    const found = other ? ` (this is a CVSS ${other[1]} vector)` : '';
    return { ok: false, message: `not a CVSS 3.x vector: it must start with CVSS:3.1/${found}` };
  }
  const version = prefix[1] === '3.0' ? '3.0' : '3.1';
  const parsed = parseMetrics(vector.slice(prefix[0].length), CVSS3_METRICS, `CVSS ${version}`, false);
  if (!parsed.ok) return parsed;
  const normalised = `CVSS:${version}/${parsed.normalised.join('/')}`;
  try {
    const cvss = version === '3.0' ? new calculator.Cvss3P0(normalised) : new calculator.Cvss3P1(normalised);
    const base = cvss.calculateScores().base;
    if (base === undefined || !Number.isFinite(base)) return { ok: false, message: `CVSS ${version}: the base score could not be computed` };
    const baseScore = oneDecimal(base);
    return { ok: true, version, vector: normalised, baseScore, baseSeverity: cvssSeverity(baseScore) };
  } catch (e) {
    return { ok: false, message: `CVSS ${version}: ${errorMessage(e)}` };
  }
}

/** Parses a CVSS 4.0 vector ("CVSS:4.0/AV:N/…", metrics in the order of the specification) and computes its scores. */
function computeCvss4(input: string): Cvss4Result {
  const vector = input.trim();
  if (vector === '') return { ok: false, message: 'not a CVSS 4.0 vector: it is empty' };
  if (!vector.startsWith('CVSS:4.0/')) {
    const other = /^CVSS:(\d+\.\d+)\//.exec(vector);
    const found = other ? ` (this is a CVSS ${other[1]} vector)` : '';
    return { ok: false, message: `not a CVSS 4.0 vector: it must start with CVSS:4.0/${found}` };
  }
  const parsed = parseMetrics(vector.slice('CVSS:4.0/'.length), CVSS4_METRICS, 'CVSS 4.0', true);
  if (!parsed.ok) return parsed;
  const normalised = `CVSS:4.0/${parsed.normalised.join('/')}`;
  try {
    const cvss = new calculator.Cvss4P0(normalised);
    const scores = cvss.calculateScores();
    const base = scores.baseMetricsOnly;
    const overall = scores.overall;
    if (base === undefined || !Number.isFinite(base) || !Number.isFinite(overall)) {
      return { ok: false, message: 'CVSS 4.0: the score could not be computed' };
    }
    const baseScore = oneDecimal(base);
    const score = oneDecimal(overall);
    const has = (names: readonly string[]) => names.some((n) => parsed.normalised.some((m) => m.startsWith(`${n}:`)));
    const threat = has(['E']);
    const environmental = has(['CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA']);
    const nomenclature = threat && environmental ? 'CVSS-BTE' : threat ? 'CVSS-BT' : environmental ? 'CVSS-BE' : 'CVSS-B';
    return {
      ok: true,
      version: '4.0',
      vector: normalised,
      baseScore,
      baseSeverity: cvssSeverity(baseScore),
      score,
      severity: cvssSeverity(score),
      nomenclature,
    };
  } catch (e) {
    return { ok: false, message: `CVSS 4.0: ${errorMessage(e)}` };
  }
}

/** Parses a CVSS 2.0 vector ("AV:N/AC:L/Au:N/C:P/I:P/A:P", no prefix) and computes its base score. */
export function parseCvss2(input: string): Cvss2Result {
  const vector = input.trim();
  if (vector === '') return { ok: false, message: 'not a CVSS 2.0 vector: it is empty' };
  if (vector.startsWith('CVSS:')) return { ok: false, message: 'not a CVSS 2.0 vector: a CVSS 2.0 vector has no prefix and starts with AV:' };
  const parsed = parseMetrics(vector, CVSS2_METRICS, 'CVSS 2.0', false);
  if (!parsed.ok) return parsed;
  const normalised = parsed.normalised.join('/');
  try {
    const base = new calculator.Cvss2(normalised).calculateScores().base;
    if (base === undefined || !Number.isFinite(base)) return { ok: false, message: 'CVSS 2.0: the base score could not be computed' };
    const baseScore = oneDecimal(base);
    // CVSS 2.0 has no severity scale of its own; NVD's bands are the common reading (no NONE or CRITICAL).
    const baseSeverity: CvssSeverity = baseScore < 4 ? 'LOW' : baseScore < 7 ? 'MEDIUM' : 'HIGH';
    return { ok: true, version: '2.0', vector: normalised, baseScore, baseSeverity };
  } catch (e) {
    return { ok: false, message: `CVSS 2.0: ${errorMessage(e)}` };
  }
}

export interface ScoreIssue {
  path: (string | number)[];
  message: string;
}

interface ScoredVulnerability {
  cvssV3?: string | null;
  cvssV4?: string | null;
  cvssV2?: string | null;
}

/**
 * Zod-style issues for every CVSS vector in the content that does not parse, e.g.
 * `{ path: ['vulnerabilities', 0, 'cvssV4'], message: 'CVSS 4.0: mandatory metric AT is missing' }`.
 * Empty vectors are not issues (the field is optional).
 */
export function validateVulnerabilityScores(content: { vulnerabilities?: readonly ScoredVulnerability[] | null }): ScoreIssue[] {
  const issues: ScoreIssue[] = [];
  (content.vulnerabilities ?? []).forEach((v, i) => {
    const check = (field: 'cvssV3' | 'cvssV4' | 'cvssV2', parse: (vector: string) => { ok: true } | CvssError) => {
      const vector = v[field];
      if (vector == null || vector.trim() === '') return;
      const result = parse(vector);
      if (!result.ok) issues.push({ path: ['vulnerabilities', i, field], message: result.message });
    };
    check('cvssV3', parseCvss3);
    check('cvssV4', parseCvss4);
    check('cvssV2', parseCvss2);
  });
  return issues;
}

// Scoring is pure and vectors repeat across documents (exporting many CSAF documents scores the
// same handful of vectors again and again): remember the last few thousand results.
const CACHE_LIMIT = 5000;
function memoise<R>(compute: (v: string) => R): (v: string) => R {
  const cache = new Map<string, R>();
  return (v) => {
    const hit = cache.get(v);
    if (hit !== undefined) return hit;
    const result = compute(v);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(v, result);
    return result;
  };
}

/** Parses and scores a CVSS 3.0/3.1 vector; an invalid one says which metric is wrong. */
export const parseCvss3: (input: string) => Cvss3Result = memoise(computeCvss3);
/** Parses and scores a CVSS 4.0 vector; an invalid one says which metric is wrong. */
export const parseCvss4: (input: string) => Cvss4Result = memoise(computeCvss4);
/** A 3.x or 4.0 vector, told apart by its prefix (anything not 4.0 is read, and refused, as 3.x). */
export function parseCvssVector(input: string): Cvss3Result | Cvss4Result {
  return input.startsWith('CVSS:4.0/') ? parseCvss4(input) : parseCvss3(input);
}
