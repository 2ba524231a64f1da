import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import {
  BROOKER_CLASSES,
  FAC_LEVELS,
  GG_CODES,
  GG_ITEMS,
  HASTINGS_GRAHAM_CLASSES,
  IMAGING_MODALITIES,
  IMAGING_RESULTS,
  JH_HLM_LEVELS,
  JOINT_CATALOG,
  JOINT_SITES,
  LAB_TESTS,
  MAS_CODES,
  MOVEMENTS,
  ROM_MODES,
  SIDES,
} from '@ossiwatch/domain';
import { isBoolean, isInstant, nowInstant, oneOf, quotedList, strictly } from './sql-helpers.ts';
import { patients } from './patients.ts';
import { users } from './users.ts';
import { correctionColumns } from './corrections.ts';

const patientRef = () =>
  integer('patient_id')
    .notNull()
    .references(() => patients.id, { onDelete: 'cascade' });
const recordedByRef = () =>
  integer('recorded_by').references(() => users.id, { onDelete: 'set null' });

/** Every (site, movement) pair the joint catalog knows, as `site:movement`. */
const SITE_MOVEMENT_PAIRS = JOINT_CATALOG.map((entry) => `${entry.site}:${entry.movement}`);

/** One sitting of goniometry: readings for one patient, taken together (PRODUCT §2). */
export const romSessions = sqliteTable(
  'rom_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    takenAt: text('taken_at').notNull(),
    recordedBy: recordedByRef(),
    createdAt: text('created_at').notNull().default(nowInstant),
  },
  (table) => [
    index('rom_sessions_patient').on(table.patientId, table.takenAt),
    check('rom_sessions_taken_at_instant', isInstant(table.takenAt)),
  ],
);

export const romReadings = sqliteTable(
  'rom_readings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: integer('session_id')
      .notNull()
      .references(() => romSessions.id, { onDelete: 'cascade' }),
    patientId: patientRef(),
    site: text('site', { enum: JOINT_SITES }).notNull(),
    side: text('side', { enum: SIDES }).notNull(),
    movement: text('movement', { enum: MOVEMENTS }).notNull(),
    mode: text('mode', { enum: ROM_MODES }).notNull(),
    degrees: real('degrees').notNull(),
    takenAt: text('taken_at').notNull(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    // ROM decline compares the latest reading with the best of the previous 28 days (PRODUCT §3).
    index('rom_readings_series').on(
      table.patientId,
      table.site,
      table.side,
      table.movement,
      table.mode,
      table.takenAt,
    ),
    index('rom_readings_session').on(table.sessionId),
    // Rates keep each patient's first ROM alert: a reading withdrawn since (few) tells them to recount.
    index('rom_readings_withdrawn')
      .on(table.patientId)
      .where(sql`${table.status} IN ('superseded', 'entered-in-error')`),
    // A patient's whole series in time order (loadPatientRecord, at every ROM save) without a sort.
    index('rom_readings_patient').on(table.patientId, table.takenAt),
    check('rom_readings_site', oneOf(table.site, JOINT_SITES)),
    check('rom_readings_side', oneOf(table.side, SIDES)),
    check('rom_readings_movement', oneOf(table.movement, MOVEMENTS)),
    check('rom_readings_mode', oneOf(table.mode, ROM_MODES)),
    check(
      'rom_readings_site_has_movement',
      sql`(${table.site} || ':' || ${table.movement}) IN ${quotedList(SITE_MOVEMENT_PAIRS)}`,
    ),
    // The widest plausible bounds of the catalog; the procedure checks each movement's own bounds.
    check('rom_readings_degrees_bounded', sql`${table.degrees} BETWEEN -180 AND 200`),
    check('rom_readings_taken_at_instant', isInstant(table.takenAt)),
  ],
);

/** Modified Ashworth grade at one joint (CR §4.4), stored as its code. */
export const spasticity = sqliteTable(
  'spasticity',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    site: text('site', { enum: JOINT_SITES }).notNull(),
    side: text('side', { enum: SIDES }).notNull(),
    grade: text('grade', { enum: MAS_CODES }).notNull(),
    takenAt: text('taken_at').notNull(),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('spasticity_patient').on(table.patientId, table.takenAt),
    check('spasticity_site', oneOf(table.site, JOINT_SITES)),
    check('spasticity_side', oneOf(table.side, SIDES)),
    check('spasticity_grade', oneOf(table.grade, MAS_CODES)),
    check('spasticity_taken_at_instant', isInstant(table.takenAt)),
  ],
);

