/**
 * Open SSE streams (ward.onChange) end when the session behind them ends (PRODUCT §7): at sign-out,
 * after 15 minutes without a request, at 12 hours, when the account is disabled or its roles change
 * (the database ends those sessions), and when the user's wards change. A stream's own traffic is not
 * activity: a board left open on an unattended screen stops receiving patient data at the idle limit.
 *
 * The session is re-checked on a timer and before every event is delivered, so no event leaves after
 * the session has ended even between two timer ticks.
 */
import { TRPCError } from '@trpc/server';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../auth/sessions.ts';
import type { OssiwatchDb } from '../db/client.ts';
import { preparedStatement } from '../statements.ts';
import { loadSessionUser, type SessionUser } from '../users.ts';

/** How often an open stream re-checks its session. */
export const SESSION_RECHECK_MS = 30_000;

export type SessionEndReason = 'ended' | 'idle' | 'expired' | 'account' | 'wards';

/** The sessions' times, for many sessions in one statement (ids as a JSON array). */
const sessionTimes = preparedStatement<
  [string],
  { id: string; last_seen_at: string; created_at: string }
>('SELECT id, last_seen_at, created_at FROM sessions WHERE id IN (SELECT value FROM json_each(?))');

/** One open stream's grant: its session and the user as the stream opened. */
export interface StreamGrant {
  readonly sessionId: string;
  readonly user: SessionUser;
}

/**
 * For each grant, why its session no longer covers what the user was granted when the stream opened,
 * or undefined while it does. Read-only: it does not count as activity. One statement reads every
 * session, and each account is read once however many of its sessions are asked about, so a ward's
 * boards (each its own session) are checked before an event for the price of a few statements.
 */
export function sessionEndReasons(
  db: OssiwatchDb,
  grants: readonly StreamGrant[],
  now: Date,
): (SessionEndReason | undefined)[] {
  const ids = [...new Set(grants.map((grant) => grant.sessionId))];
  const times = new Map(
    sessionTimes(db)
      .all(JSON.stringify(ids))
      .map((row) => [row.id, row]),
  );
  const accounts = new Map<number, SessionUser | undefined>();
  const at = now.getTime();
  return grants.map(({ sessionId, user }) => {
    const row = times.get(sessionId);
    if (!row) return 'ended';
    if (at - Date.parse(row.last_seen_at) > SESSION_IDLE_MS) return 'idle';
    if (at - Date.parse(row.created_at) > SESSION_MAX_MS) return 'expired';
    if (!accounts.has(user.id)) accounts.set(user.id, loadSessionUser(db, user.id));
    const current = accounts.get(user.id);
    if (!current) return 'account';
    if (current.roles.join() !== user.roles.join()) return 'account';
    if (!user.wardIds.every((wardId) => current.wardIds.includes(wardId))) return 'wards';
    return undefined;
  });
}

/** `sessionEndReasons` for one stream. */
export function sessionEndReason(
  db: OssiwatchDb,
  sessionId: string,
  user: SessionUser,
  now: Date,
): SessionEndReason | undefined {
  return sessionEndReasons(db, [{ sessionId, user }], now)[0];
}

export function endError(reason: SessionEndReason): TRPCError {
  return reason === 'wards'
    ? new TRPCError({ code: 'FORBIDDEN', message: 'Your wards have changed; reload the page.' })
    : new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended; please sign in.' });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function'
  );
}

/**
 * `source`, ended with UNAUTHORIZED (or FORBIDDEN for a ward change) as soon as `check` reports a
 * reason. On the way out `onEnd` tells the source to stop; it is not awaited, since a source waiting
 * for its next event only notices at its next turn.
 */
export async function* untilSessionEnds<T>(
  source: AsyncIterable<T>,
  check: () => SessionEndReason | undefined,
  onEnd: () => void = () => undefined,
  intervalMs = SESSION_RECHECK_MS,
): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let endStream: ((error: TRPCError) => void) | undefined;
  const ended = new Promise<never>((_resolve, reject) => {
    endStream = reject;
  });
  // Observed by the race below; this only keeps an ending with no pending race from being "unhandled".
  ended.catch(() => undefined);
  const timer = setInterval(() => {
    const reason = check();
    if (reason) endStream?.(endError(reason));
  }, intervalMs);
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), ended]);
      if (next.done) return;
      const reason = check();
      if (reason) throw endError(reason);
      yield next.value;
    }
  } finally {
    clearInterval(timer);
    // Wakes a source waiting for its next event (the ward's listener), so it ends and is released.
    onEnd();
    void iterator.return?.(undefined);
  }
}

/**
 * For the tRPC middleware: `ended` aborts when the stream ends (the session ended, or the client left);
 * the procedure listens through `events.boundTo(ended)`, so its listener goes with it.
 */
export function boundToSession(
  data: unknown,
  session: { db: OssiwatchDb; sessionId: string; user: SessionUser; now: () => Date },
  ended: AbortController,
): unknown {
  if (!isAsyncIterable(data)) return data;
  const { db, sessionId, user, now } = session;
  return untilSessionEnds(
    data,
    () => sessionEndReason(db, sessionId, user, now()),
    () => ended.abort(),
  );
}
