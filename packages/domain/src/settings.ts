/**
 * Every threshold of the HO watch (PRODUCT §3) as a named setting with its default. An administrator may
 * change them; `parseHoWatchSettings` refuses values that make no clinical sense and names the field.
 */
import { z } from 'zod';
import { zoneCalendar } from './calendar.ts';
import { JOINT_CATALOG } from './joints.ts';
import { AIS_GRADES, MAS_CODES } from './model.ts';
import type { AisGrade, MasCode } from './model.ts';

/** One Braden risk band: totals from `min` to `max` inclusive (CR §5.3: bands vary by source). */
export interface BradenBand {
  readonly id: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
}

export interface HoWatchSettings {
  /**
   * IANA time zone in which the HO watch counts calendar days (day after injury, look-backs, windows).
   * Optional; UTC when absent. The ward's zone gives the days a nurse would count.
   */
  readonly timeZone?: string;
  /** First day after injury of the vigilance window, inclusive (CR §2.3: HO begins ~day 17). */
  readonly vigilanceStartDay: number;
  /** Last day after injury of the vigilance window, inclusive (CR §1.1: risk greatest months 1–4). */
  readonly vigilanceEndDay: number;
  /** Coma counts as a major factor when it lasted more than this many days (CR §1.2). */
  readonly comaDaysThreshold: number;
  /** Ventilation counts as a major factor when it lasted more than this many days (CR §1.2). */
  readonly ventilationDaysThreshold: number;
  /** ROM decline: latest reading at least this many degrees below the baseline (local, CR §2.1). */
  readonly romDeclineDegrees: number;
  /** ROM decline: or at least this percentage below the baseline (local, CR §2.1). */
  readonly romDeclinePercent: number;
  /**
   * The relative criterion applies only where the baseline is at least this many degrees: a
   * percentage of a short arc is a few degrees, inside measurement error (CR §2.6).
   */
  readonly relativeDeclineMinBaselineDegrees: number;
  /**
   * No fall smaller than this is a decline, whichever criterion (CR §2.6: ~10° between raters with a
   * long-arm goniometer, Hancock 2018; inter-rater MDC95 3.7–10.4°, Sports Med Int Open 2024).
   */
  readonly minimalDetectableChangeDegrees: number;
  /** Per-movement minimal detectable change ("site:movement", e.g. "knee:extension"), overriding the above. */
  readonly minimalDetectableChangeByMovement: Readonly<Record<string, number>>;
  /**
   * A decline confirmed by a second sitting makes a site suspected when something a rater's bias or a
   * noisy day cannot fake agrees (another movement of the joint falling, the other side measured the
   * same day, a nurse sign); without it, only after this many sittings in a row (CR §2.6).
   */
  readonly romUncorroboratedSittings: number;
  /** The baseline is the median of this many best readings of the look-back (resists one high reading). */
  readonly romBaselineBestOf: number;
  /**
   * Inside the vigilance window, this many major factors make a patient high. Factors common on any
   * neurorehabilitation ward (low mobility, spasticity) must not on their own colour every bed.
   */
  readonly highTierMinFactors: number;
  /** How far back, in days before the latest reading, the "recent best" is looked for. */
  readonly romLookbackDays: number;
  /** Asymmetry: latest reading at least this many degrees below the other side's latest. */
  readonly asymmetryDegrees: number;
  /** A nurse sign counts with a ROM decline when within this many days of the declining reading. */
  readonly nurseSignWindowDays: number;
  /** A high or alert patient with no ROM reading for more than this many days is overdue. */
  readonly overdueDays: number;
  /** Spasticity counts as a major factor at this Modified Ashworth grade or above (CR §1.2, §4.4). */
  readonly masThreshold: MasCode;
  /** Low mobility: latest JH-HLM at or below this level (CR §4.3). */
  readonly jhHlmLowMax: number;
  /** Low mobility: latest FAC at or below this category (CR §1.2 Dizdar 2013: FAC 0–2). */
  readonly facLowMax: number;
  /** Pressure injury counts as a major factor from this NPIAP stage (CR §1.2 Dizdar: grade 2–4). */
  readonly pressureInjuryMinStage: number;
  /** Whether an unstageable injury (full-thickness loss, CR §5.2) counts as stage ≥ 2. */
  readonly pressureInjuryCountUnstageable: boolean;
  /** Whether a deep tissue pressure injury counts as stage ≥ 2 (IRF QRP counts it, CR §5.5). */
  readonly pressureInjuryCountDeepTissue: boolean;
  /** Passive flexion–extension arc at or below which a confirmed site counts as ankylosed (local). */
  readonly ankylosisArcDegrees: number;
  /** Days after an excision during which the site is on recurrence watch (CR §6.4: 6 months). */
  readonly recurrenceWatchDays: number;
  /** Severe injury: lowest GCS at or below this (CR §1.1: the cohorts are severe TBI, GCS ≤ 8). */
  readonly severeInjuryGcsMax: number;
  /** Severe injury: a spinal cord injury with one of these AIS grades (local). */
  readonly severeInjuryAisGrades: readonly AisGrade[];
  /** Braden risk bands, lowest totals first (CR §5.3). */
  readonly bradenBands: readonly BradenBand[];
  /** Hip flexion needed to sit upright (CR §3.2: about 90°). */
  readonly hipSittingFlexionDegrees: number;
  /** Elbow functional arc start: the elbow must straighten to at least this (CR §3.2 Morrey: 30°). */
  readonly elbowArcStartDegrees: number;
  /** Elbow functional arc end: the elbow must bend to at least this (CR §3.2 Morrey: 130°). */
  readonly elbowArcEndDegrees: number;
  /** Forearm pronation needed for daily tasks (CR §3.2 Morrey: 50°). */
  readonly forearmPronationDegrees: number;
  /** Forearm supination needed for daily tasks (CR §3.2 Morrey: 50°). */
  readonly forearmSupinationDegrees: number;
  /** Knee flexion needed to rise from a chair or transfer to a bath (CR §3.2: 100°). */
  readonly kneeFlexionDegrees: number;
  /** Ankle dorsiflexion needed to stand: reaching neutral (CR §3.2). */
  readonly ankleNeutralDegrees: number;
  /**
   * Rates (PRODUCT §4): NHSN's transfer rule. An infection (pneumonia, UTI and so CAUTI) with onset on
   * the day of a transfer or the day after counts on the ward the patient came from (NHSN Patient
   * Safety Component Manual ch. 2; not in the CR, so a setting).
   */
  readonly nhsnTransferRule: boolean;
  /** Fever: temperature above this, °C (CR §5.4: NHSN fever > 38.0 °C). */
  readonly feverCelsius: number;
  /** A fracture fixation within this many days is "recent" for the NSAID nonunion caution (local). */
  readonly recentFractureFixationDays: number;
  /** Ward board: local hours (ward time) at which shifts start, for "new since the shift began" (local). */
  readonly shiftStartHours: readonly number[];
  /** Ward board: Braden total at or below which pressure-injury risk is a flag (CR §5.3: ≤ 12 high risk). */
  readonly pressureRiskBradenMax: number;
  /** Ward board: hours a catheter has been in before "catheter: review need" (CR §5.4: CAUTI after > 2 days). */
  readonly catheterReviewHours: number;
  /**
   * Entry check, not a rule (local): a typed ROM value more than this many degrees from the last reading of
   * the same movement asks "Are you sure?" before the session is saved (a typo such as 12 for 108).
   */
  readonly romTypoChangeDegrees: number;
}

