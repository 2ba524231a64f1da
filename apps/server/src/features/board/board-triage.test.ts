import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { flushAudit } from '../../audit.ts';
import { auditLog, settings } from '../../db/schema.ts';
import { eventBusFor, type WardEvent } from '../../events.ts';
import {
  admitPatient,
  callerAs,
  makeUser,
  makeWard,
  migratedMemoryDb,
} from '../../test-support.ts';

const DAY = 86_400_000;
const INJURY = '2026-01-01T12:00:00.000Z';
const dayAfterInjury = (days: number, hours = 0) =>
  new Date(Date.parse(INJURY) + days * DAY + hours * 3_600_000);

async function ward() {
  const db = migratedMemoryDb();
  const { wardId, bedIds } = makeWard(db, 'A', 6);
  const nurse = await makeUser(db, ['nurse'], [wardId]);
  const secondNurse = await makeUser(db, ['nurse'], [wardId]);
  const therapist = await makeUser(db, ['therapist'], [wardId]);
  let now = dayAfterInjury(30);
  const clock = {
    now: () => now,
    set: (at: Date) => {
      now = at;
    },
  };
  return { db, wardId, bedIds, nurse, secondNurse, therapist, clock };
}

// Flexion and abduction fall together: a repeated fall that another movement of the joint corroborates
// makes the site suspected (PRODUCT §3; one movement alone stays at recheck).
const hip = (degrees: number) => [
  { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees } as const,
  {
    site: 'hip',
    side: 'left',
    movement: 'abduction',
    mode: 'passive',
    degrees: degrees - 70,
  } as const,
];

describe('board triage: what is new', () => {
  it('stores each look at the board and answers the previous one and the shift start', async () => {
    const { db, wardId, nurse, clock } = await ward();
    const caller = callerAs(db, nurse, clock.now);
    // 2026-01-31T12:00Z in UTC (the ward's zone): the 07:00 shift started at 07:00 UTC.
    const first = await caller.ward.seen({ wardId });
    expect(first.lastViewedAt).toBeNull();
    expect(first.shiftStartedAt).toBe('2026-01-31T07:00:00.000Z');
    clock.set(dayAfterInjury(30, 12));
    const second = await caller.ward.seen({ wardId });
    expect(second.lastViewedAt).toBe(first.viewedAt);
    expect(second.shiftStartedAt).toBe('2026-01-31T23:00:00.000Z');
  });

  it('records what became worse with its instant: tier rose, site suspected, advisory; leads with the finding', async () => {
    const { db, wardId, bedIds, nurse, therapist, clock } = await ward();
    const patientId = admitPatient(db, {
      wardId,
      bedId: bedIds[0],
      name: 'Ann Alert',
      injury: { lowestGcs: 12, comaDays: 20, diffuseAxonalInjury: true },
    });
    const pt = callerAs(db, therapist, clock.now);
    const record = async (day: number, degrees: number) => {
      clock.set(dayAfterInjury(day));
      await pt.rom.recordSession({
        patientId,
        takenAt: clock.now().toISOString(),
        readings: hip(degrees),
      });
    };
    await record(30, 115);
    const before = await callerAs(db, nurse, clock.now).ward.board({ wardId });
    expect(before.patients[0]?.changes).toEqual([]);
    await record(37, 90);
    await record(40, 85);
    const board = await callerAs(db, nurse, clock.now).ward.board({ wardId });
    const row = board.patients[0]!;
    expect(row.tier).toBe('alert');
    const kinds = row.changes.map((c) => c.kind);
    expect(kinds).toContain('tier_rose');
    expect(kinds).toContain('suspected');
    expect(kinds).toContain('advisory');
    expect(row.changes.find((c) => c.kind === 'tier_rose')?.detail).toMatch(/to Alert$/);
    expect(row.changes.find((c) => c.kind === 'suspected')?.detail).toBe(
      'Left hip: HO now suspected',
    );
    // Newest first, each with the instant of the write that caused it.
    for (const change of row.changes) {
      expect([dayAfterInjury(37).toISOString(), dayAfterInjury(40).toISOString()]).toContain(
        change.at,
      );
    }
    // The finding is the ROM decline, not one of the background risk factors listed too.
    expect(row.finding).toMatch(/hip/i);
    expect(row.reasons.some((r) => r.rule === 'coma_days')).toBe(true);
    expect(row.advisory).toMatch(/^Consider/);
  });
});

