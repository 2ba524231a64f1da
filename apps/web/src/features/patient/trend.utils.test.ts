import { describe, expect, it } from 'vitest';
import { bradenTrend, jhHlmTrend } from './trend.utils.ts';

describe('trends', () => {
  it('keeps only JH-HLM for the mobility trend, oldest first, with the level named', () => {
    const trend = jhHlmTrend([
      { scale: 'jh_hlm', code: '4', takenAt: '2026-03-09T08:00:00Z' },
      { scale: 'jh_hlm', code: '2', takenAt: '2026-03-02T08:00:00Z' },
      { scale: 'fac', code: '1', takenAt: '2026-03-03T08:00:00Z' },
    ]);
    expect(trend.map((p) => p.value)).toEqual([2, 4]);
    expect(trend[0]!.label).toBe('2: Bed activities');
  });

  it('orders Braden totals by time', () => {
    const trend = bradenTrend([
      { total: 15, takenAt: '2026-03-09T08:00:00Z' },
      { total: 12, takenAt: '2026-03-02T08:00:00Z' },
    ]);
    expect(trend.map((p) => p.value)).toEqual([12, 15]);
  });
});
