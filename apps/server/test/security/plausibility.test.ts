/**
 * Finding 5 of the security review, over HTTP: names without hidden characters, a date of birth a
 * patient can have, and clinical times within the patient's life and stay, for every record input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { complications, hoDiagnoses, imaging, patients } from '../../src/db/schema.ts';
import { clinicalLookbackDays } from '../../src/plausibility.ts';
import { admitPatient, makeUser, makeWard } from '../../src/test-support.ts';
import { errorCodeOf, mutation, signIn, testServer, type TestServer } from './support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

async function arrange() {
  const server = await testServer();
  servers.push(server);
  const { wardId, bedIds } = makeWard(server.db, 'Neuro A');
  // Born 1980-06-15 (admitPatient), injured 2026-01-01, admitted 2026-01-10.
  const patientId = admitPatient(server.db, { wardId, bedId: bedIds[0] });
  // Injured long ago, admitted recently: the look-back from the admission applies.
  const oldInjury = admitPatient(server.db, {
    wardId,
    bedId: bedIds[1],
    injuryAt: '2019-05-01T00:00:00.000Z',
    admittedAt: '2026-01-10T09:00:00.000Z',
  });
  await makeUser(server.db, ['physician', 'nurse', 'therapist'], [wardId], 'doc');
  const cookie = await signIn(server, 'doc');
  return { server, cookie, wardId, bedId: bedIds[2]!, patientId, oldInjury };
}

function admission(wardId: number, bedId: number, overrides: Record<string, unknown>) {
  return {
    mrn: 'MRN-NEW',
    name: 'Ada Lovelace',
    dateOfBirth: '1990-01-01',
    sex: 'female',
    wardId,
    bedId,
    admittedAt: '2026-03-01T09:00:00.000Z',
    injury: {
      type: 'tbi',
      occurredAt: '2026-02-01T12:00:00.000Z',
      lowestGcs: 6,
      comaDays: null,
      ventilationDays: null,
      diffuseAxonalInjury: null,
      autonomicDysregulation: null,
      aisGrade: null,
      surgicalFractures: [],
    },
    ...overrides,
  };
}

describe('patient names and dates of birth', () => {
  it.each([
    ['a right-to-left override', 'Ada \u202Eecalevol'],
    ['a zero-width space', 'Ada\u200B Lovelace'],
    ['a control character', 'Ada\u0007 Lovelace'],
    ['a left-to-right isolate', 'Ada \u2066Lovelace'],
  ])('refuses a name with %s, naming the field', async (_what, name) => {
    const { server, cookie, wardId, bedId } = await arrange();
    const before = server.db.select({ n: count() }).from(patients).get()!.n;
    const response = await mutation(server, 'patient.admit', admission(wardId, bedId, { name }), {
      cookie,
    });
    expect(errorCodeOf(response)).toBe('BAD_REQUEST');
    expect(response.body).toContain('name: must not contain control or invisible');
    expect(server.db.select({ n: count() }).from(patients).get()!.n).toBe(before);
  });

  it.each([
    ['2999-01-01', 'in the future'],
    ['2026-03-04', 'in the future'],
    ['1905-12-31', 'more than 120 years ago'],
  ])('refuses the date of birth %s', async (dateOfBirth, reason) => {
    const { server, cookie, wardId, bedId } = await arrange();
    const response = await mutation(
      server,
      'patient.admit',
      admission(wardId, bedId, { dateOfBirth }),
      { cookie },
    );
    expect(errorCodeOf(response)).toBe('BAD_REQUEST');
    expect(response.body).toContain(`dateOfBirth: ${dateOfBirth} is ${reason}`);
  });

  it('refuses an injury before the birth, at admission and when corrected', async () => {
    const { server, cookie, wardId, bedId, patientId } = await arrange();
    const admitted = await mutation(
      server,
      'patient.admit',
      admission(wardId, bedId, {
        dateOfBirth: '2000-05-05',
        injury: { ...admission(0, 0, {}).injury, occurredAt: '1999-01-01T00:00:00.000Z' },
        admittedAt: '2026-03-01T09:00:00.000Z',
      }),
      { cookie },
    );
    expect(errorCodeOf(admitted)).toBe('BAD_REQUEST');
    expect(admitted.body).toContain('injury.occurredAt');
    const corrected = await mutation(
      server,
      'patient.updateInjury',
      {
        patientId,
        expectedVersion: 1,
        ...admission(0, 0, {}).injury,
        occurredAt: '1970-01-01T00:00:00.000Z',
      },
      { cookie },
    );
    expect(errorCodeOf(corrected)).toBe('BAD_REQUEST');
    expect(corrected.body).toContain(
      'occurredAt: 1970-01-01T00:00:00.000Z is before the date of birth',
    );
  });

  it('accepts a plausible admission', async () => {
    const { server, cookie, wardId, bedId } = await arrange();
    const response = await mutation(server, 'patient.admit', admission(wardId, bedId, {}), {
      cookie,
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('clinical times', () => {
  it('refuses imaging dated year 1, a diagnosis in 1000 and a complication in 1850', async () => {
    const { server, cookie, patientId } = await arrange();
    const scan = await mutation(
      server,
      'imaging.record',
      {
        patientId,
        takenAt: '0001-01-01T00:00:00.000Z',
        modality: 'xray',
        site: 'hip',
        side: 'left',
        result: 'negative',
      },
      { cookie },
    );
    expect(errorCodeOf(scan)).toBe('BAD_REQUEST');
    expect(scan.body).toContain('takenAt: 0001-01-01T00:00:00.000Z is before the date of birth');
    const diagnosis = await mutation(
      server,
      'diagnosis.record',
      {
        patientId,
        diagnosedAt: '1000-01-01T00:00:00.000Z',
        site: 'hip',
        side: 'left',
        finding: 'ho_confirmed',
      },
      { cookie },
    );
    expect(errorCodeOf(diagnosis)).toBe('BAD_REQUEST');
    expect(diagnosis.body).toContain('diagnosedAt');
    const complication = await mutation(
      server,
      'complication.start',
      {
        patientId,
        onsetAt: '1850-01-01T00:00:00.000Z',
        presentOnAdmission: true,
        complication: { kind: 'pneumonia' },
      },
      { cookie },
    );
    expect(errorCodeOf(complication)).toBe('BAD_REQUEST');
    expect(complication.body).toContain('onsetAt');
    expect(server.db.select().from(imaging).all()).toEqual([]);
    expect(server.db.select().from(hoDiagnoses).all()).toEqual([]);
    expect(server.db.select().from(complications).all()).toEqual([]);
  });

  it('refuses imaging before the injury, and imaging more than the look-back before the admission', async () => {
    const { server, cookie, patientId, oldInjury } = await arrange();
    const reading = (id: number, takenAt: string) =>
      mutation(
        server,
        'imaging.record',
        { patientId: id, takenAt, modality: 'xray', site: 'hip', side: 'left', result: 'negative' },
        { cookie },
      );
    const beforeInjury = await reading(patientId, '2025-12-31T12:00:00.000Z');
    expect(errorCodeOf(beforeInjury)).toBe('BAD_REQUEST');
    expect(beforeInjury.body).toContain('is before the injury');
    const longAgo = await reading(oldInjury, '2023-01-01T12:00:00.000Z');
    expect(errorCodeOf(longAgo)).toBe('BAD_REQUEST');
    expect(longAgo.body).toContain('730 days before the admission');
    expect(server.db.select().from(imaging).all()).toEqual([]);
    // Within the look-back and after the injury: an outside clinic's earlier measurement is fine.
    expect((await reading(oldInjury, '2025-06-01T12:00:00.000Z')).statusCode).toBe(200);
  });

  it('reads the look-back from OSSIWATCH_CLINICAL_LOOKBACK_DAYS, refusing nonsense', () => {
    expect(clinicalLookbackDays({})).toBe(730);
    expect(clinicalLookbackDays({ OSSIWATCH_CLINICAL_LOOKBACK_DAYS: '365' })).toBe(365);
    for (const bad of ['0', '-1', '1.5', 'two years', '99999']) {
      expect(() => clinicalLookbackDays({ OSSIWATCH_CLINICAL_LOOKBACK_DAYS: bad })).toThrow(
        /OSSIWATCH_CLINICAL_LOOKBACK_DAYS/,
      );
    }
  });
});