/** Braden bands of CR §5.3 ("common" set, calcbee). */
export const DEFAULT_BRADEN_BANDS: readonly BradenBand[] = [
  { id: 'very_high', label: 'Very high risk', min: 6, max: 9 },
  { id: 'high', label: 'High risk', min: 10, max: 12 },
  { id: 'moderate', label: 'Moderate risk', min: 13, max: 14 },
  { id: 'mild', label: 'Mild risk', min: 15, max: 18 },
  { id: 'none', label: 'No or low risk', min: 19, max: 23 },
];

export const DEFAULT_HO_WATCH_SETTINGS: HoWatchSettings = {
  vigilanceStartDay: 14,
  vigilanceEndDay: 120,
  comaDaysThreshold: 14,
  ventilationDaysThreshold: 14,
  romDeclineDegrees: 15,
  romDeclinePercent: 20,
  relativeDeclineMinBaselineDegrees: 30,
  minimalDetectableChangeDegrees: 10,
  minimalDetectableChangeByMovement: {},
  romBaselineBestOf: 3,
  romUncorroboratedSittings: 4,
  highTierMinFactors: 3,
  romLookbackDays: 28,
  asymmetryDegrees: 20,
  nurseSignWindowDays: 7,
  overdueDays: 7,
  masThreshold: '2',
  jhHlmLowMax: 3,
  facLowMax: 2,
  pressureInjuryMinStage: 2,
  pressureInjuryCountUnstageable: true,
  pressureInjuryCountDeepTissue: true,
  ankylosisArcDegrees: 10,
  recurrenceWatchDays: 183,
  severeInjuryGcsMax: 8,
  severeInjuryAisGrades: ['A', 'B'],
  bradenBands: DEFAULT_BRADEN_BANDS,
  hipSittingFlexionDegrees: 90,
  elbowArcStartDegrees: 30,
  elbowArcEndDegrees: 130,
  forearmPronationDegrees: 50,
  forearmSupinationDegrees: 50,
  kneeFlexionDegrees: 100,
  ankleNeutralDegrees: 0,
  feverCelsius: 38.0,
  recentFractureFixationDays: 90,
  shiftStartHours: [7, 15, 23],
  pressureRiskBradenMax: 12,
  catheterReviewHours: 48,
  romTypoChangeDegrees: 40,
  nhsnTransferRule: true,
};

