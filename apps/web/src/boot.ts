/**
 * The app's first requests, sent by a small script of their own that the page runs as soon as it
 * arrives, while the browser is still downloading and compiling React and the rest of the app
 * (index.html loads it async, ahead of the app; vite.config.ts builds it as its own entry). By the time
 * the app asks for the session and the ward's board, the answers are already here or on their way
 * (PRODUCT §9: board interactive ≤ 1 s).
 *
 * No imports: anything imported here would be downloaded before these requests could start.
 */

/** The ward whose board `pathname` opens (`/wards/3` → 3), or null for any other screen. */
export function boardWardOf(pathname: string): number | null {
  // The same reading as the router's matchPath('/wards/:wardId'): empty segments do not count.
  const parts = pathname.split('/').filter(Boolean);
  if (parts.length !== 2 || parts[0] !== 'wards') return null;
  const wardId = Number(decodeURIComponent(parts[1] ?? ''));
  return Number.isSafeInteger(wardId) && wardId > 0 ? wardId : null;
}

/**
 * The addresses tRPC's client asks for `auth.me` (in a batch of one) and for `ward.board` (alone),
 * superjson-encoded exactly as the client encodes them; first-queries.test.ts holds the two to
 * the same bytes, so a change on either side shows there rather than as a silent second request.
 */
export const AUTH_ME_URL = `/trpc/auth.me?batch=1&input=${encodeURIComponent(
  JSON.stringify({ 0: { json: null, meta: { values: ['undefined'], v: 1 } } }),
)}`;

export function boardUrl(wardId: number): string {
  return `/trpc/ward.board?input=${encodeURIComponent(JSON.stringify({ json: { wardId } }))}`;
}

/** The requests `pathname` starts with: the session always, the board on a board's address. */
export function firstRequestUrls(pathname: string): string[] {
  const wardId = boardWardOf(pathname);
  return wardId === null ? [AUTH_ME_URL] : [AUTH_ME_URL, boardUrl(wardId)];
}

const early = new Map<string, Promise<Response>>();

/**
 * The answer already requested for `url`, once; undefined when there is none (or it was taken).
 * The app's first queries take these; anything they did not take is dropped by
 * `forgetEarlyResponses`, so a later request never receives an old answer.
 */
export function takeEarlyResponse(url: string): Promise<Response> | undefined {
  const response = early.get(url);
  early.delete(url);
  return response;
}

export function forgetEarlyResponses(): void {
  early.clear();
}

/** Sends the first requests for `pathname` and keeps their answers for the app to take. */
export function startEarlyRequests(
  pathname: string,
  send: (url: string) => Promise<Response>,
): void {
  for (const url of firstRequestUrls(pathname)) {
    const response = send(url);
    // A failure is the app's to report when it takes the answer; here it must not surface alone.
    response.catch(() => undefined);
    early.set(url, response);
  }
}

if (typeof window !== 'undefined' && typeof fetch === 'function') {
  startEarlyRequests(window.location.pathname, (url) => fetch(url, { credentials: 'same-origin' }));
}
