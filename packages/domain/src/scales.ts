/**
 * Scales as codes with labels (CR §4, §5.3), tiers and HO states with the words shown on screen.
 * A code is never treated as a bare number except where the scale itself is ordinal and the rule says so.
 */
import { TIERS } from './assessment-types.ts';
import type { HoState, Tier } from './assessment-types.ts';
import type {
  BradenAssessment,
  FacLevel,
  GgCode,
  GgItem,
  JhHlmLevel,
  MasCode,
  PressureInjuryStage,
} from './model.ts';
import { MAS_CODES } from './model.ts';
import type { BradenBand } from './settings.ts';

/** Modified Ashworth Scale, Bohannon & Smith 1987 (CR §4.4). */
export const MAS_LABELS: Readonly<Record<MasCode, string>> = {
  '0': 'No increase in tone',
  '1': 'Slight increase: catch and release, or minimal resistance at end of range',
  '1+': 'Slight increase: catch, then minimal resistance through less than half of the range',
  '2': 'More marked increase through most of the range, but easily moved',
  '3': 'Considerable increase; passive movement difficult',
  '4': 'Rigid in flexion or extension',
};

/** Ordinal rank of a MAS grade (0, 1, 1+, 2, 3, 4 → 0–5), CR §4.4; the stored value stays the code. */
export function masRank(code: MasCode): number {
  return MAS_CODES.indexOf(code);
}

/** Johns Hopkins Highest Level of Mobility (CR §4.3; levels 2–7 wording [U], confirm locally). */
export const JH_HLM_LABELS: Readonly<Record<JhHlmLevel, string>> = {
  '1': 'Lying in bed',
  '2': 'Bed activities',
  '3': 'Sit at edge of bed',
  '4': 'Transfer to chair or commode',
  '5': 'Stand for 1 minute or more',
  '6': 'Walk 10 steps or more',
  '7': 'Walk 25 feet or more',
  '8': 'Walk 250 feet or more',
};

/** Functional Ambulation Category (CR §4.6; Holden's category names). */
export const FAC_LABELS: Readonly<Record<FacLevel, string>> = {
  '0': 'Non-functional ambulator: cannot walk, or needs two helpers',
  '1': 'Dependent: needs continuous manual support of one person',
  '2': 'Dependent: needs intermittent manual support or light touch',
  '3': 'Dependent on supervision: walks with verbal cues or standby help',
  '4': 'Independent on level surfaces only',
  '5': 'Independent on any surface, including stairs',
};

/** Section GG performance and activity-not-attempted codes (CR §4.2). Not numeric scores. */
export const GG_CODE_LABELS: Readonly<Record<GgCode, string>> = {
  '01': 'Dependent',
  '02': 'Substantial/maximal assistance',
  '03': 'Partial/moderate assistance',
  '04': 'Supervision or touching assistance',
  '05': 'Setup or clean-up assistance',
  '06': 'Independent',
  '07': 'Patient refused',
  '09': 'Not applicable',
  '10': 'Not attempted due to environmental limitations',
  '88': 'Not attempted due to medical condition or safety concerns',
};

/** Section GG0130 self-care and GG0170 mobility items (CR §4.2). */
export const GG_ITEM_LABELS: Readonly<Record<GgItem, string>> = {
  GG0130A: 'Eating',
  GG0130B: 'Oral hygiene',
  GG0130C: 'Toileting hygiene',
  GG0130E: 'Shower/bathe self',
  GG0130F: 'Upper body dressing',
  GG0130G: 'Lower body dressing',
  GG0130H: 'Putting on/taking off footwear',
  GG0170A: 'Roll left and right',
  GG0170B: 'Sit to lying',
  GG0170C: 'Lying to sitting on side of bed',
  GG0170D: 'Sit to stand',
  GG0170E: 'Chair/bed-to-chair transfer',
  GG0170F: 'Toilet transfer',
  GG0170FF: 'Tub/shower transfer',
  GG0170G: 'Car transfer',
  GG0170I: 'Walk 10 feet',
  GG0170J: 'Walk 50 feet with two turns',
  GG0170K: 'Walk 150 feet',
  GG0170L: 'Walking 10 feet on uneven surfaces',
  GG0170M: '1 step (curb)',
  GG0170N: '4 steps',
  GG0170O: '12 steps',
  GG0170P: 'Picking up object',
  GG0170R: 'Wheel 50 feet with two turns',
  GG0170S: 'Wheel 150 feet',
};

