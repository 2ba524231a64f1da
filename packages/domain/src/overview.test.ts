import { describe, expect, it } from 'vitest';
import { computeRates } from './rates.ts';
import type { Complication, Stay } from './model.ts';
import { measureSeries, overviewSeries, targetFor, type RateTarget } from './overview.ts';

/** One ward, a patient staying January to mid-May 2026, pneumonias in some months. */
function result(onsets: readonly string[]) {
  const stay: Stay = {
    id: 1,
    patientId: 1,
    wardId: 1,
    bedLabel: null,
    admittedAt: '2025-12-20T10:00:00Z',
    dischargedAt: null,
  };
  const complications = onsets.map((onsetAt, i): Complication & { patientId: number } => ({
    id: i + 1,
    patientId: 1,
    kind: 'pneumonia',
    onsetAt,
    resolvedAt: null,
    wardId: 1,
    presentOnAdmission: false,
  }));
  return computeRates({
    timeZone: 'Europe/London',
    from: '2026-01-01',
    to: '2026-05-31',
    asOf: '2026-05-12T12:00:00Z',
    wards: [{ id: 1, name: 'Neuro A' }],
    stays: [stay],
    catheterEpisodes: [],
    complications,
  });
}

describe('measureSeries', () => {
  it('counts the month holding today as partial, out of the rules, and reads the latest complete month', () => {
    const series = measureSeries(
      result(['2026-04-03T10:00:00Z', '2026-04-05T10:00:00Z', '2026-05-10T10:00:00Z']),
      1,
      'pneumonia',
      { today: '2026-05-12', targets: [] },
    );
    expect(series.chart).toBe('u');
    expect(series.points.map((p) => p.partial)).toEqual([false, false, false, false, true]);
    expect(series.latest).toMatchObject({ month: '2026-04', numerator: 2, denominator: 30 });
    expect(series.figures.at(-1)).toMatchObject({ month: '2026-05', numerator: 1 });
    expect(series.signals.some((s) => s.month === '2026-05')).toBe(false);
    // The centre line is the complete months' pooled rate: 2 events over 31 + 28 + 31 + 30 days.
    expect(series.points[0]?.centre).toBeCloseTo((2 / 120) * 1000, 10);
    expect(series.assurance).toBeNull();
  });

  it('compares the limits with the ward target before the hospital-wide one', () => {
    const targets: RateTarget[] = [
      { measure: 'pneumonia', wardId: null, value: 1000, source: 'Hospital' },
      { measure: 'pneumonia', wardId: 1, value: 0, source: 'Ward plan' },
    ];
    expect(targetFor(targets, 1, 'pneumonia')?.source).toBe('Ward plan');
    expect(targetFor(targets, 2, 'pneumonia')?.source).toBe('Hospital');
    expect(targetFor(targets, 1, 'uti')).toBeNull();
    const series = measureSeries(result(['2026-02-03T10:00:00Z']), 1, 'pneumonia', {
      today: '2026-06-12',
      targets,
    });
    // The ward's target of 0: its upper limit is above 0, its lower limit on it: hit and miss.
    expect(series.assurance).toBe('hit_and_miss');
    const hospital = measureSeries(result(['2026-02-03T10:00:00Z']), 1, 'pneumonia', {
      today: '2026-06-12',
      targets: targets.slice(0, 1),
    });
    expect(hospital.assurance).toBe('met');
  });

  it('gives every ward every measure, proportions on p-charts and the lead time on an XmR chart', () => {
    const all = overviewSeries(result([]), { today: '2026-05-12', targets: [] });
    expect(all.map((s) => s.measure)).toEqual([
      'pneumonia',
      'uti',
      'cauti',
      'hapi',
      'hapiStays',
      'ho',
      'leadTime',
      'compliance',
    ]);
    expect(all.map((s) => s.chart)).toEqual(['u', 'u', 'u', 'u', 'p', 'p', 'xmr', 'p']);
    const cauti = all.find((s) => s.measure === 'cauti');
    // No catheter-days: unknown, not zero; no rule fires on nothing.
    expect(cauti?.latest).toBeNull();
    expect(cauti?.variation).toBe('common_cause');
  });
});
