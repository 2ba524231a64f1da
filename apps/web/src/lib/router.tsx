/**
 * A small history router: the app has a handful of screens, so a path, the query string and a
 * `navigate` function are all it needs. Filters live in the query string so a board can be bookmarked,
 * shared on the wall screen and restored with the browser's Back button.
 */
import {
  useCallback,
  useSyncExternalStore,
  type AnchorHTMLAttributes,
  type MouseEvent,
} from 'react';

const listeners = new Set<() => void>();

/**
 * Screens holding unsaved entries (PRODUCT §5: never lost silently): while any is registered, leaving
 * by an in-app link or the browser's Back button asks first, and closing or reloading the tab gets the
 * browser's own warning. `onLeave` runs when the person chooses to leave anyway.
 */
interface UnsavedGuard {
  readonly question: string;
  readonly onLeave?: () => void;
}
const guards = new Map<symbol, UnsavedGuard>();

/** Registers a guard; returns its removal. */
export function guardUnsaved(guard: UnsavedGuard): () => void {
  const key = Symbol('unsaved');
  guards.set(key, guard);
  return () => {
    guards.delete(key);
  };
}

/** True when nothing is unsaved, or the person chose to leave it. */
function mayLeave(): boolean {
  const first = guards.values().next();
  if (first.done) return true;
  if (!window.confirm(first.value.question)) return false;
  for (const guard of [...guards.values()]) guard.onLeave?.();
  guards.clear();
  return true;
}

let shownLocation = typeof window === 'undefined' ? '/' : currentLocation();

if (typeof window !== 'undefined') {
  // Registered before any screen subscribes, so a refused Back is undone before they re-render.
  window.addEventListener('popstate', (event) => {
    if (currentLocation() === shownLocation) return;
    if (mayLeave()) {
      shownLocation = currentLocation();
      return;
    }
    event.stopImmediatePropagation();
    window.history.pushState(null, '', shownLocation);
  });
  window.addEventListener('beforeunload', (event) => {
    if (guards.size > 0) event.preventDefault();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function currentLocation(): string {
  return window.location.pathname + window.location.search;
}

/**
 * Moves to `to` (a path with an optional query string) without a page load; false when the person
 * chose to stay with unsaved entries.
 */
export function navigate(
  to: string,
  options: { replace?: boolean; force?: boolean } = {},
): boolean {
  if (to === currentLocation()) return true;
  if (!options.replace && !options.force && !mayLeave()) return false;
  shownLocation = to;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
  return true;
}

/** The current path and query string; re-renders on every navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const location = useSyncExternalStore(subscribe, currentLocation, () => '/');
  const [pathname = '/', query = ''] = location.split('?');
  return { pathname, search: new URLSearchParams(query) };
}

/**
 * The query string as state: `setParams` merges changes (an empty string or null removes a key) and
 * replaces the history entry, so typing in a search box does not fill the Back button.
 */
export function useSearchParams(): [
  URLSearchParams,
  (changes: Record<string, string | null>) => void,
] {
  const { pathname, search } = useLocation();
  const setParams = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      navigate(query ? `${pathname}?${query}` : pathname, { replace: true });
    },
    [pathname],
  );
  return [search, setParams];
}

/** An ordinary link that navigates in-app on a plain click and behaves normally otherwise. */
export function Link({
  href,
  onClick,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }): React.JSX.Element {
  function handleClick(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(href);
    window.scrollTo(0, 0);
  }
  return <a href={href} onClick={handleClick} {...rest} />;
}

/** Matches `/patients/:patientId` style patterns; returns the named parts or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = pathname.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return null;
  }
  return params;
}
