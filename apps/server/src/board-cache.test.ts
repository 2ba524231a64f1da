import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type OssiwatchDb } from './db/client.ts';
import { admitPatient, callerAs, makeUser, makeWard, migratedMemoryDb } from './test-support.ts';

const DAY = 86_400_000;
const INJURY = '2026-01-01T12:00:00.000Z';
const dayAfterInjury = (days: number, hours = 0) =>
  new Date(Date.parse(INJURY) + days * DAY + hours * 3_600_000);

async function twoWards(db: OssiwatchDb = migratedMemoryDb()) {
  const a = makeWard(db, 'A', 4);
  const b = makeWard(db, 'B', 4);
  const nurse = await makeUser(db, ['nurse'], [a.wardId, b.wardId]);
  const therapist = await makeUser(db, ['therapist'], [a.wardId, b.wardId]);
  const admin = await makeUser(db, ['admin'], []);
  return { db, a, b, nurse, therapist, admin };
}

const hipReading = [
  { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 110 },
] as const;

describe('ward.board between changes', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('shows a write on the ward at the next read, and each read is still audited', async () => {
    const { db, a, b, nurse, therapist } = await twoWards();
    const now = dayAfterInjury(20);
    const clock = () => now;
    const onA = admitPatient(db, { wardId: a.wardId, bedId: a.bedIds[0] });
    const onB = admitPatient(db, { wardId: b.wardId, bedId: b.bedIds[0] });
    const nurseCaller = callerAs(db, nurse, clock);
    const pt = callerAs(db, therapist, clock);

    expect((await nurseCaller.ward.board({ wardId: a.wardId })).patients[0]).toMatchObject({
      patientId: onA,
      lastRomAt: null,
    });
    // A write on another ward leaves this one as it was.
    await pt.rom.recordSession({
      patientId: onB,
      takenAt: now.toISOString(),
      readings: [...hipReading],
    });
    expect((await nurseCaller.ward.board({ wardId: a.wardId })).patients[0]?.lastRomAt).toBeNull();
    expect((await nurseCaller.ward.board({ wardId: b.wardId })).patients[0]?.lastRomAt).toBe(
      now.toISOString(),
    );

    await pt.rom.recordSession({
      patientId: onA,
      takenAt: now.toISOString(),
      readings: [...hipReading],
    });
    expect((await nurseCaller.ward.board({ wardId: a.wardId })).patients[0]?.lastRomAt).toBe(
      now.toISOString(),
    );

    const reads = await callerAs(db, await makeUser(db, ['admin'], []), clock).audit.list({
      action: 'ward.board',
    });
    expect(reads.entries.filter((entry) => entry.action === 'ward.board')).toHaveLength(4);
  });

  it('is not served stale once a stored assessment has run out: the vigilance window opens on its day', async () => {
    const { db, a, nurse } = await twoWards();
    let now = dayAfterInjury(12);
    const clock = () => now;
    const patientId = admitPatient(db, {
      wardId: a.wardId,
      bedId: a.bedIds[0],
      admittedAt: dayAfterInjury(5).toISOString(),
      injury: { lowestGcs: 5 },
    });
    const caller = callerAs(db, nurse, clock);
    expect((await caller.ward.board({ wardId: a.wardId })).patients[0]).toMatchObject({
      patientId,
      inVigilanceWindow: false,
    });
    now = dayAfterInjury(13, -1);
    expect((await caller.ward.board({ wardId: a.wardId })).patients[0]?.inVigilanceWindow).toBe(
      false,
    );
    now = dayAfterInjury(14, 1);
    expect((await caller.ward.board({ wardId: a.wardId })).patients[0]).toMatchObject({
      patientId,
      inVigilanceWindow: true,
      daysSinceInjury: 14,
    });
  });

  it('counts a birthday from the UTC midnight it starts', async () => {
    const { db, a, nurse } = await twoWards();
    // The test patients are born on 1980-06-15.
    let now = new Date('2026-06-14T23:30:00.000Z');
    const caller = callerAs(db, nurse, () => now);
    admitPatient(db, { wardId: a.wardId, bedId: a.bedIds[0] });
    expect((await caller.ward.board({ wardId: a.wardId })).patients[0]?.age).toBe(45);
    now = new Date('2026-06-15T00:00:30.000Z');
    expect((await caller.ward.board({ wardId: a.wardId })).patients[0]?.age).toBe(46);
  });

  it('shows a renamed ward by its new name', async () => {
    const { db, a, nurse, admin } = await twoWards();
    const nurseCaller = callerAs(db, nurse);
    expect((await nurseCaller.ward.board({ wardId: a.wardId })).ward.name).toBe('A');
    await callerAs(db, admin).admin.wards.rename({
      wardId: a.wardId,
      expectedVersion: 1,
      name: 'Neuro Rehab',
    });
    expect((await nurseCaller.ward.board({ wardId: a.wardId })).ward.name).toBe('Neuro Rehab');
  });

  it('shows what another process wrote to the database (the CLI, a restore)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-board-cache-'));
    const file = path.join(dir, 'ossiwatch.db');
    const db = openDatabase(file);
    applyMigrations(db);
    const other = new Database(file);
    cleanups.push(() => {
      other.close();
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const { a, nurse } = await twoWards(db);
    const patientId = admitPatient(db, { wardId: a.wardId, bedId: a.bedIds[0], name: 'Old Name' });
    const caller = callerAs(db, nurse);
    expect((await caller.ward.board({ wardId: a.wardId })).patients[0]?.name).toBe('Old Name');
    other.prepare('UPDATE patients SET name = ? WHERE id = ?').run('New Name', patientId);
    expect((await caller.ward.board({ wardId: a.wardId })).patients[0]?.name).toBe('New Name');
  });
});
