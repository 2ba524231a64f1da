/**
 * The restore drill (PRODUCT §8): `pnpm ossiwatch backup` while therapists keep saving sessions, the
 * copy checked, `restore` refused over a running server and from a damaged file, then restored into
 * the stopped installation, started, and every reading acknowledged before the backup began found.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { checkDatabaseFile } from '../../src/backup.ts';
import {
  ApiClient,
  expectOk,
  fetchTransport,
  integrityCheck,
  romSession,
  runCli,
  sleep,
  startServer,
  type ServerProcess,
} from './support.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-restore-'));
const live: ServerProcess[] = [];
afterAll(() => {
  for (const server of live) server.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

it('backs up under load and restores every reading acknowledged before the backup began', async () => {
  const file = path.join(dir, 'ward.db');
  const backupFile = path.join(dir, 'backups', 'ward-backup.db');
  fs.mkdirSync(path.dirname(backupFile));
  fs.copyFileSync(inject('demoTemplate'), file);
  const env = { OSSIWATCH_MODE: 'demo', DATABASE_PATH: file };
  let server = await startServer(env);
  live.push(server);
  const client = new ApiClient(fetchTransport(() => server.url));
  await client.login('therapist', 'ossiwatch-demo');
  const [ward] = expectOk<{ id: number }[]>(await client.query('ward.list'));
  const board = expectOk<{ patients: { patientId: number }[] }>(
    await client.query('ward.board', { wardId: ward?.id }),
  );
  const patientIds = board.patients.map((patient) => patient.patientId).slice(0, 8);

  const acknowledged = new Map<number, { patientId: number; degrees: number }>();
  let stopWriting = false;
  const writer = async (index: number): Promise<void> => {
    for (let n = 0; !stopWriting; n += 1) {
      const patientId = patientIds[(index + n * 2) % patientIds.length] ?? 0;
      const session = romSession(patientId, 20, index * 7919 + n);
      const { readingIds } = expectOk<{ readingIds: number[] }>(
        await client.mutation('rom.recordSession', session),
      );
      readingIds.forEach((id, i) =>
        acknowledged.set(id, { patientId, degrees: session.readings[i]?.degrees ?? NaN }),
      );
    }
  };
  const writers = [writer(0), writer(1)];
  while (acknowledged.size < 100) await sleep(5);

  // The backup starts now: everything acknowledged so far must be in it.
  const beforeBackup = new Map(acknowledged);
  const backup = await runCli(['backup', backupFile], { DATABASE_PATH: file });
  expect(backup.output).toMatch(/integrity check ok/);
  expect(backup.code).toBe(0);
  const duringBackup = acknowledged.size - beforeBackup.size;
  const afterBackupTarget = acknowledged.size + 60;
  while (acknowledged.size < afterBackupTarget) await sleep(5);
  stopWriting = true;
  await Promise.all(writers);

  expect(checkDatabaseFile(backupFile)).toMatchObject({ ok: true });

  // Restoring over a running server is refused, and changes nothing.
  const whileRunning = await runCli(['restore', backupFile], { DATABASE_PATH: file });
  expect(whileRunning.code).toBe(1);
  expect(whileRunning.output).toMatch(/in use: stop the OssiWatch server/);
  expect((await client.query('rom.list', { patientId: patientIds[0] })).ok).toBe(true);

  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);

  // A damaged copy is refused: one page of the file overwritten.
  const damaged = path.join(dir, 'damaged.db');
  fs.copyFileSync(backupFile, damaged);
  const fd = fs.openSync(damaged, 'r+');
  fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 3);
  fs.closeSync(fd);
  const refused = await runCli(['restore', damaged], { DATABASE_PATH: file });
  expect(refused.code).toBe(1);
  expect(refused.output).toMatch(/cannot be restored/);

  const restored = await runCli(['restore', backupFile], { DATABASE_PATH: file });
  expect(restored.code, restored.output).toBe(0);
  expect(restored.output).toMatch(/the database it replaced is kept at/);

  server = await startServer(env);
  live.push(server);
  await client.login('therapist', 'ossiwatch-demo');
  const present = new Map<number, number>();
  for (const patientId of patientIds) {
    const listed = expectOk<{ id: number; degrees: number }[]>(
      await client.query('rom.list', { patientId }),
    );
    for (const reading of listed) present.set(reading.id, reading.degrees);
  }
  const missing = [...beforeBackup].filter(([id, sent]) => present.get(id) !== sent.degrees);
  expect(missing).toEqual([]);
  // Readings acknowledged after the backup's snapshot are not in it: that is what a restore loses.
  const laterPresent = [...acknowledged.keys()].filter(
    (id) => !beforeBackup.has(id) && present.has(id),
  ).length;

  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
  const check = new Database(file, { readonly: true, fileMustExist: true });
  expect(integrityCheck(check)).toBe('ok');
  check.close();
  process.stdout.write(
    `restore drill: ${backup.output.trim()}; ${beforeBackup.size} readings acknowledged before the ` +
      `backup all restored; ${duringBackup} acknowledged while it ran, ${acknowledged.size - beforeBackup.size} ` +
      `after it began (${laterPresent} of those in the snapshot)\n`,
  );
});
