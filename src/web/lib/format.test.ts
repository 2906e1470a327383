import { describe, expect, it } from 'vitest';
import { amsterdamLocalToIso, formatDate, formatDateTime, isoToAmsterdamLocal } from './format';

describe('Amsterdam date formatting', () => {
  it('shows UTC instants in Amsterdam time', () => {
    // 23:30 UTC on 31 Dec is already New Year in Amsterdam (UTC+1).
    expect(formatDateTime('2024-12-31T23:30:00Z', 'en-GB')).toContain('1 Jan 2025');
    expect(formatDateTime('2024-07-01T10:00:00Z', 'en-GB')).toContain('12:00');
  });

  it('keeps plain dates on their calendar day', () => {
    expect(formatDate('2024-03-05', 'en-GB')).toBe('5 Mar 2024');
  });

  it('returns empty text for missing values', () => {
    expect(formatDateTime(null, 'nl')).toBe('');
    expect(formatDate(null, 'nl')).toBe('');
  });

  it('round-trips datetime-local values through Amsterdam time', () => {
    expect(amsterdamLocalToIso('2024-01-15T09:00')).toBe('2024-01-15T08:00:00.000Z');
    expect(amsterdamLocalToIso('2024-07-15T09:00')).toBe('2024-07-15T07:00:00.000Z');
    expect(isoToAmsterdamLocal('2024-07-15T07:00:00.000Z')).toBe('2024-07-15T09:00');
    expect(amsterdamLocalToIso('garbage')).toBeNull();
  });
});
