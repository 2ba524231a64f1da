/**
 * Storage trouble (PRODUCT §8): a full disk or a read-only database file refuses writes with a clear
 * 503, leaves nothing half-written, keeps reads working, and recovers without a restart.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { applyMigrations, openDatabase, type OssiwatchDb } from '../../src/db/client.ts';
import * as schema from '../../src/db/schema.ts';
import { migratedMemoryDb, testConfig } from '../../src/test-support.ts';
import { ApiClient, expectOk, injectTransport, makeFixture, romSession } from './support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fileServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-storage-'));
  const file = path.join(dir, 'ward.db');
  const db = openDatabase(file);
  applyMigrations(db);
  const fixture = await makeFixture(db, { patients: 2, prefix: 'disk' });
  const app = await buildApp({ db, config: { ...testConfig, databasePath: file } });
  await app.ready();
  cleanups.push(async () => {
    await app.close();
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const therapist = new ApiClient(injectTransport(app));
  await therapist.login(fixture.users.therapist);
  return { file, db, app, fixture, therapist };
}

function counts(db: OssiwatchDb) {
  const count = (sql: string): number => db.$client.prepare(sql).pluck().get() as number;
  return {
    sessions: count('SELECT count(*) FROM rom_sessions'),
    readings: count('SELECT count(*) FROM rom_readings'),
    orphanSessions: count(
      'SELECT count(*) FROM rom_sessions s WHERE NOT EXISTS (SELECT 1 FROM rom_readings r WHERE r.session_id = s.id)',
    ),
    writeAudits: count(
      "SELECT count(*) FROM audit_log WHERE action = 'rom.recordSession' AND outcome = 'success'",
    ),
  };
}

describe('a full disk', () => {
  it('refuses writes with 503 "storage is full", keeps reads, and recovers when space returns', async () => {
    const { db, therapist, fixture } = await fileServer();
    const patientId = fixture.patientIds[0] ?? 0;
    const before = counts(db);

    // The disk fills up: the database may not grow past the pages it has now.
    const pages = db.$client.pragma('page_count', { simple: true }) as number;
    db.$client.pragma(`max_page_count = ${pages}`);

    let acknowledged = 0;
    let refusal: Awaited<ReturnType<ApiClient['mutation']>> | undefined;
    for (let attempt = 0; attempt < 200 && !refusal; attempt += 1) {
      const result = await therapist.mutation(
        'rom.recordSession',
        romSession(patientId, 20, attempt),
      );
      if (result.ok) acknowledged += 1;
      else refusal = result;
    }
    expect(refusal, 'the full disk must refuse a write within 200 sessions').toBeDefined();
    if (!refusal || refusal.ok) return;
    expect(refusal.status).toBe(503);
    expect(refusal.code).toBe('SERVICE_UNAVAILABLE');
    expect(refusal.message).toMatch(/storage is full: nothing was saved/);
    expect(refusal.body).not.toMatch(/SQLITE|at .*\.ts/);

    // Nothing half-written: exactly the acknowledged sessions, each with its 20 readings and its audit row.
    const during = counts(db);
    expect(during.sessions - before.sessions).toBe(acknowledged);
    expect(during.readings - before.readings).toBe(acknowledged * 20);
    expect(during.writeAudits - before.writeAudits).toBe(acknowledged);
    expect(during.orphanSessions).toBe(0);

    // Reads keep working.
    const list = expectOk<unknown[]>(await therapist.query('rom.list', { patientId }));
    expect(list).toHaveLength(during.readings - before.readings);
    expect((await therapist.query('ward.board', { wardId: fixture.wardId })).status).toBe(200);

    // Space returns: the very next write succeeds, no restart.
    db.$client.pragma('max_page_count = 1073741823');
    const retried = await therapist.mutation('rom.recordSession', romSession(patientId, 20, 999));
    expect(retried.ok).toBe(true);
    expect(counts(db).readings - before.readings).toBe((acknowledged + 1) * 20);
    expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('a read-only database', () => {
  it('refuses writes with 503 "read-only" while reads keep working', async () => {
    const { file, db, fixture, therapist } = await fileServer();
    const patientId = fixture.patientIds[1] ?? 0;
    expect((await therapist.mutation('rom.recordSession', romSession(patientId, 5, 1))).ok).toBe(
      true,
    );
    const before = counts(db);

    // The same file opened read-only, as after a remount or a permissions change.
    const readOnlySqlite = new Database(file, { readonly: true, fileMustExist: true });
    const readOnlyDb: OssiwatchDb = drizzle(readOnlySqlite, { schema });
    const readOnlyApp = await buildApp({
      db: readOnlyDb,
      config: { ...testConfig, databasePath: file },
    });
    cleanups.push(async () => {
      await readOnlyApp.close();
      readOnlySqlite.close();
    });
    const sameUser = new ApiClient(injectTransport(readOnlyApp));
    sameUser.cookie = therapist.cookie;

    const refused = await sameUser.mutation('rom.recordSession', romSession(patientId, 5, 2));
    expect(refused).toMatchObject({ ok: false, status: 503, code: 'SERVICE_UNAVAILABLE' });
    if (!refused.ok) expect(refused.message).toMatch(/read-only at the moment: nothing was saved/);
    expect(expectOk<unknown[]>(await sameUser.query('rom.list', { patientId }))).toHaveLength(5);
    expect(counts(db)).toEqual(before);
  });

  it('recovers by itself once the database is writable again', async () => {
    const { db, fixture, therapist } = await fileServer();
    const patientId = fixture.patientIds[0] ?? 0;
    db.$client.pragma('query_only = ON');
    const refused = await therapist.mutation('rom.recordSession', romSession(patientId, 3, 3));
    expect(refused).toMatchObject({ ok: false, status: 503 });
    db.$client.pragma('query_only = OFF');
    const accepted = await therapist.mutation('rom.recordSession', romSession(patientId, 3, 3));
    expect(accepted.ok).toBe(true);
  });
});

describe('a signed-in user while writes are refused', () => {
  it('keeps reading after a minute idle, though the session’s last-seen time cannot be written', async () => {
    const db = migratedMemoryDb();
    const fixture = await makeFixture(db, { patients: 1, prefix: 'idle' });
    let at = Date.now();
    const app = await buildApp({ db, config: testConfig, now: () => new Date(at) });
    cleanups.push(async () => {
      await app.close();
      db.$client.close();
    });
    const nurse = new ApiClient(injectTransport(app));
    await nurse.login(fixture.users.nurse);
    at += 2 * 60_000;
    db.$client.pragma('query_only = ON');
    const board = await nurse.query('ward.board', { wardId: fixture.wardId });
    db.$client.pragma('query_only = OFF');
    expect(board.status).toBe(200);
  });
});
