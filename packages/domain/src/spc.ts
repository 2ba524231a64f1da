/**
 * Statistical process control for the managers' monthly series (PRODUCT §4), after NHS England's
 * *Making Data Count* (MDC) and its NHS-R implementation `NHSRplotthedots`: a control chart per ward
 * and measure (u-chart for rates, p-chart for proportions, XmR for the monthly median lead time), the
 * four rules for special-cause variation, and two summary icons.
 *
 * The rules, on the complete months in order (a month without a value, or the current partial month,
 * breaks every run, trend and window: what happened in it is unknown):
 * 1. `outside_limits`: a point above its upper or below its lower 3-sigma limit.
 * 2. `run`: 7 or more consecutive points on one side of the centre line (a point on the line ends it).
 * 3. `trend`: 7 or more consecutive points each higher (or each lower) than the one before.
 * 4. `two_of_three`: two of three consecutive points beyond 2 sigma on the same side of the centre.
 * Every point of a run or trend carries the signal, as MDC colours them; for rule 4 the points beyond
 * 2 sigma in a qualifying window do. The current partial month is drawn "so far" and fires nothing.
 *
 * A signal's direction comes from the measure: fewer complications is better, more ROM compliance is
 * better. The variation icon describes the latest complete month (MDC): special cause concerning or
 * improving when that month carries a signal, common cause otherwise. The assurance icon compares
 * that month's limits with a target: limits wholly on the good side, the process will consistently
 * meet it; wholly on the bad side, consistently miss it; a target between them is hit and miss.
 */

/** Which way is better for a measure. */
export type GoodDirection = 'lower' | 'higher';
export type SpcRule = 'outside_limits' | 'run' | 'trend' | 'two_of_three';
export const SPC_RULES: readonly SpcRule[] = ['outside_limits', 'run', 'trend', 'two_of_three'];
export type SignalDirection = 'concerning' | 'improving';
export type Variation = 'common_cause' | 'special_cause_concerning' | 'special_cause_improving';
export type Assurance = 'met' | 'missed' | 'hit_and_miss';

/** Rules 2 and 3: MDC's run and trend length. */
export const SPC_RUN_LENGTH = 7;
export const SPC_TREND_LENGTH = 7;

/** One month of a control chart, scaled to the measure's unit. */
export interface ControlPoint {
  readonly month: string;
  /** null when the month has no denominator (unknown, not zero). */
  readonly value: number | null;
  readonly centre: number | null;
  /** 3-sigma limits, clipped to what the measure can take (≥ 0; ≤ 100% for a proportion). */
  readonly lowerLimit: number | null;
  readonly upperLimit: number | null;
  /** 2-sigma limits, for rule 4, clipped alike. */
  readonly lower2Sigma: number | null;
  readonly upper2Sigma: number | null;
  /** The current month, still being counted: drawn "so far", never part of a rule or the centre. */
  readonly partial: boolean;
}

export interface SpcSignal {
  /** The month ('YYYY-MM') of a point carrying the signal. */
  readonly month: string;
  readonly rule: SpcRule;
  readonly direction: SignalDirection;
}

