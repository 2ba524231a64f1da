import { describe, expect, it } from 'vitest';
import { landingWard, markSignedIn, takeSignedIn } from './landing.ts';

describe('landingWard', () => {
  it('opens the only ward of someone on one ward', () => {
    expect(landingWard([7], null)).toBe(7);
    expect(landingWard([7], 3)).toBe(7);
  });
  it('opens the ward used last when the person still works there', () => {
    expect(landingWard([1, 2, 3], 2)).toBe(2);
  });
  it('shows the ward list otherwise', () => {
    expect(landingWard([1, 2], null)).toBeNull();
    expect(landingWard([1, 2], 9)).toBeNull();
    expect(landingWard([], null)).toBeNull();
  });
});

describe('the sign-in mark', () => {
  it('is taken once', () => {
    expect(takeSignedIn()).toBe(false);
    markSignedIn();
    expect(takeSignedIn()).toBe(true);
    expect(takeSignedIn()).toBe(false);
  });
});
