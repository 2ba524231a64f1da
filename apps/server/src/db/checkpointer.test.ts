import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';
import { openDatabase } from './client.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function databaseFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-checkpointer-'));
  dirs.push(dir);
  return path.join(dir, 'test.db');
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

/** About 2 MB of rows in 40 commits: 500 pages, below SQLite's own 1,000-page automatic checkpoint. */
function writeCommits(db: ReturnType<typeof openDatabase>): void {
  db.$client.exec('CREATE TABLE filler (text TEXT)');
  const insert = db.$client.prepare('INSERT INTO filler VALUES (?)');
  for (let i = 0; i < 40; i += 1) {
    db.$client.transaction(() => {
      for (let j = 0; j < 10; j += 1) insert.run('x'.repeat(5000));
    })();
  }
}

describe('checkpoint thread', () => {
  it('copies committed pages into the database file without the server connection checkpointing', async () => {
    const file = databaseFile();
    const db = openDatabase(file);
    const checkpointer = startCheckpointer(file, db.$client, (error) => {
      throw error;
    });
    expect(checkpointer).not.toBeNull();
    expect(db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(
      FALLBACK_AUTOCHECKPOINT_PAGES,
    );
    const before = fs.statSync(file).size;
    writeCommits(db);
    // Only a checkpoint grows the database file; the server's own threshold is far away.
    const grown = await waitFor(() => fs.statSync(file).size > before + 1_500_000, 5_000);
    expect(grown).toBe(true);
    await checkpointer?.stop();
    db.$client.close();
  });

  it('without it, the same commits stay in the WAL (what the test above relies on)', () => {
    const file = databaseFile();
    const db = openDatabase(file);
    db.$client.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    const before = fs.statSync(file).size;
    writeCommits(db);
    expect(fs.statSync(file).size).toBeLessThan(before + 100_000);
    db.$client.close();
  });

  it('is not started for an in-memory database', () => {
    const db = openDatabase(':memory:');
    expect(startCheckpointer(':memory:', db.$client, () => undefined)).toBeNull();
    db.$client.close();
  });
});
