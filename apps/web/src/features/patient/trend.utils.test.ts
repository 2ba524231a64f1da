import { describe, expect, it } from 'vitest';
import { bradenTrend, jhHlmTrend } from './trend.utils.ts';

describe('trends', () => {
  it('keeps only JH-HLM for the mobility trend, oldest first, with the level named', () => {
    const trend = jhHlmTrend([
      { id: 2, scale: 'jh_hlm', code: '4', takenAt: '2026-03-09T08:00:00Z' },
      { id: 1, scale: 'jh_hlm', code: '2', takenAt: '2026-03-02T08:00:00Z' },
      { id: 3, scale: 'fac', code: '1', takenAt: '2026-03-03T08:00:00Z' },
    ]);
    expect(trend.map((p) => p.value)).toEqual([2, 4]);
    expect(trend[0]!.label).toMatch(/^2: /);
  });

  it('adds the Braden subscales into the total', () => {
    const [point] = bradenTrend([
      {
        id: 1,
        sensoryPerception: 2,
        moisture: 3,
        activity: 1,
        mobility: 2,
        nutrition: 3,
        frictionShear: 2,
        takenAt: '2026-03-02T08:00:00Z',
      },
    ]);
    expect(point!.value).toBe(13);
  });
});
