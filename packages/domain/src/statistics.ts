/**
 * The statistics behind the managers' rates (PRODUCT §4, CR §5.5): exact Poisson intervals, u-chart
 * limits, exact binomial (Clopper–Pearson) intervals and p-chart limits for proportions, median and
 * quartiles. The chi-square quantile comes from stdlib rather than being hand-written: its numerical
 * accuracy at small counts is exactly what an exact interval depends on. No beta quantile is among
 * the dependencies, so the Clopper–Pearson bounds invert the regularised incomplete beta function by
 * bisection (see `betaQuantile`), tested against published values.
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
  /** Still being counted (the period holds today): out of the centre line, never a signal. */
  readonly partial?: boolean;
}

export interface UChartLimits {
  /** Rate per `per`, or null when the period had no exposure. */
  readonly value: number | null;
  /** 3-sigma limits for this period's exposure; the lower limit is floored at 0. */
  readonly lowerLimit: number | null;
  readonly upperLimit: number | null;
  /** Outside the limits: a signal worth a look, not proof of a change. Never for a partial period. */
  readonly outOfControl: boolean;
  /** The period is still being counted (it holds today): drawn "so far", out of the centre line. */
  readonly partial: boolean;
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
  return controlChart(points, per, (u, exposure) => {
    const sigma = Math.sqrt(u / exposure);
    return { lower: Math.max(0, u - 3 * sigma), upper: u + 3 * sigma };
  });
}

/**
 * The shared shape of the u- and p-chart: the centre pools the complete periods only (a period still
 * being counted, `partial`, would pull the line towards its few days), every period with exposure gets
 * its value and limits, and only a complete period can signal.
 */
function controlChart(
  points: readonly UChartPoint[],
  per: number,
  limitsOf: (centre: number, exposure: number) => { lower: number; upper: number },
  centreOf: (count: number, exposure: number) => number = (count, exposure) => count / exposure,
): UChart {
  let totalCount = 0;
  let totalExposure = 0;
  for (const p of points) {
    if (p.partial) continue;
    totalCount += p.count;
    totalExposure += p.exposure;
  }
  const pooled = totalExposure > 0 ? totalCount / totalExposure : null;
  return {
    centre: pooled === null ? null : pooled * per,
    points: points.map((p) => {
      const partial = p.partial === true;
      if (!(p.exposure > 0)) {
        return { value: null, lowerLimit: null, upperLimit: null, outOfControl: false, partial };
      }
      const value = (p.count / p.exposure) * per;
      if (pooled === null) {
        return { value, lowerLimit: null, upperLimit: null, outOfControl: false, partial };
      }
      const { lower, upper } = limitsOf(centreOf(totalCount, totalExposure), p.exposure);
      const lowerLimit = lower * per;
      const upperLimit = upper * per;
      return {
        value,
        lowerLimit,
        upperLimit,
        outOfControl: !partial && (value > upperLimit || value < lowerLimit),
        partial,
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

// ---- exact binomial (Clopper–Pearson) intervals ----------------------------------------------

/** Lanczos approximation (g = 7, n = 9), relative error below 1e-15 for x > 0. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes §6.4). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), the beta distribution's CDF at x. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  // The fraction converges quickly only on this side of the mean; the other side by symmetry.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * The p-quantile of Beta(a, b) by bisection on its CDF: slower than Newton's method but it cannot
 * leave [0, 1] or fail to converge. It stops at a relative width of 1e-13, far below what a
 * percentage shown to one decimal (or an outside check to 1e-6) can see.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p > 0)) return 0;
  if (!(p < 1)) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 2000 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (regularizedBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const betaCache = new Map<string, number>();
function cachedBetaQuantile(p: number, a: number, b: number): number {
  const key = `${p}:${a}:${b}`;
  let q = betaCache.get(key);
  if (q === undefined) {
    q = betaQuantile(p, a, b);
    if (betaCache.size < 100_000) betaCache.set(key, q);
  }
  return q;
}

/**
 * Exact binomial (Clopper–Pearson) interval for `successes` out of `trials`, scaled to `per` (100 for a
 * percentage): lower = Beta(α/2; x, n−x+1), upper = Beta(1−α/2; x+1, n−x); 0 when x = 0 and 1 when
 * x = n, so the bounds never leave 0–100%. All null when there are no trials (unknown, not zero).
 * More "successes" than trials (HO sites confirmed in a month with fewer admissions) is a ratio, not
 * a proportion: its value is given and its interval is null rather than a made-up one.
 */
export function clopperPearsonInterval(
  successes: number,
  trials: number,
  per: number,
  confidence = 0.95,
): Interval {
  if (!Number.isInteger(successes) || successes < 0) {
    throw new RangeError(`successes must be a whole number ≥ 0, got ${successes}`);
  }
  if (!(trials > 0)) return { value: null, lower: null, upper: null };
  const value = (successes / trials) * per;
  if (!Number.isInteger(trials) || successes > trials) return { value, lower: null, upper: null };
  const alpha = 1 - confidence;
  const lower =
    successes === 0 ? 0 : cachedBetaQuantile(alpha / 2, successes, trials - successes + 1);
  const upper =
    successes === trials ? 1 : cachedBetaQuantile(1 - alpha / 2, successes + 1, trials - successes);
  return { value, lower: lower * per, upper: upper * per };
}

export interface PChartPoint {
  /** Stays, days… that had the thing counted. */
  readonly count: number;
  /** All stays, days… of the period. */
  readonly exposure: number;
  /** Still being counted (the period holds today): out of the centre line, never a signal. */
  readonly partial?: boolean;
}

/**
 * p-chart for a proportion with varying denominators: centre p̄ = Σx/Σn; limits p̄ ± 3·√(p̄(1−p̄)/nᵢ)
 * per period (Montgomery), clipped to 0–100% (PRODUCT §4), scaled to `per`.
 */
export function pChart(points: readonly PChartPoint[], per = 100): UChart {
  // A ratio above 1 (see clopperPearsonInterval) has no binomial spread: the limits use p̄ ≤ 1.
  return controlChart(
    points,
    per,
    (p, exposure) => {
      const sigma = Math.sqrt((p * (1 - p)) / exposure);
      return { lower: Math.max(0, p - 3 * sigma), upper: Math.min(1, p + 3 * sigma) };
    },
    (count, exposure) => Math.min(count / exposure, 1),
  );
}
