import { describe, expect, it } from 'vitest';
import { canSeeMarked, can, authorize } from '../../src/modules/access/policy.ts';
import type { Actor } from '../../src/modules/access/actor.ts';
import { parseTlp, tlpLabel } from '../../src/lib/tlp.ts';

const actor = (over: Partial<Actor>): Actor => ({
  userId: 'u1',
  email: 'u@test.example',
  role: 'participant-member',
  organisationId: 'orgA',
  organisationKind: 'participant',
  clientOrganisationIds: [],
  partnerOrganisationIds: [],
  sessionId: 's',
  tokenId: null,
  tokenPermissions: null,
  ...over,
});

describe('TLP 2.0 labels', () => {
  it('parses the machine and human forms and refuses TLP 1.0 WHITE', () => {
    expect(parseTlp('tlp:amber+strict')).toBe('AMBER+STRICT');
    expect(parseTlp(' Clear ')).toBe('CLEAR');
    expect(parseTlp('WHITE')).toBeNull();
    expect(tlpLabel('RED')).toBe('TLP:RED');
  });
});

describe('canSeeMarked', () => {
  const owner = 'cert';
  it('CLEAR is public, also without login', () => {
    expect(canSeeMarked(null, { tlp: 'CLEAR', ownerOrganisationId: owner, recipients: [] })).toBe(true);
    expect(canSeeMarked(null, { tlp: 'GREEN', ownerOrganisationId: owner, recipients: [] })).toBe(false);
  });
  it('GREEN reaches the community but not vendors', () => {
    expect(canSeeMarked(actor({}), { tlp: 'GREEN', ownerOrganisationId: owner, recipients: [] })).toBe(true);
    expect(canSeeMarked(actor({ organisationKind: 'vendor', role: 'partner' }), { tlp: 'GREEN', ownerOrganisationId: owner, recipients: [] })).toBe(false);
  });
  it('AMBER reaches named organisations and the clients of a named partner', () => {
    const doc = { tlp: 'AMBER' as const, ownerOrganisationId: owner, recipients: [{ organisationId: 'mssp', userId: null }] };
    expect(canSeeMarked(actor({}), doc)).toBe(false);
    expect(canSeeMarked(actor({ partnerOrganisationIds: ['mssp'] }), doc)).toBe(true);
    expect(canSeeMarked(actor({ organisationId: 'mssp', role: 'partner', organisationKind: 'partner' }), doc)).toBe(true);
  });
  it('AMBER+STRICT stops at the named organisation, not its clients', () => {
    const doc = { tlp: 'AMBER+STRICT' as const, ownerOrganisationId: owner, recipients: [{ organisationId: 'mssp', userId: null }] };
    expect(canSeeMarked(actor({ partnerOrganisationIds: ['mssp'] }), doc)).toBe(false);
    expect(canSeeMarked(actor({ role: 'cert-analyst', organisationId: 'cert2', organisationKind: 'cert' }), doc)).toBe(true);
  });
  it('RED reaches only named people or organisations, not even the CERT otherwise', () => {
    const doc = { tlp: 'RED' as const, ownerOrganisationId: 'orgB', recipients: [{ organisationId: 'orgA', userId: 'u2' }] };
    expect(canSeeMarked(actor({}), doc)).toBe(false);
    expect(canSeeMarked(actor({ userId: 'u2' }), doc)).toBe(true);
    expect(canSeeMarked(actor({ role: 'cert-admin', organisationId: 'cert', organisationKind: 'cert' }), doc)).toBe(false);
    expect(canSeeMarked(actor({ organisationId: 'orgB' }), doc)).toBe(true);
  });
});

describe('permissions', () => {
  it('limits a participant to its own organisation and a token to its scopes', () => {
    const a = actor({ role: 'participant-admin' });
    expect(can(a, 'contacts:write', { organisationId: 'orgA' })).toBe(true);
    expect(can(a, 'contacts:write', { organisationId: 'orgB' })).toBe(false);
    expect(can(a, 'assets:decide')).toBe(false);
    const token = actor({ role: 'participant-admin', tokenPermissions: new Set(['contacts:read'] as const) });
    expect(can(token, 'contacts:read', { organisationId: 'orgA' })).toBe(true);
    expect(can(token, 'contacts:write', { organisationId: 'orgA' })).toBe(false);
  });
  it('reports another tenant’s object as not found, and a missing permission as forbidden', () => {
    const a = actor({ role: 'participant-admin' });
    expect(() => authorize(a, 'contacts:read', { organisationId: 'orgB', notFoundAs: 'contact' })).toThrow(expect.objectContaining({ code: 'contact_not_found', status: 404 }));
    expect(() => authorize(a, 'audit:read')).toThrow(expect.objectContaining({ code: 'forbidden', status: 403 }));
    expect(() => authorize(null, 'audit:read')).toThrow(expect.objectContaining({ status: 401 }));
  });
});
