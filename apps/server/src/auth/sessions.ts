/**
 * Server-side sessions (PRODUCT §7): a random token in an HttpOnly cookie, its SHA-256 in the
 * database. A session ends at sign-out, after 15 minutes idle, after 12 hours in all, and when the
 * account is disabled.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq, lt, or } from 'drizzle-orm';
import { queueAudit } from '../audit.ts';
import type { OssiwatchDb } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { storageProblemOf } from '../storage-errors.ts';
import { preparedStatement } from '../statements.ts';
import {
  SESSION_USER_COLUMNS,
  sessionUserOf,
  type SessionUser,
  type SessionUserRow,
} from '../users.ts';

export const SESSION_IDLE_MS = 15 * 60 * 1000;
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most once a minute: each write is a disk sync, each read is not. */
const LAST_SEEN_RESOLUTION_MS = 60 * 1000;

/** A session with its account, roles and wards: one statement on every signed-in request. */
const sessionWithUser = preparedStatement<
  [string],
  { user_id: number; created_at: string; last_seen_at: string; client_ip: string | null } & (
    SessionUserRow | { [K in keyof SessionUserRow]: null }
  )
>(
  `SELECT s.user_id AS user_id, s.created_at AS created_at, s.last_seen_at AS last_seen_at,
     s.client_ip AS client_ip, ${SESSION_USER_COLUMNS}
   FROM sessions s LEFT JOIN users u ON u.id = s.user_id
   WHERE s.id = ?`,
);
const touchSession = preparedStatement<[string, string]>(
  'UPDATE sessions SET last_seen_at = ? WHERE id = ?',
);

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a new session (a new random id at every sign-in); returns the cookie's token. */
export function startSession(
  db: OssiwatchDb,
  userId: number,
  now: Date,
  clientIp: string | null,
): { token: string; sessionId: string } {
  const token = randomBytes(32).toString('base64url');
  const sessionId = sessionIdOf(token);
  const at = now.toISOString();
  db.insert(sessions)
    .values({ id: sessionId, userId, createdAt: at, lastSeenAt: at, clientIp })
    .run();
  return { token, sessionId };
}

export function endSession(db: OssiwatchDb, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** The user behind a cookie's token, or undefined when the session is unknown, expired or disabled. */
export function resumeSession(
  db: OssiwatchDb,
  token: string,
  now: Date,
  /**
   * False for a board's live stream opening or reopening by itself: like the stream's own traffic it
   * is not the user's activity, and a thousand boards reconnecting after a restart would otherwise
   * each write (and flush) their session at once.
   */
  activity = true,
): { user: SessionUser; sessionId: string } | undefined {
  if (token.length === 0 || token.length > 100) return undefined;
  const sessionId = sessionIdOf(token);
  const row = sessionWithUser(db).get(sessionId);
  if (!row) return undefined;
  const nowMs = now.getTime();
  const idleMs = nowMs - Date.parse(row.last_seen_at);
  const ageMs = nowMs - Date.parse(row.created_at);
  if (idleMs > SESSION_IDLE_MS || ageMs > SESSION_MAX_MS) {
    endSession(db, sessionId);
    auditTimeout(
      db,
      {
        userId: row.user_id,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
        clientIp: row.client_ip,
      },
      now,
    );
    return undefined;
  }
  const user = row.id === null ? undefined : sessionUserOf(row);
  if (!user) {
    endSession(db, sessionId);
    return undefined;
  }
  if (activity && idleMs >= LAST_SEEN_RESOLUTION_MS) {
    try {
      touchSession(db).run(now.toISOString(), sessionId);
    } catch (error) {
      // A full or read-only disk must not stop people reading the record (PRODUCT §8); the idle
      // clock simply is not moved until writes work again.
      if (!storageProblemOf(error)) throw error;
    }
  }
  return { user, sessionId };
}

/** A session that ran out (idle or 12 hours) is a time-out in the audit trail (PRODUCT §7). */
function auditTimeout(
  db: OssiwatchDb,
  row: { userId: number; createdAt: string; lastSeenAt: string; clientIp: string | null },
  now: Date,
): void {
  const idle = Date.parse(row.lastSeenAt) + SESSION_IDLE_MS;
  const max = Date.parse(row.createdAt) + SESSION_MAX_MS;
  const user = db
    .select({ username: users.username })
    .from(users)
    .where(eq(users.id, row.userId))
    .get();
  queueAudit(db, {
    at: now,
    userId: row.userId,
    username: user?.username ?? null,
    action: 'auth.timeout',
    patientId: null,
    category: 'auth',
    outcome: 'success',
    clientIp: row.clientIp,
    detail: {
      reason: idle <= max ? 'idle' : 'max',
      endedAt: new Date(Math.min(idle, max)).toISOString(),
    },
  });
}

/** Removes sessions that can no longer be resumed (each audited as a time-out); returns how many. */
export function purgeExpiredSessions(db: OssiwatchDb, now: Date): number {
  const idleCutoff = new Date(now.getTime() - SESSION_IDLE_MS).toISOString();
  const ageCutoff = new Date(now.getTime() - SESSION_MAX_MS).toISOString();
  const expired = or(lt(sessions.lastSeenAt, idleCutoff), lt(sessions.createdAt, ageCutoff));
  const rows = db.delete(sessions).where(expired).returning().all();
  for (const row of rows) auditTimeout(db, row, now);
  return rows.length;
}

/** Ends every session of a user (account disabled, password changed). */
export function endSessionsOf(db: OssiwatchDb, userId: number): void {
  db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
