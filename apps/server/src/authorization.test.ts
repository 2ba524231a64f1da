/**
 * The authorization matrix: every procedure × every role × own ward / other ward, generated from ONE
 * table. A procedure missing from the table fails the first test, so none can be forgotten.
 */
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import type { OssiwatchDb } from './db/client.ts';
import {
  accessChanges,
  catheterEpisodes,
  complications,
  emergencyAccess,
  interventions,
  ROLES,
  type Role,
} from './db/schema.ts';
import { createToken } from './features/tokens/tokens.ts';
import { appRouter } from './router.ts';
import {
  admitPatient,
  callerAs,
  callerFor,
  makeUser,
  makeWard,
  migratedMemoryDb,
  TEST_PASSWORD,
  type Caller,
} from './test-support.ts';

const NOW = new Date('2026-02-10T10:00:00.000Z');
const clock = () => NOW;
const EARLIER = '2026-02-10T09:00:00.000Z';

interface Place {
  readonly wardId: number;
  readonly bedId: number;
  readonly patientId: number;
  readonly catheterId: number;
  readonly complicationId: number;
  readonly interventionId: number;
  readonly romSessionId: number;
}

interface Fixture {
  readonly db: OssiwatchDb;
  /** The patient and records on the caller's ward, or on the other ward. */
  readonly place: Place;
}

function arrangePlace(db: OssiwatchDb, name: string): Place {
  const { wardId, bedIds } = makeWard(db, name);
  const patientId = admitPatient(db, { wardId, bedId: bedIds[0] });
  const catheterId = db
    .insert(catheterEpisodes)
    .values({ patientId, wardId, insertedAt: '2026-02-01T08:00:00.000Z' })
    .returning()
    .get().id;
  const complicationId = db
    .insert(complications)
    .values({ patientId, wardId, kind: 'pneumonia', onsetAt: '2026-02-02T08:00:00.000Z' })
    .returning()
    .get().id;
  const interventionId = db
    .insert(interventions)
    .values({
      patientId,
      kind: 'nsaid',
      drug: 'indomethacin',
      doseMg: 75,
      startedAt: '2026-02-01T08:00:00.000Z',
    })
    .returning()
    .get().id;
  const romSessionId = Number(
    db.$client
      .prepare(
        `INSERT INTO rom_sessions (patient_id, taken_at) VALUES (?, '2026-02-01T08:00:00.000Z')`,
      )
      .run(patientId).lastInsertRowid,
  );
  db.$client
    .prepare(
      `INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at)
       VALUES (?, ?, 'hip', 'left', 'flexion', 'passive', 100, '2026-02-01T08:00:00.000Z')`,
    )
    .run(romSessionId, patientId);
  return {
    wardId,
    bedId: bedIds[1]!,
    patientId,
    catheterId,
    complicationId,
    interventionId,
    romSessionId,
  };
}

type Access =
  /** Anyone, signed in or not. */
  | { readonly who: 'public' }
  /** Any signed-in user; not about one ward. */
  | { readonly who: 'signed_in' }
  /** These roles; not about one ward. */
  | { readonly who: readonly Role[]; readonly wardScoped: false }
  /**
   * These roles, and only on their own wards; those in `authorOnly` only for records they wrote (the
   * fixture's records have no author, so they are refused once the record is read).
   */
  | {
      readonly who: readonly Role[];
      readonly wardScoped: true;
      readonly authorOnly?: readonly Role[];
    };

interface Case {
  readonly access: Access;
  readonly call: (caller: Caller, f: Fixture) => Promise<unknown>;
}

const clinical: Access = { who: ['nurse', 'therapist', 'physician'], wardScoped: true };
const nurse: Access = { who: ['nurse'], wardScoped: true };
const nurseOrPhysician: Access = { who: ['nurse', 'physician'], wardScoped: true };
const therapist: Access = { who: ['therapist'], wardScoped: true };
const physician: Access = { who: ['physician'], wardScoped: true };
const admin: Access = { who: ['admin'], wardScoped: false };

/** A grant of a ward to a new nurse, asked for by another administrator: the caller may decide it. */
async function pendingChange(f: Fixture): Promise<number> {
  const requester = await makeUser(f.db, ['admin'], []);
  const target = await makeUser(f.db, ['nurse'], []);
  return f.db
    .insert(accessChanges)
    .values({
      userId: target.id,
      change: { wardIds: [f.place.wardId] },
      userVersion: 1,
      requestedBy: requester.id,
      requestedAt: EARLIER,
    })
    .returning()
    .get().id;
}

const injuryFields = {
  type: 'tbi' as const,
  occurredAt: '2026-01-01T12:00:00.000Z',
  lowestGcs: 6,
  comaDays: 20,
  ventilationDays: null,
  diffuseAxonalInjury: true,
  autonomicDysregulation: true,
  aisGrade: null,
  surgicalFractures: [],
};

