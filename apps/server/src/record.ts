/**
 * Maps a patient's rows to the domain's PatientRecord: what the HO watch reasons over. Reads only;
 * every list comes back oldest first.
 */
import type {
  BleedingRisk,
  Complication,
  Intervention,
  MobilityAssessment,
  PatientRecord,
  VitalOrLab,
} from '@ossiwatch/domain';
import type { DbOrTx } from './db/client.ts';
import type { complications, imaging, interventions, mobility, vitalsLabs } from './db/schema.ts';
import { CURRENT_RECORD } from './db/schema/corrections.ts';
import { booleanOf, preparedRowsStatement, preparedStatement } from './statements.ts';

/** Rows as the statements below read them: the schema's types, booleans still 0/1. */
type ComplicationRow = Omit<
  typeof complications.$inferSelect,
  'patientId' | 'recordedBy' | 'version' | 'presentOnAdmission' | 'deviceRelated'
> & { presentOnAdmission: number; deviceRelated: number | null };
type InterventionRow = Omit<
  typeof interventions.$inferSelect,
  'patientId' | 'recordedBy' | 'version'
>;
type MobilityRow = Pick<typeof mobility.$inferSelect, 'id' | 'scale' | 'item' | 'code' | 'takenAt'>;
type VitalRow = Pick<typeof vitalsLabs.$inferSelect, 'id' | 'kind' | 'value' | 'takenAt'>;
type ImagingRow = Omit<typeof imaging.$inferSelect, 'patientId' | 'recordedBy'>;

function complicationOf(row: ComplicationRow): Complication {
  const base = {
    id: row.id,
    onsetAt: row.onsetAt,
    resolvedAt: row.resolvedAt,
    wardId: row.wardId,
    presentOnAdmission: row.presentOnAdmission === 1,
  };
  switch (row.kind) {
    case 'pressure_injury':
      return {
        ...base,
        kind: 'pressure_injury',
        bodySite: row.bodySite ?? '',
        // The CHECK constraint guarantees a stage on every pressure injury.
        stage: row.stage ?? 'unstageable',
        deviceRelated: booleanOf(row.deviceRelated) ?? false,
      };
    case 'pneumonia':
      return { ...base, kind: 'pneumonia' };
    case 'uti':
      return { ...base, kind: 'uti' };
    case 'dvt':
      return { ...base, kind: 'dvt', site: row.site, side: row.side };
  }
}

function interventionOf(row: InterventionRow): Intervention | undefined {
  // The CHECK constraint guarantees the fields each kind needs; the guards satisfy the compiler.
  switch (row.kind) {
    case 'nsaid':
      return row.drug && row.doseMg !== null
        ? {
            id: row.id,
            kind: 'nsaid',
            drug: row.drug,
            doseMg: row.doseMg,
            startedAt: row.startedAt,
            stoppedAt: row.stoppedAt,
          }
        : undefined;
    case 'etidronate':
      return row.doseMgPerKgDay !== null
        ? {
            id: row.id,
            kind: 'etidronate',
            doseMgPerKgDay: row.doseMgPerKgDay,
            startedAt: row.startedAt,
            stoppedAt: row.stoppedAt,
          }
        : undefined;
    case 'radiation':
      return row.doseGy !== null && row.site && row.side
        ? {
            id: row.id,
            kind: 'radiation',
            doseGy: row.doseGy,
            site: row.site,
            side: row.side,
            givenAt: row.startedAt,
          }
        : undefined;
    case 'excision':
      return row.site && row.side
        ? {
            id: row.id,
            kind: 'excision',
            site: row.site,
            side: row.side,
            performedAt: row.startedAt,
          }
        : undefined;
    case 'physiotherapy':
      return {
        id: row.id,
        kind: 'physiotherapy',
        startedAt: row.startedAt,
        stoppedAt: row.stoppedAt,
      };
  }
}

function mobilityOf(row: MobilityRow): MobilityAssessment | undefined {
  // Codes are checked against their scale by the database; the casts name what the CHECK proved.
  switch (row.scale) {
    case 'jh_hlm':
      return {
        id: row.id,
        scale: 'jh_hlm',
        code: row.code as Extract<MobilityAssessment, { scale: 'jh_hlm' }>['code'],
        takenAt: row.takenAt,
      };
    case 'fac':
      return {
        id: row.id,
        scale: 'fac',
        code: row.code as Extract<MobilityAssessment, { scale: 'fac' }>['code'],
        takenAt: row.takenAt,
      };
    case 'gg':
      return row.item
        ? {
            id: row.id,
            scale: 'gg',
            item: row.item,
            code: row.code as Extract<MobilityAssessment, { scale: 'gg' }>['code'],
            takenAt: row.takenAt,
          }
        : undefined;
  }
}

