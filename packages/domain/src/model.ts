/**
 * The clinical record OssiWatch reasons over (PRODUCT §2). Plain data: the server maps its tables to
 * these shapes, the synthetic hospital produces them, and the HO watch reads them.
 *
 * Instants are ISO 8601 strings in UTC (`2026-03-01T08:30:00.000Z`); calendar days are local to the
 * ward's IANA time zone and are computed where they are needed, never stored as bare numbers.
 * A value that was not measured is absent (undefined or null), never 0.
 */
import type { JointSite, Movement, RomMode, Side } from './joints.ts';

/** ISO 8601 instant in UTC. */
export type Instant = string;

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const INJURY_TYPES = ['tbi', 'sci', 'stroke', 'anoxic', 'other'] as const;
export type InjuryType = (typeof INJURY_TYPES)[number];

/** ASIA Impairment Scale grade of a spinal cord injury; A is complete. */
export const AIS_GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type AisGrade = (typeof AIS_GRADES)[number];

export const LIMBS = ['left_arm', 'right_arm', 'left_leg', 'right_leg'] as const;
export type Limb = (typeof LIMBS)[number];

export interface Injury {
  readonly type: InjuryType;
  readonly occurredAt: Instant;
  /** Lowest Glasgow Coma Scale total, 3–15; null when not known. */
  readonly lowestGcs: number | null;
  /** Days in coma; null when not known. */
  readonly comaDays: number | null;
  /** Days on a ventilator; null when not known. */
  readonly ventilationDays: number | null;
  /** Diffuse axonal injury on imaging; null when not known. */
  readonly diffuseAxonalInjury: boolean | null;
  /** Paroxysmal sympathetic hyperactivity (autonomic dysregulation); null when not known. */
  readonly autonomicDysregulation: boolean | null;
  /** For a spinal cord injury; null otherwise or when not graded. */
  readonly aisGrade: AisGrade | null;
  /** Limbs with a surgically treated fracture (fixation), with the date of surgery when known. */
  readonly surgicalFractures: readonly { limb: Limb; fixedAt: Instant | null }[];
}

export interface Patient {
  readonly id: number;
  readonly mrn: string;
  readonly name: string;
  /** Calendar date, YYYY-MM-DD. */
  readonly dateOfBirth: string;
  readonly sex: Sex;
}

/** A stay on a ward: the unit of patient-days and admissions. */
export interface Stay {
  readonly id: number;
  readonly patientId: number;
  readonly wardId: number;
  readonly bedLabel: string | null;
  readonly admittedAt: Instant;
  /** null while the patient is still on the ward. */
  readonly dischargedAt: Instant | null;
}

/** One goniometer reading. Degrees follow the neutral-zero convention of joints.ts. */
export interface RomReading {
  readonly id: number;
  readonly sessionId: number;
  readonly site: JointSite;
  readonly side: Side;
  readonly movement: Movement;
  readonly mode: RomMode;
  readonly degrees: number;
  readonly takenAt: Instant;
  /** User id of the therapist who measured, when known. */
  readonly measuredBy?: number | null;
}

/** The readings one therapist took of one patient in one sitting (PRODUCT §2). */
export interface RomSession {
  readonly id: number;
  readonly patientId: number;
  readonly takenAt: Instant;
  readonly measuredBy: number | null;
  readonly readings: readonly RomReading[];
}

/** Modified Ashworth grades, stored as codes (CR §4.4). */
export const MAS_CODES = ['0', '1', '1+', '2', '3', '4'] as const;
export type MasCode = (typeof MAS_CODES)[number];

export interface SpasticityAssessment {
  readonly id: number;
  readonly site: JointSite;
  readonly side: Side;
  readonly grade: MasCode;
  readonly takenAt: Instant;
}

/** Johns Hopkins Highest Level of Mobility, 1–8 (CR §4.3). */
export const JH_HLM_LEVELS = ['1', '2', '3', '4', '5', '6', '7', '8'] as const;
export type JhHlmLevel = (typeof JH_HLM_LEVELS)[number];

/** Functional Ambulation Category, 0–5 (CR §4.6). */
export const FAC_LEVELS = ['0', '1', '2', '3', '4', '5'] as const;
export type FacLevel = (typeof FAC_LEVELS)[number];

/** CMS Section GG performance and activity-not-attempted codes (CR §4.2). */
export const GG_CODES = ['01', '02', '03', '04', '05', '06', '07', '09', '10', '88'] as const;
export type GgCode = (typeof GG_CODES)[number];

