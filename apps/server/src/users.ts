/** Accounts: creation (used by the demo seed and `pnpm ossiwatch user`) and the signed-in view of one. */
import type { OssiwatchDb } from './db/client.ts';
import { preparedStatement } from './statements.ts';
import { ROLES, userRoles, userWards, users, type Role } from './db/schema.ts';
import { hashPassword } from './auth/passwords.ts';

/** The signed-in person as procedures see them. */
export interface SessionUser {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly wardIds: readonly number[];
}

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly wardIds: readonly number[];
}

/** Usernames are stored lower-case so `Nurse` and `nurse` are one account. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/**
 * Creates an account with its roles and wards in one transaction; returns the new user's id.
 * `passwordHash` may be passed to skip hashing (tests and seeds reuse one hash: argon2 is slow on purpose).
 */
export async function createUser(
  db: OssiwatchDb,
  user: NewUser & { readonly passwordHash?: string },
): Promise<number> {
  const passwordHash = user.passwordHash ?? (await hashPassword(user.password));
  return insertUser(db, { ...user, passwordHash });
}

/** The synchronous half of createUser, for callers that already hold the hash. */
export function insertUser(
  db: OssiwatchDb,
  user: Omit<NewUser, 'password'> & { readonly passwordHash: string },
): number {
  for (const role of user.roles) {
    if (!ROLES.includes(role)) throw new Error(`unknown role "${String(role)}"`);
  }
  return db.transaction((tx) => {
    const row = tx
      .insert(users)
      .values({
        username: normaliseUsername(user.username),
        displayName: user.displayName,
        passwordHash: user.passwordHash,
      })
      .returning({ id: users.id })
      .get();
    const roles = [...new Set(user.roles)];
    if (roles.length > 0) {
      tx.insert(userRoles)
        .values(roles.map((role) => ({ userId: row.id, role })))
        .run();
    }
    const wardIds = [...new Set(user.wardIds)];
    if (wardIds.length > 0) {
      tx.insert(userWards)
        .values(wardIds.map((wardId) => ({ userId: row.id, wardId })))
        .run();
    }
    return row.id;
  });
}

/** A user's row with their roles and wards as comma-separated lists, in one statement. */
export interface SessionUserRow {
  readonly id: number;
  readonly username: string;
  readonly display_name: string;
  readonly disabled: number;
  readonly roles: string | null;
  readonly ward_ids: string | null;
}

/** The columns of `SessionUserRow` for a users row `u` (roles and wards each in a stable order). */
export const SESSION_USER_COLUMNS = `u.id AS id, u.username AS username, u.display_name AS display_name,
  u.disabled AS disabled,
  (SELECT group_concat(role, ',' ORDER BY role) FROM user_roles WHERE user_id = u.id) AS roles,
  (SELECT group_concat(ward_id, ',' ORDER BY ward_id) FROM user_wards WHERE user_id = u.id) AS ward_ids`;

const sessionUserById = preparedStatement<[number], SessionUserRow>(
  `SELECT ${SESSION_USER_COLUMNS} FROM users u WHERE u.id = ?`,
);

/** The signed-in view of a `SessionUserRow`, or undefined when the account is disabled. */
export function sessionUserOf(row: SessionUserRow): SessionUser | undefined {
  if (row.disabled) return undefined;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles ? (row.roles.split(',') as Role[]) : [],
    wardIds: row.ward_ids ? row.ward_ids.split(',').map(Number) : [],
  };
}

/** The account with its roles and wards, or undefined when it does not exist or is disabled. */
export function loadSessionUser(db: OssiwatchDb, userId: number): SessionUser | undefined {
  const row = sessionUserById(db).get(userId);
  return row ? sessionUserOf(row) : undefined;
}
