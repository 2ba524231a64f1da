import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, WardClock } from './clock.ts';

function wallClock(timeZone: string, utcMs: number): { date: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

describe('WardClock', () => {
  const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];

  it('puts a day-shift time on the wall clock of the ward, across DST changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 19_000, max: 21_000 }),
        fc.integer({ min: 7 * 60, max: 21 * 60 }),
        (zone, day, minute) => {
          const clock = new WardClock(zone);
          const instant = clock.at(day, minute);
          const wall = wallClock(zone, instant);
          expect(wall.date).toBe(new Date(day * DAY_MS).toISOString().slice(0, 10));
          expect(wall.minutes).toBe(minute);
          expect(clock.localDay(instant)).toBe(day);
          expect(clock.localMinute(instant)).toBe(minute);
        },
      ),
    );
  });

  it('counts weekdays from a Thursday epoch', () => {
    // 2026-03-02 is a Monday.
    expect(WardClock.weekday(Date.UTC(2026, 2, 2) / DAY_MS)).toBe(1);
  });
});
