import { describe, expect, it } from 'vitest';
import { reassessPatient } from './assessments.ts';
import type { OssiwatchDb } from './db/client.ts';
import { pastDailyTiers } from './daily-tiers.ts';
import { admitPatient, callerAs, makeUser, makeWard, migratedMemoryDb } from './test-support.ts';
import { DEFAULT_HO_WATCH_SETTINGS, type PatientRecord } from '@ossiwatch/domain';
import { loadPatientRecord } from './record.ts';

/** Coma over 14 days and diffuse axonal injury: two major factors, high tier in the window (CR §1.2). */
const HIGH_RISK = {
  lowestGcs: 6,
  comaDays: 20,
  diffuseAxonalInjury: true,
  autonomicDysregulation: true,
} as const;
const INJURY = '2026-01-01T12:00:00.000Z';

interface DayRow {
  patientId: number;
  wardId: number;
  date: string;
  tier: string;
  rom: number;
}

function dayRows(db: OssiwatchDb): DayRow[] {
  return db.$client
    .prepare(
      `SELECT patient_id AS patientId, ward_id AS wardId, date, tier, had_rom_within_7_days AS rom
       FROM daily_tiers ORDER BY patient_id, date`,
    )
    .all() as DayRow[];
}

/** A passive left hip flexion reading (the same degrees each time: no decline). */
function romReading(db: OssiwatchDb, patientId: number, takenAt: string): void {
  const c = db.$client;
  const session = Number(
    c
      .prepare('INSERT INTO rom_sessions (patient_id, taken_at) VALUES (?, ?)')
      .run(patientId, takenAt).lastInsertRowid,
  );
  c.prepare(
    `INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at)
     VALUES (?, ?, 'hip', 'left', 'flexion', 'passive', 110, ?)`,
  ).run(session, patientId, takenAt);
}

const isoDay = (date: string, time = '12:00:00.000Z') => new Date(`${date}T${time}`);

describe('the daily tier census', () => {
  it("the board's reassessment records today's tier on the ward of the day's start, and keeps the day's highest", async () => {
    const db = migratedMemoryDb();
    const { wardId, bedIds } = makeWard(db, 'A', 4);
    const nurse = await makeUser(db, ['nurse'], [wardId]);
    const high = admitPatient(db, {
      wardId,
      bedId: bedIds[0],
      injuryAt: INJURY,
      injury: HIGH_RISK,
      admittedAt: '2026-01-10T09:00:00.000Z',
    });
    // Admitted this morning: not on the ward at the start of the day, so not a patient-day yet.
    admitPatient(db, {
      wardId,
      bedId: bedIds[1],
      injuryAt: INJURY,
      injury: { lowestGcs: 14, comaDays: 0 },
      admittedAt: '2026-02-10T06:00:00.000Z',
    });
    let now = isoDay('2026-02-10', '08:00:00.000Z');
    const caller = callerAs(db, nurse, () => now);
    const board = await caller.ward.board({ wardId });
    expect(board.patients.find((p) => p.patientId === high)?.tier).toBe('high');
    expect(dayRows(db)).toEqual([
      { patientId: high, wardId, date: '2026-02-10', tier: 'high', rom: 0 },
    ]);

    // Later that day the coma length is corrected (one factor left: elevated) and a ROM reading is
    // taken: the day stays high, and now has its reading.
    db.$client.prepare('UPDATE injuries SET coma_days = 2 WHERE patient_id = ?').run(high);
    romReading(db, high, '2026-02-10T15:00:00.000Z');
    now = isoDay('2026-02-10', '16:00:00.000Z');
    expect(reassessPatient(db, high, now)?.assessment.tier).toBe('elevated');
    expect(dayRows(db)).toEqual([
      { patientId: high, wardId, date: '2026-02-10', tier: 'high', rom: 1 },
    ]);

    // The next day's first board starts a new row with that day's tier; the newcomer counts now.
    now = isoDay('2026-02-11', '07:00:00.000Z');
    await caller.ward.board({ wardId });
    expect(
      dayRows(db)
        .filter((r) => r.date === '2026-02-11')
        .map((r) => [r.patientId === high, r.tier, r.rom]),
    ).toEqual([
      [true, 'elevated', 1],
      [false, 'low', 0],
    ]);
  });

  it('rates.summary: a high-tier patient without a ROM reading for 8 days lowers compliance; one measured every 3 days keeps it', async () => {
    const db = migratedMemoryDb();
    const { wardId, bedIds } = makeWard(db, 'A', 4);
    const nurse = await makeUser(db, ['nurse'], [wardId]);
    const manager = await makeUser(db, ['manager'], [wardId]);
    const measured = admitPatient(db, {
      wardId,
      bedId: bedIds[0],
      injuryAt: INJURY,
      injury: HIGH_RISK,
      admittedAt: '2026-02-01T09:00:00.000Z',
    });
    const lapsed = admitPatient(db, {
      wardId,
      bedId: bedIds[1],
      injuryAt: INJURY,
      injury: HIGH_RISK,
      admittedAt: '2026-02-01T09:00:00.000Z',
    });
    for (let day = 20; day <= 41; day += 3) {
      const at = new Date(Date.UTC(2026, 1, day, 10)).toISOString();
      romReading(db, measured, at);
      // The second patient's last reading is on 1 March.
      if (at <= '2026-03-01T10:00:00.000Z') romReading(db, lapsed, at);
    }
    // The board is opened once a day, 1–14 March (London is on UTC in March before the 29th).
    let now = isoDay('2026-03-01');
    const board = callerAs(db, nurse, () => now);
    for (let day = 1; day <= 14; day++) {
      now = new Date(Date.UTC(2026, 2, day, 12));
      await board.ward.board({ wardId });
    }
    const rows = dayRows(db);
    expect(rows).toHaveLength(28);
    expect(new Set(rows.map((r) => r.tier))).toEqual(new Set(['high']));

    const rates = callerAs(db, manager, () => now).rates;
    const compliance = async (from: string, to: string) => {
      const summary = await rates.summary({ from, to, wardIds: [wardId] });
      const all = summary.rows.find((r) => r.wardId === wardId && r.month === 'all');
      return { summary, rate: all?.rates.compliance };
    };
    // 1–8 March: both measured within the 7 days before each day.
    const early = await compliance('2026-03-01', '2026-03-08');
    expect(early.rate).toMatchObject({ numerator: 16, denominator: 16, value: 100 });
    // 9–14 March: the second patient's last reading is more than 7 days old on each of 6 days.
    const whole = await compliance('2026-03-01', '2026-03-14');
    expect(whole.rate).toMatchObject({ numerator: 14 + 8, denominator: 28 });
    expect(whole.rate?.value).toBeCloseTo((22 / 28) * 100, 6);
    expect(whole.summary.complianceAvailable).toBe(true);
    expect(whole.summary.complianceFrom).toBe('2026-03-01');

    // Before the first recorded day compliance is unknown, not 0 — and the result says so.
    const before = await compliance('2026-02-01', '2026-02-28');
    expect(before.summary.complianceAvailable).toBe(false);
    expect(before.summary.complianceFrom).toBeNull();
    expect(before.rate).toMatchObject({ numerator: 0, denominator: 0, value: null });
    // A range that starts earlier names the first day it covers.
    const spanning = await compliance('2026-02-15', '2026-03-14');
    expect(spanning.summary.complianceFrom).toBe('2026-03-01');
    expect(spanning.rate).toMatchObject({ numerator: 22, denominator: 28 });
  });
});

