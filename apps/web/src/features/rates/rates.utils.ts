/**
 * The manager's rates screen as data: the table on screen and the CSV are built from the same rows,
 * so the export is exactly what is shown. Rates come from the server (`rates.summary`, PRODUCT §4);
 * nothing here recomputes a rate, it only chooses and formats.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';
import {
  RATE_LABELS,
  type RateKey,
  type RatesResult,
  type RatesRow,
  type RateValue,
} from '@ossiwatch/domain';

export interface RatesTable {
  readonly headers: readonly string[];
  /** One entry per table row, cells as shown on screen. */
  readonly rows: readonly (readonly string[])[];
}

/**
 * The rate column's unit: "per 1,000", "per 100" or "%". The denominator's noun (patient-days,
 * catheter-days…) is in the rate's name above the table; keeping it out of the column header leaves
 * "Patient-days" naming exactly one column.
 */
export function rateUnit(key: RateKey): string {
  const match = /per [\d,]+/.exec(RATE_LABELS[key]);
  return match ? match[0] : '%';
}

function number(value: number | null, digits: number): string {
  return value === null ? '' : value.toFixed(digits);
}

/** "2.1 (0.9–4.2)", or "no exposure" when the denominator is zero (unknown, not zero). */
export function formatRate(rate: RateValue): string {
  if (rate.value === null) return 'no exposure';
  return `${number(rate.value, 1)} (${number(rate.lower, 1)}–${number(rate.upper, 1)})`;
}

function leadTime(row: RatesRow): string {
  const lead = row.leadTimeDays;
  if (lead.n === 0 || lead.median === null) return 'none confirmed';
  return `${number(lead.median, 1)} days (IQR ${number(lead.q1, 1)}–${number(lead.q3, 1)}; n=${lead.n})`;
}

