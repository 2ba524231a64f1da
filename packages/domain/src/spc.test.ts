import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assuranceOf,
  pChartPoints,
  specialCauses,
  uChartPoints,
  variationOf,
  xmrChartPoints,
  type ControlPoint,
  type GoodDirection,
  type SpcSignal,
} from './spc.ts';

const month = (i: number): string =>
  `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** A chart with centre 10, σ 1 and fixed limits: values drive the rules directly. */
function fixedChart(values: readonly (number | null)[], partialLast = false): ControlPoint[] {
  return values.map((value, i) => ({
    month: month(i),
    value,
    centre: 10,
    lowerLimit: 7,
    upperLimit: 13,
    lower2Sigma: 8,
    upper2Sigma: 12,
    partial: partialLast && i === values.length - 1,
  }));
}

const rulesAt = (signals: readonly SpcSignal[], i: number): string[] =>
  signals
    .filter((s) => s.month === month(i))
    .map((s) => `${s.rule}:${s.direction}`)
    .sort();

describe('special-cause rules', () => {
  it('marks a point outside the 3-sigma limits, concerning when more is worse', () => {
    const signals = specialCauses(fixedChart([10, 11, 14, 10]), 'lower');
    expect(rulesAt(signals, 2)).toEqual(['outside_limits:concerning']);
    expect(rulesAt(specialCauses(fixedChart([10, 11, 14, 10]), 'higher'), 2)).toEqual([
      'outside_limits:improving',
    ]);
  });

  it('fires a run of 7 on one side, not of 6; a point on the centre line ends it', () => {
    expect(specialCauses(fixedChart([11, 11, 11, 11, 11, 11, 9]), 'lower')).toEqual([]);
    const seven = specialCauses(fixedChart([9, 11, 11, 11, 11, 11, 11, 11]), 'lower');
    expect(seven.filter((s) => s.rule === 'run').map((s) => s.month)).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map(month),
    );
    expect(seven.every((s) => s.direction === 'concerning')).toBe(true);
    expect(specialCauses(fixedChart([11, 11, 11, 10, 11, 11, 11, 11]), 'lower')).toEqual([]);
  });

  it('fires a trend of 7 rising months, not of 6; a flat step ends it', () => {
    const rising = [7.5, 8, 8.5, 9, 9.5, 10.5, 11];
    const signals = specialCauses(fixedChart(rising), 'lower');
    expect(signals.filter((s) => s.rule === 'trend')).toHaveLength(7);
    expect(
      signals.filter((s) => s.rule === 'trend').every((s) => s.direction === 'concerning'),
    ).toBe(true);
    expect(specialCauses(fixedChart(rising.slice(1)), 'lower')).toEqual([]);
    expect(specialCauses(fixedChart([7.5, 8, 8.5, 9, 9, 10.5, 11]), 'lower')).toEqual([]);
    // Falling compliance is concerning.
    const falling = specialCauses(fixedChart([...rising].reverse()), 'higher');
    expect(falling.filter((s) => s.rule === 'trend').map((s) => s.direction)).toEqual(
      Array(7).fill('concerning'),
    );
  });

  it('fires two of three beyond 2 sigma on one side, not on opposite sides', () => {
    const signals = specialCauses(fixedChart([10, 12.5, 10, 12.5, 10]), 'lower');
    expect(rulesAt(signals, 1)).toEqual(['two_of_three:concerning']);
    expect(rulesAt(signals, 3)).toEqual(['two_of_three:concerning']);
    expect(rulesAt(signals, 2)).toEqual([]);
    expect(specialCauses(fixedChart([12.5, 10, 7.5]), 'lower')).toEqual([]);
  });

  it('the partial month fires nothing, however far out', () => {
    const signals = specialCauses(fixedChart([10, 10, 10, 40], true), 'lower');
    expect(signals).toEqual([]);
  });

  it('a month without a value breaks a run', () => {
    expect(specialCauses(fixedChart([11, 11, 11, null, 11, 11, 11, 11]), 'lower')).toEqual([]);
  });
});

/**
 * An independent implementation of the four rules: for each point, look at every window of the
 * rule's length that contains it (the module scans runs once instead).
 */
function byWindows(points: readonly ControlPoint[], good: GoodDirection): Set<string> {
  const ok = (p: ControlPoint | undefined): boolean =>
    !!p &&
    !p.partial &&
    p.value !== null &&
    p.centre !== null &&
    p.lowerLimit !== null &&
    p.upperLimit !== null &&
    p.lower2Sigma !== null &&
    p.upper2Sigma !== null;
  const dir = (side: number): string =>
    side > 0 === (good === 'higher') ? 'improving' : 'concerning';
  const out = new Set<string>();
  const window = (start: number, length: number): ControlPoint[] | null => {
    const w = points.slice(start, start + length);
    return w.length === length && w.every(ok) ? w : null;
  };
  points.forEach((p, i) => {
    if (!ok(p)) return;
    const v = p.value!;
    if (v > p.upperLimit!) out.add(`${p.month}|outside_limits|${dir(1)}`);
    if (v < p.lowerLimit!) out.add(`${p.month}|outside_limits|${dir(-1)}`);
    for (let start = i - 6; start <= i; start++) {
      const w = start >= 0 ? window(start, 7) : null;
      if (!w) continue;
      for (const side of [1, -1]) {
        if (w.every((q) => Math.sign(q.value! - q.centre!) === side)) {
          out.add(`${p.month}|run|${dir(side)}`);
        }
        if (w.every((q, k) => k === 0 || Math.sign(q.value! - w[k - 1]!.value!) === side)) {
          out.add(`${p.month}|trend|${dir(side)}`);
        }
      }
    }
    for (let start = i - 2; start <= i; start++) {
      const w = start >= 0 ? window(start, 3) : null;
      if (!w) continue;
      for (const side of [1, -1]) {
        const beyond = (q: ControlPoint): boolean =>
          side > 0 ? q.value! > q.upper2Sigma! : q.value! < q.lower2Sigma!;
        if (w.filter(beyond).length >= 2 && beyond(p)) {
          out.add(`${p.month}|two_of_three|${dir(side)}`);
        }
      }
    }
  });
  return out;
}

const keyOf = (s: SpcSignal): string => `${s.month}|${s.rule}|${s.direction}`;

describe('special-cause rules agree with an independent implementation (property)', () => {
  it('on u-charts of generated monthly counts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            count: fc.integer({ min: 0, max: 30 }),
            exposure: fc.oneof(fc.constant(0), fc.integer({ min: 50, max: 900 })),
          }),
          { minLength: 1, maxLength: 36 },
        ),
        fc.boolean(),
        fc.constantFrom<GoodDirection>('lower', 'higher'),
        (raw, partialLast, good) => {
          const points = uChartPoints(
            raw.map((p, i) => ({
              ...p,
              month: month(i),
              partial: partialLast && i === raw.length - 1,
            })),
            1000,
          );
          const signals = specialCauses(points, good);
          expect(new Set(signals.map(keyOf))).toEqual(byWindows(points, good));
          if (partialLast) {
            expect(signals.some((s) => s.month === month(raw.length - 1))).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('on series near the centre line, where runs, trends and 2-sigma pairs are common', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 60, max: 140 }), { freq: 12 }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.constantFrom<GoodDirection>('lower', 'higher'),
        (tenths, good) => {
          const points = fixedChart(tenths.map((t) => (t === null ? null : t / 10)));
          expect(new Set(specialCauses(points, good).map(keyOf))).toEqual(byWindows(points, good));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('on p-charts: mirroring a proportion about its centre flips every direction', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 24 }),
        (counts) => {
          const n = 40;
          const points = pChartPoints(
            counts.map((count, i) => ({ month: month(i), count, exposure: n, partial: false })),
            100,
          );
          const mirrored = pChartPoints(
            counts.map((count, i) => ({
              month: month(i),
              count: n - count,
              exposure: n,
              partial: false,
            })),
            100,
          );
          const a = specialCauses(points, 'lower').map(
            (s) => `${s.month}|${s.rule}|${s.direction}`,
          );
          const b = specialCauses(mirrored, 'higher').map(
            (s) => `${s.month}|${s.rule}|${s.direction}`,
          );
          expect(new Set(b)).toEqual(new Set(a));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any 7 strictly rising complete months fire a trend (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 0, max: 20 }),
        (steps, base) => {
          const values = [base];
          for (const step of steps) values.push((values.at(-1) ?? 0) + step);
          const points = xmrChartPoints(
            values.map((value, i) => ({ month: month(i), value, partial: false })),
          );
          expect(specialCauses(points, 'lower').some((s) => s.rule === 'trend')).toBe(true);
        },
      ),
    );
  });
});

describe('icons', () => {
  it('variation follows the latest complete month, never the partial one', () => {
    const points = fixedChart([10, 10, 14, 10]);
    expect(variationOf(points, specialCauses(points, 'lower'))).toBe('common_cause');
    const last = fixedChart([10, 10, 10, 14]);
    expect(variationOf(last, specialCauses(last, 'lower'))).toBe('special_cause_concerning');
    expect(variationOf(last, specialCauses(last, 'higher'))).toBe('special_cause_improving');
    const partial = fixedChart([10, 10, 10, 14, 40], true);
    expect(variationOf(partial, specialCauses(partial, 'lower'))).toBe('special_cause_concerning');
  });

  it('assurance compares the limits with the target by the good direction', () => {
    const points = fixedChart([10, 11, 9]);
    expect(assuranceOf(points, null, 'lower')).toBeNull();
    expect(assuranceOf(points, 13, 'lower')).toBe('met');
    expect(assuranceOf(points, 6, 'lower')).toBe('missed');
    expect(assuranceOf(points, 10, 'lower')).toBe('hit_and_miss');
    expect(assuranceOf(points, 7, 'higher')).toBe('met');
    expect(assuranceOf(points, 14, 'higher')).toBe('missed');
    expect(assuranceOf(points, 10, 'higher')).toBe('hit_and_miss');
  });

  it('the XmR chart draws mean ± 2.66 × mean moving range', () => {
    const points = xmrChartPoints(
      [4, 6, 5, 7, null, 3].map((value, i) => ({ month: month(i), value, partial: false })),
    );
    // Mean 5; moving ranges 2, 1, 2 (the gap breaks 7→3): mean 5/3; σ̂ = (5/3)/1.128.
    const sigma = 5 / 3 / 1.128;
    expect(points[0]?.centre).toBeCloseTo(5, 10);
    expect(points[0]?.upperLimit).toBeCloseTo(5 + 3 * sigma, 10);
    expect(points[0]?.lowerLimit).toBeCloseTo(Math.max(0, 5 - 3 * sigma), 10);
    expect(points[4]?.upperLimit).toBeNull();
  });
});
