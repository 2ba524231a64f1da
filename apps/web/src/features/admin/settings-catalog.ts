/**
 * Every HO watch setting an administrator may change, in words: a human label, its unit, the
 * clinical source (CR §n of docs/clinical-reference, or "local" where the value is the hospital's own
 * choice) and the valid range. The ranges are the domain's (packages/domain/src/settings.ts);
 * settings-catalog.test.ts checks each boundary against it, so the two cannot drift apart.
 */
import { AIS_GRADES, JOINT_CATALOG, MAS_CODES, type HoWatchSettings } from '@ossiwatch/domain';

type SettingKey = keyof HoWatchSettings;

export interface NumberSetting {
  readonly kind: 'number';
  readonly key: SettingKey;
  readonly label: string;
  /** The unit as a word after the value: "days", "°", "hours". */
  readonly unit: string;
  readonly source?: string;
  readonly min: number;
  /** The value must be above `min`, not equal to it. */
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly integer: boolean;
  /** A limit set by another setting, said beside the range. */
  readonly note?: string;
}

export interface BooleanSetting {
  readonly kind: 'boolean';
  readonly key: SettingKey;
  readonly label: string;
  readonly source?: string;
}

export interface ChoiceSetting {
  readonly kind: 'choice';
  readonly key: SettingKey;
  readonly label: string;
  readonly unit: string;
  readonly source?: string;
  readonly options: readonly string[];
}

export interface HourListSetting {
  readonly kind: 'hours';
  readonly key: SettingKey;
  readonly label: string;
  readonly source?: string;
}

export interface GradeSetSetting {
  readonly kind: 'grades';
  readonly key: SettingKey;
  readonly label: string;
  readonly source?: string;
  readonly options: readonly string[];
}

export type SettingInfo =
  NumberSetting | BooleanSetting | ChoiceSetting | HourListSetting | GradeSetSetting;

export interface SettingGroup {
  readonly title: string;
  readonly settings: readonly SettingInfo[];
}

const days = (
  key: NumberSetting['key'],
  label: string,
  source: string | undefined,
  min = 0,
): NumberSetting => ({ kind: 'number', key, label, unit: 'days', source, min, integer: true });

const degrees = (
  key: NumberSetting['key'],
  label: string,
  source: string | undefined,
  options: { min?: number; minExclusive?: boolean; max?: number; note?: string } = {},
): NumberSetting => ({
  kind: 'number',
  key,
  label,
  unit: '°',
  source,
  min: options.min ?? 0,
  ...(options.minExclusive ? { minExclusive: true } : {}),
  max: options.max ?? 360,
  integer: false,
  ...(options.note ? { note: options.note } : {}),
});

