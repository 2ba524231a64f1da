/**
 * OssiWatch records as FHIR R4 resources (PRODUCT §11, CR §7 codes, CR §8 mapping). Pure functions of
 * rows: the routes (routes.ts) load, scope and audit; these only translate.
 *
 * Codes: a standard code only where CR §7 marks it verified [V] or sourced [S]; everything else (the
 * joint, the movement, active/passive, the HO diagnosis, DVT) is a local code in an OssiWatch code
 * system, said so in docs/fhir.md. A value we do not know is left out, never invented.
 */
import type {
  CodeableConcept,
  Coding,
  Condition,
  DeviceUseStatement,
  Encounter,
  Extension,
  Observation,
  Patient,
  Procedure,
  Reference,
  RiskAssessment,
} from '@medplum/fhirtypes';
import type { Assessment } from '@ossiwatch/domain';
import type { RecordStatus } from '../../db/schema/corrections.ts';

/** The base of OssiWatch's local code systems and extensions (a reserved .example host: not resolvable). */
export const LOCAL_BASE = 'https://ossiwatch.example/fhir';
export const MRN_SYSTEM = `${LOCAL_BASE}/NamingSystem/mrn`;
const LOCAL = {
  joint: `${LOCAL_BASE}/CodeSystem/joint`,
  rom: `${LOCAL_BASE}/CodeSystem/rom`,
  movement: `${LOCAL_BASE}/CodeSystem/movement`,
  romMode: `${LOCAL_BASE}/CodeSystem/rom-mode`,
  condition: `${LOCAL_BASE}/CodeSystem/condition`,
  tier: `${LOCAL_BASE}/CodeSystem/ho-watch-tier`,
  scale: `${LOCAL_BASE}/CodeSystem/scale`,
  procedure: `${LOCAL_BASE}/CodeSystem/procedure`,
  presentOnAdmission: `${LOCAL_BASE}/StructureDefinition/present-on-admission`,
} as const;
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
/** mCODE's laterality qualifier, allowed on Observation/Condition.bodySite (CR §8, mCODE STU4 [V]). */
const LATERALITY_EXTENSION =
  'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier';

/** CR §7.2 laterality qualifiers [V]. */
const LATERALITY: Record<'left' | 'right', Coding> = {
  right: { system: SNOMED, code: '24028007', display: 'Right' },
  left: { system: SNOMED, code: '7771000', display: 'Left' },
};

export const patientRef = (patientId: number): Reference<Patient> => ({
  reference: `Patient/${patientId}`,
});

const words = (code: string): string => code.replaceAll('_', ' ');

/**
 * FHIR's Observation.status for a record's status (corrections.ts, after the same value set). A
 * `superseded` row has no FHIR status: it is never served, its amendment is (routes.ts).
 */
export function observationStatus(status: RecordStatus): 'final' | 'amended' | 'entered-in-error' {
  if (status === 'superseded') throw new Error('superseded rows are not served');
  return status;
}

function bodySite(site: string, side: 'left' | 'right'): CodeableConcept {
  const extension: Extension[] = [
    { url: LATERALITY_EXTENSION, valueCodeableConcept: { coding: [LATERALITY[side]] } },
  ];
  return {
    extension,
    coding: [{ system: LOCAL.joint, code: site, display: words(site) }],
    text: `${side} ${words(site)}`,
  };
}

export interface PatientRow {
  id: number;
  mrn: string;
  name: string;
  dateOfBirth: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
}

export function toPatient(row: PatientRow): Patient {
  return {
    resourceType: 'Patient',
    id: String(row.id),
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }],
        },
        system: MRN_SYSTEM,
        value: row.mrn,
      },
    ],
    // One stored field: the name as the ward wrote it, not split into given and family.
    name: [{ text: row.name }],
    gender: row.sex,
    birthDate: row.dateOfBirth,
  };
}

export interface StayRow {
  id: number;
  patientId: number;
  wardName: string;
  bed: string | null;
  admittedAt: string;
  dischargedAt: string | null;
}

export function toEncounter(row: StayRow): Encounter {
  return {
    resourceType: 'Encounter',
    id: String(row.id),
    status: row.dischargedAt === null ? 'in-progress' : 'finished',
    // CR §8: an inpatient rehabilitation stay.
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'IMP',
      display: 'inpatient encounter',
    },
    subject: patientRef(row.patientId),
    period: { start: row.admittedAt, ...(row.dischargedAt ? { end: row.dischargedAt } : {}) },
    location: [
      {
        location: { display: row.bed ? `${row.wardName}, bed ${row.bed}` : row.wardName },
        status: row.dischargedAt === null ? 'active' : 'completed',
      },
    ],
  };
}

