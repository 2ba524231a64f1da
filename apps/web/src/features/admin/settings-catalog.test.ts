import {
  DEFAULT_HO_WATCH_SETTINGS,
  parseHoWatchSettings,
  type HoWatchSettings,
} from '@ossiwatch/domain';
import { describe, expect, it } from 'vitest';
import {
  MOVEMENT_CHOICES,
  MOVEMENT_MDC_RANGE,
  movementLabel,
  numberProblem,
  overrideRows,
  parseHours,
  parseMovementOverrides,
  rangeText,
  SETTING_GROUPS,
  SETTING_INFO,
  settingsProblemInWords,
  type NumberSetting,
} from './settings-catalog.ts';

const numbers = [...SETTING_INFO.values()].filter(
  (info): info is NumberSetting => info.kind === 'number',
);

// A limit between two settings: the partner is set out of the way, so each boundary tested is the
// setting's own (or the cross-field check the catalog's range already allows for).
const PARTNERS: Partial<Record<string, Partial<HoWatchSettings>>> = {
  vigilanceStartDay: { vigilanceEndDay: 1_000_000 },
  vigilanceEndDay: { vigilanceStartDay: 0 },
  elbowArcStartDegrees: { elbowArcEndDegrees: 360 },
  elbowArcEndDegrees: { elbowArcStartDegrees: 0 },
};

const accepts = (key: string, value: number): boolean =>
  parseHoWatchSettings({ ...PARTNERS[key], [key]: value }).ok;

