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
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from './db/client.ts';
import {
  beds,
  bleedingRisk,
  braden,
  catheterEpisodes,
  complications,
  imaging,
  injuries,
  interventions,
  jointObservations,
  mobility,
  patients,
  romReadings,
  spasticity,
  stays,
  surgicalFractures,
  vitalsLabs,
} from './db/schema.ts';

type Braden1to4 = 1 | 2 | 3 | 4;

function complicationOf(row: typeof complications.$inferSelect): Complication {
  const base = {
    id: row.id,
    onsetAt: row.onsetAt,
    resolvedAt: row.resolvedAt,
    wardId: row.wardId,
    presentOnAdmission: row.presentOnAdmission,
  };
  switch (row.kind) {
    case 'pressure_injury':
      return {
        ...base,
        kind: 'pressure_injury',
        bodySite: row.bodySite ?? '',
        // The CHECK constraint guarantees a stage on every pressure injury.
        stage: row.stage ?? 'unstageable',
        deviceRelated: row.deviceRelated ?? false,
      };
    case 'pneumonia':
      return { ...base, kind: 'pneumonia' };
    case 'uti':
      return { ...base, kind: 'uti' };
    case 'dvt':
      return { ...base, kind: 'dvt', site: row.site, side: row.side };
  }
}

function interventionOf(row: typeof interventions.$inferSelect): Intervention | undefined {
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

function mobilityOf(row: typeof mobility.$inferSelect): MobilityAssessment | undefined {
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

function vitalOf(row: typeof vitalsLabs.$inferSelect): VitalOrLab {
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

/**
 * The whole record of one patient, or undefined when the patient (or their injury, without which the
 * HO watch has no clock) does not exist.
 */
export function loadPatientRecord(db: DbOrTx, patientId: number): PatientRecord | undefined {
  const patient = db.select().from(patients).where(eq(patients.id, patientId)).get();
  const injury = db.select().from(injuries).where(eq(injuries.patientId, patientId)).get();
  if (!patient || !injury) return undefined;

  const fractures = db
    .select()
    .from(surgicalFractures)
    .where(eq(surgicalFractures.patientId, patientId))
    .orderBy(asc(surgicalFractures.id))
    .all();
  const stayRows = db
    .select({
      id: stays.id,
      patientId: stays.patientId,
      wardId: stays.wardId,
      bedLabel: beds.label,
      admittedAt: stays.admittedAt,
      dischargedAt: stays.dischargedAt,
    })
    .from(stays)
    .leftJoin(beds, eq(beds.id, stays.bedId))
    .where(eq(stays.patientId, patientId))
    .orderBy(asc(stays.admittedAt), asc(stays.id))
    .all();
  const risk = db.select().from(bleedingRisk).where(eq(bleedingRisk.patientId, patientId)).get();
  const bleeding: BleedingRisk | null = risk
    ? {
        gastrointestinalBleed: risk.gastrointestinalBleed,
        intracranialBleed: risk.intracranialBleed,
        renalImpairment: risk.renalImpairment,
        anticoagulated: risk.anticoagulated,
      }
    : null;

  return {
    patient: {
      id: patient.id,
      mrn: patient.mrn,
      name: patient.name,
      dateOfBirth: patient.dateOfBirth,
      sex: patient.sex,
    },
    injury: {
      type: injury.type,
      occurredAt: injury.occurredAt,
      lowestGcs: injury.lowestGcs,
      comaDays: injury.comaDays,
      ventilationDays: injury.ventilationDays,
      diffuseAxonalInjury: injury.diffuseAxonalInjury,
      autonomicDysregulation: injury.autonomicDysregulation,
      aisGrade: injury.aisGrade,
      surgicalFractures: fractures.map((f) => ({ limb: f.limb, fixedAt: f.fixedAt })),
    },
    stays: stayRows,
    romReadings: db
      .select({
        id: romReadings.id,
        sessionId: romReadings.sessionId,
        site: romReadings.site,
        side: romReadings.side,
        movement: romReadings.movement,
        mode: romReadings.mode,
        degrees: romReadings.degrees,
        takenAt: romReadings.takenAt,
      })
      .from(romReadings)
      .where(eq(romReadings.patientId, patientId))
      .orderBy(asc(romReadings.takenAt), asc(romReadings.id))
      .all(),
    spasticity: db
      .select({
        id: spasticity.id,
        site: spasticity.site,
        side: spasticity.side,
        grade: spasticity.grade,
        takenAt: spasticity.takenAt,
      })
      .from(spasticity)
      .where(eq(spasticity.patientId, patientId))
      .orderBy(asc(spasticity.takenAt), asc(spasticity.id))
      .all(),
    mobility: db
      .select()
      .from(mobility)
      .where(eq(mobility.patientId, patientId))
      .orderBy(asc(mobility.takenAt), asc(mobility.id))
      .all()
      .flatMap((row) => {
        const mapped = mobilityOf(row);
        return mapped ? [mapped] : [];
      }),
    braden: db
      .select()
      .from(braden)
      .where(eq(braden.patientId, patientId))
      .orderBy(asc(braden.takenAt), asc(braden.id))
      .all()
      .map((row) => ({
        id: row.id,
        sensoryPerception: row.sensoryPerception as Braden1to4,
        moisture: row.moisture as Braden1to4,
        activity: row.activity as Braden1to4,
        mobility: row.mobility as Braden1to4,
        nutrition: row.nutrition as Braden1to4,
        frictionShear: row.frictionShear as 1 | 2 | 3,
        takenAt: row.takenAt,
      })),
    jointObservations: db
      .select({
        id: jointObservations.id,
        site: jointObservations.site,
        side: jointObservations.side,
        swelling: jointObservations.swelling,
        warmth: jointObservations.warmth,
        erythema: jointObservations.erythema,
        pain: jointObservations.pain,
        takenAt: jointObservations.takenAt,
      })
      .from(jointObservations)
      .where(eq(jointObservations.patientId, patientId))
      .orderBy(asc(jointObservations.takenAt), asc(jointObservations.id))
      .all(),
    vitalsAndLabs: db
      .select()
      .from(vitalsLabs)
      .where(eq(vitalsLabs.patientId, patientId))
      .orderBy(asc(vitalsLabs.takenAt), asc(vitalsLabs.id))
      .all()
      .map(vitalOf),
    imaging: db
      .select()
      .from(imaging)
      .where(eq(imaging.patientId, patientId))
      .orderBy(asc(imaging.takenAt), asc(imaging.id))
      .all()
      .map((row) => ({
        id: row.id,
        modality: row.modality,
        site: row.site,
        side: row.side,
        result: row.result,
        grade: imagingGradeOf(row),
        takenAt: row.takenAt,
      })),
    complications: db
      .select()
      .from(complications)
      .where(eq(complications.patientId, patientId))
      .orderBy(asc(complications.onsetAt), asc(complications.id))
      .all()
      .map(complicationOf),
    catheterEpisodes: db
      .select({
        id: catheterEpisodes.id,
        insertedAt: catheterEpisodes.insertedAt,
        removedAt: catheterEpisodes.removedAt,
      })
      .from(catheterEpisodes)
      .where(eq(catheterEpisodes.patientId, patientId))
      .orderBy(asc(catheterEpisodes.insertedAt), asc(catheterEpisodes.id))
      .all(),
    interventions: db
      .select()
      .from(interventions)
      .where(eq(interventions.patientId, patientId))
      .orderBy(asc(interventions.startedAt), asc(interventions.id))
      .all()
      .flatMap((row) => {
        const mapped = interventionOf(row);
        return mapped ? [mapped] : [];
      }),
    bleedingRisk: bleeding,
  };
}

/** The grade of an imaging row in the domain's shape (the CHECK ties each system to its grades). */
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