export interface RomRow {
  id: number;
  patientId: number;
  site: string;
  side: 'left' | 'right';
  movement: string;
  mode: 'active' | 'passive';
  degrees: number;
  takenAt: string;
  status: RecordStatus;
}

/** The local code of a ROM observation: joint and movement, e.g. `hip-flexion` (no LOINC, CR §7.3). */
export const romCode = (site: string, movement: string): string => `${site}-${movement}`;

export function toRomObservation(row: RomRow): Observation {
  return {
    resourceType: 'Observation',
    id: `rom-${row.id}`,
    status: observationStatus(row.status),
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'exam', display: 'Exam' }] }],
    code: {
      coding: [
        // CR §7.2 "Range of joint movement (observable entity)" [S]; the joint and movement locally.
        { system: SNOMED, code: '364564000', display: 'Range of joint movement' },
        {
          system: LOCAL.rom,
          code: romCode(row.site, row.movement),
          display: `${words(row.site)} ${words(row.movement)}`,
        },
      ],
      text: `${row.side} ${words(row.site)} ${words(row.movement)}, ${row.mode}`,
    },
    subject: patientRef(row.patientId),
    effectiveDateTime: row.takenAt,
    valueQuantity: { value: row.degrees, unit: 'deg', system: UCUM, code: 'deg' },
    bodySite: bodySite(row.site, row.side),
    method: { text: 'goniometer' },
    component: [
      {
        code: { coding: [{ system: LOCAL.rom, code: 'movement', display: 'movement' }] },
        valueCodeableConcept: {
          coding: [{ system: LOCAL.movement, code: row.movement, display: words(row.movement) }],
        },
      },
      {
        code: { coding: [{ system: LOCAL.rom, code: 'mode', display: 'active or passive' }] },
        valueCodeableConcept: {
          coding: [{ system: LOCAL.romMode, code: row.mode, display: row.mode }],
        },
      },
    ],
  };
}

/** CR §7.3 LOINC codes and UCUM units of what vitals_labs holds; the unit column is checked in SQL. */
export const LAB_CODES = {
  crp: {
    loinc: '1988-5',
    display: 'C reactive protein [Mass/volume] in Serum or Plasma',
    ucum: 'mg/L',
  },
  alp: {
    loinc: '6768-6',
    display: 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma',
    ucum: 'U/L',
  },
  ck: {
    loinc: '2157-6',
    display: 'Creatine kinase [Enzymatic activity/volume] in Serum or Plasma',
    ucum: 'U/L',
  },
  // The R4 vital-signs profile's body temperature code.
  temperature: { loinc: '8310-5', display: 'Body temperature', ucum: 'Cel' },
} as const;
export type LabKind = keyof typeof LAB_CODES;

export interface LabRow {
  id: number;
  patientId: number;
  kind: LabKind;
  value: number;
  unit: string;
  takenAt: string;
  status: RecordStatus;
}

export function toLabObservation(row: LabRow): Observation {
  const code = LAB_CODES[row.kind];
  const category = row.kind === 'temperature' ? 'vital-signs' : 'laboratory';
  return {
    resourceType: 'Observation',
    id: `lab-${row.id}`,
    status: observationStatus(row.status),
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: category }] }],
    code: { coding: [{ system: LOINC, code: code.loinc, display: code.display }] },
    subject: patientRef(row.patientId),
    effectiveDateTime: row.takenAt,
    valueQuantity: { value: row.value, unit: row.unit, system: UCUM, code: code.ucum },
  };
}

export interface BradenRow {
  id: number;
  patientId: number;
  sensoryPerception: number;
  moisture: number;
  activity: number;
  mobility: number;
  nutrition: number;
  frictionShear: number;
  takenAt: string;
  status: RecordStatus;
}

/** Braden total, LOINC 38227-5 (CR §7.3 [V], not 38227-6); category survey as in PACIO's samples. */
export const BRADEN_LOINC = '38227-5';

export function toBradenObservation(row: BradenRow): Observation {
  const total =
    row.sensoryPerception +
    row.moisture +
    row.activity +
    row.mobility +
    row.nutrition +
    row.frictionShear;
  return {
    resourceType: 'Observation',
    id: `braden-${row.id}`,
    status: observationStatus(row.status),
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey' }] }],
    code: { coding: [{ system: LOINC, code: BRADEN_LOINC, display: 'Braden scale total score' }] },
    subject: patientRef(row.patientId),
    effectiveDateTime: row.takenAt,
    valueInteger: total,
  };
}