export const MOBILITY_SCALES = ['jh_hlm', 'fac', 'gg'] as const;

/** JH-HLM, FAC or one Section GG item (CR §4), stored as codes, never bare numbers. */
export const mobility = sqliteTable(
  'mobility',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    scale: text('scale', { enum: MOBILITY_SCALES }).notNull(),
    /** The Section GG item; null for JH-HLM and FAC. */
    item: text('item', { enum: GG_ITEMS }),
    code: text('code').notNull(),
    takenAt: text('taken_at').notNull(),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('mobility_patient').on(table.patientId, table.scale, table.takenAt),
    check('mobility_scale', oneOf(table.scale, MOBILITY_SCALES)),
    check(
      'mobility_code_fits_scale',
      strictly(
        sql`(${table.scale} = 'jh_hlm' AND ${table.item} IS NULL AND ${oneOf(table.code, JH_HLM_LEVELS)})
        OR (${table.scale} = 'fac' AND ${table.item} IS NULL AND ${oneOf(table.code, FAC_LEVELS)})
        OR (${table.scale} = 'gg' AND ${oneOf(table.item, GG_ITEMS)} AND ${oneOf(table.code, GG_CODES)})`,
      ),
    ),
    check('mobility_taken_at_instant', isInstant(table.takenAt)),
  ],
);

/** Braden subscales (CR §5.3): five scored 1–4, friction & shear 1–3. */
export const braden = sqliteTable(
  'braden',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    sensoryPerception: integer('sensory_perception').notNull(),
    moisture: integer('moisture').notNull(),
    activity: integer('activity').notNull(),
    mobility: integer('mobility').notNull(),
    nutrition: integer('nutrition').notNull(),
    frictionShear: integer('friction_shear').notNull(),
    takenAt: text('taken_at').notNull(),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('braden_patient').on(table.patientId, table.takenAt),
    check(
      'braden_subscales',
      sql`${table.sensoryPerception} BETWEEN 1 AND 4 AND ${table.moisture} BETWEEN 1 AND 4
        AND ${table.activity} BETWEEN 1 AND 4 AND ${table.mobility} BETWEEN 1 AND 4
        AND ${table.nutrition} BETWEEN 1 AND 4 AND ${table.frictionShear} BETWEEN 1 AND 3`,
    ),
    check('braden_taken_at_instant', isInstant(table.takenAt)),
  ],
);

/** A nurse's look at one joint: swelling, warmth, erythema, pain. Null means not examined. */
export const jointObservations = sqliteTable(
  'joint_observations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    site: text('site', { enum: JOINT_SITES }).notNull(),
    side: text('side', { enum: SIDES }).notNull(),
    swelling: integer('swelling', { mode: 'boolean' }),
    warmth: integer('warmth', { mode: 'boolean' }),
    erythema: integer('erythema', { mode: 'boolean' }),
    pain: integer('pain'),
    takenAt: text('taken_at').notNull(),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('joint_observations_patient').on(table.patientId, table.takenAt),
    check('joint_observations_site', oneOf(table.site, JOINT_SITES)),
    check('joint_observations_side', oneOf(table.side, SIDES)),
    check('joint_observations_swelling', isBoolean(table.swelling)),
    check('joint_observations_warmth', isBoolean(table.warmth)),
    check('joint_observations_erythema', isBoolean(table.erythema)),
    check('joint_observations_pain', sql`${table.pain} BETWEEN 0 AND 10`),
    check(
      'joint_observations_something_examined',
      sql`COALESCE(${table.swelling}, ${table.warmth}, ${table.erythema}, ${table.pain}) IS NOT NULL`,
    ),
    check('joint_observations_taken_at_instant', isInstant(table.takenAt)),
  ],
);

export const VITAL_KINDS = ['temperature', ...LAB_TESTS] as const;