export const SETTING_GROUPS: readonly SettingGroup[] = [
  {
    title: 'Vigilance window',
    settings: [
      {
        ...days('vigilanceStartDay', 'Vigilance window: first day', 'CR §2.3'),
        unit: 'day after injury',
        note: 'before the last day',
      },
      {
        ...days('vigilanceEndDay', 'Vigilance window: last day', 'CR §1.1', 1),
        unit: 'day after injury',
        note: 'after the first day',
      },
    ],
  },
  {
    title: 'Risk factors',
    settings: [
      days('comaDaysThreshold', 'Coma counts when it lasted more than', 'CR §1.2'),
      days('ventilationDaysThreshold', 'Ventilation counts when it lasted more than', 'CR §1.2'),
      {
        kind: 'number',
        key: 'highTierMinFactors',
        label: 'Major risk factors that make a patient high in the window',
        unit: 'factors',
        min: 1,
        max: 10,
        integer: true,
        source: 'local',
      },
      {
        kind: 'choice',
        key: 'masThreshold',
        label: 'Spasticity counts from Modified Ashworth grade',
        unit: 'MAS grade',
        source: 'CR §1.2, §4.4',
        options: MAS_CODES,
      },
      {
        kind: 'number',
        key: 'jhHlmLowMax',
        label: 'Low mobility: JH-HLM level at or below',
        unit: 'JH-HLM level',
        min: 1,
        max: 8,
        integer: true,
        source: 'CR §4.3',
      },
      {
        kind: 'number',
        key: 'facLowMax',
        label: 'Low mobility: FAC category at or below',
        unit: 'FAC category',
        min: 0,
        max: 5,
        integer: true,
        source: 'CR §1.2',
      },
      {
        kind: 'number',
        key: 'pressureInjuryMinStage',
        label: 'Pressure injury counts from NPIAP stage',
        unit: 'stage',
        min: 1,
        max: 4,
        integer: true,
        source: 'CR §1.2',
      },
      {
        kind: 'boolean',
        key: 'pressureInjuryCountUnstageable',
        label: 'An unstageable pressure injury counts as stage 2 or worse',
        source: 'CR §5.2',
      },
      {
        kind: 'boolean',
        key: 'pressureInjuryCountDeepTissue',
        label: 'A deep tissue pressure injury counts as stage 2 or worse',
        source: 'CR §5.5',
      },
      {
        kind: 'number',
        key: 'severeInjuryGcsMax',
        label: 'Severe injury: lowest Glasgow Coma Scale at or below',
        unit: 'GCS points',
        min: 3,
        max: 15,
        integer: true,
        source: 'CR §1.1',
      },
      {
        kind: 'grades',
        key: 'severeInjuryAisGrades',
        label: 'Severe injury: spinal cord injury with AIS grade',
        source: 'local',
        options: AIS_GRADES,
      },
    ],
  },
  {
    title: 'Range-of-motion decline',
    settings: [
      degrees(
        'romDeclineDegrees',
        'Decline: latest reading below the baseline by at least',
        'CR §2.1',
        {
          minExclusive: true,
        },
      ),
      {
        kind: 'number',
        key: 'romDeclinePercent',
        label: 'Decline: or below the baseline by at least',
        unit: '%',
        min: 0,
        minExclusive: true,
        max: 100,
        integer: false,
        source: 'CR §2.1',
      },
      degrees(
        'relativeDeclineMinBaselineDegrees',
        'The percentage applies only to a baseline of at least',
        'CR §2.6',
      ),
      degrees(
        'minimalDetectableChangeDegrees',
        'Smallest fall that counts (minimal detectable change)',
        'CR §2.6',
        { minExclusive: true },
      ),
      {
        kind: 'number',
        key: 'romUncorroboratedSittings',
        label: 'Sittings in a row that confirm a decline nothing else corroborates',
        unit: 'sittings',
        min: 2,
        max: 5,
        integer: true,
        source: 'CR §2.6',
      },
      {
        kind: 'number',
        key: 'romBaselineBestOf',
        label: 'Baseline: the median of the best',
        unit: 'readings',
        min: 1,
        max: 9,
        integer: true,
        source: 'local',
      },
      days('romLookbackDays', 'Look back for the recent best over', 'local', 1),
      degrees('asymmetryDegrees', 'Asymmetry: below the other side by at least', 'local', {
        minExclusive: true,
      }),
      days('nurseSignWindowDays', 'A nurse sign counts with a decline within', 'local'),
      days(
        'overdueDays',
        'A high or alert patient is overdue after no ROM reading for',
        'local',
        1,
      ),
      degrees('ankylosisArcDegrees', 'Ankylosed: flexion–extension arc at or below', 'local'),
      days('recurrenceWatchDays', 'Recurrence watch after an excision', 'CR §6.4'),
    ],
  },
  {
    title: 'Functional range of motion',
    settings: [
      degrees('hipSittingFlexionDegrees', 'Hip flexion needed to sit upright', 'CR §3.2'),
      degrees('elbowArcStartDegrees', 'Elbow must straighten to at least', 'CR §3.2', {
        note: 'below the bending limit',
      }),
      degrees('elbowArcEndDegrees', 'Elbow must bend to at least', 'CR §3.2', {
        minExclusive: true,
        note: 'above the straightening limit',
      }),
      degrees('forearmPronationDegrees', 'Forearm pronation needed for daily tasks', 'CR §3.2'),
      degrees('forearmSupinationDegrees', 'Forearm supination needed for daily tasks', 'CR §3.2'),
      degrees('kneeFlexionDegrees', 'Knee flexion needed to rise from a chair', 'CR §3.2'),
      degrees('ankleNeutralDegrees', 'Ankle dorsiflexion needed to stand', 'CR §3.2', {
        min: -90,
        max: 90,
      }),
    ],
  },
  {
    title: 'Complications and rates',
    settings: [
      {
        kind: 'number',
        key: 'feverCelsius',
        label: 'Fever: temperature above',
        unit: '°C',
        min: 35,
        max: 42,
        integer: false,
        source: 'CR §5.4',
      },
      days(
        'recentFractureFixationDays',
        'A fracture fixation is recent (NSAID caution) for',
        'local',
      ),
      {
        kind: 'boolean',
        key: 'nhsnTransferRule',
        label:
          'An infection on the day of a transfer or the day after counts on the ward the patient came from',
        source: 'NHSN Patient Safety Component Manual ch. 2',
      },
    ],
  },
  {
    title: 'Ward board and entry',
    settings: [
      {
        kind: 'hours',
        key: 'shiftStartHours',
        label: 'Shifts start at (ward time)',
        source: 'local',
      },
      {
        kind: 'number',
        key: 'pressureRiskBradenMax',
        label: 'Pressure-injury risk flag: Braden total at or below',
        unit: 'Braden points',
        min: 6,
        max: 23,
        integer: true,
        source: 'CR §5.3',
      },
      {
        kind: 'number',
        key: 'catheterReviewHours',
        label: 'Catheter: "review need" after it has been in for',
        unit: 'hours',
        min: 1,
        max: 720,
        integer: true,
        source: 'CR §5.4',
      },
      degrees(
        'romTypoChangeDegrees',
        'Entry check: ask "Are you sure?" when a reading differs from the last by more than',
        'local',
        { minExclusive: true },
      ),
    ],
  },
];

