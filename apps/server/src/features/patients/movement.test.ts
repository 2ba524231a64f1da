/**
 * Patients moving between wards, through the real procedures on a migrated database: readmission by
 * identity, stays that never overlap, transfer as one movement, and the census that follows them.
 */
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { flushAudit } from '../../audit.ts';
import {
  auditLog,
  catheterEpisodes,
  dailyTierCounts,
  dailyTiers,
  emergencyAccess,
  stays,
} from '../../db/schema.ts';
import { eventBusFor, type WardEvent } from '../../events.ts';
import { ROLES } from '../../db/schema.ts';
import {
  admitPatient,
  callerAs,
  makeUser,
  makeWard,
  migratedMemoryDb,
} from '../../test-support.ts';
import { identityMismatch, normalisedIdentityText } from './identity.ts';

const NOW = new Date('2026-02-10T10:00:00.000Z');
const clock = () => NOW;

const injury = {
  type: 'tbi' as const,
  occurredAt: '2026-01-01T12:00:00.000Z',
  lowestGcs: 6,
  comaDays: null,
  ventilationDays: null,
  diffuseAxonalInjury: null,
  autonomicDysregulation: null,
  aisGrade: null,
  surgicalFractures: [],
};

async function arrange() {
  const db = migratedMemoryDb();
  const a = makeWard(db, 'Ward A');
  const b = makeWard(db, 'Ward B');
  const nurseA = callerAs(db, await makeUser(db, ['nurse'], [a.wardId]), clock);
  const nurseB = callerAs(db, await makeUser(db, ['nurse'], [b.wardId]), clock);
  const nurseAB = callerAs(db, await makeUser(db, ['nurse'], [a.wardId, b.wardId]), clock);
  const physicianB = callerAs(db, await makeUser(db, ['physician'], [b.wardId]), clock);
  const person = {
    mrn: 'MRN-77',
    name: 'Zoë  Åberg',
    dateOfBirth: '1971-05-06',
    sex: 'female' as const,
    injury,
  };
  return { db, a, b, nurseA, nurseB, nurseAB, physicianB, person };
}

const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'allowed',
    (error: unknown) => (error instanceof TRPCError ? error.code : 'thrown'),
  );

