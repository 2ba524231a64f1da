/**
 * Graceful shutdown (PRODUCT §8): on SIGTERM the server stops accepting connections, finishes the
 * request it is in the middle of, ends live (SSE) streams, closes the database and exits 0 quickly.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import superjson from 'superjson';
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

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-shutdown-'));
const live: ServerProcess[] = [];
afterAll(() => {
  for (const server of live) server.child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

it('finishes the request in flight, ends live streams, closes the database and exits 0', async () => {
  const file = path.join(dir, 'ward.db');
  fs.copyFileSync(inject('demoTemplate'), file);
  const server = await startServer({ OSSIWATCH_MODE: 'demo', DATABASE_PATH: file });
  live.push(server);
  const client = new ApiClient(fetchTransport(() => server.url));
  await client.login('therapist', 'ossiwatch-demo');
  const [ward] = expectOk<{ id: number }[]>(await client.query('ward.list'));
  const wardId = ward?.id ?? 0;
  const board = expectOk<{ patients: { patientId: number }[] }>(
    await client.query('ward.board', { wardId }),
  );
  const patientId = board.patients[0]?.patientId ?? 0;

  // A ward board listening for changes.
  const streamInput = encodeURIComponent(JSON.stringify(superjson.serialize({ wardId })));
  const stream = await fetch(`${server.url}/trpc/ward.onChange?input=${streamInput}`, {
    headers: { accept: 'text/event-stream', cookie: client.cookie ?? '' },
  });
  expect(stream.status).toBe(200);
  const streamEnded = (async () => {
    const reader = stream.body?.getReader();
    try {
      while (reader && !(await reader.read()).done);
    } catch {
      // A reset also ends it; the point is that it does not keep the server alive.
    }
    return Date.now();
  })();

  // A session being uploaded when SIGTERM arrives: half the body now, the rest after the signal.
  const body = JSON.stringify(superjson.serialize(romSession(patientId, 20, 4242)));
  const url = new URL(`${server.url}/trpc/rom.recordSession`);
  const inFlight = http.request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      cookie: client.cookie ?? '',
    },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    inFlight.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    inFlight.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  inFlight.write(body.slice(0, half));
  await sleep(200);

  const signalledAt = Date.now();
  server.child.kill('SIGTERM');
  await sleep(300);

  // No new connections are accepted.
  const refused = await fetch(`${server.url}/healthz`).then(
    (res) => res.status,
    () => 'refused' as const,
  );
  expect(refused === 'refused' || refused === 503).toBe(true);

  inFlight.end(body.slice(half));
  const finished = await response;
  expect(finished.status).toBe(200);
  const { readingIds } = superjson.deserialize<{ readingIds: number[] }>(
    (JSON.parse(finished.text) as { result: { data: Parameters<typeof superjson.deserialize>[0] } })
      .result.data,
  );
  expect(readingIds).toHaveLength(20);

  const exit = await server.exited;
  const exitedAt = Date.now();
  expect(exit.code).toBe(0);
  expect(await streamEnded).toBeLessThanOrEqual(exitedAt + 100);
  expect(server.output()).toMatch(/SIGTERM: finishing requests and closing the database/);
  // It stopped by itself: the open stream did not hold it until the grace period cut it off.
  expect(server.output()).not.toMatch(/grace period over/);

  // The database was closed: SQLite folded the WAL into the file and removed it on the last close.
  expect(fs.existsSync(`${file}-wal`)).toBe(false);
  const closed = new Database(file, { readonly: true, fileMustExist: true });
  expect(integrityCheck(closed)).toBe('ok');
  const stored = closed
    .prepare(`SELECT count(*) FROM rom_readings WHERE id IN (${readingIds.join(',')})`)
    .pluck()
    .get();
  closed.close();
  expect(stored).toBe(20);
  process.stdout.write(
    `shutdown drill: exit 0 ${exitedAt - signalledAt} ms after SIGTERM, in-flight session saved, stream ended\n`,
  );
});
