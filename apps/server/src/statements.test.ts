import { describe, expect, it } from 'vitest';
import { booleanOf, connectionOf, preparedStatement } from './statements.ts';
import { makeWard, migratedMemoryDb } from './test-support.ts';

const insertWard = preparedStatement<[string]>('INSERT INTO wards (name) VALUES (?)');
const wardNames = preparedStatement<[], { name: string }>('SELECT name FROM wards ORDER BY id');

describe('prepared statements', () => {
  it('run inside the open transaction: a failed write leaves nothing behind', () => {
    const db = migratedMemoryDb();
    expect(() =>
      db.transaction((tx) => {
        expect(connectionOf(tx)).toBe(db.$client);
        insertWard(tx).run('Rolled back');
        expect(wardNames(tx).all()).toEqual([{ name: 'Rolled back' }]);
        throw new Error('the write fails after the insert');
      }),
    ).toThrow('the write fails');
    expect(wardNames(db).all()).toEqual([]);
    db.transaction((tx) => insertWard(tx).run('Committed'));
    expect(wardNames(db).all()).toEqual([{ name: 'Committed' }]);
  });

  it('are compiled for each database: one never reads another', () => {
    const first = migratedMemoryDb();
    const second = migratedMemoryDb();
    makeWard(first, 'First');
    expect(wardNames(first).all()).toEqual([{ name: 'First' }]);
    expect(wardNames(second).all()).toEqual([]);
    expect(wardNames(first)).toBe(wardNames(first));
    expect(wardNames(second)).not.toBe(wardNames(first));
  });

  it('read a stored boolean as true, false or unknown', () => {
    expect([booleanOf(1), booleanOf(0), booleanOf(null)]).toEqual([true, false, null]);
  });
});
