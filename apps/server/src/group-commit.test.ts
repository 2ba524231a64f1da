import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OssiwatchDb } from './db/client.ts';
import { commitWrite, flushWrites } from './group-commit.ts';
import { storageProblemOf } from './storage-errors.ts';

const dirs: string[] = [];

/** A database file with one table, and a second connection that sees only committed rows. */
function arrange(): { db: OssiwatchDb; other: Database.Database; rows: () => string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-group-commit-'));
  dirs.push(dir);
  const file = path.join(dir, 'test.db');
  const db = openDatabase(file);
  db.$client.exec(`
    CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE note (
      id INTEGER PRIMARY KEY,
      text TEXT NOT NULL,
      parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED
    );`);
  const other = new Database(file);
  const select = other.prepare<[], string>('SELECT text FROM note ORDER BY id').pluck();
  return { db, other, rows: () => select.all() };
}

function insert(db: OssiwatchDb, text: string, parentId: number | null = null): void {
  db.$client.prepare('INSERT INTO note (text, parent_id) VALUES (?, ?)').run(text, parentId);
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('group commit', () => {
  it('commits the writes of one turn together and answers each only once all are visible to other connections', async () => {
    const { db, other, rows } = arrange();
    const seenByFirstAnswer: string[][] = [];
    const writes = ['a', 'b', 'c'].map((text) =>
      commitWrite(db, () => {
        expect(db.$client.inTransaction).toBe(true);
        insert(db, text);
        return text;
      }),
    );
    void writes[0]?.then(() => seenByFirstAnswer.push(rows()));
    expect(rows()).toEqual([]);
    await expect(Promise.all(writes)).resolves.toEqual(['a', 'b', 'c']);
    // The first answer already found the third write on the disk: one commit for the three.
    expect(seenByFirstAnswer).toEqual([['a', 'b', 'c']]);
    other.close();
  });

  it('runs the writes in arrival order, each seeing those before it', async () => {
    const { db, other } = arrange();
    const count = db.$client.prepare<[], number>('SELECT count(*) FROM note').pluck();
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((text) =>
        commitWrite(db, () => {
          const before = count.get();
          insert(db, text);
          return before;
        }),
      ),
    );
    expect(seen).toEqual([0, 1, 2]);
    other.close();
  });

  it('undoes a refused write alone: the others of its batch are saved', async () => {
    const { db, other, rows } = arrange();
    const refusal = new Error('CONFLICT: changed by someone else');
    const results = await Promise.allSettled([
      commitWrite(db, () => insert(db, 'first')),
      commitWrite(db, () => {
        insert(db, 'refused');
        throw refusal;
      }),
      commitWrite(db, () => insert(db, 'third')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: refusal });
    expect(rows()).toEqual(['first', 'third']);
    other.close();
  });

  it('when the commit itself fails, fails every write of the batch and saves none of them', async () => {
    const { db, other, rows } = arrange();
    // A deferred foreign key is checked only at COMMIT: the savepoint is released, the commit refused.
    const results = await Promise.allSettled([
      commitWrite(db, () => insert(db, 'innocent')),
      commitWrite(db, () => insert(db, 'orphan', 999)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(rows()).toEqual([]);
    expect(db.$client.inTransaction).toBe(false);
    // The next batch starts clean.
    await commitWrite(db, () => insert(db, 'after'));
    expect(rows()).toEqual(['after']);
    other.close();
  });

  it('on a full disk, never acknowledges a write it did not save, nor refuses one it saved', async () => {
    const { db, other, rows } = arrange();
    insert(db, 'x'.repeat(100));
    const pages = db.$client.pragma('page_count', { simple: true }) as number;
    db.$client.pragma(`max_page_count = ${pages + 2}`);
    const texts = Array.from({ length: 6 }, (_, i) => `${i}:${'y'.repeat(3000)}`);
    const results = await Promise.allSettled(
      texts.map((text) => commitWrite(db, () => insert(db, text))),
    );
    const saved = rows().slice(1);
    const acknowledged = texts.filter((_, i) => results[i]?.status === 'fulfilled');
    expect(saved).toEqual(acknowledged);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(storageProblemOf(r.reason)?.kind).toBe('full');
    other.close();
  });

  it('flushWrites runs the queued writes at once (shutdown), and a closed database refuses them', async () => {
    const { db, other, rows } = arrange();
    const queued = commitWrite(db, () => insert(db, 'before shutdown'));
    flushWrites(db);
    expect(rows()).toEqual(['before shutdown']);
    await queued;
    const late = commitWrite(db, () => insert(db, 'too late'));
    db.$client.close();
    await expect(late).rejects.toThrow(/closed; nothing was saved/);
    other.close();
  });
});
