import { useEffect, useRef } from 'react';

/** How long a new screen may take to draw its heading (lazy code, first data) before we give up. */
const HEADING_WAIT_MS = 3000;

/**
 * Whether focus is "lost" after a screen change: on the page body, gone with the old screen, or
 * still on the header's navigation that led here. Focus the person has put somewhere on the new
 * screen is never taken away.
 */
export function focusIsAdrift(active: Element | null, body: Element): boolean {
  if (active === null || active === body || !active.isConnected) return true;
  return active.closest('.app-header') !== null;
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
    // Keeps watching for a short while: a screen often draws a loading heading first and its real
    // heading a moment later, which takes the focused one away with it.
    const tryFocus = (): void => {
      const active = document.activeElement;
      if (focused !== null && active !== focused && !focusIsAdrift(active, document.body)) return;
      const heading = document.querySelector<HTMLElement>('#main h1');
      if (heading && heading !== active && focusIsAdrift(active, document.body)) {
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading.focus();
        focused = heading;
      }
      if (Date.now() - started < HEADING_WAIT_MS) frame = requestAnimationFrame(tryFocus);
    };
    frame = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(frame);
  }, [pathname]);
}
