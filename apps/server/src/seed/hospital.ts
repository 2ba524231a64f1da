/**
 * Loads the synthetic hospital (@ossiwatch/synth) into the database: wards, beds, staff accounts,
 * patients with their whole record, then the stored assessment of every current patient.
 *
 * Built for the benchmark as much as for the demo: at benchmark scale (PRODUCT §9) this is over five
 * million ROM readings, so rows go in through raw better-sqlite3 prepared statements (drizzle's query
 * builder costs more per row than SQLite does) in one transaction per batch of patients. The generator
 * streams one patient at a time, so memory stays flat.
 *
 * ROM compliance (PRODUCT §4) needs each past patient-day's tier: the seed backfills the daily tier
 * census of its last 8 weeks (BACKFILL_DAYS) with the HO watch's assessment at the end of each local
 * day, so the demo's rates show compliance from that day on.
 */
import { randomBytes } from 'node:crypto';
import type { Complication, Intervention, PatientRecord } from '@ossiwatch/domain';
import {
  generatePatients,
  planHospital,
  type HospitalOptions,
  type HospitalPlan,
  type SyntheticPatient,
} from '@ossiwatch/synth';
import { loadHoWatchSettings, reassessAll } from '../assessments.ts';
import { appendAudit } from '../audit.ts';
import { hashPassword } from '../auth/passwords.ts';
import { pastDailyTiers } from '../daily-tiers.ts';
import type { Statement } from 'better-sqlite3';
import type { OssiwatchDb } from '../db/client.ts';
import type { Role } from '../db/schema.ts';

/** The demo accounts of PRODUCT §6 and their one password. */
export const DEMO_PASSWORD = 'ossiwatch-demo';

export interface DemoAccount {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  /** Works on the first ward only (nurse, therapist) or on every ward. */
  readonly wards: 'first' | 'all';
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'nurse', displayName: 'Demo Nurse', roles: ['nurse'], wards: 'first' },
  { username: 'therapist', displayName: 'Demo Therapist', roles: ['therapist'], wards: 'first' },
  { username: 'physician', displayName: 'Demo Physician', roles: ['physician'], wards: 'all' },
  { username: 'manager', displayName: 'Demo Manager', roles: ['manager'], wards: 'all' },
  { username: 'admin', displayName: 'Demo Administrator', roles: ['admin'], wards: 'all' },
  // Grants of clinical access need a second administrator to confirm them (two-person rule).
  { username: 'admin2', displayName: 'Demo Second Administrator', roles: ['admin'], wards: 'all' },
];

export interface SeedOptions {
  readonly seed: number;
  /** 1 = the demo (3 wards); 13 with historyMonths 36 = the benchmark hospital (synth's docs). */
  readonly scale: number;
  /** The hospital's "today": nothing is dated after it. */
  readonly now: Date;
  /** Months of history before now (synth's default 12). */
  readonly historyMonths?: number;
  /**
   * Demo mode: create the demo accounts, and give the synthetic staff the demo password too. Otherwise
   * staff accounts get a password nobody knows (a hash of random bytes that are thrown away).
   */
  readonly withDemoAccounts: boolean;
  /** Patients per transaction (default 100). */
  readonly batchSize?: number;
  /** Called after each committed batch. */
  readonly onProgress?: (progress: {
    readonly patients: number;
    readonly readings: number;
  }) => void;
}

export interface SeedReport {
  readonly wards: number;
  readonly beds: number;
  readonly users: number;
  readonly patients: number;
  readonly stays: number;
  readonly currentPatients: number;
  readonly romSessions: number;
  readonly romReadings: number;
  readonly assessed: number;
  /** Patient-days of the daily tier census backfilled (the last BACKFILL_DAYS days and today). */
  readonly dailyTiers: number;
  readonly millis: number;
}

/** Days of daily tier census the seed backfills before today: 8 weeks of ROM compliance to show. */
export const BACKFILL_DAYS = 56;

/** Thrown when the database already holds patients or users: the seed never mixes with real data. */
export class SeedRefused extends Error {}