export function monthLabel(month: string): string {
  if (month === 'all') return 'All months';
  const [year, m] = month.split('-').map(Number);
  if (!year || !m) return month;
  return new Date(Date.UTC(year, m - 1, 1)).toLocaleDateString('en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The rows on screen: the chosen wards' rows, then the all-wards rows when several wards are shown. */
function shownRows(result: RatesResult, wardIds: readonly number[] | null): readonly RatesRow[] {
  const wardRows = result.rows.filter(
    (row) => wardIds === null || (row.wardId !== null && wardIds.includes(row.wardId)),
  );
  const wardCount = new Set(wardRows.map((row) => row.wardId)).size;
  return wardCount > 1 ? [...wardRows, ...result.hospital] : wardRows;
}

/**
 * The table for one rate: ward, month, the denominators, the chosen rate's numerator, denominator and
 * interval, then HO detection lead time and ROM compliance. `wardIds` null keeps every ward; the
 * all-wards rows are shown when more than one ward is.
 */
export function ratesTable(
  result: RatesResult,
  rate: RateKey,
  wardIds: readonly number[] | null,
): RatesTable {
  const rows = shownRows(result, wardIds);
  const headers = [
    'Ward',
    'Month',
    'Patient-days',
    'Catheter-days',
    'Admissions',
    'Events',
    'Denominator',
    `Rate ${rateUnit(rate)} (95% CI)`,
    'HO detection lead time',
    'ROM compliance % (95% CI)',
  ];
  return {
    headers,
    rows: rows.map((row) => {
      const value = row.rates[rate];
      return [
        row.wardName,
        monthLabel(row.month),
        String(row.patientDays),
        String(row.catheterDays),
        String(row.admissions),
        String(value.numerator),
        String(value.denominator),
        formatRate(value),
        leadTime(row),
        formatRate(row.rates.compliance),
      ];
    }),
  };
}

/**
 * The CSV file of a table: a header line, then the rows; quoting by csv-stringify. A cell starting
 * with = + - @, a tab or a carriage return gets a leading `'` (OWASP "CSV injection"), so a ward name
 * such as `=HYPERLINK(…)` is text in the manager's spreadsheet, not a formula.
 */
export function tableToCsv(table: RatesTable): string {
  return stringify([table.headers, ...table.rows], {
    eof: true,
    record_delimiter: '\r\n',
    escape_formulas: true,
  });
}

/** A number as a spreadsheet reads it (at most 3 decimals); an unknown value is an empty cell. */
function cellNumber(value: number | null): string {
  return value === null ? '' : String(Number(value.toFixed(3)));
}

/** Which total a row is: empty for a ward's month, else what it sums over. */
function totalMark(row: RatesRow): string {
  const allMonths = row.month === 'all';
  const allWards = row.wardId === null;
  if (allMonths && allWards) return 'all wards, all months';
  if (allMonths) return 'all months';
  if (allWards) return 'all wards';
  return '';
}

/**
 * The CSV export of the chosen rate, as a spreadsheet can use it: one value per cell (rate, lower
 * and upper 95% limits, numerator, denominator as plain numbers), months as ISO "YYYY-MM", total rows
 * marked in a column of their own, only the rows on screen, and a UTF-8 byte-order mark so Excel
 * reads the file as UTF-8. A rate with no exposure is an empty cell (unknown), never 0.
 */
export function ratesCsv(
  result: RatesResult,
  rate: RateKey,
  wardIds: readonly number[] | null,
): string {
  const unit = rateUnit(rate);
  const headers = [
    'Ward',
    'Month',
    'Total',
    'Numerator',
    'Denominator',
    `Rate (${unit})`,
    'Lower 95% limit',
    'Upper 95% limit',
  ];
  const rows = shownRows(result, wardIds).map((row) => {
    const value = row.rates[rate];
    return [
      row.wardName,
      row.month,
      totalMark(row),
      String(value.numerator),
      String(value.denominator),
      cellNumber(value.value),
      cellNumber(value.lower),
      cellNumber(value.upper),
    ];
  });
  return `\uFEFF${tableToCsv({ headers, rows })}`;
}

export interface UChartRow {
  readonly month: string;
  readonly label: string;
  readonly value: number | null;
  readonly centre: number | null;
  readonly lowerLimit: number | null;
  readonly upperLimit: number | null;
  /** The value again when it lies outside the limits: drawn as a marked point. */
  readonly signal: number | null;
  /** The month still being counted: its value is here (drawn hollow, "so far") and not in `value`. */
  readonly soFar: number | null;
}

/** One u-chart's rows: a point per month with its own 3-sigma limits. */
export function uChartRows(result: RatesResult, rate: RateKey, wardId: number | null): UChartRow[] {
  const series = result.uCharts.find((s) => s.rate === rate && s.wardId === wardId);
  if (!series) return [];
  return series.months.map((month, index) => {
    const point = series.chart.points[index];
    const partial = point?.partial === true;
    return {
      month,
      label: `${monthLabel(month)}${partial ? ' (so far)' : ''}`,
      value: partial ? null : (point?.value ?? null),
      soFar: partial ? (point?.value ?? null) : null,
      centre: series.chart.centre,
      lowerLimit: point?.lowerLimit ?? null,
      upperLimit: point?.upperLimit ?? null,
      signal: point?.outOfControl ? (point.value ?? null) : null,
    };
  });
}

/** First and last day of a span of months, as the server's `from`/`to` (YYYY-MM-DD). */
export function monthSpan(fromMonth: string, toMonth: string): { from: string; to: string } {
  const [y, m] = toMonth.split('-').map(Number);
  const lastDay = y && m ? new Date(Date.UTC(y, m, 0)).getUTCDate() : 28;
  return { from: `${fromMonth}-01`, to: `${toMonth}-${String(lastDay).padStart(2, '0')}` };
}

/** "YYYY-MM" of `date` shifted by `offset` months. */
export function monthOf(date: Date, offset = 0): string {
  const shifted = new Date(Date.UTC(date.getFullYear(), date.getMonth() + offset, 1));
  return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * What the ROM compliance figures can say for this range (PRODUCT §4). Compliance is counted from the
 * daily tier census, which exists from the first day the server recorded tiers: days before it are
 * unknown and are not counted, so the screen says so rather than letting a blank read as 0.
 */
export function complianceNote(
  result: { readonly complianceAvailable: boolean; readonly complianceFrom: string | null },
  from: string,
): string | null {
  if (!result.complianceAvailable || result.complianceFrom === null) {
    return 'ROM compliance is unknown for this range: no daily tier census was recorded in it (unknown, not 0).';
  }
  if (result.complianceFrom > from) {
    return `ROM compliance is counted from ${result.complianceFrom}, the first day with a daily tier census; earlier days in this range are unknown and not counted.`;
  }
  return null;
}
