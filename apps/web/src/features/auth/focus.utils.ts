import type { SessionEndReason } from './session-events.ts';

/**
 * Whether the sign-in page moves keyboard focus to the Username field as it opens. When a session
 * ends (the idle timer, a refused call, the Sign out link) the element that held focus disappears
 * with the screen it was on, and the browser drops focus on the page body: a keyboard or
 * screen-reader user would land nowhere (WCAG 2.4.3 Focus Order). The field is where they act next,
 * and it is described by the message saying why they are here, so the message is read with it. A
 * fresh visit (no reason) loads like any page and is read from the top, heading first.
 */
export function focusUsernameOnArrival(reason: SessionEndReason | null): boolean {
  if (reason === null) return false;
  switch (reason) {
    case 'idle':
    case 'expired':
    case 'signed_out':
      return true;
  }
}

/**
 * Which of a dialog's `count` focusable elements Tab (or Shift+Tab, `backwards`) moves to from
 * `current` (-1 when focus is on none of them): round and round inside the dialog, never out of it
 * to the page behind (WAI-ARIA APG modal dialog pattern). -1 when the dialog has nothing focusable.
 */
export function nextFocusIndex(current: number, count: number, backwards: boolean): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return backwards ? count - 1 : 0;
  return (current + (backwards ? count - 1 : 1)) % count;
}