export interface HoDiagnosisRow {
  id: number;
  patientId: number;
  site: string;
  side: 'left' | 'right';
  finding: 'ho_confirmed' | 'ho_ruled_out';
  grade: string | null;
  note: string | null;
  diagnosedAt: string;
  status: RecordStatus;
}

const encounterDiagnosis: CodeableConcept[] = [
  { coding: [{ system: CONDITION_CATEGORY, code: 'encounter-diagnosis' }] },
];

/** R4 con-5: an entered-in-error Condition carries no clinicalStatus. */
function verification(code: string): CodeableConcept {
  return { coding: [{ system: CONDITION_VERIFICATION, code }] };
}
function clinical(code: 'active' | 'resolved'): CodeableConcept {
  return { coding: [{ system: CONDITION_CLINICAL, code }] };
}

/**
 * A physician's HO diagnosis at one joint. No ICD-10 code: M61.2 vs M61.5 and the joint-to-site
 * character are a coder's judgement (CR §7.1 [U]) and the SNOMED HO concept is unverified (CR §7.2),
 * so the code is local, with text.
 */
export function toHoCondition(row: HoDiagnosisRow): Condition {
  const withdrawn = row.status === 'entered-in-error';
  const confirmed = row.finding === 'ho_confirmed';
  return {
    resourceType: 'Condition',
    id: `ho-${row.id}`,
    ...(withdrawn || !confirmed ? {} : { clinicalStatus: clinical('active') }),
    verificationStatus: verification(
      withdrawn ? 'entered-in-error' : confirmed ? 'confirmed' : 'refuted',
    ),
    category: encounterDiagnosis,
    code: {
      coding: [
        {
          system: LOCAL.condition,
          code: 'heterotopic-ossification',
          display: 'heterotopic ossification',
        },
      ],
      text: 'Heterotopic ossification',
    },
    bodySite: [bodySite(row.site, row.side)],
    subject: patientRef(row.patientId),
    recordedDate: row.diagnosedAt,
    ...(row.grade ? { stage: [{ summary: { text: row.grade } }] } : {}),
    ...(row.note ? { note: [{ text: row.note }] } : {}),
  };
}

export interface ComplicationRow {
  id: number;
  patientId: number;
  kind: 'pressure_injury' | 'pneumonia' | 'uti' | 'dvt';
  onsetAt: string;
  resolvedAt: string | null;
  presentOnAdmission: boolean;
  bodySite: string | null;
  stage: string | null;
  site: string | null;
  side: 'left' | 'right' | null;
  status: RecordStatus;
}

/** CR §7.1/§7.2 codes where sourced; DVT has none in CR §7, so it is local. */
const COMPLICATION_CODES: Record<ComplicationRow['kind'], CodeableConcept> = {
  pressure_injury: {
    coding: [{ system: SNOMED, code: '1163215007', display: 'Pressure injury' }],
    text: 'Pressure injury',
  },
  pneumonia: {
    coding: [
      { system: SNOMED, code: '233604007', display: 'Pneumonia' },
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'J18.9' },
    ],
    text: 'Pneumonia',
  },
  uti: {
    coding: [{ system: SNOMED, code: '68566005', display: 'Urinary tract infectious disease' }],
    text: 'Urinary tract infection',
  },
  dvt: {
    coding: [{ system: LOCAL.condition, code: 'dvt', display: 'deep vein thrombosis' }],
    text: 'Deep vein thrombosis',
  },
};

export function toComplicationCondition(row: ComplicationRow): Condition {
  const withdrawn = row.status === 'entered-in-error';
  const sites: CodeableConcept[] = [];
  if (row.bodySite) sites.push({ text: row.bodySite });
  if (row.site && row.side) sites.push(bodySite(row.site, row.side));
  return {
    resourceType: 'Condition',
    id: `complication-${row.id}`,
    // CR §7.1: present-on-admission separates hospital-acquired; no R4 element, so a local extension.
    extension: [{ url: LOCAL.presentOnAdmission, valueBoolean: row.presentOnAdmission }],
    ...(withdrawn ? {} : { clinicalStatus: clinical(row.resolvedAt ? 'resolved' : 'active') }),
    verificationStatus: verification(withdrawn ? 'entered-in-error' : 'confirmed'),
    category: encounterDiagnosis,
    code: COMPLICATION_CODES[row.kind],
    ...(sites.length > 0 ? { bodySite: sites } : {}),
    subject: patientRef(row.patientId),
    onsetDateTime: row.onsetAt,
    ...(row.resolvedAt ? { abatementDateTime: row.resolvedAt } : {}),
    ...(row.stage ? { stage: [{ summary: { text: `stage ${words(row.stage)}` } }] } : {}),
  };
}

