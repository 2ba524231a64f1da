import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from '../src/db/client.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the database file', () => {
  it('opens in WAL mode with synchronous=FULL and foreign keys on', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-db-'));
    dirs.push(dir);
    const db = openDatabase(path.join(dir, 'nested', 'ward.db'));
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 = FULL
    expect(db.$client.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.$client.close();
  });

  it('applies migrations once: a second start applies none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-db-'));
    dirs.push(dir);
    const file = path.join(dir, 'ward.db');
    const first = openDatabase(file);
    expect(applyMigrations(first)).toBeGreaterThan(0);
    first.$client.close();
    const second = openDatabase(file);
    expect(applyMigrations(second)).toBe(0);
    second.$client.close();
  });
});