export interface CountPoint {
  readonly month: string;
  readonly count: number;
  readonly exposure: number;
  readonly partial: boolean;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function countChart(
  points: readonly CountPoint[],
  per: number,
  sigmaOf: (centre: number, exposure: number) => number,
  ceiling: number,
): ControlPoint[] {
  // The centre line is the complete months' pooled value: a few days of a new month would pull it.
  const complete = points.filter((p) => !p.partial && p.exposure > 0);
  const exposure = sum(complete.map((p) => p.exposure));
  const centre = exposure > 0 ? sum(complete.map((p) => p.count)) / exposure : null;
  const clip = (v: number): number => Math.min(ceiling, Math.max(0, v)) * per;
  return points.map((p) => {
    const value = p.exposure > 0 ? (p.count / p.exposure) * per : null;
    if (centre === null || !(p.exposure > 0)) {
      return {
        month: p.month,
        value,
        centre: centre === null ? null : centre * per,
        lowerLimit: null,
        upperLimit: null,
        lower2Sigma: null,
        upper2Sigma: null,
        partial: p.partial,
      };
    }
    const sigma = sigmaOf(centre, p.exposure);
    return {
      month: p.month,
      value,
      centre: centre * per,
      lowerLimit: clip(centre - 3 * sigma),
      upperLimit: clip(centre + 3 * sigma),
      lower2Sigma: clip(centre - 2 * sigma),
      upper2Sigma: clip(centre + 2 * sigma),
      partial: p.partial,
    };
  });
}

/** u-chart (events per unit of exposure): ū ± k·√(ū/nᵢ) (Montgomery), floored at 0. */
export function uChartPoints(points: readonly CountPoint[], per: number): ControlPoint[] {
  return countChart(points, per, (u, n) => Math.sqrt(u / n), Number.POSITIVE_INFINITY);
}

/** p-chart (a proportion): p̄ ± k·√(p̄(1−p̄)/nᵢ) (Montgomery), clipped to 0–100% (PRODUCT §4). */
export function pChartPoints(points: readonly CountPoint[], per: number): ControlPoint[] {
  // A pooled ratio above 1 (more HO sites than admissions) has no binomial spread: use p̄ ≤ 1.
  return countChart(
    points,
    per,
    (p, n) => Math.sqrt((Math.min(p, 1) * (1 - Math.min(p, 1))) / n),
    1,
  );
}

/** MDC's XmR constant: σ̂ = mean moving range ÷ d₂, d₂ = 1.128 for ranges of two. */
const D2 = 1.128;

/**
 * XmR (individuals) chart of a monthly value that is neither a count nor a proportion (the median
 * lead time): centre = mean of the complete months, σ̂ = mean moving range ÷ 1.128 over neighbouring
 * complete months with values; limits floored at 0 (a lead time is never negative).
 */
export function xmrChartPoints(
  points: readonly { month: string; value: number | null; partial: boolean }[],
): ControlPoint[] {
  const complete = points.filter((p) => !p.partial);
  const values = complete.flatMap((p) => (p.value === null ? [] : [p.value]));
  const ranges: number[] = [];
  for (let i = 1; i < complete.length; i++) {
    const a = complete[i - 1]?.value;
    const b = complete[i]?.value;
    if (a !== null && a !== undefined && b !== null && b !== undefined)
      ranges.push(Math.abs(b - a));
  }
  const centre = values.length > 0 ? sum(values) / values.length : null;
  const sigma = ranges.length > 0 ? sum(ranges) / ranges.length / D2 : null;
  return points.map((p) => {
    const known = centre !== null && sigma !== null && p.value !== null;
    const at = (k: number): number | null =>
      known ? Math.max(0, (centre ?? 0) + k * (sigma ?? 0)) : null;
    return {
      month: p.month,
      value: p.value,
      centre,
      lowerLimit: at(-3),
      upperLimit: at(3),
      lower2Sigma: at(-2),
      upper2Sigma: at(2),
      partial: p.partial,
    };
  });
}

/** +1 above (or rising), −1 below (or falling): concerning or improving by the measure's direction. */
function directionOf(side: 1 | -1, good: GoodDirection): SignalDirection {
  return (side === 1) === (good === 'higher') ? 'improving' : 'concerning';
}

/** Whether a point takes part in the rules: complete, with a value and limits. */
function usable(p: ControlPoint | undefined): p is ControlPoint & {
  value: number;
  centre: number;
  lowerLimit: number;
  upperLimit: number;
  lower2Sigma: number;
  upper2Sigma: number;
} {
  return (
    p !== undefined &&
    !p.partial &&
    p.value !== null &&
    p.centre !== null &&
    p.lowerLimit !== null &&
    p.upperLimit !== null &&
    p.lower2Sigma !== null &&
    p.upper2Sigma !== null
  );
}

/** The special-cause signals of a chart (see the rules above), in month order then rule order. */
export function specialCauses(points: readonly ControlPoint[], good: GoodDirection): SpcSignal[] {
  const marks = new Map<string, SpcSignal>();
  const mark = (index: number, rule: SpcRule, side: 1 | -1): void => {
    const month = points[index]?.month;
    if (month === undefined) return;
    const direction = directionOf(side, good);
    marks.set(`${index}|${rule}|${direction}`, { month, rule, direction });
  };

  // Consecutive usable points: every rule but the first looks only within one segment.
  const segments: number[][] = [];
  let current: number[] = [];
  points.forEach((p, i) => {
    if (usable(p)) current.push(i);
    else if (current.length > 0) {
      segments.push(current);
      current = [];
    }
  });
  if (current.length > 0) segments.push(current);

  for (const segment of segments) {
    const at = (k: number) => {
      const p = points[segment[k] ?? -1];
      if (!usable(p)) throw new Error('unreachable: segments hold usable points only');
      return p;
    };
    // 1. outside the 3-sigma limits
    segment.forEach((index, k) => {
      const p = at(k);
      if (p.value > p.upperLimit) mark(index, 'outside_limits', 1);
      else if (p.value < p.lowerLimit) mark(index, 'outside_limits', -1);
    });
    // 2. a run on one side of the centre line
    let runStart = 0;
    for (let k = 0; k <= segment.length; k++) {
      const side = (j: number): number =>
        j < segment.length ? Math.sign(at(j).value - at(j).centre) : 0;
      if (k < segment.length && k > runStart && side(k) === side(runStart)) continue;
      const s = side(runStart);
      if (s !== 0 && k - runStart >= SPC_RUN_LENGTH) {
        for (let j = runStart; j < k; j++) mark(segment[j] ?? -1, 'run', s as 1 | -1);
      }
      runStart = k;
    }
    // 3. a trend: each point strictly above (or below) the one before
    let trendStart = 0;
    let trendSide = 0;
    for (let k = 1; k <= segment.length; k++) {
      const step = k < segment.length ? Math.sign(at(k).value - at(k - 1).value) : 0;
      if (step !== 0 && step === trendSide) continue;
      if (trendSide !== 0 && k - trendStart >= SPC_TREND_LENGTH) {
        for (let j = trendStart; j < k; j++) mark(segment[j] ?? -1, 'trend', trendSide as 1 | -1);
      }
      trendStart = k - 1;
      trendSide = step;
    }
    // 4. two of three beyond 2 sigma on one side
    for (let k = 0; k + 2 < segment.length; k++) {
      for (const side of [1, -1] as const) {
        const beyond = [k, k + 1, k + 2].filter((j) => {
          const p = at(j);
          return side === 1 ? p.value > p.upper2Sigma : p.value < p.lower2Sigma;
        });
        if (beyond.length >= 2)
          for (const j of beyond) mark(segment[j] ?? -1, 'two_of_three', side);
      }
    }
  }
  const order = new Map(points.map((p, i) => [p.month, i]));
  return [...marks.values()].sort(
    (a, b) =>
      (order.get(a.month) ?? 0) - (order.get(b.month) ?? 0) ||
      SPC_RULES.indexOf(a.rule) - SPC_RULES.indexOf(b.rule) ||
      a.direction.localeCompare(b.direction),
  );
}

/** The latest complete month with a value, or undefined. */
export function latestComplete(points: readonly ControlPoint[]): ControlPoint | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i];
    if (p && !p.partial && p.value !== null) return p;
  }
  return undefined;
}