/** THE table. */
/** Each call of tokens.revoke revokes a token of its own, under a name of its own. */
let tokenCount = 0;

const CASES: Record<string, Case> = {
  'auth.login': {
    access: { who: 'public' },
    call: (c) => c.auth.login({ username: 'matrix-login', password: TEST_PASSWORD }),
  },
  'auth.logout': { access: { who: 'public' }, call: (c) => c.auth.logout() },
  'auth.me': { access: { who: 'signed_in' }, call: (c) => c.auth.me() },
  'ward.list': { access: { who: 'signed_in' }, call: (c) => c.ward.list() },
  'ward.board': { access: clinical, call: (c, f) => c.ward.board({ wardId: f.place.wardId }) },
  'ward.seen': { access: clinical, call: (c, f) => c.ward.seen({ wardId: f.place.wardId }) },
  'ward.acknowledge': {
    access: nurseOrPhysician,
    call: (c, f) => {
      // Only an Alert or High row is acknowledged: the place's patient is made High.
      f.db.$client
        .prepare(
          `INSERT INTO patient_assessments
             (patient_id, tier, tier_rank, assessment, board, assessed_at, valid_until)
           VALUES (?, 'high', 1, '{}', '{}', ?, '2099-01-01T00:00:00.000Z')
           ON CONFLICT (patient_id) DO UPDATE SET tier = 'high', tier_rank = 1`,
        )
        .run(f.place.patientId, EARLIER);
      return c.ward.acknowledge({ patientId: f.place.patientId, note: 'Seen', version: 0 });
    },
  },
  'ward.freeBeds': {
    access: nurseOrPhysician,
    call: (c, f) => c.ward.freeBeds({ wardId: f.place.wardId }),
  },
  'ward.onChange': {
    access: clinical,
    call: async (c, f) => {
      const stream = await c.ward.onChange({ wardId: f.place.wardId, lastEventId: 'unknown-0' });
      const events = stream[Symbol.asyncIterator]();
      // With an unknown last id the first event is a resync: proof the stream was opened.
      const first = await events.next();
      await events.return?.(undefined);
      return first;
    },
  },
  'patient.get': {
    access: clinical,
    call: (c, f) => c.patient.get({ patientId: f.place.patientId }),
  },
  'patient.timeline': {
    access: clinical,
    call: (c, f) => c.patient.timeline({ patientId: f.place.patientId }),
  },
  'patient.admit': {
    access: nurseOrPhysician,
    call: (c, f) =>
      c.patient.admit({
        mrn: 'NEW-1',
        name: 'New Patient',
        dateOfBirth: '1990-01-01',
        sex: 'male',
        wardId: f.place.wardId,
        bedId: f.place.bedId,
        admittedAt: EARLIER,
        injury: injuryFields,
      }),
  },
  'patient.discharge': {
    access: nurseOrPhysician,
    call: (c, f) =>
      c.patient.discharge({
        patientId: f.place.patientId,
        dischargedAt: EARLIER,
        expectedVersion: 1,
      }),
  },
  'patient.updateInjury': {
    access: physician,
    call: (c, f) =>
      c.patient.updateInjury({ patientId: f.place.patientId, expectedVersion: 1, ...injuryFields }),
  },
  'rom.recordSession': {
    access: therapist,
    call: (c, f) =>
      c.rom.recordSession({
        patientId: f.place.patientId,
        takenAt: EARLIER,
        readings: [
          { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 100 },
        ],
      }),
  },
  'rom.list': { access: clinical, call: (c, f) => c.rom.list({ patientId: f.place.patientId }) },
  'rom.enterInError': {
    access: { who: ['therapist', 'physician'], wardScoped: true, authorOnly: ['therapist'] },
    call: (c, f) =>
      c.rom.enterInError({ sessionId: f.place.romSessionId, reason: 'wrong patient' }),
  },
  'records.enterInError': {
    access: { ...clinical, authorOnly: ['nurse', 'therapist'] },
    call: (c, f) =>
      c.records.enterInError({
        kind: 'complication',
        id: f.place.complicationId,
        version: 1,
        reason: 'wrong patient',
      }),
  },
  'records.amend': {
    access: { ...clinical, authorOnly: ['nurse', 'therapist'] },
    call: (c, f) =>
      c.records.amend({
        kind: 'complication',
        id: f.place.complicationId,
        version: 1,
        reason: 'present on admission after all',
        changes: { presentOnAdmission: true },
      }),
  },
  'records.versions': {
    access: clinical,
    call: (c, f) => c.records.versions({ kind: 'complication', id: f.place.complicationId }),
  },
  'therapy.recordScales': {
    access: therapist,
    call: (c, f) =>
      c.therapy.recordScales({
        patientId: f.place.patientId,
        takenAt: EARLIER,
        mobility: [{ scale: 'jh_hlm', code: '3' }],
      }),
  },
  'nursing.recordJointSigns': {
    access: nurse,
    call: (c, f) =>
      c.nursing.recordJointSigns({
        patientId: f.place.patientId,
        takenAt: EARLIER,
        observations: [{ site: 'hip', side: 'left', swelling: true }],
      }),
  },
  'nursing.recordVital': {
    access: nurseOrPhysician,
    call: (c, f) =>
      c.nursing.recordVital({
        patientId: f.place.patientId,
        takenAt: EARLIER,
        kind: 'temperature',
        value: 37.2,
      }),
  },
  'nursing.recordBraden': {
    access: nurse,
    call: (c, f) =>
      c.nursing.recordBraden({
        patientId: f.place.patientId,
        takenAt: EARLIER,
        sensoryPerception: 3,
        moisture: 3,
        activity: 2,
        mobility: 2,
        nutrition: 3,
        frictionShear: 2,
      }),
  },
  'nursing.insertCatheter': {
    access: nurse,
    call: async (c, f) => {
      await c.nursing.removeCatheter({
        patientId: f.place.patientId,
        catheterId: f.place.catheterId,
        removedAt: '2026-02-05T08:00:00.000Z',
        expectedVersion: 1,
      });
      return c.nursing.insertCatheter({ patientId: f.place.patientId, insertedAt: EARLIER });
    },
  },
  'nursing.removeCatheter': {
    access: nurse,
    call: (c, f) =>
      c.nursing.removeCatheter({
        patientId: f.place.patientId,
        catheterId: f.place.catheterId,
        removedAt: EARLIER,
        expectedVersion: 1,
      }),
  },
  'complication.start': {
    access: nurseOrPhysician,
    call: (c, f) =>
      c.complication.start({
        patientId: f.place.patientId,
        onsetAt: EARLIER,
        presentOnAdmission: false,
        complication: {
          kind: 'pressure_injury',
          bodySite: 'sacrum',
          stage: '2',
          deviceRelated: false,
        },
      }),
  },
  'complication.resolve': {
    access: nurseOrPhysician,
    call: (c, f) =>
      c.complication.resolve({
        patientId: f.place.patientId,
        complicationId: f.place.complicationId,
        resolvedAt: EARLIER,
        expectedVersion: 1,
      }),
  },
  'complication.update': {
    access: nurseOrPhysician,
    call: (c, f) =>
      c.complication.update({
        patientId: f.place.patientId,
        complicationId: f.place.complicationId,
        expectedVersion: 1,
        presentOnAdmission: true,
      }),
  },
  'imaging.record': {
    access: physician,
    call: (c, f) =>
      c.imaging.record({
        patientId: f.place.patientId,
        takenAt: EARLIER,
        modality: 'xray',
        site: 'hip',
        side: 'left',
        result: 'positive',
        grade: { system: 'brooker', grade: 'II' },
      }),
  },
  'diagnosis.record': {
    access: physician,
    call: (c, f) =>
      c.diagnosis.record({
        patientId: f.place.patientId,
        diagnosedAt: EARLIER,
        site: 'hip',
        side: 'left',
        finding: 'ho_confirmed',
      }),
  },
  'intervention.start': {
    access: physician,
    call: (c, f) =>
      c.intervention.start({
        patientId: f.place.patientId,
        startedAt: EARLIER,
        intervention: { kind: 'radiation', doseGy: 7, site: 'hip', side: 'left' },
      }),
  },
  'intervention.stop': {
    access: physician,
    call: (c, f) =>
      c.intervention.stop({
        patientId: f.place.patientId,
        interventionId: f.place.interventionId,
        stoppedAt: EARLIER,
        expectedVersion: 1,
      }),
  },
  'bleedingRisk.set': {
    access: physician,
    call: (c, f) =>
      c.bleedingRisk.set({
        patientId: f.place.patientId,
        expectedVersion: null,
        gastrointestinalBleed: false,
        intracranialBleed: true,
        renalImpairment: false,
        anticoagulated: false,
      }),
  },
  'admin.changes.list': { access: admin, call: (c) => c.admin.changes.list() },
  'admin.changes.confirm': {
    access: admin,
    call: async (c, f) => c.admin.changes.confirm({ changeId: await pendingChange(f) }),
  },
  'admin.changes.reject': {
    access: admin,
    call: async (c, f) => c.admin.changes.reject({ changeId: await pendingChange(f) }),
  },
  'tokens.list': { access: admin, call: (c) => c.tokens.list() },
  'tokens.revoke': {
    access: admin,
    call: (c, f) =>
      c.tokens.revoke({
        tokenId: createToken(f.db, { userId: null, username: 'cli:test', clientIp: null }, NOW, {
          name: `matrix-${++tokenCount}`,
          scopes: ['fhir:read'],
          wardIds: [],
        }).id,
      }),
  },
  'access.emergencyReview': {
    access: admin,
    call: async (c, f) => {
      const grantee = await makeUser(f.db, ['nurse'], []);
      const grantId = f.db
        .insert(emergencyAccess)
        .values({
          userId: grantee.id,
          patientId: f.place.patientId,
          reason: 'Rapid response call in the gym',
          grantedAt: EARLIER,
          expiresAt: NOW.toISOString(),
        })
        .returning()
        .get().id;
      return c.access.emergencyReview({ grantId });
    },
  },
};

