/**
 * The statistics behind the managers' rates (PRODUCT §4, CR §5.5): exact Poisson intervals, u-chart
 * limits, median and quartiles. The chi-square quantile comes from stdlib rather than being
 * hand-written: its numerical accuracy at small counts is exactly what an exact interval depends on.
 */
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';

/** Quantiles are asked again and again for the same small counts: remember them. */
const quantileCache = new Map<string, number>();
function chi2(p: number, df: number): number {
  const key = `${p}:${df}`;
  let q = quantileCache.get(key);
  if (q === undefined) {
    q = chisquareQuantile(p, df);
    if (quantileCache.size < 100_000) quantileCache.set(key, q);
  }
  return q;
}

export interface Interval {
  /** Events per `per` units of exposure, or null when there is no exposure. */
  readonly value: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/**
 * Exact (Garwood) Poisson confidence interval for `count` events over `exposure` units, scaled to a
 * rate per `per` units: lower = χ²(α/2, 2k)/2, upper = χ²(1−α/2, 2k+2)/2; the lower bound is 0 when
 * k = 0. All three are null when exposure is 0: a rate over nothing is unknown, not zero.
 */
export function exactPoissonInterval(
  count: number,
  exposure: number,
  per: number,
  confidence = 0.95,
): Interval {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  }
  if (!(exposure > 0)) return { value: null, lower: null, upper: null };
  const alpha = 1 - confidence;
  const scale = per / exposure;
  const lowerCount = count === 0 ? 0 : chi2(alpha / 2, 2 * count) / 2;
  const upperCount = chi2(1 - alpha / 2, 2 * count + 2) / 2;
  // count × per ÷ exposure, not count × (per ÷ exposure): 27 of 27 days is 100%, not 100.00000000000001.
  return { value: (count * per) / exposure, lower: lowerCount * scale, upper: upperCount * scale };
}

export interface UChartPoint {
  /** Events in the period. */
  readonly count: number;
  /** Exposure in the period (e.g. patient-days). */
  readonly exposure: number;
}

export interface UChartLimits {
  /** Rate per `per`, or null when the period had no exposure. */
  readonly value: number | null;
  /** 3-sigma limits for this period's exposure; the lower limit is floored at 0. */
  readonly lowerLimit: number | null;
  readonly upperLimit: number | null;
  /** Outside the limits: a signal worth a look, not proof of a change. */
  readonly outOfControl: boolean;
}

export interface UChart {
  /** Pooled rate ū = Σ count / Σ exposure, per `per`; null when there is no exposure at all. */
  readonly centre: number | null;
  readonly points: UChartLimits[];
}

/**
 * u-chart for rates with varying exposure: centre ū = Σc/Σn; limits ū ± 3·√(ū/nᵢ) per period
 * (Montgomery, Introduction to Statistical Quality Control), scaled to `per`.
 */
export function uChart(points: readonly UChartPoint[], per = 1000): UChart {
  const totalCount = points.reduce((sum, p) => sum + p.count, 0);
  const totalExposure = points.reduce((sum, p) => sum + p.exposure, 0);
  if (!(totalExposure > 0)) {
    return {
      centre: null,
      points: points.map(() => ({
        value: null,
        lowerLimit: null,
        upperLimit: null,
        outOfControl: false,
      })),
    };
  }
  const u = totalCount / totalExposure;
  return {
    centre: u * per,
    points: points.map((p) => {
      if (!(p.exposure > 0)) {
        return { value: null, lowerLimit: null, upperLimit: null, outOfControl: false };
      }
      const sigma = Math.sqrt(u / p.exposure);
      const value = (p.count / p.exposure) * per;
      const lowerLimit = Math.max(0, u - 3 * sigma) * per;
      const upperLimit = (u + 3 * sigma) * per;
      return {
        value,
        lowerLimit,
        upperLimit,
        outOfControl: value > upperLimit || value < lowerLimit,
      };
    }),
  };
}

export interface MedianIqr {
  readonly n: number;
  readonly median: number | null;
  readonly q1: number | null;
  readonly q3: number | null;
}

/** Quantile by linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
function quantileSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] ?? Number.NaN;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] ?? below;
  return below + (h - lo) * (above - below);
}

/** Median and interquartile range; nulls when there are no values. */
export function medianIqr(values: readonly number[]): MedianIqr {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, median: null, q1: null, q3: null };
  return {
    n: sorted.length,
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
  };
}
