import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import {
  COMPLICATION_KINDS,
  JOINT_SITES,
  NSAID_DRUGS,
  PRESSURE_INJURY_STAGES,
  SIDES,
} from '@ossiwatch/domain';
import { isBoolean, isInstant, oneOf, strictly } from './sql-helpers.ts';
import { patients } from './patients.ts';
import { users } from './users.ts';
import { wards } from './wards.ts';
import { CURRENT_RECORD, correctionColumns } from './corrections.ts';

const patientRef = () =>
  integer('patient_id')
    .notNull()
    .references(() => patients.id, { onDelete: 'cascade' });
const recordedByRef = () =>
  integer('recorded_by').references(() => users.id, { onDelete: 'set null' });

/**
 * A complication: pressure injury, pneumonia, UTI or DVT. It counts on the ward the patient was on at
 * onset (PRODUCT §4); present-on-admission ones are not hospital-acquired. CAUTI is derived from
 * catheter episodes, never typed (CR §5.4).
 */
export const complications = sqliteTable(
  'complications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    wardId: integer('ward_id')
      .notNull()
      .references(() => wards.id, { onDelete: 'restrict' }),
    kind: text('kind', { enum: COMPLICATION_KINDS }).notNull(),
    onsetAt: text('onset_at').notNull(),
    resolvedAt: text('resolved_at'),
    presentOnAdmission: integer('present_on_admission', { mode: 'boolean' })
      .notNull()
      .default(false),
    /** Pressure injury only: where on the body (sacrum, heel…). */
    bodySite: text('body_site'),
    stage: text('stage', { enum: PRESSURE_INJURY_STAGES }),
    deviceRelated: integer('device_related', { mode: 'boolean' }),
    /** DVT only: the limb joint it was found near, when recorded. */
    site: text('site', { enum: JOINT_SITES }),
    side: text('side', { enum: SIDES }),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    // Rates: events per ward by onset date.
    index('complications_ward_onset').on(table.wardId, table.onsetAt),
    index('complications_patient').on(table.patientId, table.onsetAt),
    check('complications_kind', oneOf(table.kind, COMPLICATION_KINDS)),
    check('complications_poa_boolean', isBoolean(table.presentOnAdmission)),
    check('complications_device_boolean', isBoolean(table.deviceRelated)),
    check(
      'complications_pressure_injury_fields',
      strictly(
        sql`(${table.kind} = 'pressure_injury' AND ${oneOf(table.stage, PRESSURE_INJURY_STAGES)}
          AND length(${table.bodySite}) BETWEEN 1 AND 100 AND ${table.deviceRelated} IS NOT NULL)
        OR (${table.kind} <> 'pressure_injury' AND ${table.stage} IS NULL AND ${table.bodySite} IS NULL
          AND ${table.deviceRelated} IS NULL)`,
      ),
    ),
    check(
      'complications_dvt_site',
      strictly(
        sql`(${table.site} IS NULL AND ${table.side} IS NULL) OR (${table.kind} = 'dvt'
        AND ${oneOf(table.site, JOINT_SITES)} AND ${oneOf(table.side, SIDES)})`,
      ),
    ),
    check('complications_onset_at_instant', isInstant(table.onsetAt)),
    check('complications_resolved_at_instant', isInstant(table.resolvedAt)),
    check(
      'complications_resolved_after_onset',
      sql`${table.resolvedAt} IS NULL OR ${table.resolvedAt} >= ${table.onsetAt}`,
    ),
  ],
);

/** An indwelling urinary catheter, in and out: the denominator of CAUTI rates (CR §5.4). */
export const catheterEpisodes = sqliteTable(
  'catheter_episodes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    /** The ward where it was inserted. */
    wardId: integer('ward_id')
      .notNull()
      .references(() => wards.id, { onDelete: 'restrict' }),
    insertedAt: text('inserted_at').notNull(),
    removedAt: text('removed_at'),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('catheter_episodes_patient').on(table.patientId, table.insertedAt),
    index('catheter_episodes_ward').on(table.wardId, table.insertedAt),
    uniqueIndex('catheter_episodes_one_open_per_patient')
      .on(table.patientId)
      .where(sql`${table.removedAt} IS NULL AND ${sql.raw(CURRENT_RECORD)}`),
    check('catheter_episodes_inserted_at_instant', isInstant(table.insertedAt)),
    check('catheter_episodes_removed_at_instant', isInstant(table.removedAt)),
    check(
      'catheter_episodes_removed_after_insertion',
      sql`${table.removedAt} IS NULL OR ${table.removedAt} >= ${table.insertedAt}`,
    ),
  ],
);

export const INTERVENTION_KINDS = [
  'nsaid',
  'etidronate',
  'radiation',
  'excision',
  'physiotherapy',
] as const;

/**
 * A treatment for HO (CR §6). `startedAt` is the start of a course, or the day radiation was given
 * or the excision performed (those have no stop).
 */
