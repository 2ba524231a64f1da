import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clopperPearsonInterval,
  exactPoissonInterval,
  medianIqr,
  pChart,
  uChart,
} from './statistics.ts';

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
      partial: false,
    });
  });

  it('keeps the month still being counted out of the centre line and never signals it', () => {
    const months = [
      { count: 2, exposure: 600 },
      { count: 2, exposure: 600 },
      { count: 2, exposure: 600 },
    ];
    // A current month with 2 infections in 40 patient-days: 50 per 1,000 "so far".
    const partial = { count: 2, exposure: 40, partial: true };
    const chart = uChart([...months, partial], 1000);
    const complete = uChart(months, 1000);
    expect(chart.centre).toBeCloseTo(complete.centre!, 10);
    const last = chart.points[3]!;
    expect(last.value).toBeCloseTo(50, 10);
    expect(last.upperLimit).toBeCloseTo((6 / 1800 + 3 * Math.sqrt(6 / 1800 / 40)) * 1000, 10);
    expect(last.value! > last.upperLimit!).toBe(true);
    expect(last).toMatchObject({ outOfControl: false, partial: true });
    // Counted as complete, the same month would pull the centre up and signal.
    const asComplete = uChart([...months, { count: 2, exposure: 40 }], 1000);
    expect(asComplete.centre!).toBeGreaterThan(complete.centre!);
    expect(asComplete.points[3]?.outOfControl).toBe(true);
  });

  it("shows the partial month's value even when it is the only month with exposure", () => {
    const chart = uChart([{ count: 1, exposure: 10, partial: true }], 1000);
    expect(chart.centre).toBeNull();
    expect(chart.points[0]).toMatchObject({ value: 100, upperLimit: null, partial: true });
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

describe('exact binomial interval (Clopper–Pearson)', () => {
  it('matches published values (R binom.test, SciPy beta.ppf)', () => {
    const cases: [number, number, number, number][] = [
      [0, 10, 0, 0.3084971078187607],
      [1, 10, 0.0025285785444617848, 0.4450161170281954],
      [5, 10, 0.18708602844739855, 0.8129139715526015],
      [10, 10, 0.6915028921812392, 1],
      [3, 100, 0.006229971538306395, 0.08517605297428002],
      [27, 30, 0.7347115495257919, 0.9788828629702774],
      [1, 1000, 2.531748749129404e-5, 0.005558924279826672],
      [450, 500, 0.8702909143377969, 0.9248641849335745],
      [12345, 20000, 0.6104720512554392, 0.623993848631704],
    ];
    for (const [x, n, lower, upper] of cases) {
      const r = clopperPearsonInterval(x, n, 1);
      expect(r.value).toBeCloseTo(x / n, 12);
      expect(r.lower).toBeCloseTo(lower, 9);
      expect(r.upper).toBeCloseTo(upper, 9);
    }
  });

  it('puts α/2 in each binomial tail at its bounds, summed term by term (property)', () => {
    const logChoose = (n: number, k: number): number => {
      let s = 0;
      for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
      return s;
    };
    const tailAtLeast = (x: number, n: number, p: number): number => {
      let s = 0;
      for (let k = x; k <= n; k++)
        s += Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
      return s;
    };
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 200 })
          .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([x, n]) => {
          const r = clopperPearsonInterval(x, n, 1);
          if (x > 0) expect(tailAtLeast(x, n, r.lower!)).toBeCloseTo(0.025, 8);
          else expect(r.lower).toBe(0);
          if (x < n) expect(1 - tailAtLeast(x + 1, n, r.upper!)).toBeCloseTo(0.025, 8);
          else expect(r.upper).toBe(1);
          expect(r.lower!).toBeLessThanOrEqual(x / n);
          expect(r.upper!).toBeGreaterThanOrEqual(x / n);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('scales to a percentage within 0–100% and says unknown with no trials', () => {
    const r = clopperPearsonInterval(19, 20, 100);
    expect(r.value).toBe(95);
    expect(r.upper!).toBeLessThanOrEqual(100);
    expect(r.lower!).toBeGreaterThanOrEqual(0);
    expect(clopperPearsonInterval(0, 0, 100)).toEqual({ value: null, lower: null, upper: null });
    // More events than trials is a ratio: its value without a made-up interval.
    expect(clopperPearsonInterval(3, 2, 100)).toEqual({ value: 150, lower: null, upper: null });
    expect(() => clopperPearsonInterval(-1, 10, 100)).toThrow(RangeError);
  });
});

describe('p-chart', () => {
  it('draws p̄ ± 3·√(p̄(1−p̄)/n) per month, clipped to 0–100%', () => {
    const chart = pChart(
      [
        { count: 9, exposure: 10 },
        { count: 45, exposure: 50 },
        { count: 0, exposure: 0 },
      ],
      100,
    );
    expect(chart.centre).toBeCloseTo(90, 10);
    const first = chart.points[0]!;
    expect(first.upperLimit).toBe(100);
    expect(first.lowerLimit).toBeCloseTo((0.9 - 3 * Math.sqrt((0.9 * 0.1) / 10)) * 100, 10);
    expect(chart.points[1]!.lowerLimit).toBeCloseTo(
      (0.9 - 3 * Math.sqrt((0.9 * 0.1) / 50)) * 100,
      10,
    );
    expect(chart.points[2]!.value).toBeNull();
  });

  it('never draws a limit outside 0–100% (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .integer({ min: 0, max: 300 })
            .chain((n) =>
              fc.record({ count: fc.integer({ min: 0, max: n }), exposure: fc.constant(n) }),
            ),
          { minLength: 1, maxLength: 24 },
        ),
        (points) => {
          for (const p of pChart(points, 100).points) {
            if (p.lowerLimit === null || p.upperLimit === null) continue;
            expect(p.lowerLimit).toBeGreaterThanOrEqual(0);
            expect(p.upperLimit).toBeLessThanOrEqual(100);
          }
        },
      ),
    );
  });
});