function vitalOf(row: VitalRow): VitalOrLab {
  switch (row.kind) {
    case 'temperature':
      return {
        id: row.id,
        kind: 'temperature',
        value: row.value,
        unit: '°C',
        takenAt: row.takenAt,
      };
    case 'crp':
      return { id: row.id, kind: 'crp', value: row.value, unit: 'mg/L', takenAt: row.takenAt };
    case 'alp':
      return { id: row.id, kind: 'alp', value: row.value, unit: 'U/L', takenAt: row.takenAt };
    case 'ck':
      return { id: row.id, kind: 'ck', value: row.value, unit: 'U/L', takenAt: row.takenAt };
  }
}

// A patient's statements, compiled once per connection (every clinical write reloads the record).
// Lists come back oldest first, each in the order of its time index; columns are aliased to the
// domain's names, and the CHECK constraints guarantee the coded values the row types name.
const selectPatient = preparedStatement<[number], PatientRecord['patient']>(
  'SELECT id, mrn, name, date_of_birth AS dateOfBirth, sex FROM patients WHERE id = ?',
);
const selectInjury = preparedStatement<
  [number],
  Omit<
    PatientRecord['injury'],
    'surgicalFractures' | 'diffuseAxonalInjury' | 'autonomicDysregulation'
  > & {
    diffuseAxonalInjury: number | null;
    autonomicDysregulation: number | null;
  }
>(
  `SELECT type, occurred_at AS occurredAt, lowest_gcs AS lowestGcs, coma_days AS comaDays,
     ventilation_days AS ventilationDays, diffuse_axonal_injury AS diffuseAxonalInjury,
     autonomic_dysregulation AS autonomicDysregulation, ais_grade AS aisGrade
   FROM injuries WHERE patient_id = ?`,
);
const selectFractures = preparedStatement<
  [number],
  PatientRecord['injury']['surgicalFractures'][number]
>('SELECT limb, fixed_at AS fixedAt FROM surgical_fractures WHERE patient_id = ? ORDER BY id');
const selectStays = preparedStatement<[number], PatientRecord['stays'][number]>(
  `SELECT stays.id, stays.patient_id AS patientId, stays.ward_id AS wardId, beds.label AS bedLabel,
     stays.admitted_at AS admittedAt, stays.discharged_at AS dischargedAt
   FROM stays LEFT JOIN beds ON beds.id = stays.bed_id
   WHERE stays.patient_id = ? ORDER BY stays.admitted_at, stays.id`,
);
const selectBleedingRisk = preparedStatement<[number], Record<keyof BleedingRisk, number>>(
  `SELECT gastrointestinal_bleed AS gastrointestinalBleed, intracranial_bleed AS intracranialBleed,
     renal_impairment AS renalImpairment, anticoagulated
   FROM bleeding_risk WHERE patient_id = ?`,
);
type Rom = PatientRecord['romReadings'][number];
const selectRomReadings = preparedRowsStatement<
  [number],
  [
    Rom['id'],
    Rom['sessionId'],
    Rom['site'],
    Rom['side'],
    Rom['movement'],
    Rom['mode'],
    number,
    string,
  ]
>(
  `SELECT id, session_id, site, side, movement, mode, degrees, taken_at
   FROM rom_readings WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY taken_at, id`,
);
const selectSpasticity = preparedStatement<[number], PatientRecord['spasticity'][number]>(
  `SELECT id, site, side, grade, taken_at AS takenAt
   FROM spasticity WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY taken_at, id`,
);
const selectMobility = preparedStatement<[number], MobilityRow>(
  `SELECT id, scale, item, code, taken_at AS takenAt
   FROM mobility WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY taken_at, id`,
);
const selectBraden = preparedStatement<[number], PatientRecord['braden'][number]>(
  `SELECT id, sensory_perception AS sensoryPerception, moisture, activity, mobility, nutrition,
     friction_shear AS frictionShear, taken_at AS takenAt
   FROM braden WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY taken_at, id`,
);
const selectJointObservations = preparedStatement<
  [number],
  Omit<PatientRecord['jointObservations'][number], 'swelling' | 'warmth' | 'erythema'> & {
    swelling: number | null;
    warmth: number | null;
    erythema: number | null;
  }
>(
  `SELECT id, site, side, swelling, warmth, erythema, pain, taken_at AS takenAt
   FROM joint_observations WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY taken_at, id`,
);
const selectVitals = preparedStatement<[number], VitalRow>(
  `SELECT id, kind, value, taken_at AS takenAt
   FROM vitals_labs WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY taken_at, id`,
);
const selectImaging = preparedStatement<[number], ImagingRow>(
  `SELECT id, modality, site, side, result, grade_system AS gradeSystem, grade, taken_at AS takenAt
   FROM imaging WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY taken_at, id`,
);
const selectComplications = preparedStatement<[number], ComplicationRow>(
  `SELECT id, ward_id AS wardId, kind, onset_at AS onsetAt, resolved_at AS resolvedAt,
     present_on_admission AS presentOnAdmission, body_site AS bodySite, stage,
     device_related AS deviceRelated, site, side
   FROM complications WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY onset_at, id`,
);
const selectCatheterEpisodes = preparedStatement<
  [number],
  PatientRecord['catheterEpisodes'][number]
