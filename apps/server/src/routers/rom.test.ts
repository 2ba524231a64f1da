import { describe, expect, it } from 'vitest';
import { auditLog, romReadings, romSessions } from '../db/schema.ts';
import { flushAudit } from '../audit.ts';
import { admitPatient, callerAs, makeUser, makeWard, migratedMemoryDb } from '../test-support.ts';

const NOW = new Date('2026-02-10T10:00:00.000Z');
const clock = () => NOW;

async function arrange() {
  const db = migratedMemoryDb();
  const a = makeWard(db, 'A');
  const b = makeWard(db, 'B');
  const patientId = admitPatient(db, { wardId: a.wardId, bedId: a.bedIds[0] });
  const otherPatientId = admitPatient(db, { wardId: b.wardId });
  const therapist = await makeUser(db, ['therapist'], [a.wardId]);
  const nurse = await makeUser(db, ['nurse'], [a.wardId]);
  return { db, a, b, patientId, otherPatientId, therapist, nurse };
}

describe('rom.recordSession', () => {
  it('saves a whole session and rom.list returns it', async () => {
    const { db, patientId, therapist } = await arrange();
    const caller = callerAs(db, therapist, clock);
    const result = await caller.rom.recordSession({
      patientId,
      takenAt: '2026-02-10T09:30:00Z',
      readings: [
        { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 110 },
        { site: 'hip', side: 'right', movement: 'flexion', mode: 'passive', degrees: 115 },
      ],
      spasticity: [{ site: 'elbow', side: 'left', grade: '1+' }],
      mobility: [{ scale: 'jh_hlm', code: '4' }],
    });
    expect(result.readingIds).toHaveLength(2);
    expect(result.sessionId).toBeGreaterThan(0);
    const list = await caller.rom.list({ patientId });
    expect(list).toEqual([
      {
        id: result.readingIds[0],
        sessionId: result.sessionId,
        site: 'hip',
        side: 'left',
        movement: 'flexion',
        mode: 'passive',
        degrees: 110,
        takenAt: '2026-02-10T09:30:00.000Z',
        status: 'final',
        version: 1,
        supersedes: null,
        statusReason: null,
        statusAt: null,
        statusByName: null,
      },
      expect.objectContaining({ id: result.readingIds[1], side: 'right', degrees: 115 }),
    ]);
    flushAudit(db);
    const audit = db.select().from(auditLog).all();
    expect(audit.map((row) => [row.action, row.category, row.patientId])).toEqual([
      ['rom.recordSession', 'write', patientId],
      ['rom.list', 'read', patientId],
    ]);
  });

  it('refuses a session with one implausible reading, naming the reading, and saves nothing', async () => {
    const { db, patientId, therapist } = await arrange();
    const caller = callerAs(db, therapist, clock);
    const error = await caller.rom
      .recordSession({
        patientId,
        takenAt: '2026-02-10T09:30:00Z',
        readings: [
          { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 110 },
          { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees: 120 },
          { site: 'elbow', side: 'left', movement: 'flexion', mode: 'active', degrees: 100 },
          { site: 'hip', side: 'right', movement: 'flexion', mode: 'passive', degrees: 400 },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(String((error as Error).message)).toContain('readings.3.degrees');
    expect(String((error as Error).message)).toContain('150');
    expect(db.select().from(romSessions).all()).toEqual([]);
    expect(db.select().from(romReadings).all()).toEqual([]);
  });

  it('names a movement the joint does not have, and refuses a duplicate reading', async () => {
    const { db, patientId, therapist } = await arrange();
    const caller = callerAs(db, therapist, clock);
    await expect(
      caller.rom.recordSession({
        patientId,
        takenAt: '2026-02-10T09:30:00Z',
        readings: [
          { site: 'knee', side: 'left', movement: 'abduction', mode: 'passive', degrees: 10 },
        ],
      }),
    ).rejects.toThrow(/readings\.0\.movement: the knee has no abduction/);
    await expect(
      caller.rom.recordSession({
        patientId,
        takenAt: '2026-02-10T09:30:00Z',
        readings: [
          { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees: 100 },
          { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees: 101 },
        ],
      }),
    ).rejects.toThrow(/readings\.1/);
  });

  it('refuses an empty session, one in the future and one before admission', async () => {
    const { db, patientId, therapist } = await arrange();
    const caller = callerAs(db, therapist, clock);
    const reading = {
      site: 'hip',
      side: 'left',
      movement: 'flexion',
      mode: 'passive',
      degrees: 90,
    } as const;
    await expect(
      caller.rom.recordSession({ patientId, takenAt: '2026-02-10T09:30:00Z', readings: [] }),
    ).rejects.toThrow(/readings/);
    await expect(
      caller.rom.recordSession({ patientId, takenAt: '2026-02-10T11:00:00Z', readings: [reading] }),
    ).rejects.toThrow(/takenAt: .* is in the future/);
    await expect(
      caller.rom.recordSession({ patientId, takenAt: '2026-01-05T11:00:00Z', readings: [reading] }),
    ).rejects.toThrow(/takenAt: .* is before the admission/);
  });

  it('gives FORBIDDEN for an unknown patient as on another ward', async () => {
    const { db, otherPatientId, therapist } = await arrange();
    const caller = callerAs(db, therapist, clock);
    const reading = {
      site: 'hip',
      side: 'left',
      movement: 'flexion',
      mode: 'passive',
      degrees: 90,
    } as const;
    await expect(
      caller.rom.recordSession({
        patientId: 9999,
        takenAt: '2026-02-10T09:30:00Z',
        readings: [reading],
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      caller.rom.recordSession({
        patientId: otherPatientId,
        takenAt: '2026-02-10T09:30:00Z',
        readings: [reading],
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller.rom.list({ patientId: otherPatientId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('refuses a nurse before looking at the input', async () => {
    const { db, nurse } = await arrange();
    await expect(
      // Deliberately malformed: the role check must answer first.
      callerAs(db, nurse, clock).rom.recordSession({ nonsense: true } as never),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('saves sessions that arrive together in one commit, and refuses one queued behind a discharge', async () => {
    const { db, patientId, therapist, nurse } = await arrange();
    const therapistCaller = callerAs(db, therapist, clock);
    const nurseCaller = callerAs(db, nurse, clock);
    const session = {
      patientId,
      takenAt: '2026-02-10T09:30:00Z',
      readings: [
        { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees: 120 } as const,
      ],
    };
    // Both requests are checked before either is written: the patient is still on the ward.
    const [first, discharge, second] = await Promise.allSettled([
      therapistCaller.rom.recordSession(session),
      nurseCaller.patient.discharge({
        patientId,
        dischargedAt: '2026-02-10T09:45:00Z',
        expectedVersion: 1,
      }),
      therapistCaller.rom.recordSession({ ...session, takenAt: '2026-02-10T09:40:00Z' }),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(discharge.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT' } });
    expect(String((second as PromiseRejectedResult).reason)).toMatch(/discharged or readmitted/);
    expect(db.select().from(romSessions).all()).toHaveLength(1);
    expect(db.select().from(romReadings).all()).toHaveLength(1);
  });
});
