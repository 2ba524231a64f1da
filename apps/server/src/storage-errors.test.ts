import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loggableError, storageProblemOf } from './storage-errors.ts';

function sqliteError(run: (db: Database.Database) => void): unknown {
  const db = new Database(':memory:');
  try {
    run(db);
  } catch (error) {
    return error;
  } finally {
    db.close();
  }
  throw new Error('expected SQLite to refuse');
}

describe('storage problems', () => {
  it('recognises a full database behind wrappers and says nothing was saved', () => {
    const full = sqliteError((db) => {
      db.exec('CREATE TABLE filler (text TEXT)');
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      for (;;) db.prepare('INSERT INTO filler VALUES (?)').run('x'.repeat(1000));
    });
    const wrapped = new Error('Failed query: insert into "patients" ... params: Jane Doe,MRN-1', {
      cause: full,
    });
    const problem = storageProblemOf(new Error('outer', { cause: wrapped }));
    expect(problem).toMatchObject({ kind: 'full', sqliteCode: 'SQLITE_FULL' });
    expect(problem?.message).toMatch(/storage is full: nothing was saved/);
  });

  it('recognises a read-only database', () => {
    const readOnly = sqliteError((db) => {
      db.exec('CREATE TABLE t (a)');
      db.pragma('query_only = ON');
      db.prepare('INSERT INTO t VALUES (1)').run();
    });
    expect(storageProblemOf(readOnly)?.kind).toBe('read_only');
    expect(storageProblemOf(readOnly)?.message).toMatch(/read-only/);
  });

  it('leaves other errors alone: a constraint failure is a bug or bad input, not storage', () => {
    const constraint = sqliteError((db) => {
      db.exec('CREATE TABLE t (a UNIQUE)');
      db.prepare('INSERT INTO t VALUES (1)').run();
      db.prepare('INSERT INTO t VALUES (1)').run();
    });
    expect(storageProblemOf(constraint)).toBeUndefined();
    expect(storageProblemOf(new Error('plain'))).toBeUndefined();
    expect(storageProblemOf('a string')).toBeUndefined();
  });

  it('describes an error for the log without the query parameters drizzle puts in its message', () => {
    const wrapper = new Error('Failed query: insert into "patients" params: Jane Doe,MRN-0042');
    const logged = loggableError(new Error('outer', { cause: wrapper }));
    expect(JSON.stringify(logged)).not.toMatch(/Jane|MRN-0042/);
    const full = sqliteError((db) => {
      db.pragma('query_only = ON');
      db.exec('CREATE TABLE t (a)');
    });
    expect(loggableError(new Error('Failed query: x', { cause: full }))).toMatchObject({
      type: 'SqliteError',
      code: 'SQLITE_READONLY',
    });
  });
});
