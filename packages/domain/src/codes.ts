/**
 * Codes for interchange (CR §7), in one place. Only codes CR §7 marks verified [V] or secondary [S]
 * are here, each with its section and label; codes marked [U] (the SNOMED concept for HO itself,
 * individual M61.5xx codes, per-joint ROM codes) are deliberately left out.
 */
import type { JointSite, Side } from './joints.ts';
import type { ComplicationKind, PressureInjuryStage } from './model.ts';

export type CodeSystem = 'ICD-10-CM' | 'SNOMED CT' | 'LOINC';
export type VerificationLabel = 'V' | 'S';

export interface InterchangeCode {
  readonly system: CodeSystem;
  /** The code, or a pattern with x for the characters filled from site and laterality. */
  readonly code: string;
  readonly display: string;
  /** Section of the clinical reference the code comes from. */
  readonly section: string;
  /** [V] checked against a primary source; [S] secondary only (CR, verification labels). */
  readonly verification: VerificationLabel;
  readonly note?: string;
}

export const INTERCHANGE_CODES = {
  // ICD-10-CM (CR §7.1)
  hoParalytic: {
    system: 'ICD-10-CM',
    code: 'M61.2xx',
    display: 'Paralytic calcification and ossification of muscle (HO with para/quadriplegia)',
    section: 'CR §7.1',
    verification: 'V',
    note: '5th character site, 6th laterality: see icd10HoCode',
  },
  hoOther: {
    system: 'ICD-10-CM',
    code: 'M61.5xx',
    display: 'Other ossification of muscle (HO after TBI or stroke without para/quadriplegia)',
    section: 'CR §7.1',
    verification: 'V',
    note: 'Choice between M61.2 and M61.5 after TBI/stroke is a coding judgement [U]',
  },
  pressureUlcer: {
    system: 'ICD-10-CM',
    code: 'L89.xxy',
    display: 'Pressure ulcer; 4th character site, 6th character stage',
    section: 'CR §7.1',
    verification: 'S',
    note: '6th character: 0 unstageable, 1–4 stage, 6 deep tissue damage, 9 unspecified',
  },
  pneumoniaUnspecified: {
    system: 'ICD-10-CM',
    code: 'J18.9',
    display: 'Pneumonia, unspecified organism',
    section: 'CR §7.1',
    verification: 'S',
  },
  utiSiteNotSpecified: {
    system: 'ICD-10-CM',
    code: 'N39.0',
    display: 'Urinary tract infection, site not specified',
    section: 'CR §7.1',
    verification: 'S',
  },
  cautiInitial: {
    system: 'ICD-10-CM',
    code: 'T83.511A',
    display:
      'Infection and inflammatory reaction due to indwelling urethral catheter, initial encounter',
    section: 'CR §7.1',
    verification: 'S',
    note: 'Sequenced first, then the infection (e.g. N39.0)',
  },
  // SNOMED CT (CR §7.2)
  pressureInjury: {
    system: 'SNOMED CT',
    code: '1163215007',
    display: 'Pressure injury (disorder)',
    section: 'CR §7.2',
    verification: 'V',
    note: 'Replaces the inactivated 399912005 Pressure ulcer',
  },
  pressureInjuryDeepTissue: {
    system: 'SNOMED CT',
    code: '723071003',
    display: 'Pressure injury of deep tissue',
    section: 'CR §7.2',
    verification: 'V',
  },
  pneumonia: {
    system: 'SNOMED CT',
    code: '233604007',
    display: 'Pneumonia (disorder)',
    section: 'CR §7.2',
    verification: 'S',
  },
  urinaryTractInfection: {
    system: 'SNOMED CT',
    code: '68566005',
    display: 'Urinary tract infectious disease (disorder)',
    section: 'CR §7.2',
    verification: 'S',
  },
  traumaticBrainInjury: {
    system: 'SNOMED CT',
    code: '127295002',
    display: 'Traumatic brain injury (disorder)',
    section: 'CR §7.2',
    verification: 'S',
  },
  postoperativeHo: {
    system: 'SNOMED CT',
    code: '444748003',
    display: 'Postoperative heterotopic ossification (disorder)',
    section: 'CR §7.2',
    verification: 'S',
  },
  rangeOfJointMovement: {
    system: 'SNOMED CT',
    code: '364564000',
    display: 'Range of joint movement (observable entity)',
    section: 'CR §7.2',
    verification: 'S',
  },
  lateralityRight: {
    system: 'SNOMED CT',
    code: '24028007',
    display: 'Right',
    section: 'CR §7.2',
    verification: 'V',
  },
  lateralityLeft: {
    system: 'SNOMED CT',
    code: '7771000',
    display: 'Left',
    section: 'CR §7.2',
    verification: 'V',
  },
  lateralityBoth: {
    system: 'SNOMED CT',
    code: '51440002',
    display: 'Right and left',
    section: 'CR §7.2',
    verification: 'V',
  },
  // LOINC (CR §7.3)
  gcsTotal: {
    system: 'LOINC',
    code: '9269-2',
    display: 'Glasgow coma score total',
    section: 'CR §7.3',
    verification: 'V',
  },
  gcsEye: {
    system: 'LOINC',
    code: '9267-6',
    display: 'Glasgow coma score eye opening',
    section: 'CR §7.3',
    verification: 'V',
  },
  gcsMotor: {
    system: 'LOINC',
    code: '9268-4',
    display: 'Glasgow coma score motor',
    section: 'CR §7.3',
    verification: 'V',
  },
  gcsVerbal: {
    system: 'LOINC',
    code: '9270-0',
    display: 'Glasgow coma score verbal',
    section: 'CR §7.3',
    verification: 'V',
  },
  alkalinePhosphatase: {
    system: 'LOINC',
    code: '6768-6',
    display: 'Alkaline phosphatase, serum/plasma (enzymatic activity)',
    section: 'CR §7.3',
    verification: 'S',
  },
  cReactiveProtein: {
    system: 'LOINC',
    code: '1988-5',
    display: 'C-reactive protein (mass/volume)',
    section: 'CR §7.3',
    verification: 'S',
  },
  creatineKinase: {
    system: 'LOINC',
    code: '2157-6',
    display: 'Creatine kinase',
    section: 'CR §7.3',
    verification: 'S',
  },
  bradenTotal: {
    system: 'LOINC',
    code: '38227-5',
    display: 'Braden scale total score',
    section: 'CR §7.3, §5.3',
    verification: 'V',
    note: 'Not 38227-6 (the seed text is wrong)',
  },
  bradenPanel: {
    system: 'LOINC',
    code: '38228-3',
    display: 'Braden scale panel',
    section: 'CR §5.3',
    verification: 'V',
  },
  bradenSensoryPerception: {
    system: 'LOINC',
    code: '38222-6',
    display: 'Braden sensory perception',
    section: 'CR §5.3',
    verification: 'V',
  },
  bradenMoisture: {
    system: 'LOINC',
    code: '38229-1',
    display: 'Braden moisture',
    section: 'CR §5.3',
    verification: 'V',
  },
  bradenActivity: {
    system: 'LOINC',
    code: '38223-4',
    display: 'Braden activity',
    section: 'CR §5.3',
    verification: 'V',
  },
  bradenMobility: {
    system: 'LOINC',
    code: '38224-2',
    display: 'Braden mobility',
    section: 'CR §5.3',
    verification: 'V',
  },
  bradenNutrition: {
    system: 'LOINC',
    code: '38225-9',
    display: 'Braden nutrition',
    section: 'CR §5.3',
    verification: 'V',
  },
  bradenFrictionShear: {
    system: 'LOINC',
    code: '38226-7',
    display: 'Braden friction and shear',
    section: 'CR §5.3',
    verification: 'V',
  },
  romLimitationUpper: {
    system: 'LOINC',
    code: '92850-7',
    display: 'Functional limitation in ROM, upper extremity (CMS GG0115)',
    section: 'CR §7.3',
    verification: 'V',
  },
  romLimitationLower: {
    system: 'LOINC',
    code: '92851-5',
    display: 'Functional limitation in ROM, lower extremity (CMS GG0115)',
    section: 'CR §7.3',
    verification: 'V',
  },
} as const satisfies Record<string, InterchangeCode>;