/**
 * MDC's variation icon: the latest complete month's signal (concerning first, as the one a manager
 * must not miss), common cause when it carries none.
 */
export function variationOf(
  points: readonly ControlPoint[],
  signals: readonly SpcSignal[],
): Variation {
  const latest = latestComplete(points);
  if (!latest) return 'common_cause';
  const own = signals.filter((s) => s.month === latest.month);
  if (own.some((s) => s.direction === 'concerning')) return 'special_cause_concerning';
  if (own.some((s) => s.direction === 'improving')) return 'special_cause_improving';
  return 'common_cause';
}

/**
 * MDC's assurance icon from the latest complete month's limits and a target: null without a target
 * or limits. A target on a limit counts as met on that side (a value equal to the target meets it).
 */
export function assuranceOf(
  points: readonly ControlPoint[],
  target: number | null,
  good: GoodDirection,
): Assurance | null {
  const latest = latestComplete(points);
  if (target === null || !latest || latest.lowerLimit === null || latest.upperLimit === null) {
    return null;
  }
  if (good === 'lower') {
    if (latest.upperLimit <= target) return 'met';
    if (latest.lowerLimit > target) return 'missed';
  } else {
    if (latest.lowerLimit >= target) return 'met';
    if (latest.upperLimit < target) return 'missed';
  }
  return 'hit_and_miss';
}

/** Words for each icon, for every screen and the printed report (never colour alone). */
export const VARIATION_WORDS: Readonly<Record<Variation, string>> = {
  common_cause: 'Common cause: no signal',
  special_cause_concerning: 'Special cause: concerning',
  special_cause_improving: 'Special cause: improving',
};
export const ASSURANCE_WORDS: Readonly<Record<Assurance, string>> = {
  met: 'Target consistently met',
  missed: 'Target consistently missed',
  hit_and_miss: 'Target hit and miss',
};
export const RULE_WORDS: Readonly<Record<SpcRule, string>> = {
  outside_limits: 'outside the 3-sigma limits',
  run: `a run of ${SPC_RUN_LENGTH} or more on one side of the centre line`,
  trend: `a trend of ${SPC_TREND_LENGTH} or more rising or falling`,
  two_of_three: 'two of three beyond 2 sigma on one side',
};
