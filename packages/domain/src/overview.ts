/**
 * The managers' overview (PRODUCT §4): for each ward and measure, the monthly control chart, its
 * special-cause signals, the variation and assurance icons (spc.ts) and the latest complete month's
 * value with its interval. Pure: it reads a `computeRates` result, the local date today and targets.
 */
import { PROPORTION_KEYS, RATE_LABELS, type RateKey, type RatesResult } from './rates.ts';
import {
  assuranceOf,
  latestComplete,
  pChartPoints,
  specialCauses,
  uChartPoints,
  variationOf,
  xmrChartPoints,
  type Assurance,
  type ControlPoint,
  type GoodDirection,
  type SpcSignal,
  type Variation,
} from './spc.ts';

/** The overview's columns, in the order of the issue and PRODUCT §4. */
export const MEASURE_KEYS = [
  'pneumonia',
  'uti',
  'cauti',
  'hapi',
  'hapiStays',
  'ho',
  'leadTime',
  'compliance',
] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

export interface MeasureInfo {
  /** The full name, as in the rates table. */
  readonly label: string;
  /** A column heading. */
  readonly shortLabel: string;
  /** The unit of a value: "per 1,000 patient-days", "%", "days". */
  readonly unit: string;
  /** u-chart for a rate, p-chart for a proportion, XmR for the monthly median lead time. */
  readonly chart: 'u' | 'p' | 'xmr';
  /** Fewer complications and a shorter lead time are better; more ROM compliance is better. */
  readonly good: GoodDirection;
  /** What the interval of a value is. */
  readonly interval: 'exact Poisson 95% CI' | 'exact binomial 95% CI' | 'IQR';
}

const rateInfo = (key: RateKey, shortLabel: string, unit: string): MeasureInfo => ({
  label: RATE_LABELS[key],
  shortLabel,
  unit,
  chart: PROPORTION_KEYS.has(key) ? 'p' : 'u',
  good: key === 'compliance' ? 'higher' : 'lower',
  interval: PROPORTION_KEYS.has(key) ? 'exact binomial 95% CI' : 'exact Poisson 95% CI',
});

export const MEASURES: Readonly<Record<MeasureKey, MeasureInfo>> = {
  pneumonia: rateInfo('pneumonia', 'Pneumonia', 'per 1,000 patient-days'),
  uti: rateInfo('uti', 'UTI', 'per 1,000 patient-days'),
  cauti: rateInfo('cauti', 'CAUTI', 'per 1,000 catheter-days'),
  hapi: rateInfo('hapi', 'Pressure injury (HAPI)', 'per 1,000 patient-days'),
  hapiStays: rateInfo('hapiStays', 'Stays with a new pressure injury', '%'),
  ho: rateInfo('ho', 'HO per 100 admissions', '%'),
  leadTime: {
    label: 'HO detection lead time: median days from the first ROM alert to imaging confirmation',
    shortLabel: 'Detection lead time',
    unit: 'days',
    chart: 'xmr',
    good: 'lower',
    interval: 'IQR',
  },
  compliance: rateInfo('compliance', 'ROM compliance', '%'),
};

export const isMeasureKey = (value: string): value is MeasureKey =>
  (MEASURE_KEYS as readonly string[]).includes(value);

/** A manager's target for a measure, hospital-wide (wardId null) or for one ward, with its source. */
export interface RateTarget {
  readonly measure: MeasureKey;
  readonly wardId: number | null;
  /** In the measure's unit (per 1,000 …, %, days). */
  readonly value: number;
  /** Where the target comes from, in words (a national benchmark, the trust's plan…). */
  readonly source: string;
}

/** The ward's own target, else the hospital-wide one, else none. */
export function targetFor(
  targets: readonly RateTarget[],
  wardId: number | null,
  measure: MeasureKey,
): RateTarget | null {
  return (
    targets.find((t) => t.measure === measure && t.wardId !== null && t.wardId === wardId) ??
    targets.find((t) => t.measure === measure && t.wardId === null) ??
    null
  );
}