export const interventions = sqliteTable(
  'interventions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: patientRef(),
    kind: text('kind', { enum: INTERVENTION_KINDS }).notNull(),
    drug: text('drug', { enum: NSAID_DRUGS }),
    doseMg: real('dose_mg'),
    doseMgPerKgDay: real('dose_mg_per_kg_day'),
    doseGy: real('dose_gy'),
    site: text('site', { enum: JOINT_SITES }),
    side: text('side', { enum: SIDES }),
    startedAt: text('started_at').notNull(),
    stoppedAt: text('stopped_at'),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
    ...correctionColumns(),
  },
  (table) => [
    index('interventions_patient').on(table.patientId, table.startedAt),
    check('interventions_kind', oneOf(table.kind, INTERVENTION_KINDS)),
    check(
      'interventions_fields_fit_kind',
      strictly(
        sql`(${table.kind} = 'nsaid' AND ${oneOf(table.drug, NSAID_DRUGS)} AND ${table.doseMg} > 0 AND ${table.doseMg} <= 5000
          AND ${table.site} IS NULL AND ${table.doseGy} IS NULL AND ${table.doseMgPerKgDay} IS NULL)
        OR (${table.kind} = 'etidronate' AND ${table.doseMgPerKgDay} > 0 AND ${table.doseMgPerKgDay} <= 50
          AND ${table.drug} IS NULL AND ${table.site} IS NULL AND ${table.doseGy} IS NULL AND ${table.doseMg} IS NULL)
        OR (${table.kind} = 'radiation' AND ${table.doseGy} > 0 AND ${table.doseGy} <= 50
          AND ${oneOf(table.site, JOINT_SITES)} AND ${oneOf(table.side, SIDES)} AND ${table.stoppedAt} IS NULL
          AND ${table.drug} IS NULL AND ${table.doseMg} IS NULL AND ${table.doseMgPerKgDay} IS NULL)
        OR (${table.kind} = 'excision' AND ${oneOf(table.site, JOINT_SITES)} AND ${oneOf(table.side, SIDES)}
          AND ${table.stoppedAt} IS NULL AND ${table.drug} IS NULL AND ${table.doseMg} IS NULL
          AND ${table.doseMgPerKgDay} IS NULL AND ${table.doseGy} IS NULL)
        OR (${table.kind} = 'physiotherapy' AND ${table.drug} IS NULL AND ${table.site} IS NULL
          AND ${table.doseMg} IS NULL AND ${table.doseMgPerKgDay} IS NULL AND ${table.doseGy} IS NULL)`,
      ),
    ),
    check('interventions_started_at_instant', isInstant(table.startedAt)),
    check('interventions_stopped_at_instant', isInstant(table.stoppedAt)),
    check(
      'interventions_stop_after_start',
      sql`${table.stoppedAt} IS NULL OR ${table.stoppedAt} >= ${table.startedAt}`,
    ),
  ],
);

/** Known bleeding risk (CR §6.1), one row per patient, edited with a version. */
export const bleedingRisk = sqliteTable(
  'bleeding_risk',
  {
    patientId: integer('patient_id')
      .primaryKey()
      .references(() => patients.id, { onDelete: 'cascade' }),
    gastrointestinalBleed: integer('gastrointestinal_bleed', { mode: 'boolean' }).notNull(),
    intracranialBleed: integer('intracranial_bleed', { mode: 'boolean' }).notNull(),
    renalImpairment: integer('renal_impairment', { mode: 'boolean' }).notNull(),
    anticoagulated: integer('anticoagulated', { mode: 'boolean' }).notNull(),
    updatedAt: text('updated_at').notNull(),
    recordedBy: recordedByRef(),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    check('bleeding_risk_gi_boolean', isBoolean(table.gastrointestinalBleed)),
    check('bleeding_risk_ic_boolean', isBoolean(table.intracranialBleed)),
    check('bleeding_risk_renal_boolean', isBoolean(table.renalImpairment)),
    check('bleeding_risk_anticoag_boolean', isBoolean(table.anticoagulated)),
    check('bleeding_risk_updated_at_instant', isInstant(table.updatedAt)),
  ],
);

/**
 * One row whose `version` changes at every write to the tables the managers' rates count from (stays,
 * catheter episodes, complications, imaging): triggers in migration 0007 raise it, so a write by any
 * path or process, backdated or not, is seen. `rates.summary` keeps its figures while it is unchanged.
 */
export const ratesDataVersion = sqliteTable(
  'rates_data_version',
  {
    id: integer('id').primaryKey(),
    version: integer('version').notNull().default(0),
  },
  (table) => [check('rates_data_version_single_row', sql`${table.id} = 1`)],
);

/**
 * The patients whose stays, catheter episodes, complications or imaging were written, with the
 * `rates_data_version` of their last write (triggers of migration 0008): after a write,
 * `rates.summary` recounts only the wards of those patients.
 */
export const ratesChangedPatients = sqliteTable(
  'rates_changed_patients',
  {
    patientId: integer('patient_id').primaryKey(),
    version: integer('version').notNull(),
  },
  (table) => [index('rates_changed_patients_version').on(table.version)],
);
