import { describe, expect, it } from 'vitest';
import { rateEventsOf, romWithinDays, siteDetections } from './detection.ts';
import { day, record, rom } from '../test/builders.ts';
import type { ImagingStudy } from './model.ts';

const xray = (d: number, result: ImagingStudy['result'] = 'positive'): ImagingStudy => ({
  id: d,
  modality: 'xray',
  site: 'hip',
  side: 'left',
  result,
  grade: null,
  takenAt: day(d),
});

describe('detection lead time inputs', () => {
  it('finds the first ROM alert before the confirming image', () => {
    const r = record({
      romReadings: [rom(20, 110), rom(27, 100), rom(34, 90), rom(41, 80), rom(60, 40)],
      imaging: [xray(40, 'negative'), xray(55)],
    });
    expect(siteDetections(r)).toEqual([
      {
        site: 'hip',
        side: 'left',
        confirmedAt: day(55),
        firstRomAlertAt: day(34),
        wardId: 1,
      },
    ]);
    const events = rateEventsOf(r);
    expect(events.hoDiagnoses).toHaveLength(1);
    expect(events.detections[0]).toMatchObject({ firstRomAlertAt: day(34), confirmedAt: day(55) });
  });

  it('records a confirmation without a ROM alert as a diagnosis only', () => {
    const r = record({ romReadings: [rom(20, 110)], imaging: [xray(55)] });
    const events = rateEventsOf(r);
    expect(events.hoDiagnoses).toHaveLength(1);
    expect(events.detections).toEqual([]);
  });

  it('leaves out a confirmation outside any stay', () => {
    const r = record({ imaging: [xray(2)] });
    expect(siteDetections(r)[0]?.wardId).toBeNull();
    expect(rateEventsOf(r).hoDiagnoses).toEqual([]);
  });
});

describe('ROM compliance of a day', () => {
  it('looks at the date and the 7 dates before it in the ward time zone', () => {
    const readings = [{ takenAt: '2026-06-03T23:30:00Z' }]; // 4 June in London
    expect(romWithinDays(readings, '2026-06-11', 'Europe/London')).toBe(true);
    expect(romWithinDays(readings, '2026-06-12', 'Europe/London')).toBe(false);
    expect(romWithinDays(readings, '2026-06-03', 'Europe/London')).toBe(false);
    expect(romWithinDays(readings, '2026-06-10', 'UTC')).toBe(true);
    expect(romWithinDays(readings, '2026-06-11', 'UTC')).toBe(false);
  });
});
