import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { reassessAll } from './assessments.ts';
import { patientAssessments, settings } from './db/schema.ts';
import { admitPatient, callerAs, makeUser, makeWard, migratedMemoryDb } from './test-support.ts';

const DAY = 86_400_000;
const INJURY = '2026-01-01T12:00:00.000Z';
const dayAfterInjury = (days: number, hours = 0) =>
  new Date(Date.parse(INJURY) + days * DAY + hours * 3_600_000);

async function ward() {
  const db = migratedMemoryDb();
  const { wardId, bedIds } = makeWard(db, 'A', 6);
  const nurse = await makeUser(db, ['nurse'], [wardId]);
  const therapist = await makeUser(db, ['therapist'], [wardId]);
  return { db, wardId, bedIds, nurse, therapist };
}

describe('ward.board', () => {
  it('sorts by tier, then bed, and gives every high or alert row its reasons with evidence', async () => {
    const { db, wardId, bedIds, nurse, therapist } = await ward();
    let now = dayAfterInjury(40);
    const clock = () => now;
    // Bed 01: mild injury, out of anything: low.
    admitPatient(db, {
      wardId,
      bedId: bedIds[0],
      name: 'Low Lewis',
      injury: { lowestGcs: 14, comaDays: 0 },
    });
    // Bed 02: coma 20 days, diffuse axonal injury and autonomic dysregulation, in the window: three
    // major factors, high.
    admitPatient(db, {
      wardId,
      bedId: bedIds[1],
      name: 'High Hana',
      injury: {
        lowestGcs: 12,
        comaDays: 20,
        diffuseAxonalInjury: true,
        autonomicDysregulation: true,
      },
    });
    // Bed 03: a hip losing flexion and abduction, confirmed by a second sitting: alert.
    const alertId = admitPatient(db, {
      wardId,
      bedId: bedIds[2],
      name: 'Alert Ali',
      injury: { lowestGcs: 12 },
    });
    const pt = callerAs(db, therapist, clock);
    const hip = (degrees: number) => [
      { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees } as const,
      {
        site: 'hip',
        side: 'left',
        movement: 'abduction',
        mode: 'passive',
        degrees: Math.round(degrees / 2.5),
      } as const,
    ];
    now = dayAfterInjury(30);
    await pt.rom.recordSession({
      patientId: alertId,
      takenAt: now.toISOString(),
      readings: hip(115),
    });
    now = dayAfterInjury(37);
    await pt.rom.recordSession({
      patientId: alertId,
      takenAt: now.toISOString(),
      readings: hip(90),
    });
    now = dayAfterInjury(40);
    await pt.rom.recordSession({
      patientId: alertId,
      takenAt: now.toISOString(),
      readings: hip(85),
    });

    const board = await callerAs(db, nurse, clock).ward.board({ wardId });
    expect(board.ward).toMatchObject({ id: wardId, name: 'A' });
    expect(board.patients.map((p) => [p.bed, p.name, p.tier])).toEqual([
      ['03', 'Alert Ali', 'alert'],
      ['02', 'High Hana', 'high'],
      ['01', 'Low Lewis', 'low'],
    ]);
    for (const row of board.patients.filter((p) => p.tier === 'alert' || p.tier === 'high')) {
      expect(row.reasons.length).toBeGreaterThan(0);
      for (const reason of row.reasons) {
        expect(reason.rule).toMatch(/^[a-z_]+$/);
        expect(reason.detail.length).toBeGreaterThan(10);
        expect(reason.evidence.section).toMatch(/§/);
      }
    }
    const alert = board.patients[0]!;
    expect(alert.sites).toContainEqual({ site: 'hip', side: 'left', state: 'suspected' });
    expect(alert.daysSinceInjury).toBe(40);
    expect(alert.age).toBe(45);
    expect(alert.initials).toBe('AA');
  });

  it('moves a patient into the vigilance window when the day comes, with no write in between', async () => {
    const { db, wardId, bedIds, nurse } = await ward();
    let now = dayAfterInjury(12);
    const clock = () => now;
    const patientId = admitPatient(db, {
      wardId,
      bedId: bedIds[0],
      admittedAt: dayAfterInjury(5).toISOString(),
      injury: { lowestGcs: 5 },
    });
    const caller = callerAs(db, nurse, clock);
    const before = await caller.ward.board({ wardId });
    expect(before.patients[0]).toMatchObject({ patientId, tier: 'low', inVigilanceWindow: false });
    const stored = db
      .select()
      .from(patientAssessments)
      .where(eq(patientAssessments.patientId, patientId))
      .get()!;
    // The next change time alone can bring: the next whole day since injury.
    expect(Date.parse(stored.validUntil)).toBeLessThanOrEqual(dayAfterInjury(13).getTime() + 1);

    now = dayAfterInjury(14, 1);
    const after = await caller.ward.board({ wardId });
    expect(after.patients[0]).toMatchObject({
      patientId,
      tier: 'elevated',
      inVigilanceWindow: true,
      daysSinceInjury: 14,
    });
  });

  it('flags a high patient as overdue a week after the last ROM reading', async () => {
    const { db, wardId, bedIds, nurse, therapist } = await ward();
    let now = dayAfterInjury(30);
    const clock = () => now;
    const patientId = admitPatient(db, {
      wardId,
      bedId: bedIds[0],
      injury: { comaDays: 20, ventilationDays: 18, diffuseAxonalInjury: true },
    });
    await callerAs(db, therapist, clock).rom.recordSession({
      patientId,
      takenAt: now.toISOString(),
      readings: [
        { site: 'knee', side: 'right', movement: 'flexion', mode: 'passive', degrees: 130 },
      ],
    });
    const caller = callerAs(db, nurse, clock);
    now = dayAfterInjury(37, 2);
    expect((await caller.ward.board({ wardId })).patients[0]).toMatchObject({
      tier: 'high',
      overdue: false,
    });
    // Calendar days in the ward's time zone: the 8th day after the reading is more than a week.
    now = dayAfterInjury(38, 2);
    expect((await caller.ward.board({ wardId })).patients[0]).toMatchObject({
      tier: 'high',
      overdue: true,
    });
  });

  it('flags a first falling reading for a recheck, and drops the flag when the next one contradicts it', async () => {
    const { db, wardId, bedIds, nurse, therapist } = await ward();
    let now = dayAfterInjury(30);
    const clock = () => now;
    const patientId = admitPatient(db, { wardId, bedId: bedIds[0], injury: { lowestGcs: 12 } });
    const pt = callerAs(db, therapist, clock);
    const knee = (degrees: number) => [
      { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees } as const,
    ];
    await pt.rom.recordSession({ patientId, takenAt: now.toISOString(), readings: knee(130) });
    now = dayAfterInjury(33);
    await pt.rom.recordSession({ patientId, takenAt: now.toISOString(), readings: knee(107) });
    const caller = callerAs(db, nurse, clock);
    const first = (await caller.ward.board({ wardId })).patients[0]!;
    expect(first).toMatchObject({ tier: 'high', recheck: true });
    expect(first.reasons.find((r) => r.rule === 'rom_recheck')?.detail).toMatch(
      /^Recheck left knee flexion: 107°, 23° below its best/,
    );
    now = dayAfterInjury(34);
    await pt.rom.recordSession({ patientId, takenAt: now.toISOString(), readings: knee(128) });
    expect((await caller.ward.board({ wardId })).patients[0]).toMatchObject({ recheck: false });
  });

  it('shows the latest JH-HLM and Braden, active complications and catheter days', async () => {
    const { db, wardId, bedIds } = await ward();
    const now = dayAfterInjury(30);
    const clock = () => now;
    const patientId = admitPatient(db, { wardId, bedId: bedIds[0] });
    const both = await makeUser(db, ['nurse', 'therapist'], [wardId]);
    const caller = callerAs(db, both, clock);
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000).toISOString();
    await caller.therapy.recordScales({
      patientId,
      takenAt: at(50),
      mobility: [{ scale: 'jh_hlm', code: '2' }],
    });
    await caller.therapy.recordScales({
      patientId,
      takenAt: at(5),
      mobility: [{ scale: 'jh_hlm', code: '4' }],
    });
    await caller.nursing.recordBraden({
      patientId,
      takenAt: at(3),
      sensoryPerception: 2,
      moisture: 2,
      activity: 1,
      mobility: 2,
      nutrition: 2,
      frictionShear: 1,
    });
    await caller.nursing.insertCatheter({ patientId, insertedAt: at(24 * 3 + 1) });
    await caller.complication.start({
      patientId,
      onsetAt: at(2),
      presentOnAdmission: false,
      complication: { kind: 'uti' },
    });
    const row = (await caller.ward.board({ wardId })).patients[0]!;
    expect(row.latestJhHlm).toMatchObject({ code: '4' });
    expect(row.latestBraden).toMatchObject({ total: 10, band: 'High risk' });
    expect(row.activeComplications).toEqual([
      expect.objectContaining({ kind: 'uti', stage: null }),
    ]);
    expect(row.catheterDays).toBe(3);
  });

  it('gives FORBIDDEN for a ward the nurse is not assigned to', async () => {
    const { db, nurse } = await ward();
    const other = makeWard(db, 'B');
    const caller = callerAs(db, nurse);
    await expect(caller.ward.board({ wardId: other.wardId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('reassessAll', () => {
  it('rebuilds every current patient with the stored settings', async () => {
    const { db, wardId, bedIds } = await ward();
    const now = dayAfterInjury(10);
    const id = admitPatient(db, { wardId, bedId: bedIds[0], injury: { lowestGcs: 5 } });
    expect(reassessAll(db, now)).toBe(1);
    expect(db.select().from(patientAssessments).get()).toMatchObject({
      patientId: id,
      tier: 'low',
    });
    // A local policy: the window opens on day 7.
    db.insert(settings)
      .values({ key: 'ho_watch', value: { vigilanceStartDay: 7 } })
      .run();
    reassessAll(db, now);
    expect(db.select().from(patientAssessments).get()).toMatchObject({ tier: 'elevated' });
  });
});
