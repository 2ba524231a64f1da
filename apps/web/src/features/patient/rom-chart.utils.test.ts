import { describe, expect, it } from 'vitest';
import { romCharts, yDomain, type RomPointLike } from './rom-chart.utils.ts';

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
