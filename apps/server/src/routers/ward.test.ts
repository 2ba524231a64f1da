import { describe, expect, it } from 'vitest';
import { beds, wards } from '../db/schema.ts';
import { seedDemoIfEmpty } from '../demo.ts';
import { callerFor, migratedMemoryDb } from '../test-support.ts';

describe('ward.list', () => {
  it('lists wards by name with their active beds', async () => {
    const db = migratedMemoryDb();
    const b = db.insert(wards).values({ name: 'B ward' }).returning().get();
    const a = db.insert(wards).values({ name: 'A ward' }).returning().get();
    db.insert(beds)
      .values([
        { wardId: a.id, label: '1' },
        { wardId: a.id, label: '2' },
        { wardId: a.id, label: '3', active: false },
        { wardId: b.id, label: '1' },
      ])
      .run();
    const result = await callerFor(db).ward.list();
    expect(result).toEqual([
      { id: a.id, name: 'A ward', beds: 2 },
      { id: b.id, name: 'B ward', beds: 1 },
    ]);
  });

  it('is empty on an empty database', async () => {
    expect(await callerFor(migratedMemoryDb()).ward.list()).toEqual([]);
  });
});

describe('demo seed', () => {
  it('seeds three wards once and never again', () => {
    const db = migratedMemoryDb();
    expect(seedDemoIfEmpty(db)).toBe(true);
    expect(seedDemoIfEmpty(db)).toBe(false);
    expect(db.select().from(wards).all()).toHaveLength(3);
  });
});
