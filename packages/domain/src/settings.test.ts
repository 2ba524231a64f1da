import { describe, expect, it } from 'vitest';
import { DEFAULT_HO_WATCH_SETTINGS, parseHoWatchSettings } from './settings.ts';

describe('HO watch settings', () => {
  it('has the PRODUCT §3 defaults', () => {
    expect(DEFAULT_HO_WATCH_SETTINGS).toMatchObject({
      vigilanceStartDay: 14,
      vigilanceEndDay: 120,
      comaDaysThreshold: 14,
      ventilationDaysThreshold: 14,
      romDeclineDegrees: 15,
      romDeclinePercent: 20,
      romLookbackDays: 28,
      asymmetryDegrees: 20,
      nurseSignWindowDays: 7,
      overdueDays: 7,
      masThreshold: '2',
      jhHlmLowMax: 3,
      facLowMax: 2,
      pressureInjuryMinStage: 2,
      recurrenceWatchDays: 183,
      hipSittingFlexionDegrees: 90,
      elbowArcStartDegrees: 30,
      elbowArcEndDegrees: 130,
      forearmPronationDegrees: 50,
      forearmSupinationDegrees: 50,
      kneeFlexionDegrees: 100,
      ankleNeutralDegrees: 0,
    });
    expect(parseHoWatchSettings(DEFAULT_HO_WATCH_SETTINGS)).toEqual({
      ok: true,
      settings: DEFAULT_HO_WATCH_SETTINGS,
    });
  });

  it('fills missing fields with defaults', () => {
    const r = parseHoWatchSettings({ romDeclineDegrees: 10 });
    expect(r.ok && r.settings.romDeclineDegrees).toBe(10);
    expect(r.ok && r.settings.romLookbackDays).toBe(28);
  });

  it.each([
    [{ romLookbackDays: -1 }, 'romLookbackDays'],
    [{ nurseSignWindowDays: -3 }, 'nurseSignWindowDays'],
    [{ vigilanceStartDay: 120, vigilanceEndDay: 120 }, 'vigilanceEndDay'],
    [{ vigilanceStartDay: 130 }, 'vigilanceEndDay'],
    [{ romDeclinePercent: 120 }, 'romDeclinePercent'],
    [{ romDeclinePercent: 0 }, 'romDeclinePercent'],
    [{ romDeclineDegrees: 0 }, 'romDeclineDegrees'],
    [{ overdueDays: 2.5 }, 'overdueDays'],
    [{ masThreshold: '5' }, 'masThreshold'],
    [{ elbowArcStartDegrees: 140 }, 'elbowArcEndDegrees'],
    [{ romDeclineDegree: 10 }, 'romDeclineDegree'],
    [{ feverCelsius: 'hot' }, 'feverCelsius'],
    [{ timeZone: 'Europe/Atlantis' }, 'timeZone'],
    [
      {
        bradenBands: [
          { id: 'a', label: 'A', min: 6, max: 12 },
          { id: 'b', label: 'B', min: 12, max: 23 },
        ],
      },
      'bradenBands.1.min',
    ],
    [{ bradenBands: [{ id: 'a', label: 'A', min: 6, max: 20 }] }, 'bradenBands.0.max'],
  ])('refuses %j, naming %s', (input, field) => {
    const r = parseHoWatchSettings(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.field)).toContain(field);
      for (const e of r.errors) expect(e.message.length).toBeGreaterThan(3);
    }
  });

  it('accepts an IANA time zone', () => {
    const r = parseHoWatchSettings({ timeZone: 'Europe/London' });
    expect(r.ok && r.settings.timeZone).toBe('Europe/London');
  });

  it('refuses what is not an object', () => {
    expect(parseHoWatchSettings(null).ok).toBe(false);
    expect(parseHoWatchSettings([1]).ok).toBe(false);
  });
});
