import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from '../../src/modules/identity/password.ts';
import { currentTotp, matchTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode } from '../../src/modules/identity/totp.ts';
import { auditHash, canonicalJson, GENESIS_HASH } from '../../src/modules/audit/audit-hash.ts';

describe('password policy', () => {
  it('wants length, not composition', () => {
    expect(() => checkPasswordPolicy('alllowercaseletters')).not.toThrow();
    expect(() => checkPasswordPolicy('Sh0rt!')).toThrow(expect.objectContaining({ code: 'password_too_short' }));
  });
  it('refuses passwords from the shipped list and ones built from the e-mail name', () => {
    expect(() => checkPasswordPolicy('123456789012')).toThrow(expect.objectContaining({ code: 'password_common' }));
    expect(() => checkPasswordPolicy('aaaaaaaaaaaaaaa')).toThrow(expect.objectContaining({ code: 'password_common' }));
    expect(() => checkPasswordPolicy('carla.bakker2026!', { email: 'carla.bakker@test.example' })).toThrow(expect.objectContaining({ code: 'password_guessable' }));
  });
});

describe('TOTP', () => {
  it('accepts the current code and one step of drift, refuses a replayed step', () => {
    const secret = newTotpSecret();
    const now = Date.now();
    const step = matchTotp(secret, currentTotp(secret, now), null, now);
    expect(step).not.toBeNull();
    expect(matchTotp(secret, currentTotp(secret, now - 30_000), null, now)).not.toBeNull();
    expect(matchTotp(secret, currentTotp(secret, now - 120_000), null, now)).toBeNull();
    expect(matchTotp(secret, currentTotp(secret, now), step, now)).toBeNull();
    expect(matchTotp(secret, 'abcdef', null, now)).toBeNull();
  });
  it('makes ten distinct recovery codes, normalised for typing', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    expect(normaliseRecoveryCode(` ${codes[0]!.toUpperCase()} `)).toBe(codes[0]!.replace(/-/g, ''));
  });
});

describe('audit hash', () => {
  const base = {
    id: 'e1',
    at: new Date('2026-11-27T10:00:00.000Z'),
    actorUserId: null,
    actorEmail: 'a@test.example',
    actorOrganisationId: null,
    onBehalfOf: null,
    action: 'x.y',
    targetType: null,
    targetId: null,
    outcome: 'success',
    ip: null,
    userAgent: null,
    requestId: null,
    details: { b: 1, a: [2, { d: 3, c: 4 }] },
    prevHash: GENESIS_HASH,
  };
  it('does not depend on key order in details (JSONB reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(auditHash(base)).toBe(auditHash({ ...base, details: { a: [2, { c: 4, d: 3 }], b: 1 } }));
  });
  it('changes with any covered field and with the previous hash', () => {
    const h = auditHash(base);
    expect(auditHash({ ...base, action: 'x.z' })).not.toBe(h);
    expect(auditHash({ ...base, prevHash: 'f'.repeat(64) })).not.toBe(h);
    expect(auditHash({ ...base, at: new Date('2026-11-27T10:00:00.001Z') })).not.toBe(h);
  });
});
