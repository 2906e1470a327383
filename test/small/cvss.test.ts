import { describe, expect, it } from 'vitest';
import { cvssSeverity, parseCvss2, parseCvss3, parseCvss4, validateVulnerabilityScores } from '#lib/cvss.ts';

// Scores are those of the FIRST specifications and calculators (CVSS v3.1 §6 and v4.0 §7 examples,
// the FIRST v2/v3 calculator for the classic vectors).
describe('parseCvss3', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 9.8, 'CRITICAL'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', '3.1', 10, 'CRITICAL'],
    ['CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N', '3.1', 3.8, 'LOW'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', '3.1', 7.8, 'HIGH'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', '3.0', 6.1, 'MEDIUM'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', '3.1', 0, 'NONE'],
  ] as const)('%s scores %s', (vector, version, score, severity) => {
    expect(parseCvss3(vector)).toEqual({ ok: true, version, vector, baseScore: score, baseSeverity: severity });
  });

  it('accepts any metric order, normalises to table order and drops Not Defined metrics', () => {
    const r = parseCvss3(' CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X/RL:O ');
    expect(r).toMatchObject({ ok: true, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O', baseScore: 9.8 });
  });

  it.each([
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', "CVSS 3.1: metric AV has an invalid value 'Q' (allowed: N, A, L, P)"],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'CVSS 3.1: mandatory metric A is missing'],
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'not a CVSS 3.x vector: it must start with CVSS:3.1/'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'not a CVSS 3.x vector: it must start with CVSS:3.1/ (this is a CVSS 4.0 vector)'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/E:H', 'CVSS 3.1: metric E is given more than once'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y', "CVSS 3.1: unknown metric 'XX'"],
    ['CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', "CVSS 3.1: unknown metric 'av' (metric names are case-sensitive: did you mean AV?)"],
    ['CVSS:3.1/AV:N//AC:L', 'CVSS 3.1: the vector has an empty part (check the slashes)'],
    ['CVSS:3.1/AV', "CVSS 3.1: 'AV' is not a metric:value pair"],
    ['', 'not a CVSS 3.x vector: it is empty'],
  ])('refuses %s', (vector, message) => {
    expect(parseCvss3(vector)).toEqual({ ok: false, message });
  });
});

describe('parseCvss4', () => {
  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'CRITICAL'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10, 'CRITICAL'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N', 5.1, 'MEDIUM'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'NONE'],
  ] as const)('%s scores %s', (vector, score, severity) => {
    expect(parseCvss4(vector)).toEqual({
      ok: true,
      version: '4.0',
      vector,
      baseScore: score,
      baseSeverity: severity,
      score,
      severity,
      nomenclature: 'CVSS-B',
    });
  });

  it('keeps the base score apart from the score of the whole vector', () => {
    const r = parseCvss4('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    expect(r).toMatchObject({ ok: true, baseScore: 9.3, nomenclature: 'CVSS-BT' });
    expect(r.ok && r.score).toBeLessThan(9.3);
  });

  it('accepts the valid sample vectors of the specification', () => {
    for (const v of [
      'CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:P',
      'CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:A/VC:N/VI:N/VA:L/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M/MAV:N/MAC:L/MAT:P/MPR:L/MUI:A/MVC:N/MVI:H/MVA:L/MSC:L/MSI:S/MSA:H',
      'CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:A/S:P/AU:Y/R:A/V:D/RE:L/U:Red',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U/CR:L/IR:X/AR:L/MAV:A/MAC:H/MAT:N/MPR:N/MUI:P/MVC:X/MVI:N/MVA:H/MSC:N/MSI:L/MSA:S/S:N/AU:N/R:I/V:C/RE:H/U:Green',
    ]) {
      expect(parseCvss4(v), v).toMatchObject({ ok: true });
    }
  });

  // The invalid sample vectors of the CVSS v4.0 specification, §7.
  it.each([
    ['CVSS:4.0/AV:F/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N', "CVSS 4.0: metric AV has an invalid value 'F' (allowed: N, A, L, P)"],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:A/E:X', 'CVSS 4.0: metric E is given more than once'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/ui:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N', "CVSS 4.0: unknown metric 'ui' (metric names are case-sensitive: did you mean UI?)"],
    ['AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N', 'not a CVSS 4.0 vector: it must start with CVSS:4.0/'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/SC:N/SI:N/SA:N', 'CVSS 4.0: mandatory metric VA is missing'],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'CVSS 4.0: mandatory metric AT is missing'],
    [
      'CVSS:4.0/AC:L/AV:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/CR:L/IR:X/AR:L/RE:H/MAV:A/MAC:H/MAT:N/MPR:N/MUI:P/AT:N/MVC:X/MVI:N/MVA:H/MSC:N/MSI:L/MSA:S/E:U/S:N/AU:N/R:I/V:C/U:Green',
      'CVSS 4.0: metric AV must come before AC (the specification fixes the order of the metrics)',
    ],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'not a CVSS 4.0 vector: it must start with CVSS:4.0/ (this is a CVSS 3.1 vector)'],
  ])('refuses %s', (vector, message) => {
    expect(parseCvss4(vector)).toEqual({ ok: false, message });
  });
});

describe('parseCvss2', () => {
  it('scores the classic vectors', () => {
    expect(parseCvss2('AV:N/AC:L/Au:N/C:P/I:P/A:P')).toEqual({
      ok: true,
      version: '2.0',
      vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      baseScore: 7.5,
      baseSeverity: 'HIGH',
    });
    expect(parseCvss2('AV:N/AC:L/Au:N/C:C/I:C/A:C')).toMatchObject({ ok: true, baseScore: 10 });
    expect(parseCvss2('AV:N/AC:M/Au:N/C:N/I:P/A:N')).toMatchObject({ ok: true, baseScore: 4.3, baseSeverity: 'MEDIUM' });
  });
  it('refuses a wrong value', () => {
    expect(parseCvss2('AV:N/AC:L/Au:X/C:P/I:P/A:P')).toEqual({ ok: false, message: "CVSS 2.0: metric Au has an invalid value 'X' (allowed: M, S, N)" });
  });
});

describe('cvssSeverity', () => {
  it('follows the qualitative rating bands', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(cvssSeverity)).toEqual(['NONE', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
  });
});

describe('validateVulnerabilityScores', () => {
  it('reports every invalid vector with its path and skips empty ones', () => {
    const issues = validateVulnerabilityScores({
      vulnerabilities: [
        { cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', cvssV4: 'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
        { cvssV3: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', cvssV4: null, cvssV2: '' },
        { cvssV3: '  ', cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
      ],
    });
    expect(issues).toEqual([
      { path: ['vulnerabilities', 0, 'cvssV4'], message: 'CVSS 4.0: mandatory metric AT is missing' },
      { path: ['vulnerabilities', 1, 'cvssV3'], message: "CVSS 3.1: metric AV has an invalid value 'Q' (allowed: N, A, L, P)" },
    ]);
  });
});
