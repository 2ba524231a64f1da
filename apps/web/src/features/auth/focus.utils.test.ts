import { describe, expect, it } from 'vitest';
import { focusUsernameOnArrival } from './focus.utils.ts';

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