function isTimeZone(name: string): boolean {
  try {
    zoneCalendar(name);
    return true;
  } catch {
    return false;
  }
}

const days = z.number().int('must be a whole number of days').nonnegative('must not be negative');
const degrees = z.number().finite().min(0, 'must not be negative').max(360, 'must be at most 360°');

const bradenBandSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  min: z.number().int().min(6).max(23),
  max: z.number().int().min(6).max(23),
});

/** The zod schema of a complete settings object, with the cross-field checks. */
export const hoWatchSettingsSchema = z
  .object({
    timeZone: z
      .string()
      .refine(isTimeZone, 'is not an IANA time zone (e.g. Europe/London)')
      .optional(),
    vigilanceStartDay: days,
    vigilanceEndDay: days,
    comaDaysThreshold: days,
    ventilationDaysThreshold: days,
    romDeclineDegrees: degrees.positive('must be more than 0°'),
    romDeclinePercent: z
      .number()
      .gt(0, 'must be more than 0%')
      .max(100, 'must be a percentage from 0 to 100'),
    relativeDeclineMinBaselineDegrees: degrees,
    minimalDetectableChangeDegrees: degrees.positive('must be more than 0°'),
    minimalDetectableChangeByMovement: z.record(
      z
        .string()
        .refine(
          (key) => JOINT_CATALOG.some((m) => `${m.site}:${m.movement}` === key),
          'is not a site:movement of the joint catalog (e.g. knee:extension)',
        ),
      degrees.positive('must be more than 0°'),
    ),
    romBaselineBestOf: z.number().int().min(1).max(9),
    romUncorroboratedSittings: z.number().int().min(2).max(5),
    highTierMinFactors: z.number().int().min(1).max(10),
    romLookbackDays: days.positive('must be at least 1 day'),
    asymmetryDegrees: degrees.positive('must be more than 0°'),
    nurseSignWindowDays: days,
    overdueDays: days.positive('must be at least 1 day'),
    masThreshold: z.enum(MAS_CODES),
    jhHlmLowMax: z.number().int().min(1).max(8),
    facLowMax: z.number().int().min(0).max(5),
    pressureInjuryMinStage: z.number().int().min(1).max(4),
    pressureInjuryCountUnstageable: z.boolean(),
    pressureInjuryCountDeepTissue: z.boolean(),
    ankylosisArcDegrees: degrees,
    recurrenceWatchDays: days,
    severeInjuryGcsMax: z.number().int().min(3).max(15),
    severeInjuryAisGrades: z.array(z.enum(AIS_GRADES)),
    bradenBands: z.array(bradenBandSchema).min(1, 'needs at least one band'),
    hipSittingFlexionDegrees: degrees,
    elbowArcStartDegrees: degrees,
    elbowArcEndDegrees: degrees,
    forearmPronationDegrees: degrees,
    forearmSupinationDegrees: degrees,
    kneeFlexionDegrees: degrees,
    ankleNeutralDegrees: z.number().finite().min(-90).max(90),
    feverCelsius: z.number().min(35).max(42),
    recentFractureFixationDays: days,
    shiftStartHours: z
      .array(
        z
          .number()
          .int()
          .min(0, 'must be an hour from 0 to 23')
          .max(23, 'must be an hour from 0 to 23'),
      )
      .min(1, 'needs at least one shift')
      .max(24),
    pressureRiskBradenMax: z.number().int().min(6).max(23),
    catheterReviewHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    // Settings saved before this check existed have no value: the default applies.
    romTypoChangeDegrees: degrees.positive('must be more than 0°').default(40),
    nhsnTransferRule: z.boolean(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.vigilanceStartDay >= s.vigilanceEndDay) {
      ctx.addIssue({
        code: 'custom',
        path: ['vigilanceEndDay'],
        message: `must be after vigilanceStartDay (${s.vigilanceStartDay})`,
      });
    }
    if (s.elbowArcStartDegrees >= s.elbowArcEndDegrees) {
      ctx.addIssue({
        code: 'custom',
        path: ['elbowArcEndDegrees'],
        message: `must be above elbowArcStartDegrees (${s.elbowArcStartDegrees}°)`,
      });
    }
    s.bradenBands.forEach((band, index) => {
      if (band.min > band.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['bradenBands', index, 'max'],
          message: `must not be below min (${band.min})`,
        });
      }
      const previous = s.bradenBands[index - 1];
      if (previous && band.min !== previous.max + 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['bradenBands', index, 'min'],
          message: `must follow the previous band without gap or overlap (expected ${previous.max + 1})`,
        });
      }
    });
    const first = s.bradenBands[0];
    const last = s.bradenBands[s.bradenBands.length - 1];
    if (first && first.min !== 6) {
      ctx.addIssue({
        code: 'custom',
        path: ['bradenBands', 0, 'min'],
        message: 'the bands must start at the lowest Braden total, 6',
      });
    }
    if (last && last.max !== 23) {
      ctx.addIssue({
        code: 'custom',
        path: ['bradenBands', s.bradenBands.length - 1, 'max'],
        message: 'the bands must end at the highest Braden total, 23',
      });
    }
  });

export type HoWatchSettingsResult =
  | { ok: true; settings: HoWatchSettings }
  | { ok: false; errors: { field: string; message: string }[] };

/**
 * Validates settings from an administrator or from storage. Fields left out take their defaults, so a
 * stored object stays valid when a new setting is added; unknown fields are refused (a typo must not
 * silently leave a threshold at its default).
 */
export function parseHoWatchSettings(input: unknown): HoWatchSettingsResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', message: 'settings must be an object' }] };
  }
  const merged: unknown = { ...DEFAULT_HO_WATCH_SETTINGS, ...(input as Record<string, unknown>) };
  const parsed = hoWatchSettingsSchema.safeParse(merged);
  if (parsed.success) {
    return { ok: true, settings: parsed.data };
  }
  return {
    ok: false,
    errors: parsed.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ field: key, message: 'is not a known setting' }));
      }
      return [{ field: issue.path.map(String).join('.'), message: issue.message }];
    }),
  };
}