export interface CatheterRow {
  id: number;
  patientId: number;
  insertedAt: string;
  removedAt: string | null;
  status: RecordStatus;
}

export function toDeviceUseStatement(row: CatheterRow): DeviceUseStatement {
  return {
    resourceType: 'DeviceUseStatement',
    id: `catheter-${row.id}`,
    status:
      row.status === 'entered-in-error'
        ? 'entered-in-error'
        : row.removedAt === null
          ? 'active'
          : 'completed',
    subject: patientRef(row.patientId),
    timingPeriod: { start: row.insertedAt, ...(row.removedAt ? { end: row.removedAt } : {}) },
    // No Device resource is kept: the reference names the device by display only.
    device: { display: 'Indwelling urinary catheter' },
  };
}

export interface InterventionRow {
  id: number;
  patientId: number;
  kind: 'nsaid' | 'etidronate' | 'radiation' | 'excision' | 'physiotherapy';
  doseGy: number | null;
  site: string | null;
  side: 'left' | 'right' | null;
  startedAt: string;
  stoppedAt: string | null;
  status: RecordStatus;
}

/** The interventions that are procedures (CR §8); NSAID and etidronate courses are medications. */
export const PROCEDURE_KINDS = ['radiation', 'excision', 'physiotherapy'] as const;
type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

/** No verified code for any of these in CR §7: local codes with text. */
const PROCEDURE_CODES: Record<ProcedureKind, { code: string; display: string }> = {
  radiation: { code: 'ho-radiation', display: 'Radiation therapy for heterotopic ossification' },
  excision: { code: 'ho-excision', display: 'Surgical excision of heterotopic ossification' },
  physiotherapy: { code: 'physiotherapy', display: 'Physiotherapy (range of motion exercise)' },
};

export const isProcedureKind = (kind: string): kind is ProcedureKind =>
  (PROCEDURE_KINDS as readonly string[]).includes(kind);

/**
 * A radiation session, an excision (one day each) or a physiotherapy course (a period, open while it
 * runs) as a Procedure. The radiation dose goes in a note (CR §8: no dose element on R4 Procedure).
 */
export function toProcedure(row: InterventionRow): Procedure {
  if (!isProcedureKind(row.kind)) throw new Error(`${row.kind} is a medication, not a procedure`);
  const code = PROCEDURE_CODES[row.kind];
  const course = row.kind === 'physiotherapy';
  const status =
    row.status === 'entered-in-error'
      ? 'entered-in-error'
      : course && row.stoppedAt === null
        ? 'in-progress'
        : 'completed';
  return {
    resourceType: 'Procedure',
    id: `intervention-${row.id}`,
    status,
    code: { coding: [{ system: LOCAL.procedure, ...code }], text: code.display },
    subject: patientRef(row.patientId),
    ...(course
      ? {
          performedPeriod: {
            start: row.startedAt,
            ...(row.stoppedAt ? { end: row.stoppedAt } : {}),
          },
        }
      : { performedDateTime: row.startedAt }),
    ...(row.site && row.side ? { bodySite: [bodySite(row.site, row.side)] } : {}),
    ...(course ? {} : { reasonCode: [{ text: 'Heterotopic ossification' }] }),
    ...(row.doseGy !== null ? { note: [{ text: `Dose ${row.doseGy} Gy` }] } : {}),
  };
}

/** The stored HO watch assessment: the tier as the prediction, its reasons (with evidence) as basis text. */
export function toRiskAssessment(patientId: number, assessment: Assessment): RiskAssessment {
  return {
    resourceType: 'RiskAssessment',
    id: String(patientId),
    status: 'final',
    subject: patientRef(patientId),
    occurrenceDateTime: assessment.assessedAt,
    method: { text: 'OssiWatch HO watch rules (docs/clinical-rules.md)' },
    code: { text: 'Heterotopic ossification watch' },
    prediction: [
      {
        outcome: { text: 'Heterotopic ossification' },
        qualitativeRisk: {
          coding: [{ system: LOCAL.tier, code: assessment.tier, display: assessment.tier }],
        },
        ...(assessment.reasons.length > 0
          ? {
              rationale: assessment.reasons
                .map(
                  (reason) =>
                    `${reason.detail} (${reason.evidence.section}: ${reason.evidence.source})`,
                )
                .join('; '),
            }
          : {}),
      },
    ],
    ...(assessment.advisories.length > 0
      ? { note: assessment.advisories.map((advisory) => ({ text: advisory.text })) }
      : {}),
  };
}