/** Every setting of the catalog by its key. */
export const SETTING_INFO: ReadonlyMap<string, SettingInfo> = new Map(
  SETTING_GROUPS.flatMap((group) => group.settings.map((info) => [info.key, info] as const)),
);

/** "1 to 8 JH-HLM level", "more than 0 to 360 °", "0 or more days": the valid range in words. */
export function rangeText(info: NumberSetting): string {
  const unit = info.unit === '°' || info.unit === '%' ? info.unit : ` ${info.unit}`;
  const low = info.minExclusive ? `more than ${info.min}` : `${info.min}`;
  const range = info.max === undefined ? `${low} or more` : `${low} to ${info.max}`;
  const whole = info.integer ? ', whole numbers' : '';
  return `${range}${unit}${whole}${info.note ? `, ${info.note}` : ''}`;
}

/**
 * Why a typed value is refused, naming the setting ("Low mobility: JH-HLM level at or below: must be
 * at most 8"), or undefined when it is in range. Limits between two settings are the server's.
 */
export function numberProblem(info: NumberSetting, text: string): string | undefined {
  const trimmed = text.trim().replace(',', '.');
  const value = Number(trimmed);
  const say = (reason: string): string => `${info.label}: ${reason}`;
  if (trimmed === '' || !Number.isFinite(value)) return say('enter a number');
  if (info.integer && !Number.isInteger(value)) return say('must be a whole number');
  if (info.minExclusive ? value <= info.min : value < info.min) {
    return say(`must be ${info.minExclusive ? 'more than' : 'at least'} ${info.min}`);
  }
  if (info.max !== undefined && value > info.max) return say(`must be at most ${info.max}`);
  return undefined;
}

/** Shift start hours typed as "7, 15, 23": whole hours 0–23, at least one, no repeats. */
export function parseHours(text: string): { hours: number[] } | { problem: string } {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return { problem: 'enter at least one hour, e.g. 7, 15, 23' };
  const hours = parts.map(Number);
  if (hours.some((hour) => !Number.isInteger(hour) || hour < 0 || hour > 23)) {
    return { problem: 'each must be a whole hour from 0 to 23' };
  }
  if (new Set(hours).size !== hours.length) return { problem: 'an hour is given twice' };
  return { hours: [...hours].sort((a, b) => a - b) };
}

/**
 * A server refusal with the settings' own names in words: "settings.vigilanceEndDay: must be after
 * vigilanceStartDay (14)" becomes "Window ends on day after injury: must be after Window starts on
 * day after injury (14)".
 */
