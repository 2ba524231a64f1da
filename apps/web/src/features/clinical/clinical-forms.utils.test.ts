import { describe, expect, it } from 'vitest';
import {
  bradenSoFar,
  daysSince,
  gradeSystemFor,
  instantFromLocal,
  localInputNow,
  triStateValue,
} from './clinical-forms.utils.ts';

describe('times typed in local time', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('round-trips "now" through the input format', () => {
    const typed = localInputNow(now);
    expect(typed).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const back = instantFromLocal(typed, now);
    expect('instant' in back && Date.parse(back.instant)).toBe(now.getTime());
  });

  it('refuses an empty time and a time in the future', () => {
    expect(instantFromLocal('', now)).toEqual({ problem: 'enter a date and time' });
    expect(instantFromLocal(localInputNow(new Date('2026-03-10T13:00:00Z')), now)).toEqual({
      problem: 'cannot be in the future',
    });
  });
});

describe('signs', () => {
  it('keeps "not examined" apart from "absent"', () => {
    expect(triStateValue('')).toBeNull();
    expect(triStateValue('no')).toBe(false);
    expect(triStateValue('yes')).toBe(true);
  });
});

describe('bradenSoFar', () => {
  it('waits until every subscale is scored', () => {
    expect(bradenSoFar({ sensoryPerception: 2, moisture: 3 })).toBeNull();
  });

  it('adds the six subscales and names the default band', () => {
    expect(
      bradenSoFar({
        sensoryPerception: 2,
        moisture: 2,
        activity: 1,
        mobility: 2,
        nutrition: 2,
        frictionShear: 1,
      }),
    ).toEqual({ total: 10, band: 'High risk' });
    expect(
      bradenSoFar({
        sensoryPerception: 4,
        moisture: 4,
        activity: 4,
        mobility: 4,
        nutrition: 4,
        frictionShear: 3,
      }),
    ).toEqual({ total: 23, band: 'No or low risk' });
  });
});

describe('gradeSystemFor', () => {
  it('grades the hip by Brooker, the elbow by Hastings & Graham, others in words', () => {
    expect(gradeSystemFor('hip')).toBe('brooker');
    expect(gradeSystemFor('elbow')).toBe('hastings_graham');
    expect(gradeSystemFor('knee')).toBe('free_text');
  });
});

describe('daysSince', () => {
  it('counts whole days, never negative', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(daysSince('2026-03-07T13:00:00Z', now)).toBe(2);
    expect(daysSince('2026-03-11T13:00:00Z', now)).toBe(0);
  });
});
