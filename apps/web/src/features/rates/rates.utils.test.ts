import type { RatesResult, RatesRow, RateValue } from '@ossiwatch/domain';
import { describe, expect, it } from 'vitest';
import {
  complianceNote,
  formatRate,
  monthLabel,
  monthOf,
  monthSpan,
  rateUnit,
  ratesTable,
  tableToCsv,
  ratesCsv,
  uChartRows,
  type RatesTable,
} from './rates.utils.ts';

const value = (numerator: number, denominator: number, per: number): RateValue => ({
  numerator,
  denominator,
  per,
  value: denominator === 0 ? null : (numerator / denominator) * per,
  lower: denominator === 0 ? null : 0.5,
  upper: denominator === 0 ? null : 9.25,
});

const row = (
  wardId: number | null,
  wardName: string,
  month: string,
  pneumonia: number,
): RatesRow => ({
  wardId,
  wardName,
  month,
  from: '2026-01-01',
  to: '2026-01-31',
  patientDays: 600,
  catheterDays: 90,
  admissions: 12,
  discharges: 11,
  deviceUtilisation: 0.15,
  rates: {
    pneumonia: value(pneumonia, 600, 1000),
    uti: value(1, 600, 1000),
    cauti: value(0, 90, 1000),
    hapi: value(0, 600, 1000),
    hapiStays: value(0, 11, 100),
    ho: value(1, 12, 100),
    compliance: value(80, 100, 100),
  },
  leadTimeDays: { n: 2, median: 21, q1: 18, q3: 24 },
});

const result: RatesResult = {
  timeZone: 'Europe/London',
  from: '2026-01-01',
  to: '2026-01-31',
  rows: [
    row(1, 'Neuro A', '2026-01', 3),
    row(1, 'Neuro A', 'all', 3),
    row(2, 'Neuro B, "East"', '2026-01', 0),
  ],
  hospital: [row(null, 'All wards', 'all', 3)],
  uCharts: [
    {
      wardId: 1,
      rate: 'pneumonia',
      kind: 'u',
      months: ['2026-01', '2026-02'],
      chart: {
        centre: 4,
        points: [
          { value: 5, lowerLimit: 0, upperLimit: 12, outOfControl: false, partial: false },
          { value: 15, lowerLimit: 0, upperLimit: 12, outOfControl: true, partial: false },
        ],
      },
    },
    {
      wardId: 1,
      rate: 'cauti',
      kind: 'u',
      months: ['2026-01', '2026-02'],
      chart: {
        centre: 2,
        points: [
          { value: 2, lowerLimit: 0, upperLimit: 9, outOfControl: false, partial: false },
          { value: 30, lowerLimit: 0, upperLimit: 40, outOfControl: false, partial: true },
        ],
      },
    },
  ],
};

describe('ratesTable', () => {
  it('names the columns managers look for and shows numerator, denominator and interval', () => {
    const table = ratesTable(result, 'pneumonia', null);
    expect(table.headers.slice(0, 3)).toEqual(['Ward', 'Month', 'Patient-days']);
    expect(table.headers).toContain('Rate per 1,000 (95% CI)');
    // Only one column is about patient-days, so it can be found by that name.
    expect(table.headers.filter((h) => /patient-days/i.test(h))).toEqual(['Patient-days']);
    expect(table.rows[0]).toEqual([
      'Neuro A',
      'Jan 2026',
      '600',
      '90',
      '12',
      '3',
      '600',
      '5.0 (0.5–9.3)',
      '21.0 days (IQR 18.0–24.0; n=2)',
      '80.0 (0.5–9.3)',
    ]);
  });

  it('adds the all-wards row only when several wards are shown', () => {
    expect(ratesTable(result, 'pneumonia', null).rows.map((r) => r[0])).toContain('All wards');
    expect(ratesTable(result, 'pneumonia', [1]).rows.map((r) => r[0])).toEqual([
      'Neuro A',
      'Neuro A',
    ]);
  });

  it('says "no exposure" instead of a zero rate when the denominator is zero', () => {
    expect(formatRate(value(0, 0, 1000))).toBe('no exposure');
  });
});

