import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  instantOfWallClock,
  wallClockAt,
  censusDays,
  censusSpan,
  dateOfEpochDay,
  epochDay,
  isIsoDate,
  localDate,
  monthSlices,
} from './calendar.ts';

describe('calendar dates', () => {
  it('round-trips dates and refuses impossible ones', () => {
    expect(dateOfEpochDay(epochDay('2026-02-28'))).toBe('2026-02-28');
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(() => epochDay('2026-13-01')).toThrow(RangeError);
  });

  it('splits a range into clipped calendar months', () => {
    expect(monthSlices('2026-01-15', '2026-03-02')).toEqual([
      { month: '2026-01', from: '2026-01-15', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { month: '2026-03', from: '2026-03-01', to: '2026-03-02' },
    ]);
  });

  it('gives the local date in the ward’s time zone', () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST) and still 30 June in New York.
    expect(localDate('2026-06-30T23:30:00Z', 'Europe/London')).toBe('2026-07-01');
    expect(localDate('2026-06-30T23:30:00Z', 'America/New_York')).toBe('2026-06-30');
    expect(() => localDate('2026-06-30T23:30:00Z', 'Mars/Olympus')).toThrow();
  });
});

describe('census of patient-days at local midnight', () => {
  it('counts the midnights spent on the ward', () => {
    // In at 14:00 on the 3rd, out at 10:00 on the 5th: present at midnight of the 4th and the 5th.
    const stay = { admittedAt: '2026-06-03T13:00:00Z', dischargedAt: '2026-06-05T09:00:00Z' };
    expect(censusDays(stay, 'Europe/London', '2026-06-01', '2026-06-30')).toBe(2);
    expect(censusDays(stay, 'Europe/London', '2026-06-05', '2026-06-05')).toBe(1);
  });

  it('counts admission exactly at midnight, not discharge exactly at midnight', () => {
    // 2026-06-04T00:00 London is 2026-06-03T23:00Z.
    const stay = { admittedAt: '2026-06-03T23:00:00Z', dischargedAt: '2026-06-05T23:00:00Z' };
    expect(censusDays(stay, 'Europe/London', '2026-06-01', '2026-06-30')).toBe(2); // 4th and 5th
  });

  it('counts a same-day stay as no patient-day', () => {
    const stay = { admittedAt: '2026-06-03T08:00:00Z', dischargedAt: '2026-06-03T18:00:00Z' };
    expect(censusDays(stay, 'Europe/London', '2026-06-01', '2026-06-30')).toBe(0);
  });

  it('is right across the spring change in London (23-hour day)', () => {
    // Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    const stay = { admittedAt: '2026-03-27T12:00:00Z', dischargedAt: '2026-04-01T12:00:00Z' };
    // Midnights of 28, 29, 30, 31 March and 1 April.
    expect(censusDays(stay, 'Europe/London', '2026-03-01', '2026-04-30')).toBe(5);
    expect(censusDays(stay, 'Europe/London', '2026-03-01', '2026-03-31')).toBe(4);
    // Midnight of 30 March is 23:00 UTC on the 29th (BST): a patient admitted 23:30 UTC misses it.
    const late = { admittedAt: '2026-03-29T23:30:00Z', dischargedAt: null };
    expect(censusDays(late, 'Europe/London', '2026-03-29', '2026-03-31')).toBe(1);
  });

  it('is right across the autumn change in London (25-hour day)', () => {
    // Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    const stay = { admittedAt: '2026-10-24T12:00:00Z', dischargedAt: '2026-10-27T12:00:00Z' };
    expect(censusDays(stay, 'Europe/London', '2026-10-01', '2026-10-31')).toBe(3); // 25, 26, 27
    // Midnight of 25 October is still BST: 23:00 UTC on the 24th.
    const justBefore = { admittedAt: '2026-10-24T22:59:00Z', dischargedAt: '2026-10-25T01:30:00Z' };
    expect(censusDays(justBefore, 'Europe/London', '2026-10-01', '2026-10-31')).toBe(1);
    const justAfter = { admittedAt: '2026-10-24T23:01:00Z', dischargedAt: '2026-10-25T23:30:00Z' };
    // Missed 25th's midnight; 26th's midnight is 00:00 UTC (GMT) and the patient left before it.
    expect(censusDays(justAfter, 'Europe/London', '2026-10-01', '2026-10-31')).toBe(0);
  });

  it('handles a zone whose clocks jump at midnight (Santiago: the day starts at 01:00)', () => {
    // Chile's clocks go forward at 24:00 on Saturday 6 September 2025: 7 September starts at 01:00.
    const start = '2025-09-07T04:00:00Z'; // 01:00 local on the 7th, UTC-3
    const span = censusSpan(start, '2025-09-08T12:00:00Z', 'America/Santiago');
    expect(span && dateOfEpochDay(span.first)).toBe('2025-09-07');
  });

  it('stops an open stay at asOf', () => {
    const stay = { admittedAt: '2026-06-03T13:00:00Z', dischargedAt: null };
    expect(
      censusDays(stay, 'Europe/London', '2026-06-01', '2026-06-30', '2026-06-10T12:00:00Z'),
    ).toBe(7);
    expect(censusDays(stay, 'Europe/London', '2026-06-01', '2026-06-30')).toBe(27);
  });

  it('adds up over any split of the range (property)', () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * 24 }),
        fc.integer({ min: 0, max: 90 * 24 }),
        fc.integer({ min: 0, max: 364 }),
        fc.constantFrom('Europe/London', 'America/New_York', 'Australia/Sydney', 'UTC'),
        (startHours, lengthHours, splitOffset, zone) => {
          const stay = {
            admittedAt: new Date(base + startHours * 3_600_000).toISOString(),
            dischargedAt: new Date(base + (startHours + lengthHours) * 3_600_000).toISOString(),
          };
          const from = '2026-01-01';
          const to = '2026-12-31';
          const split = dateOfEpochDay(epochDay(from) + splitOffset);
          const after = dateOfEpochDay(epochDay(split) + 1);
          const whole = censusDays(stay, zone, from, to);
          const parts = censusDays(stay, zone, from, split) + censusDays(stay, zone, after, to);
          expect(parts).toBe(whole);
          // Never more midnights than whole days plus one.
          expect(whole).toBeLessThanOrEqual(Math.ceil(lengthHours / 24) + 1);
        },
      ),
    );
  });
});

