import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIERS } from './assessment-types.ts';
import { combineWardRates, computeRates, withCompliance } from './rates.ts';
import type { RatesInput, RatesRow, TierDay, TierDayCount } from './rates.ts';
import type { Complication, Stay } from './model.ts';

const TZ = 'Europe/London';
const WARDS = [
  { id: 1, name: 'Neuro A' },
  { id: 2, name: 'Neuro B' },
];

function stay(
  id: number,
  patientId: number,
  wardId: number,
  admittedAt: string,
  dischargedAt: string | null,
): Stay {
  return { id, patientId, wardId, bedLabel: null, admittedAt, dischargedAt };
}

function uti(
  id: number,
  patientId: number,
  wardId: number,
  onsetAt: string,
  presentOnAdmission = false,
): Complication & { patientId: number } {
  return { id, patientId, kind: 'uti', onsetAt, resolvedAt: null, wardId, presentOnAdmission };
}

function input(overrides: Partial<RatesInput>): RatesInput {
  return {
    timeZone: TZ,
    from: '2026-06-01',
    to: '2026-07-31',
    wards: WARDS,
    stays: [],
    catheterEpisodes: [],
    complications: [],
    ...overrides,
  };
}

function row(rows: readonly RatesRow[], wardId: number | null, month: string): RatesRow {
  const found = rows.find((r) => r.wardId === wardId && r.month === month);
  if (!found) throw new Error(`no row ${wardId} ${month}`);
  return found;
}

