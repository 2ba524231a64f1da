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

/** Seconds left at which a screen reader is reminded of the coming sign-out, besides the warning itself. */
export const IDLE_REMINDERS_S = [30, 10] as const;

/**
 * What the warning's live region says when `secondsLeft` remain. The visible countdown ticks every
 * second; a live region that changed with it would have a screen reader read the sentence again every
 * second for a minute, over whatever the nurse was listening to. The warning is announced as it opens
 * (an alertdialog that takes focus), so the spoken text changes only at the reminders, and says "or
 * less" so it stays true between them.
 */
export function idleReminder(secondsLeft: number): string {
  const due = IDLE_REMINDERS_S.filter((seconds) => secondsLeft <= seconds).at(-1);
  return due === undefined ? '' : `${due} seconds or less until you are signed out.`;
}
