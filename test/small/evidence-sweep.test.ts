import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepAbandonedUploads } from '../../src/modules/incidents/evidence-store.ts';

const DAY = 24 * 3600_000;
let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the sweep of abandoned uploads', () => {
  it('removes only our own temporary files older than the limit, in the evidence folder and its stores', () => {
    root = mkdtempSync(path.join(tmpdir(), 'wp-sweep-'));
    mkdirSync(path.join(root, 'cvd'));
    const now = Date.now();
    const file = (rel: string, ageMs: number) => {
      const p = path.join(root, rel);
      writeFileSync(p, 'x');
      utimesSync(p, new Date(now - ageMs), new Date(now - ageMs));
      return p;
    };
    const oldTmp = file(`.upload-${'a'.repeat(32)}.tmp`, 2 * DAY);
    const oldCvdTmp = file(`cvd/.upload-${'b'.repeat(32)}.tmp`, 2 * DAY);
    const running = file(`.upload-${'c'.repeat(32)}.tmp`, 60_000);
    const stored = file('d'.repeat(64), 30 * DAY);
    const foreign = file('.upload-notours.tmp', 30 * DAY);
    return sweepAbandonedUploads(root, DAY, now).then((removed) => {
      expect(removed).toBe(2);
      expect(existsSync(oldTmp)).toBe(false);
      expect(existsSync(oldCvdTmp)).toBe(false);
      expect([running, stored, foreign].every(existsSync)).toBe(true);
    });
  });

  it('is quiet when the evidence folder does not exist yet', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'wp-sweep-'));
    expect(await sweepAbandonedUploads(path.join(root, 'missing'), DAY)).toBe(0);
  });
});