describe('computeRates', () => {
  // Patient 1: ward 1 from 10 June 14:00 BST to 20 June 10:00 BST, then ward 2 until 5 July 10:00.
  const stays = [
    stay(1, 1, 1, '2026-06-10T13:00:00Z', '2026-06-20T09:00:00Z'),
    stay(2, 1, 2, '2026-06-20T09:00:00Z', '2026-07-05T09:00:00Z'),
    stay(3, 2, 1, '2026-06-25T13:00:00Z', null),
  ];

  it('counts patient-days, admissions and discharges per ward and month', () => {
    const r = computeRates(input({ stays, asOf: '2026-07-31T12:00:00Z' }));
    // Ward 1: patient 1 midnights 11–20 June (10), patient 2 26–30 June (5) and 1–31 July (31).
    expect(row(r.rows, 1, '2026-06').patientDays).toBe(15);
    expect(row(r.rows, 1, '2026-07').patientDays).toBe(31);
    expect(row(r.rows, 1, 'all').patientDays).toBe(46);
    // Ward 2: 21–30 June (10), 1–5 July (5).
    expect(row(r.rows, 2, '2026-06').patientDays).toBe(10);
    expect(row(r.rows, 2, '2026-07').patientDays).toBe(5);
    expect(row(r.rows, 1, '2026-06').admissions).toBe(2);
    expect(row(r.rows, 1, '2026-06').discharges).toBe(1);
    expect(row(r.rows, 2, '2026-07').discharges).toBe(1);
    expect(row(r.hospital, null, 'all').patientDays).toBe(61);
    expect(row(r.hospital, null, 'all').admissions).toBe(3);
  });

  it('derives CAUTI from catheter days (NHSN: more than 2 days, in place or removed the day before)', () => {
    const catheter = {
      id: 1,
      patientId: 1,
      insertedAt: '2026-06-12T10:00:00Z', // day 1 = 12 June
      removedAt: '2026-06-16T10:00:00Z',
    };
    const r = computeRates(
      input({
        stays,
        catheterEpisodes: [catheter],
        complications: [
          uti(1, 1, 1, '2026-06-13T12:00:00Z'), // catheter day 2: a UTI, not a CAUTI
          uti(2, 1, 1, '2026-06-14T12:00:00Z'), // catheter day 3: CAUTI
          uti(3, 1, 1, '2026-06-17T12:00:00Z'), // removed the day before: CAUTI
          uti(4, 1, 1, '2026-06-18T12:00:00Z'), // removed two days before: not
          uti(5, 1, 1, '2026-06-15T12:00:00Z', true), // present on admission: never counted
        ],
      }),
    );
    const june = row(r.rows, 1, '2026-06');
    // Catheter-days: midnights of 13, 14, 15, 16 June.
    expect(june.catheterDays).toBe(4);
    expect(june.rates.uti.numerator).toBe(4);
    expect(june.rates.cauti.numerator).toBe(2);
    expect(june.rates.cauti.denominator).toBe(4);
    expect(june.rates.cauti.value).toBeCloseTo(500, 10);
    expect(june.deviceUtilisation).toBeCloseTo(4 / 15, 10);
  });

  it('counts catheter-days on the ward where the patient spent each midnight', () => {
    const r = computeRates(
      input({
        stays,
        catheterEpisodes: [
          { id: 1, patientId: 1, insertedAt: '2026-06-18T10:00:00Z', removedAt: null },
        ],
        asOf: '2026-07-31T12:00:00Z',
      }),
    );
    expect(row(r.rows, 1, '2026-06').catheterDays).toBe(2); // 19, 20 June on ward 1
    expect(row(r.rows, 2, 'all').catheterDays).toBe(15); // 21 June – 5 July on ward 2
  });

  it('counts an event on the ward of onset and reports unknown for an empty denominator', () => {
    const r = computeRates(
      input({
        stays,
        complications: [
          {
            id: 9,
            patientId: 1,
            kind: 'pneumonia',
            onsetAt: '2026-06-22T08:00:00Z',
            resolvedAt: null,
            wardId: 2,
            presentOnAdmission: false,
          },
        ],
      }),
    );
    expect(row(r.rows, 2, '2026-06').rates.pneumonia).toMatchObject({
      numerator: 1,
      denominator: 10,
      per: 1000,
      value: 100,
    });
    expect(row(r.rows, 1, '2026-06').rates.pneumonia.numerator).toBe(0);
    expect(row(r.rows, 1, '2026-06').rates.pneumonia.lower).toBe(0);
    expect(row(r.rows, 2, '2026-06').rates.cauti).toMatchObject({
      denominator: 0,
      value: null,
      lower: null,
      upper: null,
    });
  });

  it('counts hospital-acquired stage 2+ pressure injuries per patient-day and per discharged stay', () => {
    const pi = (
      id: number,
      stage: '1' | '2' | 'deep_tissue',
      onsetAt: string,
      presentOnAdmission: boolean,
    ): Complication & { patientId: number } => ({
      id,
      patientId: 1,
      kind: 'pressure_injury',
      bodySite: 'sacrum',
      stage,
      deviceRelated: false,
      onsetAt,
      resolvedAt: null,
      wardId: 1,
      presentOnAdmission,
    });
    const r = computeRates(
      input({
        stays,
        complications: [
          pi(1, '2', '2026-06-12T08:00:00Z', false),
          pi(2, '1', '2026-06-13T08:00:00Z', false),
          pi(3, 'deep_tissue', '2026-06-14T08:00:00Z', false),
          pi(4, '2', '2026-06-10T14:00:00Z', true),
        ],
      }),
    );
    const june = row(r.rows, 1, '2026-06');
    expect(june.rates.hapi.numerator).toBe(2);
    // Ward 1 discharged one stay in June (patient 1, 20 June), and it had a new injury.
    expect(june.rates.hapiStays).toMatchObject({ numerator: 1, denominator: 1, per: 100 });
    expect(june.rates.hapiStays.upper).toBeLessThanOrEqual(100);
  });

  it('reports HO per 100 admissions, detection lead time and ROM compliance', () => {
    const r = computeRates(
      input({
        stays,
        hoDiagnoses: [
          {
            patientId: 1,
            wardId: 1,
            site: 'hip',
            side: 'left',
            diagnosedAt: '2026-06-18T10:00:00Z',
          },
        ],
        detections: [
          {
            patientId: 1,
            wardId: 1,
            site: 'hip',
            side: 'left',
            firstRomAlertAt: '2026-06-01T10:00:00Z',
            confirmedAt: '2026-06-18T10:00:00Z',
          },
          {
            patientId: 2,
            wardId: 1,
            site: 'knee',
            side: 'right',
            firstRomAlertAt: '2026-06-20T10:00:00Z',
            confirmedAt: '2026-06-29T10:00:00Z',
          },
        ],
        tierDays: [
          { patientId: 1, wardId: 1, date: '2026-06-11', tier: 'high', romInPrevious7Days: true },
          { patientId: 1, wardId: 1, date: '2026-06-12', tier: 'alert', romInPrevious7Days: false },
          { patientId: 1, wardId: 1, date: '2026-06-13', tier: 'low', romInPrevious7Days: false },
        ],
      }),
    );
    const june = row(r.rows, 1, '2026-06');
    expect(june.rates.ho).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
    expect(june.leadTimeDays).toEqual({ n: 2, median: 13, q1: 11, q3: 15 });
    expect(june.rates.compliance).toMatchObject({ numerator: 1, denominator: 2, value: 50 });
  });

  it('draws a monthly u-chart per ward and rate', () => {
    const r = computeRates(input({ stays }));
    const chart = r.uCharts.find((c) => c.wardId === 1 && c.rate === 'pneumonia');
    expect(chart?.months).toEqual(['2026-06', '2026-07']);
    expect(chart?.chart.points).toHaveLength(2);
    expect(r.uCharts.filter((c) => c.wardId === null)).toHaveLength(7);
  });

  it('keeps the month holding today (on the hospital clock) out of the centre line', () => {
    // 31 July 23:30 UTC is already 1 August in London: July is complete, no month of the range partial.
    const late = computeRates(input({ stays, to: '2026-08-31', asOf: '2026-07-31T23:30:00Z' }));
    const partialOf = (r: ReturnType<typeof computeRates>, wardId: number | null) =>
      r.uCharts
        .find((c) => c.wardId === wardId && c.rate === 'pneumonia')
        ?.chart.points.map((p) => p.partial);
    expect(partialOf(late, 1)).toEqual([false, false, true]);
    const midJuly = computeRates(input({ stays, asOf: '2026-07-15T12:00:00Z' }));
    expect(partialOf(midJuly, 1)).toEqual([false, true]);
    expect(partialOf(midJuly, null)).toEqual([false, true]);
    const compliance = withCompliance(midJuly, []).uCharts.find(
      (c) => c.wardId === 1 && c.rate === 'compliance',
    );
    expect(compliance?.chart.points.map((p) => p.partial)).toEqual([false, true]);
    // Ward 1's June alone makes the centre: 15 patient-days, no pneumonia.
    const june = computeRates(input({ stays, to: '2026-06-30', asOf: '2026-07-15T12:00:00Z' }));
    const centre = (r: ReturnType<typeof computeRates>) =>
      r.uCharts.find((c) => c.wardId === 1 && c.rate === 'uti')?.chart.centre;
    expect(centre(midJuly)).toBe(centre(june));
  });

  it('refuses a bad range or zone', () => {
    expect(() => computeRates(input({ from: '2026-07-01', to: '2026-06-01' }))).toThrow(RangeError);
    expect(() => computeRates(input({ from: '2026-6-1' }))).toThrow(RangeError);
    expect(() => computeRates(input({ timeZone: 'Nowhere/Land' }))).toThrow();
  });

  it('counts ROM compliance from per-day counts exactly as from the patient-days themselves', () => {
    const tierDay = fc.record({
      patientId: fc.integer({ min: 1, max: 4 }),
      wardId: fc.integer({ min: 1, max: 3 }),
      date: fc
        .integer({ min: 0, max: 100 })
        .map((d) => new Date(Date.UTC(2026, 4, 20) + d * 86_400_000).toISOString().slice(0, 10)),
      tier: fc.constantFrom(...TIERS),
      romInPrevious7Days: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(tierDay, { maxLength: 40 }), (tierDays: TierDay[]) => {
        const counts = new Map<string, TierDayCount>();
        for (const d of tierDays) {
          if (d.tier !== 'high' && d.tier !== 'alert') continue;
          const key = `${d.wardId}|${d.date}`;
          const known = counts.get(key) ?? { wardId: d.wardId, date: d.date, days: 0, romDays: 0 };
          counts.set(key, {
            ...known,
            days: known.days + 1,
            romDays: known.romDays + (d.romInPrevious7Days ? 1 : 0),
          });
        }
        const base = computeRates(input({ stays }));
        expect(withCompliance(base, [...counts.values()])).toEqual(
          computeRates(input({ stays, tierDays })),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('replaces the compliance figures it is given, and leaves the other rates alone', () => {
    const counted = computeRates(
      input({
        stays,
        tierDays: [
          { patientId: 1, wardId: 1, date: '2026-06-11', tier: 'high', romInPrevious7Days: true },
        ],
      }),
    );
    const recounted = withCompliance(counted, [
      { wardId: 1, date: '2026-07-02', days: 3, romDays: 0 },
    ]);
    expect(row(recounted.rows, 1, '2026-06').rates.compliance.denominator).toBe(0);
    expect(row(recounted.rows, 1, '2026-06').rates.compliance.value).toBeNull();
    expect(row(recounted.rows, 1, '2026-07').rates.compliance).toMatchObject({
      numerator: 0,
      denominator: 3,
      value: 0,
    });
    expect(row(recounted.rows, 1, '2026-07').rates.pneumonia).toEqual(
      row(counted.rows, 1, '2026-07').rates.pneumonia,
    );
  });

  it('gives the same figures when each ward is computed alone and then combined', () => {
    const instant = fc
      .integer({ min: 0, max: 120 * 24 * 4 })
      .map((q) => new Date(Date.UTC(2026, 4, 15) + q * 900_000).toISOString());
    const later = (start: string, quarters: number) =>
      new Date(Date.parse(start) + quarters * 900_000).toISOString();
    const patientId = fc.integer({ min: 1, max: 5 });
    const wardId = fc.integer({ min: 1, max: 3 });
    const span = fc.record({
      patientId,
      wardId,
      start: instant,
      quarters: fc.option(fc.integer({ min: 1, max: 40 * 96 })),
    });
    const arbitrary = fc.record({
      stays: fc.array(span, { maxLength: 8 }),
      catheters: fc.array(span, { maxLength: 4 }),
      events: fc.array(
        fc.record({
          patientId,
          wardId,
          onsetAt: instant,
          kind: fc.constantFrom('uti', 'pneumonia', 'pressure_injury'),
          presentOnAdmission: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
      detections: fc.array(
        fc.record({
          patientId,
          wardId,
          confirmedAt: instant,
          lead: fc.integer({ min: 0, max: 3000 }),
        }),
        { maxLength: 5 },
      ),
      asOf: instant,
    });
    fc.assert(
      fc.property(arbitrary, (a) => {
        const all: RatesInput = input({
          asOf: a.asOf,
          stays: a.stays.map((s, i) =>
            stay(
              i + 1,
              s.patientId,
              s.wardId,
              s.start,
              s.quarters === null ? null : later(s.start, s.quarters),
            ),
          ),
          catheterEpisodes: a.catheters.map((c, i) => ({
            id: i + 1,
            patientId: c.patientId,
            wardId: c.wardId,
            insertedAt: c.start,
            removedAt: c.quarters === null ? null : later(c.start, c.quarters),
          })),
          complications: a.events.map((e, i): Complication & { patientId: number } =>
            e.kind === 'pressure_injury'
              ? {
                  id: i + 1,
                  patientId: e.patientId,
                  wardId: e.wardId,
                  kind: 'pressure_injury',
                  stage: '2',
                  bodySite: 'sacrum',
                  deviceRelated: false,
                  onsetAt: e.onsetAt,
                  resolvedAt: null,
                  presentOnAdmission: e.presentOnAdmission,
                }
              : e.kind === 'uti'
                ? uti(i + 1, e.patientId, e.wardId, e.onsetAt, e.presentOnAdmission)
                : {
                    id: i + 1,
                    patientId: e.patientId,
                    wardId: e.wardId,
                    kind: 'pneumonia',
                    onsetAt: e.onsetAt,
                    resolvedAt: null,
                    presentOnAdmission: e.presentOnAdmission,
                  },
          ),
          hoDiagnoses: a.detections.map((d) => ({
            patientId: d.patientId,
            wardId: d.wardId,
            site: 'hip',
            side: 'left',
            diagnosedAt: d.confirmedAt,
          })),
          detections: a.detections.map((d) => ({
            patientId: d.patientId,
            wardId: d.wardId,
            site: 'hip',
            side: 'left',
            firstRomAlertAt: later(d.confirmedAt, -d.lead),
            confirmedAt: d.confirmedAt,
          })),
        });
        const perWard = new Map(
          WARDS.map((ward) => [ward.id, computeRates({ ...all, wards: [ward] })]),
        );
        expect(combineWardRates(all, perWard)).toEqual(computeRates(all));
      }),
      { numRuns: 80 },
    );
  });
});
