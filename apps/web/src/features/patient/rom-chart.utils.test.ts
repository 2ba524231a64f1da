import { describe, expect, it } from 'vitest';
import { flaggedFirst, romCharts, yDomain, type RomPointLike } from './rom-chart.utils.ts';

const hip = (side: 'left' | 'right', degrees: number, takenAt: string): RomPointLike => ({
  site: 'hip',
  side,
  movement: 'flexion',
  mode: 'passive',
  degrees,
  takenAt,
});

const readings: RomPointLike[] = [
  hip('left', 110, '2026-03-01T09:00:00Z'),
  hip('right', 118, '2026-03-01T09:00:00Z'),
  hip('left', 82, '2026-03-15T09:00:00Z'),
  hip('left', 100, '2026-03-08T09:00:00Z'),
  {
    site: 'knee',
    side: 'left',
    movement: 'flexion',
    mode: 'active',
    degrees: 120,
    takenAt: '2026-03-01T09:00:00Z',
  },
];

describe('romCharts', () => {
  it('makes one chart per movement measured in the chosen mode', () => {
    const charts = romCharts(readings, 'passive');
    expect(charts.map((c) => c.title)).toEqual(['Hip flexion (passive)']);
    expect(romCharts(readings, 'active').map((c) => c.title)).toEqual(['Knee flexion (active)']);
  });

  it('puts both sides of one sitting on one row, oldest first, leaving unmeasured sides empty', () => {
    const [chart] = romCharts(readings, 'passive');
    expect(chart!.rows.map((r) => [r.left, r.right])).toEqual([
      [110, 118],
      [100, null],
      [82, null],
    ]);
  });

  it('carries the normal value from the catalog with its source', () => {
    const [chart] = romCharts(readings, 'passive');
    expect(chart!.normalDegrees).toBe(125);
    expect(chart!.normalSource).toMatch(/VA/);
  });

  it('marks the readings the HO watch flagged, and only those', () => {
    const [chart] = romCharts(readings, 'passive', [
      {
        site: 'hip',
        side: 'left',
        movement: 'flexion',
        mode: 'passive',
        takenAt: '2026-03-15T09:00:00.000Z',
      },
    ]);
    expect(chart!.rows.map((r) => r.leftAlert)).toEqual([null, null, 82]);
    expect(chart!.rows.every((r) => r.rightAlert === null)).toBe(true);
  });
});

describe('yDomain', () => {
  it('covers the readings and the normal value without leaving the plausible range', () => {
    const [chart] = romCharts(readings, 'passive');
    const [low, high] = yDomain(chart!);
    expect(low).toBeLessThanOrEqual(82);
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeGreaterThanOrEqual(125);
    expect(high).toBeLessThanOrEqual(150);
  });
});

describe('yDomain on a fixed scale per movement', () => {
  it('runs from 0 to the normal value plus a margin, whatever the readings', () => {
    const [chart] = romCharts(readings, 'passive');
    // Hip flexion: normal 125°, margin 10% → 0 to 138°, the same for 82° and for 118°.
    expect(yDomain(chart!)).toEqual([0, 138]);
    const [steady] = romCharts([hip('left', 120, '2026-03-01T09:00:00Z')], 'passive');
    expect(yDomain(steady!)).toEqual([0, 138]);
  });
  it('does not make ±5° of noise fill the chart', () => {
    const [noisy] = romCharts(
      [hip('left', 100, '2026-03-01T09:00:00Z'), hip('left', 95, '2026-03-02T09:00:00Z')],
      'passive',
    );
    const [low, high] = yDomain(noisy!);
    expect(5 / (high - low)).toBeLessThan(0.05);
  });
  it('reads extension losses below 0 for movements whose normal is 0', () => {
    const [knee] = romCharts(
      [{ ...hip('left', -20, '2026-03-01T09:00:00Z'), site: 'knee', movement: 'extension' }],
      'passive',
    );
    expect(yDomain(knee!)).toEqual([-120, 12]);
  });
  it('widens only to the plausible bound when a reading lies beyond the scale', () => {
    const [beyond] = romCharts([hip('left', 145, '2026-03-01T09:00:00Z')], 'passive');
    expect(yDomain(beyond!)).toEqual([0, 150]);
  });
});

describe('flaggedFirst', () => {
  it('puts the charts with a flagged reading before the others', () => {
    const knee = { ...hip('left', 100, '2026-03-01T09:00:00Z'), site: 'knee' as const };
    const charts = romCharts([hip('left', 100, '2026-03-01T09:00:00Z'), knee], 'passive', [
      { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', takenAt: knee.takenAt },
    ]);
    expect(charts.map((c) => c.site)).toEqual(['hip', 'knee']);
    expect(flaggedFirst(charts).map((c) => c.site)).toEqual(['knee', 'hip']);
  });
});
