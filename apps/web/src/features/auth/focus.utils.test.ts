import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { focusUsernameOnArrival, nextFocusIndex } from './focus.utils.ts';

describe('focusUsernameOnArrival', () => {
  it('takes the user to the Username field after any end of a session', () => {
    expect(focusUsernameOnArrival('idle')).toBe(true);
    expect(focusUsernameOnArrival('expired')).toBe(true);
    expect(focusUsernameOnArrival('signed_out')).toBe(true);
  });

  it('leaves a fresh visit to be read from the top', () => {
    expect(focusUsernameOnArrival(null)).toBe(false);
  });
});

describe('nextFocusIndex', () => {
  it('keeps a single button focused whichever way Tab goes', () => {
    expect(nextFocusIndex(0, 1, false)).toBe(0);
    expect(nextFocusIndex(0, 1, true)).toBe(0);
  });

  it('wraps from the last element to the first and back', () => {
    expect(nextFocusIndex(2, 3, false)).toBe(0);
    expect(nextFocusIndex(0, 3, true)).toBe(2);
    expect(nextFocusIndex(1, 3, false)).toBe(2);
    expect(nextFocusIndex(1, 3, true)).toBe(0);
  });

  it('brings focus from outside the dialog to its first or last element', () => {
    expect(nextFocusIndex(-1, 3, false)).toBe(0);
    expect(nextFocusIndex(-1, 3, true)).toBe(2);
  });

  it('has nowhere to go in a dialog with nothing focusable', () => {
    expect(nextFocusIndex(-1, 0, false)).toBe(-1);
  });

  it('always lands inside the dialog, and Tab then Shift+Tab comes back', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 20 })
          .chain((count) =>
            fc.tuple(fc.constant(count), fc.integer({ min: 0, max: count - 1 }), fc.boolean()),
          ),
        ([count, current, backwards]) => {
          const next = nextFocusIndex(current, count, backwards);
          expect(next).toBeGreaterThanOrEqual(0);
          expect(next).toBeLessThan(count);
          expect(nextFocusIndex(next, count, !backwards)).toBe(current);
        },
      ),
    );
  });
});
