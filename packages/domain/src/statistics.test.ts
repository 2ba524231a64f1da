import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exactPoissonInterval, medianIqr, uChart } from './statistics.ts';

describe('exact Poisson interval (Garwood)', () => {
  it('matches published values', () => {
    // k = 0: (0, 3.689); k = 1: (0.0253, 5.572); k = 10: (4.795, 18.39) (Garwood 1936 tables).
    const zero = exactPoissonInterval(0, 1, 1);
    expect(zero.lower).toBe(0);
    expect(zero.upper).toBeCloseTo(3.6889, 3);
    const one = exactPoissonInterval(1, 1, 1);
    expect(one.lower).toBeCloseTo(0.0253, 3);
    expect(one.upper).toBeCloseTo(5.5716, 3);
    const ten = exactPoissonInterval(10, 1, 1);
    expect(ten.lower).toBeCloseTo(4.7954, 3);
    expect(ten.upper).toBeCloseTo(18.3904, 3);
  });

  it('scales to a rate per 1,000 patient-days', () => {
    const r = exactPoissonInterval(3, 600, 1000);
    expect(r.value).toBeCloseTo(5, 10);
    expect(r.lower).toBeCloseTo((0.6186 / 600) * 1000, 2);
    expect(r.upper).toBeCloseTo((8.7673 / 600) * 1000, 2);
  });

  it('says unknown, not zero, when there is no exposure', () => {
    expect(exactPoissonInterval(0, 0, 1000)).toEqual({ value: null, lower: null, upper: null });
    expect(() => exactPoissonInterval(-1, 10, 1000)).toThrow(RangeError);
  });

  it('always contains its estimate; zero events give a lower bound of 0 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: 0.5, max: 1e6, noNaN: true }),
        (count, exposure) => {
          const r = exactPoissonInterval(count, exposure, 1000);
          expect(r.lower).not.toBeNull();
          expect(r.lower!).toBeLessThanOrEqual(r.value! + 1e-9);
          expect(r.upper!).toBeGreaterThanOrEqual(r.value! - 1e-9);
          if (count === 0) expect(r.lower).toBe(0);
        },
      ),
    );
  });
});

describe('u-chart', () => {
  it('draws the pooled centre line and per-month 3-sigma limits', () => {
    const chart = uChart(
      [
        { count: 2, exposure: 500 },
        { count: 3, exposure: 500 },
        { count: 15, exposure: 1000 },
        { count: 0, exposure: 0 },
      ],
      1000,
    );
    // ū = 20 / 2000 = 0.01 per day = 10 per 1,000.
    expect(chart.centre).toBeCloseTo(10, 10);
    const first = chart.points[0]!;
    expect(first.upperLimit).toBeCloseTo((0.01 + 3 * Math.sqrt(0.01 / 500)) * 1000, 10);
    expect(first.lowerLimit).toBe(0);
    expect(chart.points[2]?.outOfControl).toBe(false);
    expect(chart.points[3]).toEqual({
      value: null,
      lowerLimit: null,
      upperLimit: null,
      outOfControl: false,
    });
  });

  it('marks a month above its upper limit', () => {
    const chart = uChart(
      [
        { count: 1, exposure: 600 },
        { count: 1, exposure: 600 },
        { count: 12, exposure: 600 },
      ],
      1000,
    );
    expect(chart.points.map((p) => p.outOfControl)).toEqual([false, false, true]);
  });

  it('has no centre without exposure', () => {
    expect(uChart([{ count: 0, exposure: 0 }]).centre).toBeNull();
  });
});

describe('median and IQR', () => {
  it('interpolates between order statistics', () => {
    expect(medianIqr([7, 1, 3, 5])).toEqual({ n: 4, median: 4, q1: 2.5, q3: 5.5 });
    expect(medianIqr([10])).toEqual({ n: 1, median: 10, q1: 10, q3: 10 });
    expect(medianIqr([])).toEqual({ n: 0, median: null, q1: null, q3: null });
  });
});
