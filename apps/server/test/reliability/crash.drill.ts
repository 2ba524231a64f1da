/**
 * Crash durability (PRODUCT §8): the real server in demo mode, four therapists' worth of concurrent
 * goniometry sessions, and SIGKILL at random moments, five times. Every reading the server acknowledged
 * must be there after each restart, unchanged, and the file must pass `PRAGMA integrity_check`.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import {
  ApiClient,
  expectOk,
  fetchTransport,
  integrityCheck,
  romSession,
  sleep,
  startServer,
  type ServerProcess,
} from './support.ts';

const KILLS = 5;
const WRITERS = 4;
const READINGS_PER_SESSION = 20;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-crash-'));
const live: ServerProcess[] = [];
afterAll(() => {
  for (const server of live) server.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

interface SentReading {
  readonly patientId: number;
  readonly site: string;
  readonly side: string;
  readonly movement: string;
  readonly mode: string;
  readonly degrees: number;
}

it('loses no acknowledged reading across five kill -9 under four concurrent writers', async () => {
  const file = path.join(dir, 'ward.db');
  fs.copyFileSync(inject('demoTemplate'), file);
  const env = { OSSIWATCH_MODE: 'demo', DATABASE_PATH: file };
  let server = await startServer(env);
  live.push(server);

  const client = new ApiClient(fetchTransport(() => server.url));
  await client.login('therapist', 'ossiwatch-demo');
  const [ward] = expectOk<{ id: number }[]>(await client.query('ward.list'));
  expect(ward).toBeDefined();
  const board = expectOk<{ patients: { patientId: number }[] }>(
    await client.query('ward.board', { wardId: ward?.id }),
  );
  const patientIds = board.patients.map((patient) => patient.patientId).slice(0, 16);
  expect(patientIds.length).toBeGreaterThan(0);

  const acknowledged = new Map<number, SentReading>();
  let sessionsAcknowledged = 0;
  let requestsCutOff = 0;
  let stopWriting = false;
  let serverUp: Promise<void> = Promise.resolve();

  const writer = async (index: number): Promise<void> => {
    for (let n = 0; !stopWriting; n += 1) {
      const patientId = patientIds[(index + n * WRITERS) % patientIds.length] ?? 0;
      const session = romSession(patientId, READINGS_PER_SESSION, index * 1_000_003 + n);
      let result;
      try {
        result = await client.mutation('rom.recordSession', session);
      } catch {
        // The server died under this request: it was never acknowledged, so it may or may not be there.
        requestsCutOff += 1;
        await serverUp;
        await sleep(10);
        continue;
      }
      const { readingIds } = expectOk<{ readingIds: number[] }>(result);
      expect(readingIds).toHaveLength(READINGS_PER_SESSION);
      readingIds.forEach((id, i) => {
        const reading = session.readings[i];
        if (reading) acknowledged.set(id, { patientId, ...reading });
      });
      sessionsAcknowledged += 1;
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, index) => writer(index));

  const killedAfter: number[] = [];
  for (let kill = 1; kill <= KILLS; kill += 1) {
    // Let the writers get going on this server, then kill it at a random moment.
    const target = acknowledged.size + READINGS_PER_SESSION * (1 + Math.floor(Math.random() * 5));
    while (acknowledged.size < target) await sleep(5);
    await sleep(Math.random() * 100);
    let markUp: () => void = () => undefined;
    serverUp = new Promise((resolve) => (markUp = resolve));
    server.child.kill('SIGKILL');
    const exit = await server.exited;
    expect(exit.signal).toBe('SIGKILL');
    killedAfter.push(acknowledged.size);

    // The file as the crash left it (WAL included) is consistent before the server even starts.
    const afterCrash = new Database(file, { fileMustExist: true });
    expect(integrityCheck(afterCrash)).toBe('ok');
    const present = new Set(
      afterCrash.prepare('SELECT id FROM rom_readings').pluck().all() as number[],
    );
    afterCrash.close();
    const missing = [...acknowledged.keys()].filter((id) => !present.has(id));
    expect(missing, `acknowledged readings missing after kill ${kill}`).toEqual([]);

    server = await startServer(env);
    live.push(server);
    markUp();
  }

  // A last stretch of writing on the final server, then a clean stop.
  const finalTarget = acknowledged.size + READINGS_PER_SESSION * 4;
  while (acknowledged.size < finalTarget) await sleep(5);
  stopWriting = true;
  await Promise.all(writers);

  // Through the API, as a therapist would see them: every acknowledged reading, with its values.
  const byPatient = new Map<number, Map<number, SentReading>>();
  for (const [id, reading] of acknowledged) {
    const readings = byPatient.get(reading.patientId) ?? new Map<number, SentReading>();
    readings.set(id, reading);
    byPatient.set(reading.patientId, readings);
  }
  let verified = 0;
  for (const [patientId, sent] of byPatient) {
    const listed = expectOk<(SentReading & { id: number })[]>(
      await client.query('rom.list', { patientId }),
    );
    const stored = new Map(listed.map((reading) => [reading.id, reading]));
    for (const [id, reading] of sent) {
      const found = stored.get(id);
      expect(found, `reading ${id}`).toMatchObject({
        site: reading.site,
        side: reading.side,
        movement: reading.movement,
        mode: reading.mode,
        degrees: reading.degrees,
      });
      verified += 1;
    }
  }

  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
  const closed = new Database(file, { readonly: true, fileMustExist: true });
  expect(integrityCheck(closed)).toBe('ok');
  closed.close();

  expect(verified).toBe(acknowledged.size);
  expect(killedAfter).toHaveLength(KILLS);
  process.stdout.write(
    `crash drill: ${KILLS} kills (after ${killedAfter.join(', ')} acknowledged readings), ` +
      `${sessionsAcknowledged} sessions / ${acknowledged.size} readings acknowledged and verified, ` +
      `${requestsCutOff} requests cut off by a kill, integrity_check ok\n`,
  );
});