describe('wall clocks of a zone', () => {
  it('reads and writes a ward clock, a repeated hour as its first, a skipped one as never', () => {
    expect(wallClockAt(Date.parse('2026-07-01T09:30:45.900Z'), 'Europe/London')).toBe(
      '2026-07-01T10:30:45',
    );
    expect(instantOfWallClock('2026-07-01T10:30', 'Europe/London')).toBe(
      Date.parse('2026-07-01T09:30:00Z'),
    );
    // London goes back at 02:00 BST on 25 October 2026: 01:30 happens at 00:30Z and at 01:30Z.
    expect(instantOfWallClock('2026-10-25T01:30', 'Europe/London')).toBe(
      Date.parse('2026-10-25T00:30:00Z'),
    );
    // London goes forward at 01:00 GMT on 29 March 2026: 01:30 never happens.
    expect(instantOfWallClock('2026-03-29T01:30', 'Europe/London')).toBeNull();
    expect(() => instantOfWallClock('2026-02-30T10:00', 'Europe/London')).toThrow(RangeError);
  });

  it('reads back every instant it writes, to the second', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom('UTC', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe'),
        (ms, zone) => {
          const second = Math.floor(ms / 1000) * 1000;
          const wall = wallClockAt(second, zone);
          const back = instantOfWallClock(wall, zone);
          // Within a repeated hour the first reading is chosen, never a later one.
          expect(back).not.toBeNull();
          expect(back).toBeLessThanOrEqual(second);
          expect(wallClockAt(back ?? 0, zone)).toBe(wall);
        },
      ),
    );
  });
});