/** Section GG item LOINC codes (CR §4.2, PACIO PFE ConceptMap [V]). */
const GG_LOINC: Record<string, string> = {
  GG0130A: '95019-6',
  GG0130B: '95018-8',
  GG0130C: '95017-0',
  GG0130E: '95015-4',
  GG0130F: '95014-7',
  GG0130G: '95013-9',
  GG0130H: '95012-1',
  GG0170A: '95011-3',
  GG0170B: '95010-5',
  GG0170C: '95009-7',
  GG0170D: '95008-9',
  GG0170E: '95007-1',
  GG0170F: '95006-3',
  GG0170FF: '101325-9',
  GG0170G: '95005-5',
  GG0170I: '95004-8',
  GG0170J: '95003-0',
  GG0170K: '95002-2',
  GG0170L: '95001-4',
  GG0170M: '95000-6',
  GG0170N: '94999-0',
  GG0170O: '94998-2',
  GG0170P: '94997-4',
  GG0170R: '94992-5',
  GG0170S: '94991-7',
};

/** Scales as survey observations (CR §8), their levels as codes, never bare numbers (CR §4.2). */
const surveyCategory: CodeableConcept[] = [
  { coding: [{ system: OBSERVATION_CATEGORY, code: 'survey' }] },
];

export interface MobilityRow {
  id: number;
  patientId: number;
  scale: 'jh_hlm' | 'fac' | 'gg';
  item: string | null;
  code: string;
  takenAt: string;
  status: RecordStatus;
}

const SCALE_NAMES = {
  jh_hlm: 'Johns Hopkins Highest Level of Mobility',
  fac: 'Functional Ambulation Category',
  gg: 'CMS Section GG',
} as const;

/**
 * JH-HLM and FAC have no LOINC in CR §7.3: local codes. A GG item carries its LOINC (CR §4.2) and its
 * CMS performance code (01–06, 07, 09, 10, 88) as a local answer code: CR §4.2 verifies only four
 * LOINC answer codes, and the answer wording differs between settings.
 */
export function toMobilityObservation(row: MobilityRow): Observation {
  const loinc = row.item ? GG_LOINC[row.item] : undefined;
  const scaleCode = row.item ?? row.scale;
  return {
    resourceType: 'Observation',
    id: `mobility-${row.id}`,
    status: observationStatus(row.status),
    category: surveyCategory,
    code: {
      coding: [
        ...(loinc ? [{ system: LOINC, code: loinc }] : []),
        { system: LOCAL.scale, code: scaleCode, display: SCALE_NAMES[row.scale] },
      ],
      text: row.item ? `${SCALE_NAMES.gg} ${row.item}` : SCALE_NAMES[row.scale],
    },
    subject: patientRef(row.patientId),
    effectiveDateTime: row.takenAt,
    valueCodeableConcept: {
      coding: [{ system: `${LOCAL.scale}-${row.scale.replace('_', '-')}`, code: row.code }],
      text: row.code,
    },
  };
}

export interface SpasticityRow {
  id: number;
  patientId: number;
  site: string;
  side: 'left' | 'right';
  grade: string;
  takenAt: string;
  status: RecordStatus;
}

/** Modified Ashworth grade at one joint (CR §4.4); no LOINC in CR §7.3, so local codes. */
export function toSpasticityObservation(row: SpasticityRow): Observation {
  return {
    resourceType: 'Observation',
    id: `mas-${row.id}`,
    status: observationStatus(row.status),
    category: surveyCategory,
    code: {
      coding: [{ system: LOCAL.scale, code: 'mas', display: 'Modified Ashworth Scale' }],
      text: 'Modified Ashworth Scale',
    },
    subject: patientRef(row.patientId),
    effectiveDateTime: row.takenAt,
    bodySite: bodySite(row.site, row.side),
    valueCodeableConcept: {
      coding: [{ system: `${LOCAL.scale}-mas`, code: row.grade }],
      text: row.grade,
    },
  };
}