describe('tableToCsv', () => {
  it('writes a cell that starts like a formula as text', () => {
    const table: RatesTable = {
      headers: ['Ward', 'Note'],
      rows: [
        ['=HYPERLINK("http://evil.example","x")', '+1'],
        ['-2', '@SUM(A1)'],
        ['\tTab', '\rReturn'],
        ['Neuro A', 'a=b'],
      ],
    };
    const lines = tableToCsv(table).trimEnd().split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")",'+1`);
    expect(lines[2]).toBe(`'-2,'@SUM(A1)`);
    expect(lines[3]).toMatch(/^"?'\tTab"?,"?'\rReturn"?$/);
    expect(lines[4]).toBe('Neuro A,a=b');
  });

  it('writes the header and every row on screen, quoting commas and quotes', () => {
    const table = ratesTable(result, 'pneumonia', null);
    const csv = tableToCsv(table);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(table.rows.length + 1);
    expect(lines[0]).toMatch(/^Ward,Month,Patient-days,/);
    expect(csv).toContain('"Neuro B, ""East"""');
  });
});

describe('ratesCsv', () => {
  it('starts with a UTF-8 byte-order mark and puts one value in each cell', () => {
    const csv = ratesCsv(result, 'pneumonia', null);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Ward,Month,Total,Numerator,Denominator,Rate (per 1,000),Lower 95% limit,Upper 95% limit'.replace(
        'Rate (per 1,000)',
        '"Rate (per 1,000)"',
      ),
    );
    for (const line of lines.slice(1)) {
      const cells = line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      // Numerator, denominator, rate and its limits: each a plain number or empty (unknown).
      for (const cell of cells.slice(-5)) expect(cell).toMatch(/^(\d+(\.\d+)?)?$/);
    }
  });

  it('marks the total rows and keeps months in ISO form', () => {
    const lines = ratesCsv(result, 'pneumonia', null).slice(1).trimEnd().split('\r\n');
    const totals = lines.filter((line) => /,all( wards)?(, all months)?,|,all months,/.test(line));
    expect(totals.length).toBeGreaterThan(0);
    expect(lines.some((line) => /,\d{4}-\d{2},,/.test(line))).toBe(true);
  });

  it('exports only the wards on screen', () => {
    const lines = ratesCsv(result, 'pneumonia', [1]).slice(1).trimEnd().split('\r\n');
    expect(lines.slice(1).every((line) => line.startsWith('Neuro A,'))).toBe(true);
  });
});

describe('uChartRows', () => {
  it('gives each month its own limits and marks the out-of-control month', () => {
    const rows = uChartRows(result, 'pneumonia', 1);
    expect(rows.map((r) => r.signal)).toEqual([null, 15]);
    expect(rows.every((r) => r.centre === 4)).toBe(true);
    expect(uChartRows(result, 'uti', 1)).toEqual([]);
  });

  it('draws the month still being counted apart, labelled "so far"', () => {
    const rows = uChartRows(result, 'cauti', 1);
    expect(rows.map((r) => [r.label, r.value, r.soFar])).toEqual([
      ['Jan 2026', 2, null],
      ['Feb 2026 (so far)', null, 30],
    ]);
  });
});

describe('months', () => {
  it('spans whole months, including February in a leap year', () => {
    expect(monthSpan('2028-01', '2028-02')).toEqual({ from: '2028-01-01', to: '2028-02-29' });
    expect(monthOf(new Date(2026, 0, 15), -1)).toBe('2025-12');
    expect(monthLabel('2026-03')).toBe('Mar 2026');
    expect(rateUnit('hapiStays')).toBe('%');
  });
});

describe('complianceNote', () => {
  it('says when compliance is unknown for the whole range or for its first days, and nothing otherwise', () => {
    expect(
      complianceNote({ complianceAvailable: false, complianceFrom: null }, '2026-01-01'),
    ).toMatch(/^ROM compliance is unknown for this range.*not 0/);
    expect(
      complianceNote({ complianceAvailable: true, complianceFrom: '2026-03-15' }, '2026-01-01'),
    ).toBe(
      'ROM compliance is counted from 2026-03-15, the first day with a daily tier census; earlier days in this range are unknown and not counted.',
    );
    expect(
      complianceNote({ complianceAvailable: true, complianceFrom: '2026-01-01' }, '2026-01-01'),
    ).toBeNull();
    expect(
      complianceNote({ complianceAvailable: true, complianceFrom: '2025-12-01' }, '2026-01-01'),
    ).toBeNull();
  });
});
