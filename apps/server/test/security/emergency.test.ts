import { describe, expect, it } from 'vitest';
import { flushAudit } from '../../src/audit.ts';
import { auditLog, emergencyAccess } from '../../src/db/schema.ts';
import {
  DEFAULT_EMERGENCY_MINUTES,
  emergencyAccessMs,
  emergencyPerDay,
} from '../../src/security/emergency.ts';
import { verifyAuditChain } from '../../src/security/audit-verify.ts';
import {
  admitPatient,
  callerAs,
  makeUser,
  makeWard,
  migratedMemoryDb,
} from '../../src/test-support.ts';
import { TestClock } from './support.ts';

const REASON = 'Rapid response call: patient collapsed in the gym, covering for ward B';

async function setting() {
  const db = migratedMemoryDb();
  const { wardId: wardA } = makeWard(db, 'Neuro A');
  const { wardId: wardB } = makeWard(db, 'Neuro B');
  const nurse = await makeUser(db, ['nurse'], [wardA], 'nurse');
  const colleague = await makeUser(db, ['nurse'], [wardA], 'colleague');
  const admin = await makeUser(db, ['admin'], [], 'admin');
  const manager = await makeUser(db, ['manager'], [wardA, wardB], 'manager');
  const patientId = admitPatient(db, { wardId: wardB, name: 'Ward B patient' });
  const ownPatientId = admitPatient(db, { wardId: wardA });
  const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
  return { db, wardA, wardB, nurse, colleague, admin, manager, patientId, ownPatientId, clock };
}

describe('emergency access', () => {
  it('opens a patient outside the nurse’s wards for 60 minutes after a reason, then closes it', async () => {
    const { db, nurse, patientId, clock } = await setting();
    const caller = callerAs(db, nurse, clock.now);
    await expect(caller.patient.get({ patientId })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const grant = await caller.access.emergency({ patientId, reason: REASON });
    expect(grant).toMatchObject({ patientId, expiresAt: '2026-03-02T09:00:00.000Z' });
    await expect(caller.patient.get({ patientId })).resolves.toMatchObject({});
    await expect(caller.rom.list({ patientId })).resolves.toBeDefined();

    clock.advance(DEFAULT_EMERGENCY_MINUTES * 60_000 - 1000);
    await expect(caller.patient.get({ patientId })).resolves.toBeDefined();
    clock.advance(1000);
    await expect(caller.patient.get({ patientId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('needs a reason of at least 10 characters', async () => {
    const { db, nurse, patientId, clock } = await setting();
    const caller = callerAs(db, nurse, clock.now);
    for (const reason of ['', 'urgent', '   short   ']) {
      await expect(caller.access.emergency({ patientId, reason })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
    await expect(caller.patient.get({ patientId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('is for that person and that patient only', async () => {
    const { db, nurse, colleague, patientId, wardB, clock } = await setting();
    const other = admitPatient(db, { wardId: wardB });
    await callerAs(db, nurse, clock.now).access.emergency({ patientId, reason: REASON });
    await expect(
      callerAs(db, colleague, clock.now).patient.get({ patientId }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      callerAs(db, nurse, clock.now).patient.get({ patientId: other }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('is for clinicians only, and not for a patient the caller already sees or one that does not exist', async () => {
    const { db, nurse, admin, manager, patientId, ownPatientId, clock } = await setting();
    for (const user of [admin, manager]) {
      await expect(
        callerAs(db, user, clock.now).access.emergency({ patientId, reason: REASON }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const caller = callerAs(db, nurse, clock.now);
    await expect(
      caller.access.emergency({ patientId: ownPatientId, reason: REASON }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('audits the grant with its reason and flags every access under it', async () => {
    const { db, nurse, patientId, clock } = await setting();
    const caller = callerAs(db, nurse, clock.now);
    await caller.access.emergency({ patientId, reason: REASON });
    const grantId = db.select().from(emergencyAccess).get()!.id;
    await caller.patient.get({ patientId });
    await caller.patient.timeline({ patientId });
    flushAudit(db);
    const rows = db.select().from(auditLog).all();
    expect(rows.find((r) => r.action === 'access.emergency')).toMatchObject({
      username: 'nurse',
      patientId,
      outcome: 'success',
      detail: { emergency: true, grantId, reason: REASON },
    });
    const uses = rows.filter((r) => r.action === 'access.emergency.use');
    expect(uses.map((r) => (r.detail as { procedure: string }).procedure)).toEqual([
      'patient.get',
      'patient.timeline',
    ]);
    for (const use of uses) {
      expect(use).toMatchObject({
        patientId,
        userId: nurse.id,
        detail: { emergency: true, grantId },
      });
    }
    expect(rows.filter((r) => r.action === 'patient.get' && r.outcome === 'success')).toHaveLength(
      1,
    );
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('is listed for admins to review, newest first, and refused to everyone else', async () => {
    const { db, nurse, colleague, admin, patientId, clock } = await setting();
    await callerAs(db, nurse, clock.now).access.emergency({ patientId, reason: REASON });
    clock.advance(90 * 60_000);
    await callerAs(db, colleague, clock.now).access.emergency({
      patientId,
      reason: 'Covering the night shift on ward B for an hour',
    });
    const adminCaller = callerAs(db, admin, clock.now);
    const { grants, nextCursor } = await adminCaller.access.emergencyList();
    expect(nextCursor).toBeNull();
    expect(grants.map((g) => [g.username, g.patientId, g.active])).toEqual([
      ['colleague', patientId, true],
      ['nurse', patientId, false],
    ]);
    expect(grants[1]).toMatchObject({ reason: REASON, grantedAt: '2026-03-02T08:00:00.000Z' });
    const firstPage = await adminCaller.access.emergencyList({ limit: 1 });
    expect(firstPage.grants).toHaveLength(1);
    const secondPage = await adminCaller.access.emergencyList({
      limit: 1,
      cursor: firstPage.nextCursor!,
    });
    expect(secondPage.grants[0]?.username).toBe('nurse');
    const byUser = await adminCaller.access.emergencyList({ userId: nurse.id });
    expect(byUser.grants).toHaveLength(1);
    await expect(callerAs(db, nurse, clock.now).access.emergencyList()).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('reads its duration from OSSIWATCH_EMERGENCY_MINUTES, refusing nonsense', () => {
    expect(emergencyAccessMs({})).toBe(60 * 60_000);
    expect(emergencyAccessMs({ OSSIWATCH_EMERGENCY_MINUTES: '30' })).toBe(30 * 60_000);
    for (const bad of ['0', '-5', '1.5', 'an hour', '100000']) {
      expect(() => emergencyAccessMs({ OSSIWATCH_EMERGENCY_MINUTES: bad })).toThrow(
        /OSSIWATCH_EMERGENCY_MINUTES/,
      );
    }
  });

  it('reads its daily cap from OSSIWATCH_EMERGENCY_PER_DAY, refusing nonsense', () => {
    expect(emergencyPerDay({})).toBe(3);
    expect(emergencyPerDay({ OSSIWATCH_EMERGENCY_PER_DAY: '5' })).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'many', '51']) {
      expect(() => emergencyPerDay({ OSSIWATCH_EMERGENCY_PER_DAY: bad })).toThrow(
        /OSSIWATCH_EMERGENCY_PER_DAY/,
      );
    }
  });
});