describe('SETTING_GROUPS', () => {
  it('labels every setting the domain has, except the few kept off this screen', () => {
    const offScreen = ['timeZone', 'minimalDetectableChangeByMovement', 'bradenBands'];
    const missing = Object.keys(DEFAULT_HO_WATCH_SETTINGS).filter(
      (key) => !SETTING_INFO.has(key) && !offScreen.includes(key),
    );
    expect(missing).toEqual([]);
    expect(SETTING_GROUPS.flatMap((g) => g.settings).length).toBe(SETTING_INFO.size);
  });

  it('gives every number a unit and a label that is words, not a raw key', () => {
    for (const info of SETTING_INFO.values()) {
      expect(info.label, info.key).not.toMatch(/^[a-z]+[A-Z]/);
      expect(info.label.toLowerCase(), info.key).not.toContain(info.key.toLowerCase());
    }
    for (const info of numbers) expect(info.unit, info.key).not.toBe('');
  });

  it.each(numbers.map((info) => [info.key, info] as const))(
    '%s: the range shown is the range the domain accepts',
    (key, info) => {
      const step = info.integer ? 1 : 0.1;
      if (info.minExclusive) {
        expect(accepts(key, info.min)).toBe(false);
        expect(accepts(key, info.min + step)).toBe(true);
      } else {
        expect(accepts(key, info.min)).toBe(true);
        expect(accepts(key, info.min - step)).toBe(false);
      }
      if (key === 'elbowArcStartDegrees') {
        // Its top is the bending limit (at most 360°), which must stay above it.
        expect(accepts(key, 359.9)).toBe(true);
        expect(accepts(key, 360)).toBe(false);
      } else if (info.max === undefined) {
        expect(accepts(key, info.min + 100_000)).toBe(true);
      } else {
        expect(accepts(key, info.max)).toBe(true);
        expect(accepts(key, info.max + step)).toBe(false);
      }
      if (info.integer) expect(accepts(key, info.min + 1.5)).toBe(false);
      // The same boundaries, as the screen checks them before sending.
      const low = info.minExclusive ? info.min : info.min - step;
      expect(numberProblem(info, String(low))).toMatch(new RegExp(`^${escape(info.label)}: `));
      expect(numberProblem(info, String(info.minExclusive ? info.min + step : info.min))).toBe(
        undefined,
      );
      if (info.max !== undefined)
        expect(numberProblem(info, String(info.max + step))).toBeDefined();
    },
  );
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('numberProblem', () => {
  const jh = SETTING_INFO.get('jhHlmLowMax') as NumberSetting;

  it('names the field and the reason', () => {
    expect(numberProblem(jh, '')).toBe('Low mobility: JH-HLM level at or below: enter a number');
    expect(numberProblem(jh, 'three')).toBe(
      'Low mobility: JH-HLM level at or below: enter a number',
    );
    expect(numberProblem(jh, '2.5')).toBe(
      'Low mobility: JH-HLM level at or below: must be a whole number',
    );
    expect(numberProblem(jh, '9')).toBe(
      'Low mobility: JH-HLM level at or below: must be at most 8',
    );
    expect(numberProblem(jh, ' 4 ')).toBeUndefined();
  });

  it('takes a decimal comma', () => {
    const fever = SETTING_INFO.get('feverCelsius') as NumberSetting;
    expect(numberProblem(fever, '38,5')).toBeUndefined();
  });
});

describe('rangeText', () => {
  it('says the range with its unit', () => {
    expect(rangeText(SETTING_INFO.get('jhHlmLowMax') as NumberSetting)).toBe(
      '1 to 8 JH-HLM level, whole numbers',
    );
    expect(rangeText(SETTING_INFO.get('romDeclineDegrees') as NumberSetting)).toBe(
      'more than 0 to 360°',
    );
    expect(rangeText(SETTING_INFO.get('overdueDays') as NumberSetting)).toBe(
      '1 or more days, whole numbers',
    );
  });
});

describe('parseHours', () => {
  it('reads a list of hours and refuses what is not one', () => {
    expect(parseHours('23, 7 15')).toEqual({ hours: [7, 15, 23] });
    expect(parseHours('')).toEqual({ problem: 'enter at least one hour, e.g. 7, 15, 23' });
    expect(parseHours('7, 24')).toEqual({ problem: 'each must be a whole hour from 0 to 23' });
    expect(parseHours('7, 7')).toEqual({ problem: 'an hour is given twice' });
  });
});

describe('settingsProblemInWords', () => {
  it('puts labels in place of the keys in a server refusal', () => {
    expect(
      settingsProblemInWords('settings.vigilanceEndDay: must be after vigilanceStartDay (14)'),
    ).toBe('Vigilance window: last day: must be after Vigilance window: first day (14)');
    expect(settingsProblemInWords('settings.unknownThing: is not a known setting')).toBe(
      'settings.unknownThing: is not a known setting',
    );
  });
});

describe('minimal detectable change per movement', () => {
  it('offers every movement the domain accepts as a key, in words', () => {
    expect(MOVEMENT_CHOICES.length).toBeGreaterThan(0);
    for (const choice of MOVEMENT_CHOICES) {
      expect(
        parseHoWatchSettings({ minimalDetectableChangeByMovement: { [choice.key]: 5 } }).ok,
      ).toBe(true);
      expect(choice.label).not.toContain(':');
    }
    expect(movementLabel('knee:extension')).toBe('Knee extension');
    expect(movementLabel('elbow:pronation')).toBe('Elbow forearm pronation');
  });

  it('shows the range the domain accepts', () => {
    expect(rangeText(MOVEMENT_MDC_RANGE)).toBe('more than 0 to 360°');
    const accepts = (degrees: number): boolean =>
      parseHoWatchSettings({ minimalDetectableChangeByMovement: { 'knee:extension': degrees } }).ok;
    expect(accepts(0)).toBe(false);
    expect(accepts(0.1)).toBe(true);
    expect(accepts(360)).toBe(true);
    expect(accepts(360.1)).toBe(false);
  });

  it('reads the stored map as rows in catalog order', () => {
    expect(overrideRows({ 'knee:extension': 8, 'shoulder:flexion': 12 })).toEqual([
      { movement: 'shoulder:flexion', degrees: '12' },
      { movement: 'knee:extension', degrees: '8' },
    ]);
    expect(overrideRows(undefined)).toEqual([]);
  });

  it('reads the rows back into the map, or names each problem by movement', () => {
    expect(
      parseMovementOverrides([
        { movement: 'knee:extension', degrees: '8' },
        { movement: 'hip:flexion', degrees: '12,5' },
      ]),
    ).toEqual({ value: { 'knee:extension': 8, 'hip:flexion': 12.5 } });
    expect(parseMovementOverrides([])).toEqual({ value: {} });
    expect(
      parseMovementOverrides([
        { movement: 'knee:extension', degrees: '0' },
        { movement: 'hip:flexion', degrees: '' },
        { movement: 'knee:extension', degrees: '5' },
        { movement: 'ankle:flexion', degrees: '5' },
        { movement: 'ankle:dorsiflexion', degrees: '361' },
      ]),
    ).toEqual({
      problems: [
        {
          row: 0,
          part: 'degrees',
          text: 'Minimal detectable change for Knee extension: must be more than 0',
        },
        {
          row: 1,
          part: 'degrees',
          text: 'Minimal detectable change for Hip flexion: enter a number',
        },
        {
          row: 2,
          part: 'movement',
          text: 'Minimal detectable change for Knee extension: the movement is given twice',
        },
        { row: 3, part: 'movement', text: 'ankle flexion: is not a movement the watch measures' },
        {
          row: 4,
          part: 'degrees',
          text: 'Minimal detectable change for Ankle dorsiflexion: must be at most 360',
        },
      ],
    });
  });

  it('puts the movement in words in a server refusal', () => {
    expect(
      settingsProblemInWords(
        'settings.minimalDetectableChangeByMovement.knee:extension: must be more than 0°',
      ),
    ).toBe('Minimal detectable change for Knee extension: must be more than 0°');
  });
});
