import { describe, expect, it } from 'vitest';
import { beds } from '../db/schema.ts';
import { callerAs, callerFor, makeUser, makeWard, migratedMemoryDb } from '../test-support.ts';

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
