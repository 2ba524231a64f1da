/**
 * Two clinicians editing the same record at once (PRODUCT §8): truly parallel HTTP requests, each on
 * its own connection, against a listening server. One edit wins; every other gets CONFLICT carrying
 * the current version; the stored record is exactly the winner's, and nothing is silently overwritten.
 */
import { PRESSURE_INJURY_STAGES } from '@ossiwatch/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { makeUser, migratedMemoryDb, testConfig } from '../../src/test-support.ts';
import { ApiClient, expectOk, fetchTransport, makeFixture, type CallResult } from './support.ts';

const db = migratedMemoryDb();
let app: Awaited<ReturnType<typeof buildApp>>;
let baseUrl = '';
let fixture: Awaited<ReturnType<typeof makeFixture>>;
/** Five clinicians on the ward: nurses and physicians, each signed in on their own session. */
const clinicians: ApiClient[] = [];
const physicians: ApiClient[] = [];

beforeAll(async () => {
  fixture = await makeFixture(db, { patients: 2, prefix: 'race' });
  const extraNurse = 'race-nurse-2';
  const extraPhysicians = ['race-physician-2', 'race-physician-3'];
  await makeUser(db, ['nurse'], [fixture.wardId], extraNurse);
  for (const name of extraPhysicians) await makeUser(db, ['physician'], [fixture.wardId], name);
  app = await buildApp({ db, config: testConfig });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const signIn = async (username: string): Promise<ApiClient> => {
    const client = new ApiClient(fetchTransport(() => baseUrl));
    await client.login(username);
    return client;
  };
  for (const name of [fixture.users.nurse, extraNurse]) clinicians.push(await signIn(name));
  for (const name of [fixture.users.physician, ...extraPhysicians]) {
    const client = await signIn(name);
    clinicians.push(client);
    physicians.push(client);
  }
});

afterAll(async () => {
  await app.close();
  db.$client.close();
});

function outcome(results: readonly CallResult[]) {
  const winners = results.flatMap((result, index) => (result.ok ? [index] : []));
  const conflicts = results.filter((result) => !result.ok && result.code === 'CONFLICT');
  return { winners, conflicts };
}

describe('parallel edits of one record', () => {
  it('complication.update: one of five simultaneous edits wins, the others get CONFLICT with the current version', async () => {
    const patientId = fixture.patientIds[0] ?? 0;
    const started = expectOk<{ id: number; version: number }>(
      await clinicians[0]!.mutation('complication.start', {
        patientId,
        onsetAt: new Date().toISOString(),
        presentOnAdmission: false,
        complication: {
          kind: 'pressure_injury',
          bodySite: 'sacrum',
          stage: '1',
          deviceRelated: false,
        },
      }),
    );
    let version = started.version;
    for (let round = 0; round < 10; round += 1) {
      const edits = clinicians.map((_, index) => ({
        stage: PRESSURE_INJURY_STAGES[(round + index) % PRESSURE_INJURY_STAGES.length],
        bodySite: `site ${round}-${index}`,
      }));
      const results = await Promise.all(
        clinicians.map((client, index) =>
          client.mutation('complication.update', {
            patientId,
            complicationId: started.id,
            expectedVersion: version,
            ...edits[index],
          }),
        ),
      );
      const { winners, conflicts } = outcome(results);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(conflicts).toHaveLength(clinicians.length - 1);
      for (const conflict of conflicts) {
        if (!conflict.ok) {
          expect(conflict.status).toBe(409);
          expect(conflict.data.currentVersion).toBe(version + 1);
          expect(conflict.message).toMatch(/changed by someone else/);
        }
      }
      const stored = db.$client
        .prepare('SELECT stage, body_site AS bodySite, version FROM complications WHERE id = ?')
        .get(started.id);
      expect(stored).toEqual({ ...edits[winners[0] ?? -1], version: version + 1 });
      version += 1;
    }
    const updates = db.$client
      .prepare(
        "SELECT count(*) FROM audit_log WHERE action = 'complication.update' AND outcome = 'success'",
      )
      .pluck()
      .get();
    expect(updates).toBe(10);
  });

  it('complication.resolve: two simultaneous resolutions, one wins and the other is told', async () => {
    const patientId = fixture.patientIds[1] ?? 0;
    const started = expectOk<{ id: number; version: number }>(
      await clinicians[1]!.mutation('complication.start', {
        patientId,
        onsetAt: new Date(Date.now() - 3_600_000).toISOString(),
        presentOnAdmission: false,
        complication: { kind: 'pneumonia' },
      }),
    );
    const resolvedAt = [new Date(Date.now() - 60_000), new Date()].map((at) => at.toISOString());
    const results = await Promise.all(
      [clinicians[1]!, clinicians[2]!].map((client, index) =>
        client.mutation('complication.resolve', {
          patientId,
          complicationId: started.id,
          resolvedAt: resolvedAt[index],
          expectedVersion: started.version,
        }),
      ),
    );
    const { winners, conflicts } = outcome(results);
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]?.ok === false && conflicts[0].data.currentVersion).toBe(
      started.version + 1,
    );
    const stored = db.$client
      .prepare('SELECT resolved_at AS resolvedAt FROM complications WHERE id = ?')
      .get(started.id) as { resolvedAt: string };
    expect(stored.resolvedAt).toBe(resolvedAt[winners[0] ?? -1]);
  });

  it('patient.updateInjury: three physicians at once, the winner’s details are the ones stored', async () => {
    const patientId = fixture.patientIds[0] ?? 0;
    const patient = expectOk<{ injury: { version: number } }>(
      await physicians[0]!.query('patient.get', { patientId }),
    );
    const version = patient.injury.version;
    const details = physicians.map((_, index) => ({
      patientId,
      expectedVersion: version,
      type: 'tbi' as const,
      occurredAt: '2026-01-01T12:00:00.000Z',
      lowestGcs: 4 + index,
      comaDays: 10 + index,
      ventilationDays: index,
      diffuseAxonalInjury: index % 2 === 0,
      autonomicDysregulation: null,
      aisGrade: null,
      surgicalFractures: [],
    }));
    const results = await Promise.all(
      physicians.map((client, index) => client.mutation('patient.updateInjury', details[index])),
    );
    const { winners, conflicts } = outcome(results);
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(physicians.length - 1);
    for (const conflict of conflicts) {
      expect(conflict.ok === false && conflict.data.currentVersion).toBe(version + 1);
    }
    const winner = details[winners[0] ?? -1];
    const stored = expectOk<{ injury: { lowestGcs: number; comaDays: number; version: number } }>(
      await physicians[0]!.query('patient.get', { patientId }),
    );
    expect(stored.injury).toMatchObject({
      lowestGcs: winner?.lowestGcs,
      comaDays: winner?.comaDays,
      version: version + 1,
    });
  });
});
