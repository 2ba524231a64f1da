import { describe, expect, it } from 'vitest';
import {
  baselineOf,
  minimalDetectableChange,
  romAsymmetry,
  romDeclineAt,
  seriesFinding,
} from './rom.ts';
import { tierOf } from './assess.ts';
import { DEFAULT_HO_WATCH_SETTINGS } from './settings.ts';
import { rom } from '../test/builders.ts';

const settings = DEFAULT_HO_WATCH_SETTINGS;

describe('baselineOf: the yardstick a fall is measured against', () => {
  it('is the median of the best three, so one generous reading does not count', () => {
    const readings = [rom(1, 100), rom(2, 130), rom(3, 101), rom(4, 95)];
    expect(baselineOf(readings, 3)?.degrees).toBe(101);
  });

  it('is the best while there are fewer readings than that', () => {
    expect(baselineOf([rom(1, 100), rom(2, 90)], 3)?.degrees).toBe(100);
    expect(baselineOf([], 3)).toBeUndefined();
  });
});

describe('romDeclineAt', () => {
  it('needs the minimal detectable change even when 20% is reached', () => {
    // 40° → 31°: 22.5% but 9°, under the 10° of CR §2.6.
    const knee = [rom(20, 40, { site: 'knee' }), rom(30, 31, { site: 'knee' })];
    expect(romDeclineAt(knee, 1, settings)).toBeUndefined();
    const ten = [rom(20, 40, { site: 'knee' }), rom(30, 30, { site: 'knee' })];
    expect(romDeclineAt(ten, 1, settings)?.dropDegrees).toBe(10);
  });

  it('uses no percentage below a 30° baseline', () => {
    const ankle = [
      rom(20, 25, { site: 'ankle', movement: 'dorsiflexion' }),
      rom(30, 13, { site: 'ankle', movement: 'dorsiflexion' }),
    ];
    // 12° and 48%: a percentage of a short arc; under 15° it is no decline.
    expect(romDeclineAt(ankle, 1, settings)).toBeUndefined();
  });

  it('reads a per-movement minimal detectable change', () => {
    const custom = { ...settings, minimalDetectableChangeByMovement: { 'knee:extension': 4 } };
    expect(minimalDetectableChange('knee', 'extension', custom)).toBe(4);
    expect(minimalDetectableChange('knee', 'flexion', custom)).toBe(10);
  });
});

describe('seriesFinding', () => {
  it('counts a confirmation only from an earlier sitting, and sets aside a contradicted low', () => {
    const confirmed = seriesFinding([rom(20, 110), rom(30, 90), rom(33, 88)], settings);
    expect(confirmed?.confirmedBy?.reading.degrees).toBe(90);
    expect(confirmed?.sittingsInARow).toBe(2);
    const contradicted = seriesFinding([rom(20, 110), rom(30, 90), rom(33, 108)], settings);
    expect(contradicted?.decline).toBeUndefined();
    expect(contradicted?.setAside?.reading.degrees).toBe(90);
  });
});

describe('romAsymmetry', () => {
  it('compares with the other side measured the same day, unless that side is falling', () => {
    const own = seriesFinding([rom(30, 100, { site: 'knee' })], settings)!;
    const sameDay = seriesFinding([rom(30, 125, { site: 'knee', side: 'right' })], settings);
    expect(romAsymmetry(own, sameDay, settings)?.gapDegrees).toBe(25);
    const otherDay = seriesFinding([rom(25, 125, { site: 'knee', side: 'right' })], settings);
    expect(romAsymmetry(own, otherDay, settings)).toBeUndefined();
    const falling = seriesFinding(
      [
        rom(20, 150, { site: 'knee', side: 'right' }),
        rom(30, 125, { site: 'knee', side: 'right' }),
      ],
      settings,
    );
    expect(romAsymmetry(own, falling, settings)).toBeUndefined();
  });
});

describe('tierOf', () => {
  const base = {
    suspected: false,
    progressing: false,
    romDecline: false,
    inWindow: true,
    severe: false,
    factorCount: 0,
    settings,
  };
  it('reads top down: alert, high, elevated, low', () => {
    expect(tierOf({ ...base, suspected: true })).toBe('alert');
    expect(tierOf({ ...base, romDecline: true, inWindow: false })).toBe('high');
    expect(tierOf({ ...base, factorCount: 3 })).toBe('high');
    expect(tierOf({ ...base, factorCount: 2 })).toBe('elevated');
    expect(tierOf({ ...base, severe: true })).toBe('elevated');
    expect(tierOf({ ...base, inWindow: false, severe: true })).toBe('low');
  });
});