/**
 * Procedures another part of the server owns, checked by their own matrix (admin, rates…);
 * `patient.transfer` needs two wards of the caller (src/features/patients/movement.test.ts).
 */
const OWNED_ELSEWHERE = (path: string): boolean =>
  (['rates.', 'admin.', 'audit.', 'settings.', 'users.', 'wards.', 'access.', 'hl7.'].some(
    (prefix) => path.startsWith(prefix),
  ) ||
    path === 'patient.transfer') &&
  !(path in CASES);

type Who = 'anonymous' | Role;
type Expected = 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN';

function expected(access: Access, who: Who, ward: 'own' | 'other'): Expected {
  if (access.who === 'public') return 'allowed';
  if (who === 'anonymous') return 'UNAUTHORIZED';
  if (access.who === 'signed_in') return 'allowed';
  if (!access.who.includes(who)) return 'FORBIDDEN';
  if (!access.wardScoped) return 'allowed';
  if (access.authorOnly?.includes(who)) return 'FORBIDDEN';
  return ward === 'own' ? 'allowed' : 'FORBIDDEN';
}

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

describe('authorization matrix', () => {
  it('covers every procedure of the API', () => {
    const missing = procedurePaths.filter((path) => !(path in CASES) && !OWNED_ELSEWHERE(path));
    expect(missing).toEqual([]);
    expect(Object.keys(CASES).filter((path) => !procedurePaths.includes(path))).toEqual([]);
  });

  const rows = Object.entries(CASES).flatMap(([path, testCase]) =>
    (['anonymous', ...ROLES] as const).flatMap((who) =>
      (['own', 'other'] as const).map((ward) => ({
        path,
        who,
        ward,
        testCase,
        outcome: expected(testCase.access, who, ward),
      })),
    ),
  );

  it.each(rows)(
    '$path as $who on $ward ward → $outcome',
    async ({ who, ward, testCase, outcome }) => {
      const db = migratedMemoryDb();
      const own = arrangePlace(db, 'Own ward');
      const other = arrangePlace(db, 'Other ward');
      await makeUser(db, ['nurse'], [own.wardId], 'matrix-login');
      const caller =
        who === 'anonymous'
          ? callerFor(db, clock)
          : callerAs(db, await makeUser(db, [who], [own.wardId]), clock);
      const result = await testCase.call(caller, { db, place: ward === 'own' ? own : other }).then(
        () => 'allowed' as const,
        (error: unknown) => {
          if (error instanceof TRPCError) return error.code;
          throw error;
        },
      );
      expect(result).toBe(outcome);
    },
  );
});

