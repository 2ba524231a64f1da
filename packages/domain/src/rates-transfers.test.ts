/**
 * Rates follow the patient across wards (PRODUCT §4): catheter-days on the ward of each midnight,
 * CAUTI seen whichever ward the catheter went in on, and NHSN's transfer rule for infections.
 */
import { describe, expect, it } from 'vitest';
import { computeRates, transferAttribution } from './rates.ts';
import type { RatesInput, RatesRow } from './rates.ts';
import type { Stay } from './model.ts';
import { zoneCalendar } from './calendar.ts';

const TZ = 'Europe/London';
const stay = (
  id: number,
  wardId: number,
  admittedAt: string,
  dischargedAt: string | null,
  patientId = 1,
): Stay => ({ id, patientId, wardId, bedLabel: null, admittedAt, dischargedAt });

// Ward 1 from 1 June 10:00 UTC, transferred to ward 2 on 10 June 12:00 UTC, then to ward 3 on
// 14 June 12:00 UTC (all in BST: local dates as written).
const STAYS = [
  stay(1, 1, '2026-06-01T10:00:00Z', '2026-06-10T12:00:00Z'),
  stay(2, 2, '2026-06-10T12:00:00Z', '2026-06-14T12:00:00Z'),
  stay(3, 3, '2026-06-14T12:00:00Z', null),
];
const dayOf = (instant: string): number => zoneCalendar(TZ).localDay(Date.parse(instant));

describe('transferAttribution', () => {
  const wardOf = transferAttribution(STAYS, dayOf);
  it.each([
    ['on the day of transfer', 2, '2026-06-10T18:00:00Z', 1],
    ['on the day after', 2, '2026-06-11T08:00:00Z', 1],
    ['two days after', 2, '2026-06-12T08:00:00Z', 2],
    [
      'after a second transfer, back through both when both are within the two days',
      3,
      '2026-06-15T08:00:00Z',
      2,
    ],
    [
      'on a ward the patient was not on at onset (recorded ward stands)',
      3,
      '2026-06-05T08:00:00Z',
      3,
    ],
    ['on the first ward (an admission, not a transfer)', 1, '2026-06-01T18:00:00Z', 1],
  ])('an infection %s', (_what, wardId, onsetAt, expected) => {
    expect(wardOf({ patientId: 1, wardId, onsetAt })).toBe(expected);
  });

  it('follows a chain of transfers on consecutive days back to the first ward of the day before', () => {
    const chain = [
      stay(1, 1, '2026-06-01T10:00:00Z', '2026-06-10T12:00:00Z'),
      stay(2, 2, '2026-06-10T12:00:00Z', '2026-06-11T09:00:00Z'),
      stay(3, 3, '2026-06-11T09:00:00Z', null),
    ];
    expect(
      transferAttribution(
        chain,
        dayOf,
      )({ patientId: 1, wardId: 3, onsetAt: '2026-06-11T15:00:00Z' }),
    ).toBe(1);
  });

  it('does not treat a readmission after a gap as a transfer', () => {
    const gap = [
      stay(1, 1, '2026-06-01T10:00:00Z', '2026-06-10T08:00:00Z'),
      stay(2, 2, '2026-06-10T12:00:00Z', null),
    ];
    expect(
      transferAttribution(gap, dayOf)({ patientId: 1, wardId: 2, onsetAt: '2026-06-10T18:00:00Z' }),
    ).toBe(2);
  });
});

describe('rates across a transfer', () => {
  const wards = [
    { id: 1, name: 'One' },
    { id: 2, name: 'Two' },
  ];
  const stays = [
    stay(1, 1, '2026-06-01T10:00:00Z', '2026-06-10T12:00:00Z'),
    stay(2, 2, '2026-06-10T12:00:00Z', '2026-06-20T12:00:00Z'),
  ];
  const base: RatesInput = {
    timeZone: TZ,
    from: '2026-06-01',
    to: '2026-06-30',
    wards,
    stays,
    // Inserted on ward 1 on 5 June, still in when the patient moves, out on 15 June.
    catheterEpisodes: [
      {
        id: 1,
        patientId: 1,
        insertedAt: '2026-06-05T09:00:00Z',
        removedAt: '2026-06-15T09:00:00Z',
      },
    ],
    complications: [
      {
        id: 1,
        patientId: 1,
        wardId: 2,
        kind: 'uti',
        onsetAt: '2026-06-13T09:00:00Z',
        resolvedAt: null,
        presentOnAdmission: false,
      },
    ],
  };
  const all = (rows: readonly RatesRow[], wardId: number): RatesRow =>
    rows.find((r) => r.wardId === wardId && r.month === 'all')!;

  it('counts catheter-days on the ward of each midnight and the CAUTI on ward 2, alone or with all', () => {
    const both = computeRates(base);
    const alone = computeRates({ ...base, wards: [wards[1]!] });
    // Midnights of 6–10 June on ward 1 (5), 11–15 June on ward 2 (5).
    expect(all(both.rows, 1).catheterDays).toBe(5);
    expect(all(both.rows, 2).catheterDays).toBe(5);
    expect(all(alone.rows, 2)).toEqual(all(both.rows, 2));
    expect(all(alone.rows, 2).rates.cauti.numerator).toBe(1);
  });

  it('moves an infection on the day after a transfer to the ward the patient came from (a setting)', () => {
    const early = {
      ...base,
      complications: [{ ...base.complications[0]!, onsetAt: '2026-06-11T09:00:00Z' }],
    };
    const ruled = computeRates(early);
    expect(all(ruled.rows, 1).rates.uti.numerator).toBe(1);
    expect(all(ruled.rows, 1).rates.cauti.numerator).toBe(1);
    expect(all(ruled.rows, 2).rates.uti.numerator).toBe(0);
    expect(
      computeRates({ ...early, wards: [wards[0]!] }).rows.find((r) => r.month === 'all')?.rates.uti
        .numerator,
    ).toBe(1);
    const unruled = computeRates({ ...early, transferRule: false });
    expect(all(unruled.rows, 1).rates.uti.numerator).toBe(0);
    expect(all(unruled.rows, 2).rates.uti.numerator).toBe(1);
  });
});