export type InterchangeCodeKey = keyof typeof INTERCHANGE_CODES;

/**
 * ICD-10-CM site character of M61.2/M61.5 for a joint. There is no joint axis: the joint maps to the
 * limb segment around it (CR §7.1, coder judgement [U]): hip → thigh, knee → lower leg,
 * elbow → upper arm, ankle → ankle and foot, shoulder → shoulder.
 */
const ICD10_SITE_CHARACTER: Readonly<Record<JointSite, string>> = {
  shoulder: '1',
  elbow: '2',
  hip: '5',
  knee: '6',
  ankle: '7',
};

/** e.g. M61.251 for paralytic HO of the right hip region. The mapping is a coding aid, not a code decision. */
export function icd10HoCode(
  kind: 'paralytic' | 'other',
  site: JointSite,
  side: Side | null,
): string {
  const category = kind === 'paralytic' ? 'M61.2' : 'M61.5';
  const laterality = side === 'right' ? '1' : side === 'left' ? '2' : '9';
  return `${category}${ICD10_SITE_CHARACTER[site]}${laterality}`;
}

/** SNOMED laterality qualifier (CR §7.2, §8). */
export function snomedLaterality(side: Side): string {
  return side === 'right'
    ? INTERCHANGE_CODES.lateralityRight.code
    : INTERCHANGE_CODES.lateralityLeft.code;
}

/** ICD-10-CM L89 6th character for an NPIAP stage (CR §7.1). */
export function l89StageCharacter(stage: PressureInjuryStage): string {
  switch (stage) {
    case 'unstageable':
      return '0';
    case 'deep_tissue':
      return '6';
    case '1':
    case '2':
    case '3':
    case '4':
      return stage;
  }
}

/** The SNOMED CT concept of a complication, where CR §7.2 gives one. */
export function snomedComplication(
  kind: ComplicationKind,
  stage?: PressureInjuryStage,
): InterchangeCode | undefined {
  switch (kind) {
    case 'pressure_injury':
      return stage === 'deep_tissue'
        ? INTERCHANGE_CODES.pressureInjuryDeepTissue
        : INTERCHANGE_CODES.pressureInjury;
    case 'pneumonia':
      return INTERCHANGE_CODES.pneumonia;
    case 'uti':
      return INTERCHANGE_CODES.urinaryTractInfection;
    case 'dvt':
      // CR §7 gives no verified DVT code.
      return undefined;
  }
}