/** Section GG items: GG0130 self-care (A–I) and GG0170 mobility (A–SS) (CR §4.2). */
export const GG_ITEMS = [
  'GG0130A',
  'GG0130B',
  'GG0130C',
  'GG0130E',
  'GG0130F',
  'GG0130G',
  'GG0130H',
  'GG0170A',
  'GG0170B',
  'GG0170C',
  'GG0170D',
  'GG0170E',
  'GG0170F',
  'GG0170FF',
  'GG0170G',
  'GG0170I',
  'GG0170J',
  'GG0170K',
  'GG0170L',
  'GG0170M',
  'GG0170N',
  'GG0170O',
  'GG0170P',
  'GG0170R',
  'GG0170S',
] as const;
export type GgItem = (typeof GG_ITEMS)[number];

export type MobilityAssessment =
  | {
      readonly id: number;
      readonly scale: 'jh_hlm';
      readonly code: JhHlmLevel;
      readonly takenAt: Instant;
    }
  | {
      readonly id: number;
      readonly scale: 'fac';
      readonly code: FacLevel;
      readonly takenAt: Instant;
    }
  | {
      readonly id: number;
      readonly scale: 'gg';
      readonly item: GgItem;
      readonly code: GgCode;
      readonly takenAt: Instant;
    };

/** Braden subscales (CR §5.3): five scored 1–4, friction & shear 1–3; total 6–23. */
export interface BradenAssessment {
  readonly id: number;
  readonly sensoryPerception: 1 | 2 | 3 | 4;
  readonly moisture: 1 | 2 | 3 | 4;
  readonly activity: 1 | 2 | 3 | 4;
  readonly mobility: 1 | 2 | 3 | 4;
  readonly nutrition: 1 | 2 | 3 | 4;
  readonly frictionShear: 1 | 2 | 3;
  readonly takenAt: Instant;
}

/** A nurse's look at one joint. Each sign is true/false when examined, null when not looked for. */
export interface JointObservation {
  readonly id: number;
  readonly site: JointSite;
  readonly side: Side;
  readonly swelling: boolean | null;
  readonly warmth: boolean | null;
  readonly erythema: boolean | null;
  /** Pain 0–10, null when not asked. */
  readonly pain: number | null;
  readonly takenAt: Instant;
}

/**
 * How far ahead of the server's clock an entry may be timed: clocks on ward devices drift, and a
 * reading taken "now" on a clock a minute fast is not from the future. Server and entry screens
 * apply the same allowance.
 */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export const LAB_TESTS = ['crp', 'alp', 'ck'] as const;
export type LabTest = (typeof LAB_TESTS)[number];

/**
 * Plausible values with their units (PRODUCT §2): outside these, a typing error. The server refuses
 * them and the entry screens name them before sending.
 */
export const VITAL_BOUNDS = {
  temperature: { unit: '°C', min: 30, max: 45 },
  crp: { unit: 'mg/L', min: 0, max: 1000 },
  alp: { unit: 'U/L', min: 0, max: 10_000 },
  ck: { unit: 'U/L', min: 0, max: 1_000_000 },
} as const;

/** Units are explicit: CRP mg/L, ALP U/L, CK U/L; temperature °C. */
export type VitalOrLab =
  | {
      readonly id: number;
      readonly kind: 'temperature';
      readonly value: number;
      readonly unit: '°C';
      readonly takenAt: Instant;
    }
  | {
      readonly id: number;
      readonly kind: 'crp';
      readonly value: number;
      readonly unit: 'mg/L';
      readonly takenAt: Instant;
    }
  | {
      readonly id: number;
      readonly kind: 'alp';
      readonly value: number;
      readonly unit: 'U/L';
      readonly takenAt: Instant;
    }
  | {
      readonly id: number;
      readonly kind: 'ck';
      readonly value: number;
      readonly unit: 'U/L';
      readonly takenAt: Instant;
    };

export const IMAGING_MODALITIES = ['xray', 'bone_scan', 'ultrasound', 'ct', 'mri'] as const;
export type ImagingModality = (typeof IMAGING_MODALITIES)[number];

export const IMAGING_RESULTS = ['negative', 'equivocal', 'positive'] as const;
export type ImagingResult = (typeof IMAGING_RESULTS)[number];

/** Brooker class for the hip (CR §2.4). */
export const BROOKER_CLASSES = ['0', 'I', 'II', 'III', 'IV'] as const;
export type BrookerClass = (typeof BROOKER_CLASSES)[number];