/** True when the database has no patients and no users (the state a fresh install starts in). */
export function isEmptyDatabase(db: OssiwatchDb): boolean {
  const row = db.$client
    .prepare(
      'SELECT (SELECT count(*) FROM patients) + (SELECT count(*) FROM users) + (SELECT count(*) FROM wards) AS n',
    )
    .get() as { n: number };
  return row.n === 0;
}

type Bind = string | number | null;

const bool = (value: boolean | null | undefined): number | null =>
  value === null || value === undefined ? null : value ? 1 : 0;

/** The prepared statements of the bulk load, created once per seed. */
function statementsFor(db: OssiwatchDb) {
  const c = db.$client;
  return {
    ward: c.prepare('INSERT INTO wards (name, time_zone) VALUES (?, ?)'),
    bed: c.prepare('INSERT INTO beds (ward_id, label) VALUES (?, ?)'),
    user: c.prepare('INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?)'),
    userRole: c.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)'),
    userWard: c.prepare('INSERT INTO user_wards (user_id, ward_id) VALUES (?, ?)'),
    patient: c.prepare(
      'INSERT INTO patients (mrn, name, date_of_birth, sex, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    injury: c.prepare(
      `INSERT INTO injuries (patient_id, type, occurred_at, lowest_gcs, coma_days, ventilation_days,
        diffuse_axonal_injury, autonomic_dysregulation, ais_grade) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    fracture: c.prepare(
      'INSERT INTO surgical_fractures (patient_id, limb, fixed_at) VALUES (?, ?, ?)',
    ),
    stay: c.prepare(
      'INSERT INTO stays (patient_id, ward_id, bed_id, admitted_at, discharged_at) VALUES (?, ?, ?, ?, ?)',
    ),
    romSession: c.prepare(
      'INSERT INTO rom_sessions (patient_id, taken_at, recorded_by, created_at) VALUES (?, ?, ?, ?)',
    ),
    spasticity: c.prepare(
      'INSERT INTO spasticity (patient_id, site, side, grade, taken_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    mobility: c.prepare(
      'INSERT INTO mobility (patient_id, scale, item, code, taken_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    braden: c.prepare(
      `INSERT INTO braden (patient_id, sensory_perception, moisture, activity, mobility, nutrition,
        friction_shear, taken_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    jointObservation: c.prepare(
      `INSERT INTO joint_observations (patient_id, site, side, swelling, warmth, erythema, pain,
        taken_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    vital: c.prepare(
      'INSERT INTO vitals_labs (patient_id, kind, value, unit, taken_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    imaging: c.prepare(
      `INSERT INTO imaging (patient_id, modality, site, side, result, grade_system, grade, taken_at,
        recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    complication: c.prepare(
      `INSERT INTO complications (patient_id, ward_id, kind, onset_at, resolved_at,
        present_on_admission, body_site, stage, device_related, site, side, recorded_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    catheter: c.prepare(
      `INSERT INTO catheter_episodes (patient_id, ward_id, inserted_at, removed_at, recorded_by)
        VALUES (?, ?, ?, ?, ?)`,
    ),
    intervention: c.prepare(
      `INSERT INTO interventions (patient_id, kind, drug, dose_mg, dose_mg_per_kg_day, dose_gy, site,
        side, started_at, stopped_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    dailyTier: c.prepare(
      `INSERT INTO daily_tiers (patient_id, ward_id, date, tier, had_rom_within_7_days)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    bleedingRisk: c.prepare(
      `INSERT INTO bleeding_risk (patient_id, gastrointestinal_bleed, intracranial_bleed,
        renal_impairment, anticoagulated, updated_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

type Statements = ReturnType<typeof statementsFor>;

const ROM_COLUMNS = 8;
/** ROM readings per INSERT: one statement for many rows costs far less per row than one each. */
const ROM_ROWS_PER_INSERT = 50;

/** Buffers ROM readings and writes them many rows per statement; `flush` before the commit. */
class RomReadingWriter {
  private readonly many: Statement;
  private readonly one: Statement;
  private values: Bind[] = [];

  constructor(db: OssiwatchDb) {
    const row = `(${Array.from({ length: ROM_COLUMNS }, () => '?').join(', ')})`;
    const insert =
      'INSERT INTO rom_readings (session_id, patient_id, site, side, movement, mode, degrees, taken_at) VALUES ';
    this.many = db.$client.prepare(
      insert + Array.from({ length: ROM_ROWS_PER_INSERT }, () => row).join(', '),
    );
    this.one = db.$client.prepare(insert + row);
  }

  add(...row: [number, number, string, string, string, string, number, string]): void {
    this.values.push(...row);
    if (this.values.length === ROM_COLUMNS * ROM_ROWS_PER_INSERT) {
      this.many.run(this.values);
      this.values = [];
    }
  }

  flush(): void {
    for (let i = 0; i < this.values.length; i += ROM_COLUMNS) {
      this.one.run(this.values.slice(i, i + ROM_COLUMNS));
    }
    this.values = [];
  }
}

function rowId(info: { lastInsertRowid: number | bigint }): number {
  return Number(info.lastInsertRowid);
}

interface IdMaps {
  readonly wardIdByKey: ReadonlyMap<number, number>;
  /** `${wardKey}\n${label}` → bed id. */
  readonly bedId: ReadonlyMap<string, number>;
  readonly userIdByUsername: ReadonlyMap<string, number>;
}

function inserted(plan: HospitalPlan, s: Statements, passwordHash: string): IdMaps {
  const wardIdByKey = new Map<number, number>();
  const bedId = new Map<string, number>();
  for (const ward of plan.wards) {
    const wardId = rowId(s.ward.run(ward.name, ward.timeZone));
    wardIdByKey.set(ward.key, wardId);
    for (const label of ward.beds)
      bedId.set(`${ward.key}\n${label}`, rowId(s.bed.run(wardId, label)));
  }
  const userIdByUsername = new Map<string, number>();
  for (const member of plan.staff) {
    const userId = rowId(s.user.run(member.username, member.name, passwordHash));
    userIdByUsername.set(member.username, userId);
    for (const role of member.roles) s.userRole.run(userId, role);
    for (const key of member.wardKeys) {
      const wardId = wardIdByKey.get(key);
      if (wardId !== undefined) s.userWard.run(userId, wardId);
    }
  }
  return { wardIdByKey, bedId, userIdByUsername };
}

/** Which stay (index into record.stays) an instant falls in: the last one admitted by then. */
function stayIndexAt(record: PatientRecord, instant: string): number {
  let index = 0;
  record.stays.forEach((stay, i) => {
    if (stay.admittedAt <= instant) index = i;
  });
  return index;
}

type CareRole = 'nurses' | 'therapists' | 'physicians';

/** Inserts one patient's whole record; returns the new patient id and what was written. */
function insertPatient(
  synthetic: SyntheticPatient,
  s: Statements,
  romWriter: RomReadingWriter,
  ids: IdMaps,
  createdAt: string,
): { patientId: number; readings: number; sessions: number } {
  const { record } = synthetic;
  const wardIdOf = (key: number): number => {
    const wardId = ids.wardIdByKey.get(key);
    if (wardId === undefined) throw new Error(`synthetic ward ${key} is not in the plan`);
    return wardId;
  };
  /** Someone of the care team of the stay at `instant`, chosen by `n` so authorship spreads. */
  const author = (role: CareRole, instant: string, n: number): number | null => {
    const team = synthetic.careTeamByStay[stayIndexAt(record, instant)]?.[role] ?? [];
    const username = team.length > 0 ? team[n % team.length] : undefined;
    return username === undefined ? null : (ids.userIdByUsername.get(username) ?? null);
  };

  const p = record.patient;
  const patientId = rowId(s.patient.run(p.mrn, p.name, p.dateOfBirth, p.sex, createdAt));
  const injury = record.injury;
  s.injury.run(
    patientId,
    injury.type,
    injury.occurredAt,
    injury.lowestGcs,
    injury.comaDays,
    injury.ventilationDays,
    bool(injury.diffuseAxonalInjury),
    bool(injury.autonomicDysregulation),
    injury.aisGrade,
  );
  for (const fracture of injury.surgicalFractures) {
    s.fracture.run(patientId, fracture.limb, fracture.fixedAt);
  }
  record.stays.forEach((stay, i) => {
    const wardKey = synthetic.wardKeyByStay[i] ?? stay.wardId;
    const bedId =
      stay.bedLabel === null ? null : (ids.bedId.get(`${wardKey}\n${stay.bedLabel}`) ?? null);
    s.stay.run(patientId, wardIdOf(wardKey), bedId, stay.admittedAt, stay.dischargedAt);
  });

  const sessionIdBySynthetic = new Map<number, number>();
  for (const session of synthetic.romSessions) {
    const by = ids.userIdByUsername.get(session.by) ?? null;
    sessionIdBySynthetic.set(
      session.id,
      rowId(s.romSession.run(patientId, session.takenAt, by, session.takenAt)),
    );
  }
  for (const r of record.romReadings) {
    const sessionId = sessionIdBySynthetic.get(r.sessionId);
    if (sessionId === undefined) throw new Error(`ROM reading ${r.id} has no session`);
    romWriter.add(sessionId, patientId, r.site, r.side, r.movement, r.mode, r.degrees, r.takenAt);
  }
  for (const a of record.spasticity) {
    s.spasticity.run(
      patientId,
      a.site,
      a.side,
      a.grade,
      a.takenAt,
      author('therapists', a.takenAt, a.id),
    );
  }
  for (const m of record.mobility) {
    const item: Bind = m.scale === 'gg' ? m.item : null;
    s.mobility.run(
      patientId,
      m.scale,
      item,
      m.code,
      m.takenAt,
      author('therapists', m.takenAt, m.id),
    );
  }
  for (const b of record.braden) {
    s.braden.run(
      patientId,
      b.sensoryPerception,
      b.moisture,
      b.activity,
      b.mobility,
      b.nutrition,
      b.frictionShear,
      b.takenAt,
      author('nurses', b.takenAt, b.id),
    );
  }
  for (const o of record.jointObservations) {
    s.jointObservation.run(
      patientId,
      o.site,
      o.side,
      bool(o.swelling),
      bool(o.warmth),
      bool(o.erythema),
      o.pain,
      o.takenAt,
      author('nurses', o.takenAt, o.id),
    );
  }
  for (const v of record.vitalsAndLabs) {
    const role: CareRole = v.kind === 'temperature' ? 'nurses' : 'physicians';
    s.vital.run(patientId, v.kind, v.value, v.unit, v.takenAt, author(role, v.takenAt, v.id));
  }
  for (const study of record.imaging) {
    const grade = study.grade;
    const gradeText: Bind =
      grade === null ? null : grade.system === 'free_text' ? grade.text : grade.grade;
    s.imaging.run(
      patientId,
      study.modality,
      study.site,
      study.side,
      study.result,
      grade?.system ?? null,
      gradeText,
      study.takenAt,
      author('physicians', study.takenAt, study.id),
    );
  }
  for (const c of record.complications) insertComplication(c, patientId, s, wardIdOf, author);
  for (const episode of record.catheterEpisodes) {
    const i = stayIndexAt(record, episode.insertedAt);
    const wardKey = synthetic.wardKeyByStay[i] ?? record.stays[i]?.wardId ?? 1;
    s.catheter.run(
      patientId,
      wardIdOf(wardKey),
      episode.insertedAt,
      episode.removedAt,
      author('nurses', episode.insertedAt, episode.id),
    );
  }
  for (const intervention of record.interventions) {
    insertIntervention(intervention, patientId, s, author);
  }
  const risk = record.bleedingRisk;
  const firstAdmission = record.stays[0]?.admittedAt;
  if (risk && firstAdmission) {
    s.bleedingRisk.run(
      patientId,
      bool(risk.gastrointestinalBleed),
      bool(risk.intracranialBleed),
      bool(risk.renalImpairment),
      bool(risk.anticoagulated),
      firstAdmission,
      author('physicians', firstAdmission, patientId),
    );
  }
  return {
    patientId,
    readings: record.romReadings.length,
    sessions: synthetic.romSessions.length,
  };
}

function insertComplication(
  c: Complication,
  patientId: number,
  s: Statements,
  wardIdOf: (key: number) => number,
  author: (role: CareRole, instant: string, n: number) => number | null,
): void {
  let pressure: [Bind, Bind, Bind] = [null, null, null];
  let dvt: [Bind, Bind] = [null, null];
  switch (c.kind) {
    case 'pressure_injury':
      pressure = [c.bodySite, c.stage, bool(c.deviceRelated)];
      break;
    case 'dvt':
      dvt = c.site && c.side ? [c.site, c.side] : [null, null];
      break;
    case 'pneumonia':
    case 'uti':
      break;
  }
  s.complication.run(
    patientId,
    wardIdOf(c.wardId),
    c.kind,
    c.onsetAt,
    c.resolvedAt,
    bool(c.presentOnAdmission),
    ...pressure,
    ...dvt,
    author(c.kind === 'pneumonia' || c.kind === 'dvt' ? 'physicians' : 'nurses', c.onsetAt, c.id),
  );
}

function insertIntervention(
  i: Intervention,
  patientId: number,
  s: Statements,
  author: (role: CareRole, instant: string, n: number) => number | null,
): void {
  // Columns: kind, drug, dose_mg, dose_mg_per_kg_day, dose_gy, site, side, started_at, stopped_at.
  let values: [string, Bind, Bind, Bind, Bind, Bind, Bind, string, Bind];
  switch (i.kind) {
    case 'nsaid':
      values = ['nsaid', i.drug, i.doseMg, null, null, null, null, i.startedAt, i.stoppedAt];
      break;
    case 'etidronate':
      values = [
        'etidronate',
        null,
        null,
        i.doseMgPerKgDay,
        null,
        null,
        null,
        i.startedAt,
        i.stoppedAt,
      ];
      break;
    case 'radiation':
      values = ['radiation', null, null, null, i.doseGy, i.site, i.side, i.givenAt, null];
      break;
    case 'excision':
      values = ['excision', null, null, null, null, i.site, i.side, i.performedAt, null];
      break;
    case 'physiotherapy':
      values = ['physiotherapy', null, null, null, null, null, null, i.startedAt, i.stoppedAt];
      break;
  }
  const role: CareRole = i.kind === 'physiotherapy' ? 'therapists' : 'physicians';
  s.intervention.run(patientId, ...values, author(role, values[7], i.id));
}

/** The hash every account of the seed shares: the demo password, or random bytes nobody keeps. */
async function seedPasswordHash(withDemoAccounts: boolean): Promise<string> {
  return hashPassword(withDemoAccounts ? DEMO_PASSWORD : randomBytes(32).toString('base64url'));
}

/**
 * Seeds an empty database with the synthetic hospital; refuses (SeedRefused) a database that already
 * has wards, users or patients. Deterministic for the same options.
 */
export async function seedHospital(db: OssiwatchDb, options: SeedOptions): Promise<SeedReport> {
  const started = performance.now();
  if (!isEmptyDatabase(db)) {
    throw new SeedRefused(
      'the database already holds wards, users or patients; the seed only fills an empty one',
    );
  }
  const hospitalOptions: HospitalOptions = {
    seed: options.seed,
    scale: options.scale,
    now: options.now.toISOString(),
    ...(options.historyMonths === undefined ? {} : { historyMonths: options.historyMonths }),
  };
  const plan = planHospital(hospitalOptions);
  const passwordHash = await seedPasswordHash(options.withDemoAccounts);
  const batchSize = options.batchSize ?? 100;
  const s = statementsFor(db);
  const romWriter = new RomReadingWriter(db);
  const client = db.$client;
  const createdAt = options.now.toISOString();

  // The seed can be rerun from nothing, so its bulk load need not be crash-proof: NORMAL saves a disk
  // sync per commit. FULL (PRODUCT §8) is restored before the first clinical write.
  const synchronous = client.pragma('synchronous', { simple: true }) as number;
  client.pragma('synchronous = NORMAL');
  let counts = { patients: 0, stays: 0, currentPatients: 0, romSessions: 0, romReadings: 0 };
  let dailyTiers = 0;
  const nowMs = options.now.getTime();
  const hoSettings = loadHoWatchSettings(db);
  const timeZoneByKey = new Map(plan.wards.map((w) => [w.key, w.timeZone]));
  const timeZoneOf = (key: number): string => timeZoneByKey.get(key) ?? 'UTC';
  let users = 0;
  try {
    const ids = client.transaction(() => {
      const maps = inserted(plan, s, passwordHash);
      users = plan.staff.length;
      if (options.withDemoAccounts) {
        const firstWard = plan.wards[0]?.key;
        for (const account of DEMO_ACCOUNTS) {
          const userId = rowId(s.user.run(account.username, account.displayName, passwordHash));
          for (const role of account.roles) s.userRole.run(userId, role);
          const keys =
            account.wards === 'first'
              ? firstWard === undefined
                ? []
                : [firstWard]
              : plan.wards.map((w) => w.key);
          for (const key of keys) {
            const wardId = maps.wardIdByKey.get(key);
            if (wardId !== undefined) s.userWard.run(userId, wardId);
          }
          users += 1;
        }
      }
      return maps;
    })();

    let batch: SyntheticPatient[] = [];
    const writeBatch = client.transaction((patients: readonly SyntheticPatient[]) => {
      for (const synthetic of patients) {
        const written = insertPatient(synthetic, s, romWriter, ids, createdAt);
        // Record stays carry synthetic ward keys (wardKeyByStay); the census maps them to ward ids.
        for (const day of pastDailyTiers(
          synthetic.record,
          nowMs,
          BACKFILL_DAYS,
          timeZoneOf,
          hoSettings,
        )) {
          s.dailyTier.run(
            written.patientId,
            ids.wardIdByKey.get(day.wardId) ?? null,
            day.date,
            day.tier,
            day.hadRomWithin7Days ? 1 : 0,
          );
          dailyTiers += 1;
        }
        counts = {
          patients: counts.patients + 1,
          stays: counts.stays + synthetic.record.stays.length,
          currentPatients: counts.currentPatients + (synthetic.currentBedLabel === null ? 0 : 1),
          romSessions: counts.romSessions + written.sessions,
          romReadings: counts.romReadings + written.readings,
        };
      }
      romWriter.flush();
    });
    const flush = (): void => {
      writeBatch(batch);
      batch = [];
      options.onProgress?.({ patients: counts.patients, readings: counts.romReadings });
    };
    for (const synthetic of generatePatients(hospitalOptions)) {
      batch.push(synthetic);
      if (batch.length >= batchSize) flush();
    }
    if (batch.length > 0) flush();
  } finally {
    client.pragma(`synchronous = ${synchronous}`);
  }

  const assessed = reassessAll(db, options.now);
  db.transaction((tx) =>
    appendAudit(tx, {
      at: options.now,
      userId: null,
      username: null,
      action: 'seed',
      patientId: null,
      category: 'admin',
      outcome: 'success',
      clientIp: null,
      detail: {
        seed: options.seed,
        scale: options.scale,
        historyMonths: options.historyMonths ?? null,
        demoAccounts: options.withDemoAccounts,
        patients: counts.patients,
        romReadings: counts.romReadings,
      },
    }),
  );
  client.pragma('wal_checkpoint(TRUNCATE)');
  const beds = plan.wards.reduce((sum, ward) => sum + ward.beds.length, 0);
  return {
    wards: plan.wards.length,
    beds,
    users,
    ...counts,
    assessed,
    dailyTiers,
    millis: Math.round(performance.now() - started),
  };
}
