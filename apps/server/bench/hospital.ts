/**
 * The benchmark's databases: the synthetic hospital (@ossiwatch/synth through the server's seed),
 * generated once per (seed, scale, history) into .bench-cache/ and copied for each run, so the writes
 * a run makes never leak into the next run's figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { refreshExpiredAssessments } from '../src/assessments.ts';
import { applyMigrations, openDatabase } from '../src/db/client.ts';
import { seedHospital, type SeedReport } from '../src/seed/hospital.ts';
import { createUser } from '../src/users.ts';
import { msSince } from './stats.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const CACHE_DIR = path.join(REPO_ROOT, '.bench-cache');

export interface HospitalSpec {
  readonly seed: number;
  readonly scale: number;
  readonly historyMonths: number;
}

export interface CachedHospital {
  readonly spec: HospitalSpec;
  readonly file: string;
  /** The seed's own report, kept next to the database. */
  readonly report: SeedReport & { readonly seededAt: string };
  /** True when this run generated it (false: read from the cache). */
  readonly generated: boolean;
  readonly generationSeconds: number;
}

export function cacheFileOf(spec: HospitalSpec): string {
  return path.join(CACHE_DIR, `ossiwatch-s${spec.seed}-x${spec.scale}-h${spec.historyMonths}.db`);
}

/** The cached hospital for `spec`, generating it (with a progress line) when it is missing. */
export async function cachedHospital(
  spec: HospitalSpec,
  log: (line: string) => void,
): Promise<CachedHospital> {
  const file = cacheFileOf(spec);
  const reportFile = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(reportFile)) {
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as CachedHospital['report'];
    return { spec, file, report, generated: false, generationSeconds: 0 };
  }
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${file}.partial`;
  for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`])
    fs.rmSync(leftover, { force: true });
  log(
    `generating the hospital seed ${spec.seed}, scale ${spec.scale}, ${spec.historyMonths} months of history → ${path.relative(REPO_ROOT, file)}`,
  );
  const started = process.hrtime.bigint();
  const db = openDatabase(partial);
  applyMigrations(db);
  const seededAt = new Date();
  let lastLine = 0;
  const report = await seedHospital(db, {
    seed: spec.seed,
    scale: spec.scale,
    historyMonths: spec.historyMonths,
    now: seededAt,
    withDemoAccounts: false,
    batchSize: 200,
    onProgress: ({ patients, readings }) => {
      if (Date.now() - lastLine > 10_000) {
        lastLine = Date.now();
        log(`  … ${patients} patients, ${readings.toLocaleString('en-GB')} ROM readings`);
      }
    },
  });
  db.$client.pragma('optimize');
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  fs.renameSync(partial, file);
  const generationSeconds = msSince(started) / 1000;
  const stored = { ...report, seededAt: seededAt.toISOString() };
  fs.writeFileSync(reportFile, `${JSON.stringify(stored, null, 2)}\n`);
  log(
    `  done in ${generationSeconds.toFixed(0)} s: ${report.patients} patients, ${report.romReadings.toLocaleString('en-GB')} ROM readings`,
  );
  return { spec, file, report: stored, generated: true, generationSeconds };
}

export const BENCH_USERNAME = 'bench';
export const BENCH_PASSWORD = 'bench-only-password-on-loopback';

export interface RunDatabase {
  readonly file: string;
  readonly benchUserId: number;
  /** The ward whose board is measured: the one with the most current patients. */
  readonly ward: {
    readonly id: number;
    readonly name: string;
    readonly beds: number;
    readonly patients: number;
  };
  /** Current patients of every ward, for the writes (a session needs a patient on a ward). */
  readonly currentPatients: readonly {
    readonly patientId: number;
    readonly wardId: number;
    readonly admittedAt: string;
  }[];
  readonly wardIds: readonly number[];
  remove(): void;
}

/**
 * A copy of the cached hospital for one run, with the bench account (every clinical role and the
 * manager's, on every ward) created through the users module, as an administrator would.
 */
export async function prepareRunDatabase(
  hospital: CachedHospital,
  label: string,
): Promise<RunDatabase> {
  const file = path.join(CACHE_DIR, `run-${process.pid}-${label}.db`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  fs.copyFileSync(hospital.file, file);
  const db = openDatabase(file);
  applyMigrations(db);
  // The cached hospital was generated on an earlier day: its current patients' stored assessments
  // have expired (they hold until local midnight). A running ward refreshes them once, just after
  // midnight; the measurements are of the rest of the day, so that refresh is done here first.
  const now = new Date();
  while (refreshExpiredAssessments(db, now, 500) > 0);
  const sqlite = db.$client;
  const wardIds = (
    sqlite.prepare('SELECT id FROM wards ORDER BY id').all() as { id: number }[]
  ).map((row) => row.id);
  const benchUserId = await createUser(db, {
    username: BENCH_USERNAME,
    password: BENCH_PASSWORD,
    displayName: 'Benchmark',
    roles: ['nurse', 'therapist', 'physician', 'manager'],
    wardIds,
  });
  const ward = sqlite
    .prepare(
      `SELECT w.id, w.name,
              (SELECT count(*) FROM beds b WHERE b.ward_id = w.id AND b.active) AS beds,
              (SELECT count(*) FROM stays s WHERE s.ward_id = w.id AND s.discharged_at IS NULL) AS patients
         FROM wards w ORDER BY patients DESC, beds DESC, w.id LIMIT 1`,
    )
    .get() as RunDatabase['ward'] | undefined;
  if (!ward) throw new Error(`${hospital.file} has no wards`);
  const currentPatients = sqlite
    .prepare(
      'SELECT patient_id AS patientId, ward_id AS wardId, admitted_at AS admittedAt FROM stays WHERE discharged_at IS NULL ORDER BY patient_id',
    )
    .all() as RunDatabase['currentPatients'];
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  return {
    file,
    benchUserId,
    ward,
    currentPatients,
    wardIds,
    remove: () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

/** Bytes of the database file and its WAL. */
export function databaseBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(`${file}${suffix}`).size;
    } catch {
      // no WAL after a clean close
    }
  }
  return total;
}