>(
  `SELECT id, inserted_at AS insertedAt, removed_at AS removedAt
   FROM catheter_episodes WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY inserted_at, id`,
);
const selectInterventions = preparedStatement<[number], InterventionRow>(
  `SELECT id, kind, drug, dose_mg AS doseMg, dose_mg_per_kg_day AS doseMgPerKgDay, dose_gy AS doseGy,
     site, side, started_at AS startedAt, stopped_at AS stoppedAt
   FROM interventions WHERE patient_id = ? AND ${CURRENT_RECORD} ORDER BY started_at, id`,
);

/**
 * The whole record of one patient, or undefined when the patient (or their injury, without which the
 * HO watch has no clock) does not exist.
 */
export function loadPatientRecord(db: DbOrTx, patientId: number): PatientRecord | undefined {
  const patient = selectPatient(db).get(patientId);
  const injury = selectInjury(db).get(patientId);
  if (!patient || !injury) return undefined;
  const risk = selectBleedingRisk(db).get(patientId);
  const bleeding: BleedingRisk | null = risk
    ? {
        gastrointestinalBleed: risk.gastrointestinalBleed === 1,
        intracranialBleed: risk.intracranialBleed === 1,
        renalImpairment: risk.renalImpairment === 1,
        anticoagulated: risk.anticoagulated === 1,
      }
    : null;

  return {
    patient,
    injury: {
      type: injury.type,
      occurredAt: injury.occurredAt,
      lowestGcs: injury.lowestGcs,
      comaDays: injury.comaDays,
      ventilationDays: injury.ventilationDays,
      diffuseAxonalInjury: booleanOf(injury.diffuseAxonalInjury),
      autonomicDysregulation: booleanOf(injury.autonomicDysregulation),
      aisGrade: injury.aisGrade,
      surgicalFractures: selectFractures(db).all(patientId),
    },
    stays: selectStays(db).all(patientId),
    romReadings: selectRomReadings(db)
      .all(patientId)
      .map((row) => ({
        id: row[0],
        sessionId: row[1],
        site: row[2],
        side: row[3],
        movement: row[4],
        mode: row[5],
        degrees: row[6],
        takenAt: row[7],
      })),
    spasticity: selectSpasticity(db).all(patientId),
    mobility: selectMobility(db)
      .all(patientId)
      .flatMap((row) => {
        const mapped = mobilityOf(row);
        return mapped ? [mapped] : [];
      }),
    braden: selectBraden(db).all(patientId),
    jointObservations: selectJointObservations(db)
      .all(patientId)
      .map((row) => ({
        id: row.id,
        site: row.site,
        side: row.side,
        swelling: booleanOf(row.swelling),
        warmth: booleanOf(row.warmth),
        erythema: booleanOf(row.erythema),
        pain: row.pain,
        takenAt: row.takenAt,
      })),
    vitalsAndLabs: selectVitals(db).all(patientId).map(vitalOf),
    imaging: selectImaging(db).all(patientId).map(imagingOf),
    complications: selectComplications(db).all(patientId).map(complicationOf),
    catheterEpisodes: selectCatheterEpisodes(db).all(patientId),
    interventions: selectInterventions(db)
      .all(patientId)
      .flatMap((row) => {
        const mapped = interventionOf(row);
        return mapped ? [mapped] : [];
      }),
    bleedingRisk: bleeding,
  };
}

/** The grade of an imaging row in the domain's shape (the CHECK ties each system to its grades). */
/** An imaging row as the record (and the patient's timeline) shows it, its grade as a coded value. */
export function imagingOf(
  row: Pick<
    typeof imaging.$inferSelect,
    'id' | 'modality' | 'site' | 'side' | 'result' | 'gradeSystem' | 'grade' | 'takenAt'
  >,
): PatientRecord['imaging'][number] {
  return {
    id: row.id,
    modality: row.modality,
    site: row.site,
    side: row.side,
    result: row.result,
    grade: imagingGradeOf(row),
    takenAt: row.takenAt,
  };
}

export function imagingGradeOf(
  row: Pick<typeof imaging.$inferSelect, 'gradeSystem' | 'grade'>,
): PatientRecord['imaging'][number]['grade'] {
  if (row.gradeSystem === null || row.grade === null) return null;
  switch (row.gradeSystem) {
    case 'brooker':
      return {
        system: 'brooker',
        grade: row.grade as Extract<
          NonNullable<PatientRecord['imaging'][number]['grade']>,
          { system: 'brooker' }
        >['grade'],
      };
    case 'hastings_graham':
      return {
        system: 'hastings_graham',
        grade: row.grade as Extract<
          NonNullable<PatientRecord['imaging'][number]['grade']>,
          { system: 'hastings_graham' }
        >['grade'],
      };
    case 'free_text':
      return { system: 'free_text', text: row.grade };
  }
}
