import { hashPassword } from './auth/passwords.ts';
import { startSession } from './auth/sessions.ts';
import type { ServerConfig } from './config.ts';
import { applyMigrations, openDatabase, type OssiwatchDb } from './db/client.ts';
import { beds, injuries, patients, stays, wards, type Role } from './db/schema.ts';
import { appRouter } from './router.ts';
import { createCallerFactory, createContextInner } from './trpc.ts';
import { insertUser, loadSessionUser, type SessionUser } from './users.ts';

/** An in-memory database with every migration applied: what router tests run against. */
export function migratedMemoryDb(): OssiwatchDb {
  const db = openDatabase(':memory:');
  applyMigrations(db);
  return db;
}

export const testConfig: ServerConfig = {
  port: 0,
  host: '127.0.0.1',
  databasePath: ':memory:',
  mode: 'demo',
  webDistDir: '/nonexistent',
};

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

/** An anonymous tRPC caller over the given database, with a clock the test controls. */
export function callerFor(db: OssiwatchDb, now: () => Date = () => new Date()): Caller {
  return createCaller(createContextInner({ db, config: testConfig, now }));
}

/** The password of every test user. */
export const TEST_PASSWORD = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;

/** argon2id is slow on purpose: tests hash the one password once and reuse the hash. */
export function testPasswordHashOnce(): Promise<string> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return testPasswordHash;
}

let userCounter = 0;

/** Creates a user with these roles and wards (password TEST_PASSWORD); returns the signed-in view. */
export async function makeUser(
  db: OssiwatchDb,
  roles: readonly Role[],
  wardIds: readonly number[],
  username = `${roles.join('-') || 'nobody'}${++userCounter}`,
): Promise<SessionUser> {
  const id = insertUser(db, {
    username,
    displayName: username,
    passwordHash: await testPasswordHashOnce(),
    roles,
    wardIds,
  });
  const user = loadSessionUser(db, id);
  if (!user) throw new Error('user not created');
  return user;
}

/** A caller signed in as `user` (a real session row, so sign-out and expiry behave as over HTTP). */
export function callerAs(
  db: OssiwatchDb,
  user: SessionUser,
  now: () => Date = () => new Date(),
): Caller {
  const { sessionId } = startSession(db, user.id, now(), '127.0.0.1');
  return createCaller(
    createContextInner({ db, config: testConfig, now, user, sessionId, clientIp: '127.0.0.1' }),
  );
}

/** Creates a ward with `bedCount` beds labelled 01, 02, …; returns its id and bed ids. */
export function makeWard(
  db: OssiwatchDb,
  name: string,
  bedCount = 4,
): { wardId: number; bedIds: number[] } {
  const ward = db.insert(wards).values({ name }).returning({ id: wards.id }).get();
  const bedIds = Array.from(
    { length: bedCount },
    (_, i) =>
      db
        .insert(beds)
        .values({ wardId: ward.id, label: String(i + 1).padStart(2, '0') })
        .returning({ id: beds.id })
        .get().id,
  );
  return { wardId: ward.id, bedIds };
}

let mrnCounter = 0;

/**
 * Admits a patient straight into the database (no procedure, no audit) with an injury and a stay;
 * returns the patient id. For arranging a test; the procedures under test do the rest.
 */
export function admitPatient(
  db: OssiwatchDb,
  options: {
    wardId: number;
    bedId?: number | null;
    name?: string;
    admittedAt?: string;
    injuryAt?: string;
    injury?: Partial<typeof injuries.$inferInsert>;
  },
): number {
  const patient = db
    .insert(patients)
    .values({
      mrn: `MRN${++mrnCounter}`,
      name: options.name ?? `Patient ${mrnCounter}`,
      dateOfBirth: '1980-06-15',
      sex: 'female',
    })
    .returning({ id: patients.id })
    .get();
  db.insert(injuries)
    .values({
      patientId: patient.id,
      type: 'tbi',
      occurredAt: options.injuryAt ?? '2026-01-01T12:00:00.000Z',
      lowestGcs: 7,
      comaDays: null,
      ventilationDays: null,
      ...options.injury,
    })
    .run();
  db.insert(stays)
    .values({
      patientId: patient.id,
      wardId: options.wardId,
      bedId: options.bedId ?? null,
      admittedAt: options.admittedAt ?? '2026-01-10T09:00:00.000Z',
    })
    .run();
  return patient.id;
}