export function settingsProblemInWords(message: string): string {
  return message
    .replace(
      /settings\.minimalDetectableChangeByMovement\.([a-z]+:[a-z_]+): /g,
      (_whole, movement: string) => `Minimal detectable change for ${movementLabel(movement)}: `,
    )
    .replace(/settings\.([A-Za-z]+)(\.[\w.]+)?: /g, (whole, key: string) => {
      const info = SETTING_INFO.get(key);
      return info ? `${info.label}: ` : whole;
    })
    .replace(
      /\b([a-z]+[A-Z][A-Za-z]+)\b/g,
      (word, key: string) => SETTING_INFO.get(key)?.label ?? word,
    );
}

/** The key of the per-movement minimal detectable change, an editable table of its own. */
export const MOVEMENT_MDC_KEY = 'minimalDetectableChangeByMovement';

/** One movement of the joint catalog: "knee:extension" as the settings key it, "Knee extension". */
export interface MovementChoice {
  readonly key: string;
  readonly label: string;
}

/** Every movement the domain measures, in the order a therapist measures them. */
export const MOVEMENT_CHOICES: readonly MovementChoice[] = JOINT_CATALOG.map((entry) => ({
  key: `${entry.site}:${entry.movement}`,
  label: `${entry.site.charAt(0).toUpperCase()}${entry.site.slice(1)} ${entry.label}`,
}));

const movementLabels = new Map(MOVEMENT_CHOICES.map((choice) => [choice.key, choice.label]));

/** "Knee extension" for "knee:extension"; an unknown key as it is. */
export function movementLabel(key: string): string {
  return movementLabels.get(key) ?? key.replace(':', ' ').replace('_', ' ');
}

/** The valid range of one override: the domain's, as for the value that applies to every movement. */
export const MOVEMENT_MDC_RANGE: NumberSetting = degrees(
  MOVEMENT_MDC_KEY,
  'Minimal detectable change for a single movement',
  'CR §2.6',
  { minExclusive: true },
);

/** One row of the overrides table as typed: a movement key and the degrees as text. */
export interface MovementOverrideRow {
  readonly movement: string;
  readonly degrees: string;
}

/** A stored override map as the table's rows, in catalog order. */
export function overrideRows(value: unknown): MovementOverrideRow[] {
  if (!value || typeof value !== 'object') return [];
  const entries = Object.entries(value as Record<string, unknown>).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number',
  );
  const order = (key: string): number => {
    const at = MOVEMENT_CHOICES.findIndex((choice) => choice.key === key);
    return at === -1 ? MOVEMENT_CHOICES.length : at;
  };
  return entries
    .sort(([a], [b]) => order(a) - order(b))
    .map(([movement, degrees]) => ({ movement, degrees: String(degrees) }));
}

/** A refused row: which row, which of its controls, and why, naming the movement. */
export interface MovementOverrideProblem {
  readonly row: number;
  readonly part: 'movement' | 'degrees';
  readonly text: string;
}

/**
 * The overrides table read into the settings map, or each problem naming its movement: a movement
 * not in the catalog, a movement given twice, degrees out of the domain's range.
 */
export function parseMovementOverrides(
  rows: readonly MovementOverrideRow[],
): { value: Record<string, number> } | { problems: MovementOverrideProblem[] } {
  const problems: MovementOverrideProblem[] = [];
  const value: Record<string, number> = {};
  rows.forEach((row, index) => {
    const label = movementLabel(row.movement);
    if (!movementLabels.has(row.movement)) {
      problems.push({
        row: index,
        part: 'movement',
        text: `${label}: is not a movement the watch measures`,
      });
      return;
    }
    if (rows.findIndex((other) => other.movement === row.movement) !== index) {
      problems.push({
        row: index,
        part: 'movement',
        text: `Minimal detectable change for ${label}: the movement is given twice`,
      });
      return;
    }
    const problem = numberProblem(
      { ...MOVEMENT_MDC_RANGE, label: `Minimal detectable change for ${label}` },
      row.degrees,
    );
    if (problem) problems.push({ row: index, part: 'degrees', text: problem });
    else value[row.movement] = Number(row.degrees.trim().replace(',', '.'));
  });
  return problems.length > 0 ? { problems } : { value };
}