/** Whether a Section GG code records performance (01–06) rather than an activity not attempted. */
export function ggIsPerformance(code: GgCode): boolean {
  return ['01', '02', '03', '04', '05', '06'].includes(code);
}

/** NPIAP 2016 pressure injury stages (CR §5.2). */
export const PRESSURE_INJURY_STAGE_LABELS: Readonly<Record<PressureInjuryStage, string>> = {
  '1': 'Stage 1: non-blanchable erythema of intact skin',
  '2': 'Stage 2: partial-thickness skin loss with exposed dermis',
  '3': 'Stage 3: full-thickness skin loss',
  '4': 'Stage 4: full-thickness skin and tissue loss',
  unstageable: 'Unstageable: full-thickness loss obscured by slough or eschar',
  deep_tissue: 'Deep tissue pressure injury',
};

/** Braden total, 6–23; a lower total means higher risk (CR §5.3). */
export function bradenTotal(b: Omit<BradenAssessment, 'id' | 'takenAt'>): number {
  return b.sensoryPerception + b.moisture + b.activity + b.mobility + b.nutrition + b.frictionShear;
}

/** The band a Braden total falls in, or undefined when the total is outside every band. */
export function bradenBand(total: number, bands: readonly BradenBand[]): BradenBand | undefined {
  return bands.find((band) => total >= band.min && total <= band.max);
}

/** Glasgow Coma Scale components (Teasdale & Jennett); total 3–15, LOINC 9269-2 (CR §7.3). */
export const GCS_EYE_LABELS: Readonly<Record<1 | 2 | 3 | 4, string>> = {
  1: 'No eye opening',
  2: 'Eye opening to pain',
  3: 'Eye opening to sound',
  4: 'Eyes open spontaneously',
};
export const GCS_VERBAL_LABELS: Readonly<Record<1 | 2 | 3 | 4 | 5, string>> = {
  1: 'No verbal response',
  2: 'Incomprehensible sounds',
  3: 'Inappropriate words',
  4: 'Confused',
  5: 'Oriented',
};
export const GCS_MOTOR_LABELS: Readonly<Record<1 | 2 | 3 | 4 | 5 | 6, string>> = {
  1: 'No motor response',
  2: 'Abnormal extension',
  3: 'Abnormal flexion',
  4: 'Withdraws from pain',
  5: 'Localises pain',
  6: 'Obeys commands',
};

export interface GcsComponents {
  readonly eye: 1 | 2 | 3 | 4;
  readonly verbal: 1 | 2 | 3 | 4 | 5;
  readonly motor: 1 | 2 | 3 | 4 | 5 | 6;
}

export function gcsTotal(gcs: GcsComponents): number {
  return gcs.eye + gcs.verbal + gcs.motor;
}

/** Conventional TBI severity by lowest GCS: 13–15 mild, 9–12 moderate, 3–8 severe. */
export function gcsSeverity(total: number): 'mild' | 'moderate' | 'severe' | undefined {
  if (!Number.isInteger(total) || total < 3 || total > 15) return undefined;
  if (total <= 8) return 'severe';
  if (total <= 12) return 'moderate';
  return 'mild';
}

/** Highest first: the order of the ward board. */
export const TIER_ORDER: readonly Tier[] = TIERS;

/** Sort comparator: alert before high before elevated before low. */
export function compareTiers(a: Tier, b: Tier): number {
  return TIER_ORDER.indexOf(a) - TIER_ORDER.indexOf(b);
}

/** The higher of two tiers. */
export function maxTier(a: Tier, b: Tier): Tier {
  return compareTiers(a, b) <= 0 ? a : b;
}

const TIER_LABELS: Readonly<Record<Tier, string>> = {
  alert: 'Alert',
  high: 'High',
  elevated: 'Elevated',
  low: 'Low',
};

export function tierLabel(tier: Tier): string {
  return TIER_LABELS[tier];
}

export const HO_STATE_LABELS: Readonly<Record<HoState, string>> = {
  none: 'No signal',
  watch: 'Watch',
  suspected: 'Suspected HO',
  confirmed: 'Confirmed HO',
  ankylosed: 'Ankylosed',
  excised: 'Excised',
  recurrence_watch: 'Recurrence watch',
};
