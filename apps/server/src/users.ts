/** Accounts: creation (used by the demo seed and `pnpm ossiwatch user`) and the signed-in view of one. */
import { asc, eq } from 'drizzle-orm';
import type { OssiwatchDb } from './db/client.ts';
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

/** The account with its roles and wards, or undefined when it does not exist or is disabled. */
export function loadSessionUser(db: OssiwatchDb, userId: number): SessionUser | undefined {
  const row = db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      disabled: users.disabled,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row || row.disabled) return undefined;
  const roles = db
    .select({ role: userRoles.role })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .orderBy(asc(userRoles.role))
    .all()
    .map((r) => r.role);
  const wardIds = db
    .select({ wardId: userWards.wardId })
    .from(userWards)
    .where(eq(userWards.userId, userId))
    .orderBy(asc(userWards.wardId))
    .all()
    .map((r) => r.wardId);
  return { id: row.id, username: row.username, displayName: row.displayName, roles, wardIds };
}
