import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { flushAudit } from '../audit.ts';
import { auditLog, beds, stays } from '../db/schema.ts';
import {
  admitPatient,
  callerAs,
  callerFor,
  makeUser,
  makeWard,
  migratedMemoryDb,
} from '../test-support.ts';

describe('ward.list', () => {
  it("lists only the user's wards, by name, with their active beds", async () => {
    const db = migratedMemoryDb();
    const b = makeWard(db, 'B ward', 1);
    const a = makeWard(db, 'A ward', 2);
    makeWard(db, 'C ward', 5);
    db.insert(beds).values({ wardId: a.wardId, label: 'spare', active: false }).run();
    const nurse = await makeUser(db, ['nurse'], [b.wardId, a.wardId]);
    const result = await callerAs(db, nurse).ward.list();
    expect(result.map(({ id, name, beds: n }) => ({ id, name, beds: n }))).toEqual([
      { id: a.wardId, name: 'A ward', beds: 2 },
      { id: b.wardId, name: 'B ward', beds: 1 },
    ]);
  });

  it('is empty for a user with no ward', async () => {
    const db = migratedMemoryDb();
    makeWard(db, 'A ward');
    const nobody = await makeUser(db, ['nurse'], []);
    expect(await callerAs(db, nobody).ward.list()).toEqual([]);
  });

  it('refuses an anonymous caller', async () => {
    await expect(callerFor(migratedMemoryDb()).ward.list()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});

describe('ward.freeBeds', () => {
  it('lists the beds in use and free now, in bed order, with ids and labels', async () => {
    const db = migratedMemoryDb();
    const { wardId, bedIds } = makeWard(db, 'A ward', 3);
    const [bed01, bed02, bed03] = bedIds as [number, number, number];
    const bed10 = db
      .insert(beds)
      .values({ wardId, label: '10' })
      .returning({ id: beds.id })
      .get().id;
    const bed9 = db.insert(beds).values({ wardId, label: '9' }).returning({ id: beds.id }).get().id;
    admitPatient(db, { wardId, bedId: bed02 });
    const nurse = await makeUser(db, ['nurse'], [wardId]);
    expect(await callerAs(db, nurse).ward.freeBeds({ wardId })).toEqual([
      { id: bed01, label: '01' },
      { id: bed03, label: '03' },
      { id: bed9, label: '9' },
      { id: bed10, label: '10' },
    ]);
  });

  it('does not list a bed taken out of use, nor one occupied; a discharge frees the bed', async () => {
    const db = migratedMemoryDb();
    const { wardId, bedIds } = makeWard(db, 'A ward', 3);
    const [bed01, bed02, bed03] = bedIds as [number, number, number];
    db.update(beds).set({ active: false }).where(eq(beds.id, bed01)).run();
    const patientId = admitPatient(db, { wardId, bedId: bed02 });
    const physician = await makeUser(db, ['physician'], [wardId]);
    const caller = callerAs(db, physician);
    expect(await caller.ward.freeBeds({ wardId })).toEqual([{ id: bed03, label: '03' }]);
    db.update(stays)
      .set({ dischargedAt: '2026-01-20T09:00:00.000Z' })
      .where(eq(stays.patientId, patientId))
      .run();
    expect((await caller.ward.freeBeds({ wardId })).map((bed) => bed.id)).toEqual([bed02, bed03]);
  });

  it('does not list beds of another ward', async () => {
    const db = migratedMemoryDb();
    const own = makeWard(db, 'A ward', 1);
    makeWard(db, 'B ward', 2);
    const nurse = await makeUser(db, ['nurse'], [own.wardId]);
    const free = await callerAs(db, nurse).ward.freeBeds({ wardId: own.wardId });
    expect(free.map((bed) => bed.id)).toEqual(own.bedIds);
  });

  it("refuses another ward's beds (FORBIDDEN, the refusal audited)", async () => {
    const db = migratedMemoryDb();
    const own = makeWard(db, 'A ward');
    const other = makeWard(db, 'B ward');
    const nurse = await makeUser(db, ['nurse'], [own.wardId]);
    await expect(callerAs(db, nurse).ward.freeBeds({ wardId: other.wardId })).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
    flushAudit(db);
    const denied = db.select().from(auditLog).where(eq(auditLog.action, 'ward.freeBeds')).all();
    expect(denied.map((row) => row.outcome)).toEqual(['denied']);
  });

  it.each(['therapist', 'manager', 'admin'] as const)(
    'refuses a %s even on their own ward',
    async (role) => {
      const db = migratedMemoryDb();
      const { wardId } = makeWard(db, 'A ward');
      const user = await makeUser(db, [role], [wardId]);
      await expect(callerAs(db, user).ward.freeBeds({ wardId })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    },
  );

  it('names unknown input fields (strict input)', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'A ward');
    const nurse = await makeUser(db, ['nurse'], [wardId]);
    await expect(
      callerAs(db, nurse).ward.freeBeds({ wardId, all: true } as never),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
