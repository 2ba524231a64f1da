import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { AIS_GRADES, INJURY_TYPES, LIMBS, SEXES } from '@ossiwatch/domain';
import { isBoolean, isInstant, nowInstant, oneOf } from './sql-helpers.ts';
import { beds, wards } from './wards.ts';

export const patients = sqliteTable(
  'patients',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    mrn: text('mrn').notNull().unique(),
    name: text('name').notNull(),
    /** Calendar date YYYY-MM-DD. */
    dateOfBirth: text('date_of_birth').notNull(),
    sex: text('sex', { enum: SEXES }).notNull(),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull().default(nowInstant),
  },
  (table) => [
    check('patients_sex', oneOf(table.sex, SEXES)),
    check('patients_mrn_length', sql`length(${table.mrn}) BETWEEN 1 AND 64`),
    check('patients_name_length', sql`length(${table.name}) BETWEEN 1 AND 200`),
    check(
      'patients_date_of_birth',
      sql`${table.dateOfBirth} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date(${table.dateOfBirth}) IS NOT NULL`,
    ),
  ],
);

/** The brain or spinal cord injury that brought the patient to rehabilitation, one per patient. */
export const injuries = sqliteTable(
  'injuries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: integer('patient_id')
      .notNull()
      .unique()
      .references(() => patients.id, { onDelete: 'cascade' }),
    type: text('type', { enum: INJURY_TYPES }).notNull(),
    occurredAt: text('occurred_at').notNull(),
    lowestGcs: integer('lowest_gcs'),
    comaDays: integer('coma_days'),
    ventilationDays: integer('ventilation_days'),
    diffuseAxonalInjury: integer('diffuse_axonal_injury', { mode: 'boolean' }),
    autonomicDysregulation: integer('autonomic_dysregulation', { mode: 'boolean' }),
    aisGrade: text('ais_grade', { enum: AIS_GRADES }),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    check('injuries_type', oneOf(table.type, INJURY_TYPES)),
    check('injuries_occurred_at_instant', isInstant(table.occurredAt)),
    check('injuries_lowest_gcs', sql`${table.lowestGcs} BETWEEN 3 AND 15`),
    check('injuries_coma_days', sql`${table.comaDays} BETWEEN 0 AND 3650`),
    check('injuries_ventilation_days', sql`${table.ventilationDays} BETWEEN 0 AND 3650`),
    check('injuries_dai_boolean', isBoolean(table.diffuseAxonalInjury)),
    check('injuries_psh_boolean', isBoolean(table.autonomicDysregulation)),
    check('injuries_ais_grade', oneOf(table.aisGrade, AIS_GRADES)),
  ],
);

/** A surgically treated limb fracture (CR §1.2: RR 5 for HO). */
export const surgicalFractures = sqliteTable(
  'surgical_fractures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: integer('patient_id')
      .notNull()
      .references(() => patients.id, { onDelete: 'cascade' }),
    limb: text('limb', { enum: LIMBS }).notNull(),
    fixedAt: text('fixed_at'),
  },
  (table) => [
    index('surgical_fractures_patient').on(table.patientId),
    check('surgical_fractures_limb', oneOf(table.limb, LIMBS)),
    check('surgical_fractures_fixed_at_instant', isInstant(table.fixedAt)),
  ],
);

/** A stay on a ward, in a bed: the unit of patient-days and admissions (PRODUCT §4). */
export const stays = sqliteTable(
  'stays',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    patientId: integer('patient_id')
      .notNull()
      .references(() => patients.id, { onDelete: 'cascade' }),
    wardId: integer('ward_id')
      .notNull()
      .references(() => wards.id, { onDelete: 'restrict' }),
    bedId: integer('bed_id').references(() => beds.id, { onDelete: 'set null' }),
    admittedAt: text('admitted_at').notNull(),
    dischargedAt: text('discharged_at'),
    version: integer('version').notNull().default(1),
  },
  (table) => [
    // The ward board: current stays (discharged_at IS NULL) of one ward.
    index('stays_ward_current').on(table.wardId, table.dischargedAt),
    // Rates: admissions and census per ward over a date range.
    index('stays_ward_admitted').on(table.wardId, table.admittedAt),
    index('stays_patient').on(table.patientId, table.admittedAt),
    uniqueIndex('stays_one_current_per_patient')
      .on(table.patientId)
      .where(sql`${table.dischargedAt} IS NULL`),
    uniqueIndex('stays_one_patient_per_bed')
      .on(table.bedId)
      .where(sql`${table.dischargedAt} IS NULL AND ${table.bedId} IS NOT NULL`),
    check('stays_admitted_at_instant', isInstant(table.admittedAt)),
    check('stays_discharged_at_instant', isInstant(table.dischargedAt)),
    check(
      'stays_discharge_after_admission',
      sql`${table.dischargedAt} IS NULL OR ${table.dischargedAt} >= ${table.admittedAt}`,
    ),
  ],
);