/** One month of a series: value, interval and the counts behind them. */
export interface MonthFigure {
  readonly month: string;
  readonly value: number | null;
  /** The 95% interval (a rate or proportion) or the quartiles (lead time). */
  readonly lower: number | null;
  readonly upper: number | null;
  /** Events (or confirmed sites for lead time) and the denominator; null for lead time. */
  readonly numerator: number;
  readonly denominator: number | null;
}

export interface MeasureSeries {
  readonly wardId: number | null;
  readonly measure: MeasureKey;
  readonly chart: MeasureInfo['chart'];
  readonly points: readonly ControlPoint[];
  readonly signals: readonly SpcSignal[];
  readonly variation: Variation;
  readonly assurance: Assurance | null;
  readonly target: RateTarget | null;
  /** Each month's figures, in the order of `points`: the table below the chart. */
  readonly figures: readonly MonthFigure[];
  /** The latest complete month's figures: the overview's cell. */
  readonly latest: MonthFigure | null;
}

/**
 * One ward's (or all wards', wardId null) series of one measure. A month whose last day is today or
 * later is still being counted: partial, drawn "so far", out of the rules and the centre line.
 */
export function measureSeries(
  result: RatesResult,
  wardId: number | null,
  measure: MeasureKey,
  options: { readonly today: string; readonly targets: readonly RateTarget[] },
): MeasureSeries {
  const rows = (wardId === null ? result.hospital : result.rows).filter(
    (row) => row.wardId === wardId && row.month !== 'all',
  );
  const info = MEASURES[measure];
  const partial = (to: string): boolean => to >= options.today;
  let points: ControlPoint[];
  if (measure === 'leadTime') {
    points = xmrChartPoints(
      rows.map((row) => ({
        month: row.month,
        value: row.leadTimeDays.median,
        partial: partial(row.to),
      })),
    );
  } else {
    const key: RateKey = measure;
    const counts = rows.map((row) => ({
      month: row.month,
      count: row.rates[key].numerator,
      exposure: row.rates[key].denominator,
      partial: partial(row.to),
    }));
    const per = rows[0]?.rates[key].per ?? 1000;
    points = info.chart === 'p' ? pChartPoints(counts, per) : uChartPoints(counts, per);
  }
  const signals = specialCauses(points, info.good);
  const target = targetFor(options.targets, wardId, measure);
  const figures = rows.map((row): MonthFigure => {
    if (measure === 'leadTime') {
      const lead = row.leadTimeDays;
      return {
        month: row.month,
        value: lead.median,
        lower: lead.q1,
        upper: lead.q3,
        numerator: lead.n,
        denominator: null,
      };
    }
    const r = row.rates[measure];
    return {
      month: row.month,
      value: r.value,
      lower: r.lower,
      upper: r.upper,
      numerator: r.numerator,
      denominator: r.denominator,
    };
  });
  const latestMonth = latestComplete(points)?.month;
  return {
    wardId,
    measure,
    chart: info.chart,
    points,
    signals,
    variation: variationOf(points, signals),
    assurance: assuranceOf(points, target?.value ?? null, info.good),
    target,
    figures,
    latest: figures.find((f) => f.month === latestMonth) ?? null,
  };
}

/** Every ward's series of every measure, then all wards together when there is more than one. */
export function overviewSeries(
  result: RatesResult,
  options: { readonly today: string; readonly targets: readonly RateTarget[] },
): MeasureSeries[] {
  const wardIds = [...new Set(result.rows.map((row) => row.wardId))];
  const scopes = wardIds.length > 1 ? [...wardIds, null] : wardIds;
  return scopes.flatMap((wardId) =>
    MEASURE_KEYS.map((measure) => measureSeries(result, wardId, measure, options)),
  );
}