/** Temperature and labs, each with its unit explicit: °C, CRP mg/L, ALP U/L, CK U/L. */
export const vitalsLabs = sqliteTable(
  'vitals_labs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    kind: text('kind', { enum: VITAL_KINDS }).notNull(),
    value: real('value').notNull(),
    unit: text('unit').notNull(),
    takenAt: text('taken_at').notNull(),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('vitals_labs_patient').on(table.patientId, table.kind, table.takenAt),
    check(
      'vitals_labs_kind_unit',
      strictly(
        sql`(${table.kind} = 'temperature' AND ${table.unit} = '°C' AND ${table.value} BETWEEN 30 AND 45)
        OR (${table.kind} = 'crp' AND ${table.unit} = 'mg/L' AND ${table.value} BETWEEN 0 AND 1000)
        OR (${table.kind} IN ('alp', 'ck') AND ${table.unit} = 'U/L' AND ${table.value} BETWEEN 0 AND 1000000)`,
      ),
    ),
    check('vitals_labs_taken_at_instant', isInstant(table.takenAt)),
  ],
);

export const GRADE_SYSTEMS = ['brooker', 'hastings_graham', 'free_text'] as const;

/** An imaging study of one joint with its result and grade (CR §2.4). */
export const imaging = sqliteTable(
  'imaging',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    modality: text('modality', { enum: IMAGING_MODALITIES }).notNull(),
    site: text('site', { enum: JOINT_SITES }).notNull(),
    side: text('side', { enum: SIDES }).notNull(),
    result: text('result', { enum: IMAGING_RESULTS }).notNull(),
    gradeSystem: text('grade_system', { enum: GRADE_SYSTEMS }),
    grade: text('grade'),
    takenAt: text('taken_at').notNull(),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('imaging_patient').on(table.patientId, table.takenAt),
    check('imaging_modality', oneOf(table.modality, IMAGING_MODALITIES)),
    check('imaging_site', oneOf(table.site, JOINT_SITES)),
    check('imaging_side', oneOf(table.side, SIDES)),
    check('imaging_result', oneOf(table.result, IMAGING_RESULTS)),
    // Brooker grades the hip, Hastings & Graham the elbow, free text elsewhere (CR §2.4).
    check(
      'imaging_grade_fits_site',
      strictly(
        sql`(${table.gradeSystem} IS NULL AND ${table.grade} IS NULL)
        OR (${table.gradeSystem} = 'brooker' AND ${table.site} = 'hip' AND ${oneOf(table.grade, BROOKER_CLASSES)})
        OR (${table.gradeSystem} = 'hastings_graham' AND ${table.site} = 'elbow' AND ${oneOf(table.grade, HASTINGS_GRAHAM_CLASSES)})
        OR (${table.gradeSystem} = 'free_text' AND length(${table.grade}) BETWEEN 1 AND 500)`,
      ),
    ),
    check('imaging_taken_at_instant', isInstant(table.takenAt)),
  ],
);

export const HO_DIAGNOSIS_FINDINGS = ['ho_confirmed', 'ho_ruled_out'] as const;

/** A physician's diagnosis at one joint; optional: the HO state itself is derived, never typed. */
export const hoDiagnoses = sqliteTable(
  'ho_diagnoses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    site: text('site', { enum: JOINT_SITES }).notNull(),
    side: text('side', { enum: SIDES }).notNull(),
    finding: text('finding', { enum: HO_DIAGNOSIS_FINDINGS }).notNull(),
    grade: text('grade'),
    note: text('note'),
    diagnosedAt: text('diagnosed_at').notNull(),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('ho_diagnoses_patient').on(table.patientId, table.diagnosedAt),
    check('ho_diagnoses_site', oneOf(table.site, JOINT_SITES)),
    check('ho_diagnoses_side', oneOf(table.side, SIDES)),
    check('ho_diagnoses_finding', oneOf(table.finding, HO_DIAGNOSIS_FINDINGS)),
    check('ho_diagnoses_grade_length', sql`length(${table.grade}) <= 100`),
    check('ho_diagnoses_note_length', sql`length(${table.note}) <= 2000`),
    check('ho_diagnoses_diagnosed_at_instant', isInstant(table.diagnosedAt)),
  ],
);