/** Hastings & Graham class for the elbow (CR §2.4; sub-class wording [U]). */
export const HASTINGS_GRAHAM_CLASSES = ['I', 'IIA', 'IIB', 'IIC', 'III'] as const;
export type HastingsGrahamClass = (typeof HASTINGS_GRAHAM_CLASSES)[number];

export type ImagingGrade =
  | { readonly system: 'brooker'; readonly grade: BrookerClass }
  | { readonly system: 'hastings_graham'; readonly grade: HastingsGrahamClass }
  | { readonly system: 'free_text'; readonly text: string };

export interface ImagingStudy {
  readonly id: number;
  readonly modality: ImagingModality;
  readonly site: JointSite;
  readonly side: Side;
  readonly result: ImagingResult;
  readonly grade: ImagingGrade | null;
  readonly takenAt: Instant;
}

export const COMPLICATION_KINDS = ['pressure_injury', 'pneumonia', 'uti', 'dvt'] as const;
export type ComplicationKind = (typeof COMPLICATION_KINDS)[number];

/** NPIAP 2016 stages (CR §5.2). */
export const PRESSURE_INJURY_STAGES = ['1', '2', '3', '4', 'unstageable', 'deep_tissue'] as const;
export type PressureInjuryStage = (typeof PRESSURE_INJURY_STAGES)[number];

interface ComplicationBase {
  readonly id: number;
  readonly onsetAt: Instant;
  readonly resolvedAt: Instant | null;
  /** The ward the patient was on at onset: the event counts there (PRODUCT §4). */
  readonly wardId: number;
  readonly presentOnAdmission: boolean;
}

export type Complication =
  | (ComplicationBase & {
      readonly kind: 'pressure_injury';
      readonly bodySite: string;
      readonly stage: PressureInjuryStage;
      readonly deviceRelated: boolean;
    })
  | (ComplicationBase & { readonly kind: 'pneumonia' })
  | (ComplicationBase & { readonly kind: 'uti' })
  | (ComplicationBase & {
      readonly kind: 'dvt';
      readonly site: JointSite | null;
      readonly side: Side | null;
    });

/** An indwelling urinary catheter, in and out: the denominator of CAUTI rates (CR §5.4). */
export interface CatheterEpisode {
  readonly id: number;
  readonly insertedAt: Instant;
  readonly removedAt: Instant | null;
}

export const NSAID_DRUGS = ['indomethacin', 'ibuprofen', 'celecoxib', 'naproxen', 'other'] as const;
export type NsaidDrug = (typeof NSAID_DRUGS)[number];

export type Intervention =
  | {
      readonly id: number;
      readonly kind: 'nsaid';
      readonly drug: NsaidDrug;
      readonly doseMg: number;
      readonly startedAt: Instant;
      readonly stoppedAt: Instant | null;
    }
  | {
      readonly id: number;
      readonly kind: 'etidronate';
      readonly doseMgPerKgDay: number;
      readonly startedAt: Instant;
      readonly stoppedAt: Instant | null;
    }
  | {
      readonly id: number;
      readonly kind: 'radiation';
      readonly doseGy: number;
      readonly site: JointSite;
      readonly side: Side;
      readonly givenAt: Instant;
    }
  | {
      readonly id: number;
      readonly kind: 'excision';
      readonly site: JointSite;
      readonly side: Side;
      readonly performedAt: Instant;
    }
  | {
      readonly id: number;
      readonly kind: 'physiotherapy';
      readonly startedAt: Instant;
      readonly stoppedAt: Instant | null;
    };

/** Known bleeding risk, recorded by a physician; drives the NSAID bleeding caution (CR §6.1). */
export interface BleedingRisk {
  readonly gastrointestinalBleed: boolean;
  readonly intracranialBleed: boolean;
  readonly renalImpairment: boolean;
  readonly anticoagulated: boolean;
}

/** Everything the HO watch needs to know about one patient. */
export interface PatientRecord {
  readonly patient: Patient;
  readonly injury: Injury;
  /** All stays, oldest first; the current one has dischargedAt null. */
  readonly stays: readonly Stay[];
  readonly romReadings: readonly RomReading[];
  readonly spasticity: readonly SpasticityAssessment[];
  readonly mobility: readonly MobilityAssessment[];
  readonly braden: readonly BradenAssessment[];
  readonly jointObservations: readonly JointObservation[];
  readonly vitalsAndLabs: readonly VitalOrLab[];
  readonly imaging: readonly ImagingStudy[];
  readonly complications: readonly Complication[];
  readonly catheterEpisodes: readonly CatheterEpisode[];
  readonly interventions: readonly Intervention[];
  readonly bleedingRisk: BleedingRisk | null;
}