describe('pastDailyTiers (the seed backfill)', () => {
  const tiersOf = (record: PatientRecord, now: string, days: number) =>
    pastDailyTiers(record, Date.parse(now), days, () => 'Europe/London', DEFAULT_HO_WATCH_SETTINGS);

  it('gives one row per census day of the window, with the tier the record had at the end of each day', () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'A', 2);
    // Injured 1 Jan; the vigilance window opens on day 14 (15 Jan), making two factors high.
    const id = admitPatient(db, {
      wardId,
      injuryAt: INJURY,
      injury: HIGH_RISK,
      admittedAt: '2026-01-10T09:00:00.000Z',
    });
    romReading(db, id, '2026-01-12T10:00:00.000Z');
    const record = loadPatientRecord(db, id);
    if (!record) throw new Error('no record');
    const days = tiersOf(record, '2026-01-20T12:00:00.000Z', 56);
    // Census days from 11 Jan (the first midnight on the ward) to today, 20 Jan.
    expect(days.map((d) => d.date)).toEqual(
      Array.from({ length: 10 }, (_, i) => `2026-01-${String(11 + i).padStart(2, '0')}`),
    );
    expect(days.every((d) => d.wardId === wardId)).toBe(true);
    expect(days.map((d) => d.tier)).toEqual([
      ...Array<string>(4).fill('elevated'),
      ...Array<string>(6).fill('high'),
    ]);
    // The reading of 12 Jan covers 12–19 Jan (that date and the 7 after), not 11 or 20 Jan.
    expect(days.map((d) => d.hadRomWithin7Days)).toEqual([
      false,
      ...Array<boolean>(8).fill(true),
      false,
    ]);
    // Only the window asked for: the last 3 days before today, and today.
    expect(tiersOf(record, '2026-01-20T12:00:00.000Z', 3).map((d) => d.date)).toEqual([
      '2026-01-17',
      '2026-01-18',
      '2026-01-19',
      '2026-01-20',
    ]);
  });
});
