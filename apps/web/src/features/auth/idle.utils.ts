/**
 * Automatic sign-out after inactivity (PRODUCT §7: sessions end after 15 minutes idle), with a warning a
 * minute before so a nurse mid-entry can stay signed in.
 */
export const IDLE_LIMIT_MS = 15 * 60_000;
export const IDLE_WARNING_MS = 60_000;

export type IdlePhase =
  { phase: 'active' } | { phase: 'warning'; secondsLeft: number } | { phase: 'expired' };

/** Where the user stands, given the time of their last keyboard or pointer activity. */
export function idlePhase(
  lastActivityMs: number,
  nowMs: number,
  limitMs = IDLE_LIMIT_MS,
  warningMs = IDLE_WARNING_MS,
): IdlePhase {
  const idleMs = Math.max(0, nowMs - lastActivityMs);
  if (idleMs >= limitMs) return { phase: 'expired' };
  if (idleMs >= limitMs - warningMs) {
    return { phase: 'warning', secondsLeft: Math.ceil((limitMs - idleMs) / 1000) };
  }
  return { phase: 'active' };
}
