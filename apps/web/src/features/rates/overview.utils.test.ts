import { measureSeries, type RatesResult } from '@ossiwatch/domain';
import { describe, expect, it } from 'vitest';
import {
  cellWords,
  chartSummary,
  controlChartRows,
  datePresets,
  figureText,
} from './overview.utils.ts';

/** A ward's months of pneumonia: steady, then a month far above, then the current month. */
function result(): RatesResult {
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];
  const counts = [1, 2, 1, 12, 0];
  const rate = (numerator: number, denominator: number, per: number) => ({
    numerator,
    denominator,
    per,
    value: denominator > 0 ? (numerator / denominator) * per : null,
    lower: 0,
    upper: 1,
  });
  const rows = months.map((month, i) => ({
    wardId: 1,
    wardName: 'Neuro A',
    month,
    from: `${month}-01`,
    to: `${month}-28`,
    patientDays: 600,
    catheterDays: 0,
    admissions: 10,
    discharges: 10,
    deviceUtilisation: 0,
    rates: {
      pneumonia: rate(counts[i] ?? 0, 600, 1000),
      uti: rate(0, 600, 1000),
      cauti: rate(0, 0, 1000),
      hapi: rate(0, 600, 1000),
      hapiStays: rate(0, 10, 100),
      ho: rate(0, 10, 100),
      compliance: rate(9, 10, 100),
    },
    leadTimeDays: { n: 0, median: null, q1: null, q3: null },
  }));
  return {
    timeZone: 'Europe/London',
    from: '2026-01-01',
    to: '2026-05-28',
    rows,
    hospital: [],
    uCharts: [],
  };
}

describe('overview words', () => {
  const series = measureSeries(result(), 1, 'pneumonia', { today: '2026-05-10', targets: [] });

  it('a cell says its value, its month, its variation and that no target is set', () => {
    expect(cellWords(series)).toEqual({
      value: '20.0 (0.0–1.0)',
      month: 'Apr 2026',
      variation: 'Special cause: concerning',
      assurance: 'No target set',
    });
    expect(figureText('leadTime', null)).toBe('none confirmed');
    expect(figureText('uti', null)).toBe('no denominator (unknown)');
  });

  it('the chart rows mark the signal and the partial month "so far", which is never judged', () => {
    const rows = controlChartRows(series);
    expect(rows.map((r) => r.label)).toEqual([
      'Jan 2026',
      'Feb 2026',
      'Mar 2026',
      'Apr 2026',
      'May 2026 (so far)',
    ]);
    expect(rows[3]?.signal).toBeCloseTo(20, 10);
    expect(rows[3]?.signalWords).toBe('outside the 3-sigma limits (concerning)');
    expect(rows[4]).toMatchObject({ complete: null, soFar: 0, signal: null });
    expect(rows[4]?.signalWords).toContain('not judged');
    expect(chartSummary(series, 'Neuro A')).toContain('u-chart of 4 complete months');
    expect(chartSummary(series, 'Neuro A')).toContain(
      'special cause in Apr 2026: outside the 3-sigma limits',
    );
  });
});

describe('date presets', () => {
  it('last complete month, last calendar quarter, last 12 complete months', () => {
    expect(datePresets(new Date(2026, 4, 10))).toEqual([
      { label: 'Last complete month', from: '2026-04', to: '2026-04' },
      { label: 'Last quarter', from: '2026-01', to: '2026-03' },
      { label: 'Last 12 months', from: '2025-05', to: '2026-04' },
    ]);
    expect(datePresets(new Date(2026, 0, 31))[1]).toEqual({
      label: 'Last quarter',
      from: '2025-10',
      to: '2025-12',
    });
  });
});
