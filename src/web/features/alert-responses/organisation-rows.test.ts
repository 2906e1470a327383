import { describe, expect, it } from 'vitest';
import type { OrganisationResponse } from './api';
import { visibleRows } from './organisation-rows';

const row = (organisationName: string, status: OrganisationResponse['status'], secondsToFirstResponse: number | null = null): OrganisationResponse => ({
  organisationId: organisationName,
  organisationName,
  recipient: true,
  status,
  comment: null,
  respondedAt: status ? '2026-01-01T10:00:00.000Z' : null,
  firstResponseAt: null,
  secondsToFirstResponse,
  responses: status ? 1 : 0,
});

const rows = [row('Zorggroep', 'patched', 600), row('Apotheek', null), row('GGZ Oost', 'received', 60), row('Lab', null)];
const names = (list: OrganisationResponse[]) => list.map((r) => r.organisationName);

describe('visibleRows', () => {
  it('puts organisations without an answer first when sorted by answer', () => {
    expect(names(visibleRows(rows, 'all', '', { key: 'status', descending: false }))).toEqual(['Apotheek', 'Lab', 'GGZ Oost', 'Zorggroep']);
  });

  it('filters on the unanswered, on one answer and on part of the name', () => {
    expect(names(visibleRows(rows, 'unanswered', '', { key: 'organisation', descending: false }))).toEqual(['Apotheek', 'Lab']);
    expect(names(visibleRows(rows, 'patched', '', { key: 'organisation', descending: false }))).toEqual(['Zorggroep']);
    expect(names(visibleRows(rows, 'all', 'ggz', { key: 'organisation', descending: false }))).toEqual(['GGZ Oost']);
  });

  it('sorts the silent last by time to first answer, and reverses on request', () => {
    expect(names(visibleRows(rows, 'all', '', { key: 'firstResponse', descending: false }))).toEqual(['GGZ Oost', 'Zorggroep', 'Apotheek', 'Lab']);
    expect(names(visibleRows(rows, 'all', '', { key: 'organisation', descending: true }))).toEqual(['Zorggroep', 'Lab', 'GGZ Oost', 'Apotheek']);
  });
});