describe('identity at readmission', () => {
  it('compares names and dates of birth without case, extra spaces or Unicode form', () => {
    expect(normalisedIdentityText('  ZOE\u0308   ÅBERG ')).toBe('zoë åberg');
    const stored = { name: 'Zoë Åberg', dateOfBirth: '1971-05-06' };
    expect(identityMismatch(stored, { name: 'zoe\u0308 åberg', dateOfBirth: '1971-05-06' })).toBe(
      null,
    );
    expect(identityMismatch(stored, { name: 'Zoe Aberg', dateOfBirth: '1971-05-06' })).toBe('name');
    expect(identityMismatch(stored, { name: 'Zoë Åberg', dateOfBirth: '1971-05-07' })).toBe(
      'dateOfBirth',
    );
  });

  it("refuses the reviewed attack: a nurse readmitting another ward's patient by MRN", async () => {
    const { db, a, b, nurseA, nurseB, person } = await arrange();
    const first = await nurseA.patient.admit({
      ...person,
      wardId: a.wardId,
      bedId: a.bedIds[0]!,
      admittedAt: '2026-02-01T09:00:00Z',
    });
    // A different name under a known MRN: CONFLICT naming the field, nothing about where or whether.
    const wrongName = nurseB.patient.admit({
      ...person,
      name: 'Someone Else',
      wardId: b.wardId,
      bedId: null,
      admittedAt: '2026-02-10T09:00:00Z',
    });
    await expect(wrongName).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'name: does not match the patient recorded under this MRN',
    });
    await expect(
      nurseB.patient.admit({
        ...person,
        dateOfBirth: '1971-06-05',
        wardId: b.wardId,
        bedId: null,
        admittedAt: '2026-02-10T09:00:00Z',
      }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'dateOfBirth: does not match the patient recorded under this MRN',
    });
    // The right identity, patient on ward A now: no "already admitted" for ward B, and no access.
    const rightIdentity = nurseB.patient.admit({
      ...person,
      wardId: b.wardId,
      bedId: null,
      admittedAt: '2026-02-10T09:00:00Z',
    });
    await expect(rightIdentity).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(rightIdentity).rejects.not.toThrow(/already admitted/);
    await expect(nurseB.patient.get({ patientId: first.patientId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // Ward A keeps its patient.
    expect((await nurseA.patient.get({ patientId: first.patientId })).stay?.wardId).toBe(a.wardId);
    flushAudit(db);
    const denials = db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'patient.admit'), eq(auditLog.outcome, 'denied')))
      .all();
    expect(denials).toHaveLength(3);
    expect(denials.every((row) => row.patientId === first.patientId)).toBe(true);
  });

  it('readmits after discharge on another ward only with an emergency reason, or for a physician', async () => {
    const { db, a, b, nurseA, nurseB, physicianB, person } = await arrange();
    const first = await nurseA.patient.admit({
      ...person,
      wardId: a.wardId,
      bedId: null,
      admittedAt: '2026-02-01T09:00:00Z',
    });
    await nurseA.patient.discharge({
      patientId: first.patientId,
      dischargedAt: '2026-02-05T09:00:00Z',
      expectedVersion: 1,
    });
    const readmit = {
      ...person,
      name: ' zoë åberg ',
      wardId: b.wardId,
      bedId: null,
      admittedAt: '2026-02-10T08:00:00Z',
    };
    await expect(nurseB.patient.admit(readmit)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^emergencyReason: /) as unknown,
    });
    await expect(nurseB.patient.admit({ ...readmit, emergencyReason: 'short' })).rejects.toThrow(
      /emergencyReason/,
    );
    const again = await nurseB.patient.admit({
      ...readmit,
      emergencyReason: 'Transferred back from the acute hospital tonight',
    });
    expect(again.patientId).toBe(first.patientId);
    expect(db.select().from(emergencyAccess).all()).toHaveLength(1);
    flushAudit(db);
    const admitted = db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'patient.admit'), eq(auditLog.outcome, 'success')))
      .all()
      .at(-1);
    expect(admitted?.detail).toMatchObject({
      readmission: true,
      previousWardId: a.wardId,
      access: 'emergency',
    });
    // The stored identity is kept as it was.
    expect((await nurseB.patient.get({ patientId: first.patientId })).patient.name).toBe(
      'Zoë  Åberg',
    );
    // A physician needs no reason (and is audited with the previous ward all the same).
    await nurseB.patient.discharge({
      patientId: first.patientId,
      dischargedAt: '2026-02-10T08:30:00Z',
      expectedVersion: 1,
    });
    const physicianA = callerAs(db, await makeUser(db, ['physician'], [a.wardId]), clock);
    await physicianA.patient.admit({
      ...readmit,
      wardId: a.wardId,
      admittedAt: '2026-02-10T09:00:00Z',
    });
    await expect(physicianB.patient.get({ patientId: first.patientId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    flushAudit(db);
    expect(
      db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'patient.admit'), eq(auditLog.outcome, 'success')))
        .all()
        .at(-1)?.detail,
    ).toMatchObject({ readmission: true, previousWardId: b.wardId, access: 'physician' });
  });
});

