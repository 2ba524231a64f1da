import { useEffect, useRef } from 'react';

/** How long a new screen may take to draw its heading (lazy code, first data) before we give up. */
const HEADING_WAIT_MS = 3000;

/**
 * Whether focus is "lost" after a screen change: on the page body or gone with the old screen, or,
 * until the new heading has had focus once, still on the header's navigation that led here. Once the
 * heading has had focus, focus found in the header was put there by the person (Shift+Tab to "Sign
 * out", say) and is never taken back: doing so swallowed the Enter they pressed on it next.
 */
export function focusIsAdrift(
  active: Element | null,
  body: Element,
  headingHadFocus: boolean,
): boolean {
  if (active === null || active === body || !active.isConnected) return true;
  return !headingHadFocus && active.closest('.app-header') !== null;
}

/**
 * After an in-app navigation, moves keyboard focus to the new screen's main heading so a keyboard or
 * screen-reader user starts reading where the new screen starts (WCAG 2.4.3), instead of on the
 * page body. The first screen after a page load is left alone: the browser starts at the top.
 */
export function useFocusHeadingOnNavigation(pathname: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const started = Date.now();
    let frame = 0;
    let focused: HTMLElement | null = null;
    // A key or a pointer used on the new screen means the person is steering focus themselves.
    const stop = (): void => cancelAnimationFrame(frame);
    // Keeps watching for a short while: a screen often draws a loading heading first and its real
    // heading a moment later, which takes the focused one away with it.
    const tryFocus = (): void => {
      const active = document.activeElement;
      const adrift = focusIsAdrift(active, document.body, focused !== null);
      if (focused !== null && active !== focused && !adrift) return;
      const heading = document.querySelector<HTMLElement>('#main h1');
      if (heading && heading !== active && adrift) {
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading.focus();
        focused = heading;
      }
      if (Date.now() - started < HEADING_WAIT_MS) frame = requestAnimationFrame(tryFocus);
    };
    frame = requestAnimationFrame(tryFocus);
    // Capture phase: listeners added while the key that navigated here is still being dispatched
    // must not see that key.
    document.addEventListener('keydown', stop, true);
    document.addEventListener('pointerdown', stop, true);
    return () => {
      stop();
      document.removeEventListener('keydown', stop, true);
      document.removeEventListener('pointerdown', stop, true);
    };
  }, [pathname]);
}
