/**
 * Every derived table follows every stay change, backdated or not: random sequences of admissions,
 * readmissions, transfers and discharges (dated up to three weeks back), made through the real
 * procedures, leave the daily tier census, its per-ward counts and the kept rates equal to what a
 * recomputation from scratch gives.
 */
import fc from 'fast-check';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { OssiwatchDb } from '../../db/client.ts';
import { forgetKeptRates } from '../../routers/rates.ts';
import { callerAs, makeUser, makeWard, migratedMemoryDb } from '../../test-support.ts';
import { CENSUS_REWRITE_DAYS, occupiedDays } from './census.ts';

const NOW = new Date('2026-02-10T10:00:00.000Z');
const clock = () => NOW;
const HOUR = 3_600_000;

type Step =
  | { kind: 'admit'; who: number; ward: number; hoursAgo: number }
  | { kind: 'transfer'; who: number; ward: number; hoursAgo: number }
  | { kind: 'discharge'; who: number; hoursAgo: number };

const hoursAgo = fc.integer({ min: 0, max: 21 * 24 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('admit' as const),
    who: fc.nat(3),
    ward: fc.nat(2),
    hoursAgo,
  }),
  fc.record({
    kind: fc.constant('transfer' as const),
    who: fc.nat(3),
    ward: fc.nat(2),
    hoursAgo,
  }),
  fc.record({ kind: fc.constant('discharge' as const), who: fc.nat(3), hoursAgo }),
);

const injury = {
  type: 'tbi' as const,
  occurredAt: '2025-12-01T00:00:00Z',
  lowestGcs: 5,
  comaDays: 20,
  ventilationDays: null,
  diffuseAxonalInjury: true,
  autonomicDysregulation: null,
  aisGrade: null,
  surgicalFractures: [],
};

function censusOf(db: OssiwatchDb): { actual: string[]; expected: string[] } {
  const stays = db.$client
    .prepare(
      'SELECT patient_id AS patientId, ward_id AS wardId, admitted_at AS admittedAt, discharged_at AS dischargedAt FROM stays ORDER BY admitted_at',
    )
    .all() as {
    patientId: number;
    wardId: number;
    admittedAt: string;
    dischargedAt: string | null;
  }[];
  const oldest = new Date(NOW.getTime() - CENSUS_REWRITE_DAYS * 24 * HOUR)
    .toISOString()
    .slice(0, 10);
  const expected: string[] = [];
  for (const patientId of new Set(stays.map((s) => s.patientId))) {
    const days = occupiedDays(
      stays.filter((s) => s.patientId === patientId),
      NOW.getTime(),
      () => 'Europe/London',
    );
    for (const [date, wardId] of days) {
      if (date >= oldest) expected.push(`${patientId} ${date} ${wardId}`);
    }
  }
  const actual = (
    db.$client.prepare('SELECT patient_id AS p, date, ward_id AS w FROM daily_tiers').all() as {
      p: number;
      date: string;
      w: number;
    }[]
  ).map((r) => `${r.p} ${r.date} ${r.w}`);
  return { actual: actual.sort(), expected: expected.sort() };
}

describe('derived tables after random stay changes', () => {
  it('equal a recomputation from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const db = migratedMemoryDb();
        const wards = [makeWard(db, 'A'), makeWard(db, 'B'), makeWard(db, 'C')].map(
          (w) => w.wardId,
        );
        const nurse = callerAs(db, await makeUser(db, ['nurse'], wards), clock);
        const manager = callerAs(db, await makeUser(db, ['manager'], wards), clock);
        const summary = () => manager.rates.summary({ from: '2026-01-01', to: '2026-02-10' });
        await summary();
        for (const s of steps) {
          const at = new Date(NOW.getTime() - s.hoursAgo * HOUR).toISOString();
          const patient = db.$client
            .prepare(
              `SELECT p.id, s.version, s.discharged_at AS dischargedAt FROM patients p
               JOIN stays s ON s.patient_id = p.id WHERE p.mrn = ?
               ORDER BY s.admitted_at DESC LIMIT 1`,
            )
            .get(`P${s.who}`) as
            { id: number; version: number; dischargedAt: string | null } | undefined;
          const attempt =
            s.kind === 'admit'
              ? nurse.patient.admit({
                  mrn: `P${s.who}`,
                  name: `Patient ${s.who}`,
                  dateOfBirth: '1970-01-01',
                  sex: 'male',
                  wardId: wards[s.ward]!,
                  bedId: null,
                  admittedAt: at,
                  injury,
                })
              : patient === undefined
                ? Promise.resolve()
                : s.kind === 'transfer'
                  ? nurse.patient.transfer({
                      patientId: patient.id,
                      wardId: wards[s.ward]!,
                      bedId: null,
                      transferredAt: at,
                      expectedVersion: patient.version,
                    })
                  : nurse.patient.discharge({
                      patientId: patient.id,
                      dischargedAt: at,
                      expectedVersion: patient.version,
                    });
          // A refused step (overlap, already admitted, same ward…) must change nothing; the checks
          // below hold either way.
          await attempt.catch((error: unknown) => {
            if (!(error instanceof TRPCError) || error.code === 'INTERNAL_SERVER_ERROR')
              throw error;
          });
          await summary();
        }
        const census = censusOf(db);
        expect(census.actual).toEqual(census.expected);
        const counts = db.$client
          .prepare(
            'SELECT ward_id AS w, date, days, rom_days AS r FROM daily_tier_counts WHERE days > 0 OR rom_days > 0 ORDER BY w, date',
          )
          .all();
        const recount = db.$client
          .prepare(
            `SELECT ward_id AS w, date, count(*) AS days, sum(had_rom_within_7_days) AS r
             FROM daily_tiers WHERE tier IN ('alert', 'high') GROUP BY ward_id, date ORDER BY w, date`,
          )
          .all();
        expect(counts).toEqual(recount);
        const kept = await summary();
        forgetKeptRates(db);
        const fresh = await summary();
        expect(kept).toEqual(fresh);
      }),
      { numRuns: 30 },
    );
  }, 240_000);
});