describe('stays never overlap', () => {
  it('refuses a readmission dated inside or across an earlier stay, naming its dates', async () => {
    const { db, a, nurseA, person } = await arrange();
    const first = await nurseA.patient.admit({
      ...person,
      wardId: a.wardId,
      bedId: null,
      admittedAt: '2026-02-01T09:00:00Z',
    });
    await nurseA.patient.discharge({
      patientId: first.patientId,
      dischargedAt: '2026-02-05T09:00:00Z',
      expectedVersion: 1,
    });
    for (const admittedAt of ['2026-02-03T09:00:00Z', '2026-01-20T09:00:00Z']) {
      await expect(
        nurseA.patient.admit({ ...person, wardId: a.wardId, bedId: null, admittedAt }),
      ).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message:
          'admittedAt: falls inside or across another stay of this patient (from 2026-02-01T09:00:00.000Z, to 2026-02-05T09:00:00.000Z)',
      });
    }
    // Touching is not overlapping: readmitted at the very instant of the discharge.
    await nurseA.patient.admit({
      ...person,
      wardId: a.wardId,
      bedId: null,
      admittedAt: '2026-02-05T09:00:00Z',
    });
    expect(db.select().from(stays).all()).toHaveLength(2);
  });

  it('is held by the database whatever writes the stays', async () => {
    const { db, a, b, nurseA, person } = await arrange();
    const { patientId } = await nurseA.patient.admit({
      ...person,
      wardId: a.wardId,
      bedId: null,
      admittedAt: '2026-02-01T09:00:00Z',
    });
    expect(() =>
      db
        .insert(stays)
        .values({
          patientId,
          wardId: b.wardId,
          admittedAt: '2025-12-01T09:00:00.000Z',
          dischargedAt: '2026-02-02T09:00:00.000Z',
        })
        .run(),
    ).toThrow(/stays_overlap/);
    db.insert(stays)
      .values({
        patientId,
        wardId: b.wardId,
        admittedAt: '2025-12-01T09:00:00.000Z',
        dischargedAt: '2026-01-02T09:00:00.000Z',
      })
      .run();
    expect(() =>
      db
        .update(stays)
        .set({ dischargedAt: '2026-02-01T09:00:00.001Z' })
        .where(eq(stays.wardId, b.wardId))
        .run(),
    ).toThrow(/stays_overlap/);
  });
});

