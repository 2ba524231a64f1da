import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  backupDatabase,
  BackupRefused,
  checkDatabaseFile,
  isDatabaseInUse,
  pruneBackups,
  readBackupSchedule,
  restoreDatabase,
  startBackupSchedule,
} from './backup.ts';
import { ConfigError } from './config.ts';
import { applyMigrations, openDatabase } from './db/client.ts';
import { wards } from './db/schema.ts';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-backup-'));
  dirs.push(dir);
  return dir;
}

function wardDatabase(dir: string, names: readonly string[]) {
  const file = path.join(dir, 'ward.db');
  const db = openDatabase(file);
  applyMigrations(db);
  for (const name of names) db.insert(wards).values({ name }).run();
  return { file, db };
}

describe('backup and restore', () => {
  it('copies a live database into a checked, self-contained file and never overwrites one', async () => {
    const dir = tempDir();
    const { db } = wardDatabase(dir, ['Neuro A', 'Neuro B']);
    const target = path.join(dir, 'copy.db');
    const result = await backupDatabase(db.$client, target);
    expect(result.bytes).toBeGreaterThan(0);
    expect(checkDatabaseFile(target)).toMatchObject({ ok: true });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'copy.db',
      'ward.db',
      'ward.db-shm',
      'ward.db-wal',
    ]);
    await expect(backupDatabase(db.$client, target)).rejects.toThrow(BackupRefused);
    db.$client.close();
  });

  it('refuses to restore over an open database, or from a file that is not a sound OssiWatch database', async () => {
    const dir = tempDir();
    const { file, db } = wardDatabase(dir, ['Neuro A']);
    const target = path.join(dir, 'copy.db');
    await backupDatabase(db.$client, target);
    expect(isDatabaseInUse(file)).toBe(true);
    expect(() => restoreDatabase(target, file)).toThrow(/in use/);

    const notOurs = path.join(dir, 'other.db');
    fs.writeFileSync(notOurs, 'SQLite format 3\u0000 but not really');
    expect(() => restoreDatabase(notOurs, file)).toThrow(/cannot be restored/);
    db.$client.close();
  });

  it('restores into a stopped installation and keeps the database it replaced', async () => {
    const dir = tempDir();
    const { file, db } = wardDatabase(dir, ['Neuro A']);
    const target = path.join(dir, 'copy.db');
    await backupDatabase(db.$client, target);
    db.insert(wards).values({ name: 'After the backup' }).run();
    db.$client.close();

    expect(isDatabaseInUse(file)).toBe(false);
    const restored = restoreDatabase(target, file, new Date('2026-03-02T08:00:00Z'));
    expect(restored.previous).toBe(`${file}.before-restore-20260302T080000Z`);
    const reopened = openDatabase(file);
    expect(
      reopened
        .select()
        .from(wards)
        .all()
        .map((ward) => ward.name),
    ).toEqual(['Neuro A']);
    reopened.$client.close();
    const previous = openDatabase(restored.previous ?? '');
    expect(previous.select().from(wards).all()).toHaveLength(2);
    previous.$client.close();
  });
});

describe('the backup schedule', () => {
  it('reads BACKUP_DIR, BACKUP_INTERVAL_MINUTES and BACKUP_RETENTION, refusing bad values by name', () => {
    expect(readBackupSchedule({})).toBeUndefined();
    expect(readBackupSchedule({ BACKUP_DIR: 'b' }, '/srv')).toEqual({
      dir: '/srv/b',
      intervalMinutes: 60,
      retention: 24,
    });
    expect(() => readBackupSchedule({ BACKUP_DIR: 'b', BACKUP_INTERVAL_MINUTES: '0' })).toThrow(
      ConfigError,
    );
    expect(() => readBackupSchedule({ BACKUP_DIR: 'b', BACKUP_RETENTION: '2.5' })).toThrow(
      /BACKUP_RETENTION/,
    );
  });

  it('keeps the newest backups only, and leaves other files alone', () => {
    const dir = tempDir();
    const names = ['20260301T000000Z', '20260302T000000Z', '20260303T000000Z'].map(
      (stamp) => `ossiwatch-${stamp}.db`,
    );
    for (const name of [...names, 'notes.txt']) fs.writeFileSync(path.join(dir, name), '');
    expect(pruneBackups(dir, 2)).toEqual([names[0]]);
    expect(fs.readdirSync(dir).sort()).toEqual(['notes.txt', names[1], names[2]]);
  });

  it('writes a backup every interval from the server’s own connection', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-03-02T08:00:00Z'));
    const dir = tempDir();
    const { db } = wardDatabase(dir, ['Neuro A']);
    const backupDir = path.join(dir, 'backups');
    const logged: string[] = [];
    const schedule = startBackupSchedule(
      db.$client,
      { dir: backupDir, intervalMinutes: 15, retention: 3 },
      { info: (_detail, message) => logged.push(message), error: (_d, m) => logged.push(m) },
    );
    vi.advanceTimersByTime(15 * 60_000);
    await vi.waitFor(() => expect(logged).toEqual(['scheduled backup written']), {
      timeout: 5000,
    });
    await schedule.stop();
    expect(fs.readdirSync(backupDir)).toEqual(['ossiwatch-20260302T081500Z.db']);
    db.$client.close();
  });
});