describe('refusal comes before input validation', () => {
  const garbage = { patientId: 'not a number', readings: 'nope', wardId: -1 } as never;
  const refusals = Object.entries(CASES).flatMap(([path, testCase]) =>
    (['anonymous', ...ROLES] as const)
      .map((who) => ({ path, who, outcome: expected(testCase.access, who, 'own') }))
      // An author's check needs the record the input names: it cannot come before reading it.
      .filter(
        (row) =>
          row.outcome !== 'allowed' &&
          !(
            typeof testCase.access.who !== 'string' &&
            'authorOnly' in testCase.access &&
            testCase.access.authorOnly?.includes(row.who as Role)
          ),
      ),
  );

  it.each(refusals)(
    '$path as $who with malformed input → $outcome',
    async ({ path, who, outcome }) => {
      const db = migratedMemoryDb();
      const { wardId } = makeWard(db, 'Own ward');
      const caller =
        who === 'anonymous'
          ? callerFor(db, clock)
          : callerAs(db, await makeUser(db, [who], [wardId]), clock);
      // Paths have two or three parts (`patient.get`, `admin.changes.confirm`).
      const procedure = path
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], caller) as (
        input: never,
      ) => Promise<unknown>;
      const code = await procedure(garbage).then(
        () => 'allowed',
        (error: unknown) => (error instanceof TRPCError ? error.code : 'thrown'),
      );
      expect(code).toBe(outcome);
    },
  );
});
