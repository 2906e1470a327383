import { describe, expect, it } from 'vitest';
import { durationParts } from './duration';

describe('durationParts', () => {
  it('keeps seconds under a minute and never goes negative', () => {
    expect(durationParts(42.4)).toEqual({ unit: 'seconds', seconds: 42 });
    expect(durationParts(-5)).toEqual({ unit: 'seconds', seconds: 0 });
  });

  it('moves up to minutes, hours with minutes, and days with hours', () => {
    expect(durationParts(61)).toEqual({ unit: 'minutes', minutes: 1 });
    expect(durationParts(3_600 + 5 * 60 + 59)).toEqual({ unit: 'hours', hours: 1, minutes: 5 });
    expect(durationParts(2 * 86_400 + 3 * 3_600)).toEqual({ unit: 'days', days: 2, hours: 3 });
  });
});
