/**
 * Structured logs (PRODUCT §7, §8): one JSON line per event with a request id that the response also
 * carries, method, path, status and duration, and never patient data: not in bodies, not in query
 * strings, not in the error a failed write logs (drizzle's message would list the patient's name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { migratedMemoryDb, testConfig } from '../../src/test-support.ts';
import { ADMITTED_AT, ApiClient, expectOk, injectTransport, makeFixture } from './support.ts';

const CANARY_NAME = 'Zebulon Quixote-Marchetti';
const CANARY_MRN = 'MRN-LOGCANARY-77';
const CANARY_DOB = '1961-07-19';

const db = migratedMemoryDb();
const lines: string[] = [];
let app: Awaited<ReturnType<typeof buildApp>>;
let nurse: ApiClient;
let wardId = 0;
let patientId = 0;
const responseIds: string[] = [];

function admission(mrn: string) {
  return {
    mrn,
    name: CANARY_NAME,
    dateOfBirth: CANARY_DOB,
    sex: 'male',
    wardId,
    bedId: null,
    admittedAt: ADMITTED_AT,
    injury: {
      type: 'sci',
      occurredAt: '2026-01-02T08:00:00.000Z',
      lowestGcs: null,
      comaDays: null,
      ventilationDays: null,
      diffuseAxonalInjury: null,
      autonomicDysregulation: null,
      aisGrade: 'A',
      surgicalFractures: [],
    },
  };
}

beforeAll(async () => {
  const fixture = await makeFixture(db, { patients: 1, prefix: 'logs' });
  wardId = fixture.wardId;
  app = await buildApp({
    db,
    config: testConfig,
    logger: { stream: { write: (line) => void lines.push(line) }, level: 'info' },
  });
  await app.ready();
  const transport = injectTransport(app);
  nurse = new ApiClient(async (request) => {
    const response = await transport(request);
    const id = response.headers['x-request-id'];
    if (typeof id === 'string') responseIds.push(id);
    return response;
  });
  await nurse.login(fixture.users.nurse);

  // A patient's name, MRN and date of birth travel in a body, a query string and a failing write.
  const admitted = expectOk<{ patientId: number }>(
    await nurse.mutation('patient.admit', admission(CANARY_MRN)),
  );
  patientId = admitted.patientId;
  expect((await nurse.query('patient.get', { patientId })).ok).toBe(true);
  expect((await nurse.query('ward.board', { wardId })).ok).toBe(true);
  await nurse.query('patient.get', { patientId, note: CANARY_NAME });
  await nurse.mutation('patient.admit', { ...admission(CANARY_MRN), dateOfBirth: CANARY_NAME });
  db.$client.pragma('query_only = ON');
  const refused = await nurse.mutation('patient.admit', admission(`${CANARY_MRN}-2`));
  db.$client.pragma('query_only = OFF');
  expect(refused.status).toBe(503);
});

afterAll(async () => {
  await app.close();
  db.$client.close();
});

describe('request logs', () => {
  it('are JSON lines, each request with an id that its response carries', () => {
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = entries.filter((entry) => entry.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(6);
    for (const entry of completed) {
      expect(entry.requestId).toEqual(expect.any(String));
      expect(Object.keys(entry.res as object)).toEqual(['statusCode']);
      expect(typeof (entry.res as { statusCode: unknown }).statusCode).toBe('number');
      expect(entry.responseTime).toEqual(expect.any(Number));
    }
    const incoming = entries.filter((entry) => entry.msg === 'incoming request');
    for (const entry of incoming) {
      const req = entry.req as { method: unknown; url: unknown };
      expect(Object.keys(req).sort()).toEqual(['method', 'url']);
      expect(String(req.url)).not.toContain('?');
    }
    const loggedIds = new Set(completed.map((entry) => entry.requestId));
    expect(responseIds.length).toBeGreaterThan(0);
    for (const id of responseIds) expect(loggedIds.has(id)).toBe(true);
  });

  it('log the refused write as a storage problem, by procedure and SQLite code', () => {
    const storage = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.storage === 'read_only');
    expect(storage).toMatchObject({
      procedure: 'patient.admit',
      sqliteCode: 'SQLITE_READONLY',
      level: 50,
    });
  });

  it('never contain the patient’s name, MRN or date of birth, nor a session cookie', () => {
    const all = lines.join('\n');
    expect(all).not.toContain(CANARY_NAME);
    expect(all).not.toContain('Zebulon');
    expect(all).not.toContain(CANARY_MRN);
    expect(all).not.toContain(CANARY_DOB);
    expect(all).not.toMatch(/ossiwatch_session/);
    expect(all).not.toMatch(/cookie/i);
  });
});
