import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatClockTime } from './format.ts';

describe('formatClockTime', () => {
  it('writes the 24-hour local time with two-digit hours and minutes', () => {
    expect(formatClockTime(new Date(2026, 2, 3, 9, 5))).toBe('09:05');
    expect(formatClockTime(new Date(2026, 2, 3, 0, 0))).toBe('00:00');
    expect(formatClockTime(new Date(2026, 2, 3, 23, 59, 59))).toBe('23:59');
  });

  it('reads as en-GB writes the same time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date(2000, 0, 1), max: new Date(2100, 0, 1), noInvalidDate: true }),
        (date) => {
          expect(formatClockTime(date)).toBe(
            date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }),
          );
        },
      ),
    );
  });
});
