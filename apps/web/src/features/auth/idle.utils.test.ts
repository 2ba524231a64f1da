import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IDLE_LIMIT_MS, idlePhase, idleReminder } from './idle.utils.ts';

const minute = 60_000;

describe('idlePhase', () => {
  it('stays active for the first 14 minutes without activity', () => {
    expect(idlePhase(0, 0)).toEqual({ phase: 'active' });
    expect(idlePhase(0, 14 * minute - 1)).toEqual({ phase: 'active' });
  });

  it('warns during the last minute and counts down the seconds', () => {
    expect(idlePhase(0, 14 * minute)).toEqual({ phase: 'warning', secondsLeft: 60 });
    expect(idlePhase(0, 14 * minute + 59_500)).toEqual({ phase: 'warning', secondsLeft: 1 });
  });

  it('signs out at 15 minutes', () => {
    expect(idlePhase(0, IDLE_LIMIT_MS)).toEqual({ phase: 'expired' });
    expect(idlePhase(0, 3 * IDLE_LIMIT_MS)).toEqual({ phase: 'expired' });
  });

  it('treats a clock that went backwards as fresh activity, never as expiry', () => {
    expect(idlePhase(10 * minute, 0)).toEqual({ phase: 'active' });
  });
});

describe('idleReminder', () => {
  const countdown = Array.from({ length: 60 }, (_, i) => 60 - i);

  it('is silent as the warning opens, then speaks only at 30 and 10 seconds left', () => {
    const spoken = countdown.map(idleReminder);
    const changes = countdown.filter((_, i) => i > 0 && spoken[i] !== spoken[i - 1]);
    expect(spoken[0]).toBe('');
    expect(changes).toEqual([30, 10]);
  });

  it('never says more time is left than there is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (secondsLeft) => {
        const said = /(\d+) seconds or less/.exec(idleReminder(secondsLeft));
        return said === null || Number(said[1]) >= secondsLeft;
      }),
    );
  });
});
