/**
 * The managers' overview as data (PRODUCT §4, issue 20): the words of each cell and the rows of each
 * control chart and its table. The server computes every value, limit and signal
 * (`rates.overview`); nothing here recomputes them, it only chooses and formats.
 */
import {
  ASSURANCE_WORDS,
  MEASURES,
  RULE_WORDS,
  VARIATION_WORDS,
  type MeasureKey,
  type MeasureSeries,
} from '@ossiwatch/domain';
import { monthLabel } from './rates.utils.ts';

const fixed = (value: number | null): string => (value === null ? '' : value.toFixed(1));

/** "4.2 (1.1–10.7)", "14.0 days (IQR 10.0–20.0; n=3)", or what is unknown, in words. */
export function figureText(
  measure: MeasureKey,
  figure: MeasureSeries['latest'] | MeasureSeries['figures'][number],
): string {
  if (!figure || figure.value === null) {
    return measure === 'leadTime' ? 'none confirmed' : 'no denominator (unknown)';
  }
  if (measure === 'leadTime') {
    return `${fixed(figure.value)} days (IQR ${fixed(figure.lower)}–${fixed(figure.upper)}; n=${figure.numerator})`;
  }
  const interval =
    figure.lower === null || figure.upper === null
      ? 'no interval'
      : `${fixed(figure.lower)}–${fixed(figure.upper)}`;
  return `${fixed(figure.value)} (${interval})`;
}

/** The unit as a column heading shows it: "per 1,000 patient-days", "%", "days". */
export const unitOf = (measure: MeasureKey): string => MEASURES[measure].unit;

export interface CellWords {
  readonly value: string;
  readonly month: string | null;
  readonly variation: string;
  readonly assurance: string;
}

/** Everything a cell says in words: its value, its month, its variation and assurance. */
export function cellWords(series: MeasureSeries): CellWords {
  return {
    value: figureText(series.measure, series.latest),
    month: series.latest ? monthLabel(series.latest.month) : null,
    variation: VARIATION_WORDS[series.variation],
    assurance: series.assurance === null ? 'No target set' : ASSURANCE_WORDS[series.assurance],
  };
}

export interface ControlChartRow {
  readonly month: string;
  /** "Mar 2026", "Mar 2026 (so far)". */
  readonly label: string;
  readonly value: number | null;
  readonly centre: number | null;
  readonly lowerLimit: number | null;
  readonly upperLimit: number | null;
  /** The value of a complete month: the line. */
  readonly complete: number | null;
  /** The value of the partial month: drawn hollow, labelled "so far". */
  readonly soFar: number | null;
  /** The value again when the month carries a special-cause signal: drawn as a marked point. */
  readonly signal: number | null;
  /** The signals of the month in words ("outside the 3-sigma limits (concerning)"). */
  readonly signalWords: string;
  /** The month's figures in words, for the table. */
  readonly figure: string;
  readonly numerator: number;
  readonly denominator: number | null;
  readonly target: number | null;
}

/** One chart's rows, with its table's words. */
export function controlChartRows(series: MeasureSeries): ControlChartRow[] {
  return series.points.map((point, index) => {
    const figure = series.figures[index];
    const signals = series.signals.filter((s) => s.month === point.month);
    return {
      month: point.month,
      label: `${monthLabel(point.month)}${point.partial ? ' (so far)' : ''}`,
      value: point.value,
      centre: point.centre,
      lowerLimit: point.lowerLimit,
      upperLimit: point.upperLimit,
      complete: point.partial ? null : point.value,
      soFar: point.partial ? point.value : null,
      signal: signals.length > 0 ? point.value : null,
      signalWords: point.partial
        ? 'so far: not judged until the month is over'
        : signals.length === 0
          ? 'none'
          : signals.map((s) => `${RULE_WORDS[s.rule]} (${s.direction})`).join('; '),
      figure: figure ? figureText(series.measure, figure) : '',
      numerator: figure?.numerator ?? 0,
      denominator: figure?.denominator ?? null,
      target: series.target?.value ?? null,
    };
  });
}

/** The chart's text alternative: what a sighted reader takes from it, in one paragraph. */
export function chartSummary(series: MeasureSeries, wardName: string): string {
  const info = MEASURES[series.measure];
  const rows = controlChartRows(series);
  const complete = rows.filter((row) => !row.label.endsWith('(so far)'));
  const centre = series.points.find((p) => p.centre !== null)?.centre ?? null;
  const signalled = complete.filter((row) => row.signalWords !== 'none' && row.value !== null);
  const chartName =
    info.chart === 'u'
      ? 'u-chart'
      : info.chart === 'p'
        ? 'p-chart'
        : 'XmR chart of monthly medians';
  return [
    `${info.shortLabel}, ${wardName}: ${chartName} of ${complete.length} complete months`,
    centre === null ? 'no centre line (no data)' : `centre line ${centre.toFixed(1)} ${info.unit}`,
    signalled.length === 0
      ? 'no special-cause signal'
      : `special cause in ${signalled.map((row) => `${row.label}: ${row.signalWords}`).join('; ')}`,
    VARIATION_WORDS[series.variation],
    series.assurance === null ? 'no target set' : ASSURANCE_WORDS[series.assurance],
  ]
    .join('. ')
    .concat('.');
}

/** "YYYY-MM" of the month `offset` months from the month of `date` (local calendar). */
function monthFrom(date: Date, offset: number): string {
  const shifted = new Date(Date.UTC(date.getFullYear(), date.getMonth() + offset, 1));
  return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * The range presets of the rates table (issue 20), as from/to months for the URL: the last complete
 * month, the last complete calendar quarter, the last 12 complete months.
 */
export function datePresets(now: Date): { label: string; from: string; to: string }[] {
  const quarterStart = Math.floor(now.getMonth() / 3) * 3 - now.getMonth() - 3;
  return [
    { label: 'Last complete month', from: monthFrom(now, -1), to: monthFrom(now, -1) },
    {
      label: 'Last quarter',
      from: monthFrom(now, quarterStart),
      to: monthFrom(now, quarterStart + 2),
    },
    { label: 'Last 12 months', from: monthFrom(now, -12), to: monthFrom(now, -1) },
  ];
}
