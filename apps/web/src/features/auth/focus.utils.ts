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