describe('patient.transfer', () => {
  it('closes one stay and opens the next at one instant, keeps the catheter, tells both boards', async () => {
    const { db, a, b, nurseA, nurseAB, person } = await arrange();
    const { patientId } = await nurseA.patient.admit({
      ...person,
      wardId: a.wardId,
      bedId: a.bedIds[0]!,
      admittedAt: '2026-02-01T09:00:00Z',
    });
    await nurseA.nursing.insertCatheter({ patientId, insertedAt: '2026-02-02T09:00:00Z' });
    const events: WardEvent[] = [];
    eventBusFor(db).subscribe((event) => events.push(event));
    const moved = await nurseAB.patient.transfer({
      patientId,
      wardId: b.wardId,
      bedId: b.bedIds[2]!,
      transferredAt: '2026-02-09T14:00:00+01:00',
      expectedVersion: 1,
    });
    const rows = db.select().from(stays).where(eq(stays.patientId, patientId)).all();
    expect(rows.map((s) => [s.wardId, s.admittedAt, s.dischargedAt])).toEqual([
      [a.wardId, '2026-02-01T09:00:00.000Z', '2026-02-09T13:00:00.000Z'],
      [b.wardId, '2026-02-09T13:00:00.000Z', null],
    ]);
    expect(moved).toMatchObject({ stayId: rows[1]!.id, version: 1, previousStayId: rows[0]!.id });
    expect(db.select().from(catheterEpisodes).all()).toMatchObject([{ removedAt: null }]);
    expect(events.map((e) => [e.wardId, e.kind])).toEqual([
      [a.wardId, 'stay'],
      [b.wardId, 'stay'],
    ]);
    const boardA = await nurseAB.ward.board({ wardId: a.wardId });
    const boardB = await nurseAB.ward.board({ wardId: b.wardId });
    expect(JSON.stringify(boardA)).not.toContain('MRN-77');
    expect(JSON.stringify(boardB)).toContain(String(patientId));
    flushAudit(db);
    expect(
      db.select().from(auditLog).where(eq(auditLog.action, 'patient.transfer')).all().at(-1)
        ?.detail,
    ).toMatchObject({ fromWardId: a.wardId, toWardId: b.wardId });
    // A stale version, the same ward, a time before the current stay, or the past stay: refused.
    await expect(
      nurseAB.patient.transfer({
        patientId,
        wardId: a.wardId,
        bedId: null,
        transferredAt: '2026-02-10T09:00:00Z',
        expectedVersion: 9,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      nurseAB.patient.transfer({
        patientId,
        wardId: b.wardId,
        bedId: null,
        transferredAt: '2026-02-10T09:00:00Z',
        expectedVersion: 1,
      }),
    ).rejects.toThrow(/^wardId: /);
    await expect(
      nurseAB.patient.transfer({
        patientId,
        wardId: a.wardId,
        bedId: null,
        transferredAt: '2026-02-05T09:00:00Z',
        expectedVersion: 1,
      }),
    ).rejects.toThrow(/^transferredAt: must be after/);
  });

  it('is for nurses and physicians on both wards; other roles are refused before the input is read', async () => {
    const outcomes: string[] = [];
    for (const role of ROLES) {
      for (const on of ['both', 'from', 'to'] as const) {
        const db = migratedMemoryDb();
        const a = makeWard(db, 'Ward A');
        const b = makeWard(db, 'Ward B');
        const patientId = admitPatient(db, { wardId: a.wardId });
        const wards = { both: [a.wardId, b.wardId], from: [a.wardId], to: [b.wardId] }[on];
        const caller = callerAs(db, await makeUser(db, [role], wards), clock);
        const outcome = await codeOf(
          caller.patient.transfer({
            patientId,
            wardId: b.wardId,
            bedId: null,
            transferredAt: '2026-02-09T09:00:00Z',
            expectedVersion: 1,
          }),
        );
        const garbage = await codeOf(caller.patient.transfer({ wardId: 'x' } as never));
        outcomes.push(
          `${role} ${on}: ${outcome}${garbage === 'FORBIDDEN' ? ' (before input)' : ''}`,
        );
      }
    }
    expect(outcomes).toEqual(
      ROLES.flatMap((role) => {
        const allowed = role === 'nurse' || role === 'physician';
        return (['both', 'from', 'to'] as const).map(
          (on) =>
            `${role} ${on}: ${allowed && on === 'both' ? 'allowed' : 'FORBIDDEN'}${allowed ? '' : ' (before input)'}`,
        );
      }),
    );
  });
});

describe('the daily census follows backdated stay changes', () => {
  it('a discharge dated yesterday removes today (and yesterday) from the census and compliance', async () => {
    const { db, a, nurseA, person } = await arrange();
    const { patientId } = await nurseA.patient.admit({
      ...person,
      wardId: a.wardId,
      bedId: null,
      admittedAt: '2026-02-01T09:00:00Z',
    });
    // Today's row, written with the assessment at admission (and backfilled days since).
    const dates = () =>
      db
        .select()
        .from(dailyTiers)
        .where(eq(dailyTiers.patientId, patientId))
        .all()
        .map((d) => d.date)
        .sort();
    expect(dates().at(-1)).toBe('2026-02-10');
    expect(dates()[0]).toBe('2026-02-02');
    await nurseA.patient.discharge({
      patientId,
      dischargedAt: '2026-02-08T15:00:00Z',
      expectedVersion: 1,
    });
    expect(dates()).toEqual([
      '2026-02-02',
      '2026-02-03',
      '2026-02-04',
      '2026-02-05',
      '2026-02-06',
      '2026-02-07',
      '2026-02-08',
    ]);
    const counted = db.select().from(dailyTierCounts).all();
    const recount = db.$client
      .prepare(
        `SELECT ward_id AS wardId, date, count(*) AS days, sum(had_rom_within_7_days) AS romDays
         FROM daily_tiers WHERE tier IN ('alert', 'high') GROUP BY ward_id, date`,
      )
      .all();
    expect(counted.filter((c) => c.days > 0)).toEqual(expect.arrayContaining(recount as never[]));
    expect(counted.filter((c) => c.days > 0)).toHaveLength(recount.length);
  });
});