describe('board triage: acknowledge', () => {
  async function alertPatient() {
    const setup = await ward();
    const { db, wardId, bedIds, therapist, clock } = setup;
    const patientId = admitPatient(db, {
      wardId,
      bedId: bedIds[0],
      injury: { lowestGcs: 12 },
    });
    const pt = callerAs(db, therapist, clock.now);
    for (const [day, degrees] of [
      [30, 115],
      [37, 90],
      [40, 85],
    ] as const) {
      clock.set(dayAfterInjury(day));
      await pt.rom.recordSession({
        patientId,
        takenAt: clock.now().toISOString(),
        readings: hip(degrees),
      });
    }
    return { ...setup, patientId, pt };
  }

  it('quiets the row with who, when and the note; audited; live; a stale version is a CONFLICT', async () => {
    const { db, wardId, nurse, secondNurse, patientId, clock } = await alertPatient();
    const events: WardEvent[] = [];
    eventBusFor(db).subscribe((event) => events.push(event));
    clock.set(dayAfterInjury(40, 2));
    const caller = callerAs(db, nurse, clock.now);
    const result = await caller.ward.acknowledge({
      patientId,
      note: '  Ultrasound requested  ',
      version: 0,
    });
    expect(result.version).toBe(1);
    expect(events).toContainEqual(
      expect.objectContaining({ wardId, patientId, kind: 'acknowledgement' }),
    );
    const board = await callerAs(db, secondNurse, clock.now).ward.board({ wardId });
    expect(board.patients[0]).toMatchObject({
      patientId,
      acknowledgement: {
        by: nurse.displayName,
        at: dayAfterInjury(40, 2).toISOString(),
        note: 'Ultrasound requested',
      },
      acknowledgementVersion: 1,
    });
    // The second nurse acknowledged from the board as it was before: CONFLICT, nothing changed.
    await expect(
      callerAs(db, secondNurse, clock.now).ward.acknowledge({
        patientId,
        note: 'Seen',
        version: 0,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    flushAudit(db);
    const audits = db.select().from(auditLog).where(eq(auditLog.action, 'ward.acknowledge')).all();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ patientId, outcome: 'success', category: 'write' });
  });

  it('is re-raised by anything new', async () => {
    const { db, wardId, nurse, patientId, clock, pt } = await alertPatient();
    clock.set(dayAfterInjury(40, 2));
    await callerAs(db, nurse, clock.now).ward.acknowledge({ patientId, note: 'Seen', version: 0 });
    // The right hip now falls too: a new suspected site.
    for (const [day, degrees] of [
      [41, 115],
      [42, 90],
      [43, 85],
    ] as const) {
      clock.set(dayAfterInjury(day));
      await pt.rom.recordSession({
        patientId,
        takenAt: clock.now().toISOString(),
        readings: [{ site: 'hip', side: 'right', movement: 'flexion', mode: 'passive', degrees }],
      });
    }
    const row = (await callerAs(db, nurse, clock.now).ward.board({ wardId })).patients[0]!;
    expect(row.changes.some((c) => c.at > dayAfterInjury(40, 2).toISOString())).toBe(true);
    expect(row.acknowledgement).toBeNull();
    expect(row.acknowledgementVersion).toBe(1);
  });

  it('refuses a therapist before reading the input, and a row that is not Alert or High', async () => {
    const { db, wardId, bedIds, nurse, therapist, clock } = await ward();
    const lowId = admitPatient(db, { wardId, bedId: bedIds[1], injury: { lowestGcs: 14 } });
    await callerAs(db, nurse, clock.now).ward.board({ wardId });
    await expect(
      callerAs(db, therapist, clock.now).ward.acknowledge({} as never),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      callerAs(db, nurse, clock.now).ward.acknowledge({ patientId: lowId, note: 'x', version: 0 }),
    ).rejects.toThrow(/^patientId: only an Alert or High row/);
    await expect(
      callerAs(db, nurse, clock.now).ward.acknowledge({ patientId: lowId, note: '  ', version: 0 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('board triage: flags of their own', () => {
  it('flags a Braden of 12 or less with its band, and a catheter in for 48 hours', async () => {
    const { db, wardId, bedIds, nurse, clock } = await ward();
    const patientId = admitPatient(db, { wardId, bedId: bedIds[0], injury: { lowestGcs: 14 } });
    const other = admitPatient(db, { wardId, bedId: bedIds[1], injury: { lowestGcs: 14 } });
    const caller = callerAs(db, nurse, clock.now);
    const braden = (id: number, each: number) =>
      caller.nursing.recordBraden({
        patientId: id,
        takenAt: clock.now().toISOString(),
        sensoryPerception: each,
        moisture: each,
        activity: each,
        mobility: each,
        nutrition: each,
        frictionShear: Math.min(each, 3),
      });
    await braden(patientId, 2); // 12: high risk
    await braden(other, 3); // 18: mild risk
    await caller.nursing.insertCatheter({ patientId, insertedAt: clock.now().toISOString() });
    const rowOf = async (id: number) =>
      (await caller.ward.board({ wardId })).patients.find((p) => p.patientId === id)!;
    expect((await rowOf(patientId)).pressureRisk).toEqual({ total: 12, band: 'High risk' });
    expect((await rowOf(other)).pressureRisk).toBeNull();
    clock.set(new Date(clock.now().getTime() + 47 * 3_600_000));
    expect((await rowOf(patientId)).catheterReview).toBe(false);
    clock.set(new Date(clock.now().getTime() + 1 * 3_600_000));
    // No write in between: the cached board knew the catheter's review time.
    expect((await rowOf(patientId)).catheterReview).toBe(true);
  });

  it('reads the threshold and the shifts from the HO watch settings', async () => {
    const { db, wardId, bedIds, nurse, clock } = await ward();
    db.insert(settings)
      .values({ key: 'ho_watch', value: { shiftStartHours: [6, 18], pressureRiskBradenMax: 9 } })
      .run();
    const caller = callerAs(db, nurse, clock.now);
    const seen = await caller.ward.seen({ wardId });
    expect(seen.shiftStartedAt).toBe('2026-01-31T06:00:00.000Z');
    const patientId = admitPatient(db, { wardId, bedId: bedIds[0], injury: { lowestGcs: 14 } });
    await caller.nursing.recordBraden({
      patientId,
      takenAt: clock.now().toISOString(),
      sensoryPerception: 2,
      moisture: 2,
      activity: 2,
      mobility: 2,
      nutrition: 2,
      frictionShear: 2,
    });
    const row = (await caller.ward.board({ wardId })).patients[0]!;
    expect(row.latestBraden?.total).toBe(12);
    expect(row.pressureRisk).toBeNull();
  });
});
