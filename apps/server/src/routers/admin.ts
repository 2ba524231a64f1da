/**
 * Administration (PRODUCT §1, §5 Admin, §7): accounts, roles and ward assignments; wards and beds; the
 * HO watch thresholds with their history. Administrators only; every change is one transaction with
 * its audit row (old and new value). Disabling an account, changing its roles or its password ends its
 * sessions at once (HIPAA §164.312(a)(2)(iii); ASVS V3.3).
 *
 * Separation of duties (two-person rule): no account changes its own roles or wards, and a change that
 * grants clinical access (a clinical role or a ward the account did not have) is only asked for; it
 * takes effect when a second administrator confirms it (`admin.changes`). Taking access away, and
 * giving the manager or admin role, apply at once.
 */
import {
  DEFAULT_HO_WATCH_SETTINGS,
  hoWatchSettingsSchema,
  parseHoWatchSettings,
} from '@ossiwatch/domain';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { HO_WATCH_SETTINGS_KEY, loadHoWatchSettings, reassessAll } from '../assessments.ts';
import { appendAudit, type AuditEntry } from '../audit.ts';
import { forgetWardBoards } from '../board-cache.ts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.ts';
import { idInput, versionConflict } from '../clinical.ts';
import type { OssiwatchDb, OssiwatchTx } from '../db/client.ts';
import {
  accessChanges,
  beds,
  ROLES,
  sessions,
  settings,
  settingsHistory,
  stays,
  userRoles,
  userWards,
  users,
  wards,
  type AccessChangeValue,
  type Role,
} from '../db/schema.ts';
import { adminProcedure, CLINICAL_ROLES } from '../trpc.ts';
import { HIDDEN_CHARACTERS_MESSAGE, hasNoHiddenCharacters } from '../plausibility.ts';
import { normaliseUsername } from '../users.ts';

// ---- password rules (ASVS V2.1) ----------------------------------------------------------------

/**
 * The most common passwords long enough to pass the length rule, from public breach corpora's top
 * lists (and this product's own demo password): ASVS 2.1.7 asks that such passwords be refused.
 * Compared case-insensitively.
 */
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '1234567891011',
  '111111111111',
  '000000000000',
  '123123123123',
  '121212121212',
  '987654321098',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qwertyuiop12',
  'qwertyuiopasdf',
  'qwerty123456',
  'qwertyqwerty',
  'asdfghjkl123',
  'zxcvbnm12345',
  'abcdefghijkl',
  'abc123abc123',
  'aaaaaaaaaaaa',
  'password1234',
  'password12345',
  'password123!',
  'passwordpassword',
  'password123456',
  'p@ssw0rd1234',
  'iloveyou1234',
  'iloveyouforever',
  'letmein12345',
  'welcome12345',
  'welcome123456',
  'changeme1234',
  'administrator',
  'administrator1',
  'admin1234567',
  'adminadmin123',
  'trustno1trustno1',
  'football1234',
  'baseball1234',
  'superman1234',
  'sunshine1234',
  'princess1234',
  'starwars1234',
  'dragon123456',
  'monkey123456',
  'master123456',
  'qazwsxedcrfv',
  'correcthorsebatterystaple',
  'correct horse battery staple',
  'ossiwatch-demo',
  'ossiwatch123',
  'ossiwatch1234',
  'hospital1234',
  'nurse1234567',
]);

/**
 * Why a password is refused, or undefined when it is acceptable: at least 12 characters, at most 256,
 * no composition rules (NIST SP 800-63B §5.1.1.2, ASVS 2.1.1/2.1.9), not one of the most common
 * passwords, not the username, not one character repeated.
 */
export function passwordProblem(password: string, username?: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'is one of the most common passwords; choose another';
  if (/^(.)\1*$/u.test(password)) return 'is one character repeated; choose another';
  if (username && lower.includes(normaliseUsername(username)) && username.length >= 3) {
    return 'must not contain the username';
  }
  return undefined;
}

// ---- inputs ------------------------------------------------------------------------------------

const usernameInput = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .transform((value) => value.toLowerCase())
  .refine((value) => /^[a-z0-9._-]+$/.test(value), {
    message: 'may hold only letters, digits, dot, dash and underscore',
  });
const displayNameInput = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(hasNoHiddenCharacters, { message: HIDDEN_CHARACTERS_MESSAGE });
const passwordInput = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH * 4);
const rolesInput = z.array(z.enum(ROLES)).max(ROLES.length);
const wardIdsInput = z.array(idInput).max(500);
const versionInput = z.number().int().positive();
/**
 * A name people read on the board and the admin screens: at least one letter or digit, and no
 * control or invisible formatting characters (a ward called "!" or one with a hidden right-to-left
 * override is a typing slip or an attack, not a ward).
 */
function displayName(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => /[\p{L}\p{N}]/u.test(text), {
      message: 'must contain at least one letter or digit',
    })
    .refine(hasNoHiddenCharacters, { message: HIDDEN_CHARACTERS_MESSAGE });
}
/**
 * Ward and bed names also reach the manager's CSV export: one starting like a spreadsheet formula
 * (= + - @) is refused here, and the export escapes such cells as well (OWASP "CSV injection").
 */
function spreadsheetSafe(name: z.ZodType<string>) {
  return name.refine((text) => !/^[=+\-@]/.test(text), {
    message: 'must not start with =, +, - or @ (a spreadsheet would read it as a formula)',
  });
}
const wardNameInput = spreadsheetSafe(displayName(100));
const bedLabelInput = spreadsheetSafe(displayName(20));
const timeZoneInput = z
  .string()
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not an IANA time zone (e.g. Europe/London)' },
  );

function badRequest(field: string, message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message: `${field}: ${message}` });
}

function notFound(what: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `No such ${what}.` });
}

interface AdminContext {
  readonly db: OssiwatchDb;
  readonly now: () => Date;
  readonly user: { readonly id: number; readonly username: string };
  readonly clientIp: string | null;
}

function auditOf(
  ctx: AdminContext,
  action: string,
  category: 'admin' | 'settings',
  detail: unknown,
): AuditEntry {
  return {
    at: ctx.now(),
    userId: ctx.user.id,
    username: ctx.user.username,
    action,
    patientId: null,
    category,
    outcome: 'success',
    clientIp: ctx.clientIp,
    detail,
  };
}

/** Every given ward exists, or BAD_REQUEST naming the first that does not. */
function requireWards(tx: OssiwatchDb | OssiwatchTx, wardIds: readonly number[]): void {
  const known = new Set(
    tx
      .select({ id: wards.id })
      .from(wards)
      .all()
      .map((w) => w.id),
  );
  const unknown = wardIds.find((id) => !known.has(id));
  if (unknown !== undefined) throw badRequest('wardIds', `ward ${unknown} does not exist`);
}

interface UserRow {
  readonly id: number;
  readonly username: string;
  readonly version: number;
  readonly disabled: boolean;
}

/** The user at the version the caller saw, or NOT_FOUND / CONFLICT. */
function userAt(tx: OssiwatchTx, userId: number, expectedVersion: number): UserRow {
  const row = tx
    .select({
      id: users.id,
      username: users.username,
      version: users.version,
      disabled: users.disabled,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) throw notFound('user');
  if (row.version !== expectedVersion) throw versionConflict('user', row.version);
  return row;
}

function rolesOf(tx: OssiwatchDb | OssiwatchTx, userId: number): Role[] {
  return tx
    .select({ role: userRoles.role })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .orderBy(asc(userRoles.role))
    .all()
    .map((r) => r.role);
}

function wardIdsOf(tx: OssiwatchDb | OssiwatchTx, userId: number): number[] {
  return tx
    .select({ wardId: userWards.wardId })
    .from(userWards)
    .where(eq(userWards.userId, userId))
    .orderBy(asc(userWards.wardId))
    .all()
    .map((r) => r.wardId);
}

function bumpUser(tx: OssiwatchTx, userId: number, now: Date, set: { disabled?: boolean } = {}) {
  const row = tx
    .update(users)
    .set({ ...set, version: sqlIncrement(), updatedAt: now.toISOString() })
    .where(eq(users.id, userId))
    .returning({ version: users.version })
    .get();
  return row?.version ?? 0;
}

function sqlIncrement() {
  return sql`${users.version} + 1`;
}

// ---- two-person rule ---------------------------------------------------------------------------

function isClinical(role: Role): boolean {
  return (CLINICAL_ROLES as readonly Role[]).includes(role);
}

/** True when going from `old` to `next` gives a clinical role or a ward the account did not have. */
function grantsClinicalAccess(
  old: { readonly roles: readonly Role[]; readonly wardIds: readonly number[] },
  next: { readonly roles?: readonly Role[]; readonly wardIds?: readonly number[] },
): boolean {
  return (
    (next.roles ?? []).some((role) => isClinical(role) && !old.roles.includes(role)) ||
    (next.wardIds ?? []).some((wardId) => !old.wardIds.includes(wardId))
  );
}

/**
 * Sets an account's roles or wards, or, when that grants clinical access (a clinical role or a ward
 * the account did not have), files it as a pending change for a second administrator (two-person
 * rule, docs/security.md). Audited either way, with what was asked for or what was set.
 */
function changeAccess(
  tx: OssiwatchTx,
  ctx: AdminContext,
  user: { readonly id: number; readonly username: string; readonly version: number },
  action: 'admin.users.setRoles' | 'admin.users.setWards',
  next: { readonly roles: readonly Role[] } | { readonly wardIds: readonly number[] },
  before: { readonly roles: readonly Role[] } | { readonly wardIds: readonly number[] },
): { version: number; pendingChangeId: number | null } {
  const old = 'roles' in before ? before.roles : before.wardIds;
  const asked = 'roles' in next ? next.roles : next.wardIds;
  const oldAccess = { roles: [], wardIds: [], ...before };
  const audit = (detail: object): void => {
    appendAudit(
      tx,
      auditOf(ctx, action, 'admin', { userId: user.id, username: user.username, old, ...detail }),
    );
  };
  if (grantsClinicalAccess(oldAccess, next)) {
    const pendingChangeId = requestAccessChange(tx, ctx, user, { ...next, before });
    audit({ requested: asked, pendingChangeId });
    return { version: user.version, pendingChangeId };
  }
  const version = applyAccess(tx, ctx, user.id, next);
  audit({ new: asked });
  return { version, pendingChangeId: null };
}

function refuseOwnAccount(ctx: AdminContext, userId: number, what: string): void {
  if (userId === ctx.user.id) {
    throw badRequest('userId', `you cannot change your own ${what}; ask another administrator`);
  }
}

/** Records a change for a second administrator to confirm; returns its id. */
function requestAccessChange(
  tx: OssiwatchTx,
  ctx: AdminContext,
  user: { readonly id: number; readonly version: number },
  change: AccessChangeValue,
): number {
  return tx
    .insert(accessChanges)
    .values({
      userId: user.id,
      change,
      userVersion: user.version,
      requestedBy: ctx.user.id,
      requestedAt: ctx.now().toISOString(),
    })
    .returning({ id: accessChanges.id })
    .get().id;
}

/** Sets roles and/or wards and bumps the version; ends the sessions when the roles changed. */
function applyAccess(
  tx: OssiwatchTx,
  ctx: AdminContext,
  userId: number,
  change: AccessChangeValue,
): number {
  if (change.roles) {
    tx.delete(userRoles).where(eq(userRoles.userId, userId)).run();
    if (change.roles.length > 0) {
      tx.insert(userRoles)
        .values(change.roles.map((role) => ({ userId, role })))
        .run();
    }
  }
  if (change.wardIds) {
    requireWards(tx, change.wardIds);
    tx.delete(userWards).where(eq(userWards.userId, userId)).run();
    if (change.wardIds.length > 0) {
      tx.insert(userWards)
        .values(change.wardIds.map((wardId) => ({ userId, wardId })))
        .run();
    }
  }
  const version = bumpUser(tx, userId, ctx.now());
  // New rights take effect at the next sign-in; old ones end now.
  if (change.roles) tx.delete(sessions).where(eq(sessions.userId, userId)).run();
  return version;
}

const changesRouter = {
  /** Changes waiting for a second administrator, oldest first, with what the account has now. */
  list: adminProcedure.query(({ ctx }) => {
    const rows = ctx.db
      .select({
        id: accessChanges.id,
        userId: accessChanges.userId,
        change: accessChanges.change,
        requestedBy: accessChanges.requestedBy,
        requestedAt: accessChanges.requestedAt,
      })
      .from(accessChanges)
      .where(eq(accessChanges.state, 'pending'))
      .orderBy(asc(accessChanges.id))
      .limit(500)
      .all();
    const names = new Map(
      ctx.db
        .select({ id: users.id, username: users.username })
        .from(users)
        .all()
        .map((u) => [u.id, u.username]),
    );
    return rows.map((row) => ({
      id: row.id,
      userId: row.userId,
      username: names.get(row.userId) ?? '?',
      requestedBy: names.get(row.requestedBy) ?? '?',
      requestedByYou: row.requestedBy === ctx.user.id,
      requestedAt: row.requestedAt,
      current: { roles: rolesOf(ctx.db, row.userId), wardIds: wardIdsOf(ctx.db, row.userId) },
      requested: { roles: row.change.roles ?? null, wardIds: row.change.wardIds ?? null },
    }));
  }),

  /** A second administrator confirms: the change applies, unless the account changed since. */
  confirm: adminProcedure.input(z.strictObject({ changeId: idInput })).mutation(({ ctx, input }) =>
    ctx.db.transaction((tx) => {
      const change = pendingChange(tx, input.changeId);
      if (change.requestedBy === ctx.user.id) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'changeId: a change you asked for must be confirmed by another administrator',
        });
      }
      refuseOwnAccount(ctx, change.userId, 'roles or wards');
      const user = tx
        .select({ id: users.id, username: users.username })
        .from(users)
        .where(eq(users.id, change.userId))
        .get();
      if (!user) throw notFound('user');
      const old = { roles: rolesOf(tx, user.id), wardIds: wardIdsOf(tx, user.id) };
      // Stale when the field it sets was changed since it was asked for (another field may have
      // changed: taking a ward away does not undo a pending role).
      const { before, ...requested } = change.change;
      const same = (a: readonly unknown[] | undefined, b: readonly unknown[]): boolean =>
        a === undefined || JSON.stringify(a) === JSON.stringify(b);
      if (
        (requested.roles && !same(before?.roles, old.roles)) ||
        (requested.wardIds && !same(before?.wardIds, old.wardIds))
      ) {
        throw new TRPCError({
          code: 'CONFLICT',
          message:
            'changeId: the account was changed since this was asked for; reject it and ask again',
        });
      }
      const version = applyAccess(tx, ctx, user.id, requested);
      decide(tx, ctx, change.id, 'confirmed');
      appendAudit(
        tx,
        auditOf(ctx, 'admin.changes.confirm', 'admin', {
          changeId: change.id,
          userId: user.id,
          username: user.username,
          requestedBy: change.requestedBy,
          old,
          new: requested,
        }),
      );
      return { version };
    }),
  ),

  /** Any administrator may reject a pending change (the one who asked may withdraw it). */
  reject: adminProcedure.input(z.strictObject({ changeId: idInput })).mutation(({ ctx, input }) =>
    ctx.db.transaction((tx) => {
      const change = pendingChange(tx, input.changeId);
      decide(tx, ctx, change.id, 'rejected');
      appendAudit(
        tx,
        auditOf(ctx, 'admin.changes.reject', 'admin', {
          changeId: change.id,
          userId: change.userId,
          requestedBy: change.requestedBy,
          rejected: change.change,
        }),
      );
      return { changeId: change.id };
    }),
  ),
} satisfies TRPCRouterRecord;

function pendingChange(tx: OssiwatchTx, changeId: number) {
  const change = tx.select().from(accessChanges).where(eq(accessChanges.id, changeId)).get();
  if (!change) throw notFound('pending change');
  if (change.state !== 'pending') {
    throw new TRPCError({ code: 'CONFLICT', message: `changeId: already ${change.state}` });
  }
  return change;
}

function decide(
  tx: OssiwatchTx,
  ctx: AdminContext,
  changeId: number,
  state: 'confirmed' | 'rejected',
): void {
  tx.update(accessChanges)
    .set({ state, decidedBy: ctx.user.id, decidedAt: ctx.now().toISOString() })
    .where(and(eq(accessChanges.id, changeId), eq(accessChanges.state, 'pending')))
    .run();
}

// ---- users -------------------------------------------------------------------------------------

const usersRouter = {
  /** Every account with its roles, wards, state and open sessions. */
  list: adminProcedure.query(({ ctx }) => {
    const rows = ctx.db
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        disabled: users.disabled,
        version: users.version,
        createdAt: users.createdAt,
        updatedAt: users.updatedAt,
      })
      .from(users)
      .orderBy(asc(users.username))
      .all();
    const roles = new Map<number, Role[]>();
    for (const r of ctx.db.select().from(userRoles).orderBy(asc(userRoles.role)).all()) {
      roles.set(r.userId, [...(roles.get(r.userId) ?? []), r.role]);
    }
    const wardIds = new Map<number, number[]>();
    for (const w of ctx.db.select().from(userWards).orderBy(asc(userWards.wardId)).all()) {
      wardIds.set(w.userId, [...(wardIds.get(w.userId) ?? []), w.wardId]);
    }
    const openSessions = new Map(
      ctx.db
        .select({ userId: sessions.userId, n: count() })
        .from(sessions)
        .groupBy(sessions.userId)
        .all()
        .map((s) => [s.userId, s.n]),
    );
    return rows.map((row) => ({
      ...row,
      roles: roles.get(row.id) ?? [],
      wardIds: wardIds.get(row.id) ?? [],
      openSessions: openSessions.get(row.id) ?? 0,
    }));
  }),

  create: adminProcedure
    .input(
      z.strictObject({
        username: usernameInput,
        displayName: displayNameInput,
        password: passwordInput,
        roles: rolesInput.min(1, 'choose at least one role'),
        wardIds: wardIdsInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const problem = passwordProblem(input.password, input.username);
      if (problem) throw badRequest('password', problem);
      const passwordHash = await hashPassword(input.password);
      const taken = ctx.db
        .select({ id: users.id })
        .from(users)
        .where(eq(users.username, input.username))
        .get();
      if (taken) {
        throw new TRPCError({
          code: 'CONFLICT',
          message: `username: "${input.username}" is taken`,
        });
      }
      requireWards(ctx.db, input.wardIds);
      const roles = [...new Set(input.roles)].sort();
      const wardIds = [...new Set(input.wardIds)].sort((a, b) => a - b);
      // Clinical roles and wards wait for a second administrator, like any other grant of them.
      const needsSecond = grantsClinicalAccess({ roles: [], wardIds: [] }, { roles, wardIds });
      return ctx.db.transaction((tx) => {
        const id = tx
          .insert(users)
          .values({ username: input.username, displayName: input.displayName, passwordHash })
          .returning({ id: users.id })
          .get().id;
        const now = needsSecond ? roles.filter((role) => !isClinical(role)) : roles;
        if (now.length > 0) {
          tx.insert(userRoles)
            .values(now.map((role) => ({ userId: id, role })))
            .run();
        }
        if (!needsSecond && wardIds.length > 0) {
          tx.insert(userWards)
            .values(wardIds.map((wardId) => ({ userId: id, wardId })))
            .run();
        }
        const pendingChangeId = needsSecond
          ? requestAccessChange(
              tx,
              ctx,
              { id, version: 1 },
              { roles, wardIds, before: { roles: now, wardIds: [] } },
            )
          : null;
        appendAudit(
          tx,
          auditOf(ctx, 'admin.users.create', 'admin', {
            userId: id,
            username: input.username,
            roles: now,
            wardIds: needsSecond ? [] : wardIds,
            pendingChangeId,
          }),
        );
        return { id, pendingChangeId };
      });
    }),

  disable: adminProcedure
    .input(z.strictObject({ userId: idInput, expectedVersion: versionInput }))
    .mutation(({ ctx, input }) => {
      if (input.userId === ctx.user.id) {
        throw badRequest('userId', 'you cannot disable your own account');
      }
      return ctx.db.transaction((tx) => {
        const user = userAt(tx, input.userId, input.expectedVersion);
        const version = bumpUser(tx, user.id, ctx.now(), { disabled: true });
        tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
        appendAudit(
          tx,
          auditOf(ctx, 'admin.users.disable', 'admin', {
            userId: user.id,
            username: user.username,
            old: { disabled: user.disabled },
            new: { disabled: true },
          }),
        );
        return { version };
      });
    }),

  enable: adminProcedure
    .input(z.strictObject({ userId: idInput, expectedVersion: versionInput }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) => {
        const user = userAt(tx, input.userId, input.expectedVersion);
        const version = bumpUser(tx, user.id, ctx.now(), { disabled: false });
        appendAudit(
          tx,
          auditOf(ctx, 'admin.users.enable', 'admin', {
            userId: user.id,
            username: user.username,
            old: { disabled: user.disabled },
            new: { disabled: false },
          }),
        );
        return { version };
      }),
    ),

  resetPassword: adminProcedure
    .input(
      z.strictObject({ userId: idInput, expectedVersion: versionInput, password: passwordInput }),
    )
    .mutation(async ({ ctx, input }) => {
      const target = ctx.db
        .select({ username: users.username })
        .from(users)
        .where(eq(users.id, input.userId))
        .get();
      if (!target) throw notFound('user');
      const problem = passwordProblem(input.password, target.username);
      if (problem) throw badRequest('password', problem);
      const passwordHash = await hashPassword(input.password);
      return ctx.db.transaction((tx) => {
        const user = userAt(tx, input.userId, input.expectedVersion);
        tx.update(users).set({ passwordHash }).where(eq(users.id, user.id)).run();
        const version = bumpUser(tx, user.id, ctx.now());
        // Whoever held the old password is signed out with it.
        tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
        appendAudit(
          tx,
          auditOf(ctx, 'admin.users.resetPassword', 'admin', {
            userId: user.id,
            username: user.username,
          }),
        );
        return { version };
      });
    }),

  setRoles: adminProcedure
    .input(
      z.strictObject({
        userId: idInput,
        expectedVersion: versionInput,
        roles: rolesInput.min(1, 'choose at least one role'),
      }),
    )
    .mutation(({ ctx, input }) => {
      refuseOwnAccount(ctx, input.userId, 'roles');
      return ctx.db.transaction((tx) => {
        const user = userAt(tx, input.userId, input.expectedVersion);
        const old = rolesOf(tx, user.id);
        const roles = [...new Set(input.roles)].sort();
        return changeAccess(tx, ctx, user, 'admin.users.setRoles', { roles }, { roles: old });
      });
    }),

  setWards: adminProcedure
    .input(
      z.strictObject({ userId: idInput, expectedVersion: versionInput, wardIds: wardIdsInput }),
    )
    .mutation(({ ctx, input }) => {
      refuseOwnAccount(ctx, input.userId, 'wards');
      return ctx.db.transaction((tx) => {
        const user = userAt(tx, input.userId, input.expectedVersion);
        requireWards(tx, input.wardIds);
        const old = wardIdsOf(tx, user.id);
        const wardIds = [...new Set(input.wardIds)].sort((a, b) => a - b);
        return changeAccess(tx, ctx, user, 'admin.users.setWards', { wardIds }, { wardIds: old });
      });
    }),
} satisfies TRPCRouterRecord;

// ---- wards and beds ----------------------------------------------------------------------------

const wardsRouter = {
  /** Every ward with all its beds (inactive ones too) and how many are occupied. */
  list: adminProcedure.query(({ ctx }) => {
    const bedRows = ctx.db
      .select({
        id: beds.id,
        wardId: beds.wardId,
        label: beds.label,
        active: beds.active,
        occupiedBy: stays.id,
      })
      .from(beds)
      .leftJoin(stays, and(eq(stays.bedId, beds.id), isNull(stays.dischargedAt)))
      .orderBy(asc(beds.label))
      .all();
    return ctx.db
      .select({
        id: wards.id,
        name: wards.name,
        timeZone: wards.timeZone,
        version: wards.version,
      })
      .from(wards)
      .orderBy(asc(wards.name))
      .all()
      .map((ward) => ({
        ...ward,
        beds: bedRows
          .filter((bed) => bed.wardId === ward.id)
          .map((bed) => ({
            id: bed.id,
            label: bed.label,
            active: bed.active,
            occupied: bed.occupiedBy !== null,
          })),
      }));
  }),

  create: adminProcedure
    .input(
      z.strictObject({
        name: wardNameInput,
        timeZone: timeZoneInput.default('Europe/London'),
        bedLabels: z.array(bedLabelInput).max(200).default([]),
      }),
    )
    .mutation(({ ctx, input }) => {
      if (new Set(input.bedLabels).size !== input.bedLabels.length) {
        throw badRequest('bedLabels', 'each bed needs its own label');
      }
      return ctx.db.transaction((tx) => {
        const taken = tx
          .select({ id: wards.id })
          .from(wards)
          .where(eq(wards.name, input.name))
          .get();
        if (taken)
          throw new TRPCError({ code: 'CONFLICT', message: `name: "${input.name}" exists` });
        const ward = tx
          .insert(wards)
          .values({ name: input.name, timeZone: input.timeZone })
          .returning({ id: wards.id })
          .get();
        if (input.bedLabels.length > 0) {
          tx.insert(beds)
            .values(input.bedLabels.map((label) => ({ wardId: ward.id, label })))
            .run();
        }
        appendAudit(tx, auditOf(ctx, 'admin.wards.create', 'admin', { wardId: ward.id, ...input }));
        return { id: ward.id };
      });
    }),

  rename: adminProcedure
    .input(z.strictObject({ wardId: idInput, expectedVersion: versionInput, name: wardNameInput }))
    .mutation(({ ctx, input }) => {
      const renamed = ctx.db.transaction((tx) => {
        const ward = tx
          .select({ name: wards.name, version: wards.version })
          .from(wards)
          .where(eq(wards.id, input.wardId))
          .get();
        if (!ward) throw notFound('ward');
        if (ward.version !== input.expectedVersion) throw versionConflict('ward', ward.version);
        const taken = tx
          .select({ id: wards.id })
          .from(wards)
          .where(eq(wards.name, input.name))
          .get();
        if (taken && taken.id !== input.wardId) {
          throw new TRPCError({ code: 'CONFLICT', message: `name: "${input.name}" exists` });
        }
        tx.update(wards)
          .set({ name: input.name, version: ward.version + 1 })
          .where(eq(wards.id, input.wardId))
          .run();
        appendAudit(
          tx,
          auditOf(ctx, 'admin.wards.rename', 'admin', {
            wardId: input.wardId,
            old: ward.name,
            new: input.name,
          }),
        );
        return { version: ward.version + 1 };
      });
      // The board shows the ward's name, and a rename publishes no patient event.
      forgetWardBoards(ctx.db);
      return renamed;
    }),
} satisfies TRPCRouterRecord;

const bedsRouter = {
  /** Adds a bed to a ward, or brings back a deactivated bed of the same label. */
  add: adminProcedure
    .input(z.strictObject({ wardId: idInput, label: bedLabelInput }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) => {
        const ward = tx
          .select({ id: wards.id })
          .from(wards)
          .where(eq(wards.id, input.wardId))
          .get();
        if (!ward) throw notFound('ward');
        const existing = tx
          .select({ id: beds.id, active: beds.active })
          .from(beds)
          .where(and(eq(beds.wardId, input.wardId), eq(beds.label, input.label)))
          .get();
        if (existing?.active) {
          throw new TRPCError({
            code: 'CONFLICT',
            message: `label: the ward already has a bed "${input.label}"`,
          });
        }
        const id = existing
          ? (tx.update(beds).set({ active: true }).where(eq(beds.id, existing.id)).run(),
            existing.id)
          : tx
              .insert(beds)
              .values({ wardId: input.wardId, label: input.label })
              .returning({ id: beds.id })
              .get().id;
        appendAudit(tx, auditOf(ctx, 'admin.beds.add', 'admin', { bedId: id, ...input }));
        return { id };
      }),
    ),

  /** Takes a bed out of use; refused while a patient lies in it. */
  deactivate: adminProcedure.input(z.strictObject({ bedId: idInput })).mutation(({ ctx, input }) =>
    ctx.db.transaction((tx) => {
      const bed = tx
        .select({ id: beds.id, wardId: beds.wardId, label: beds.label, active: beds.active })
        .from(beds)
        .where(eq(beds.id, input.bedId))
        .get();
      if (!bed) throw notFound('bed');
      const occupied = tx
        .select({ id: stays.id })
        .from(stays)
        .where(and(eq(stays.bedId, bed.id), isNull(stays.dischargedAt)))
        .get();
      if (occupied) {
        throw new TRPCError({
          code: 'CONFLICT',
          message: `bedId: bed ${bed.label} is occupied; move the patient first`,
        });
      }
      tx.update(beds).set({ active: false }).where(eq(beds.id, bed.id)).run();
      appendAudit(
        tx,
        auditOf(ctx, 'admin.beds.deactivate', 'admin', {
          bedId: bed.id,
          wardId: bed.wardId,
          label: bed.label,
        }),
      );
      return { id: bed.id };
    }),
  ),
} satisfies TRPCRouterRecord;

// ---- HO watch settings -------------------------------------------------------------------------

const SETTING_KEYS: readonly string[] = Object.keys(hoWatchSettingsSchema.shape);
/**
 * Only the names of settings, each unknown one refused by name. (A `__proto__` key never gets
 * this far: the request guard refuses it in the raw body, since superjson drops it silently.)
 */
const settingsInput = z.record(z.string().max(64), z.unknown()).superRefine((value, ctx) => {
  for (const key of Object.keys(value)) {
    if (!SETTING_KEYS.includes(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'is not a known setting' });
    }
  }
});

function settingsRow(db: OssiwatchDb | OssiwatchTx) {
  return db
    .select({
      value: settings.value,
      version: settings.version,
      updatedAt: settings.updatedAt,
      updatedBy: settings.updatedBy,
    })
    .from(settings)
    .where(eq(settings.key, HO_WATCH_SETTINGS_KEY))
    .get();
}

const settingsRouter = {
  /** The thresholds in force, the defaults, and every earlier version (newest first). */
  get: adminProcedure.query(({ ctx }) => {
    const row = settingsRow(ctx.db);
    const history = ctx.db
      .select({
        version: settingsHistory.version,
        value: settingsHistory.value,
        changedAt: settingsHistory.changedAt,
        changedBy: users.username,
      })
      .from(settingsHistory)
      .leftJoin(users, eq(users.id, settingsHistory.changedBy))
      .where(eq(settingsHistory.key, HO_WATCH_SETTINGS_KEY))
      .orderBy(desc(settingsHistory.version))
      .limit(200)
      .all();
    return {
      settings: loadHoWatchSettings(ctx.db),
      defaults: DEFAULT_HO_WATCH_SETTINGS,
      /** 0 while the defaults are in force (nothing saved yet). */
      version: row?.version ?? 0,
      updatedAt: row?.updatedAt ?? null,
      history,
    };
  }),

  /**
   * Saves new thresholds (validated by the domain; fields left out take their defaults), keeps the
   * version in the history, and reassesses every patient under them.
   */
  update: adminProcedure
    .input(
      z.strictObject({
        expectedVersion: z.number().int().nonnegative(),
        settings: settingsInput,
      }),
    )
    .mutation(({ ctx, input }) => {
      const parsed = parseHoWatchSettings(input.settings);
      if (!parsed.ok) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: parsed.errors
            .map((e) => `settings${e.field ? `.${e.field}` : ''}: ${e.message}`)
            .join('; '),
        });
      }
      const now = ctx.now();
      const saved = ctx.db.transaction((tx) => {
        const row = settingsRow(tx);
        const current = row?.version ?? 0;
        if (current !== input.expectedVersion) throw versionConflict('settings', current);
        const old = loadHoWatchSettings(tx);
        const version = current + 1;
        const at = now.toISOString();
        tx.insert(settings)
          .values({
            key: HO_WATCH_SETTINGS_KEY,
            value: parsed.settings,
            version,
            updatedAt: at,
            updatedBy: ctx.user.id,
          })
          .onConflictDoUpdate({
            target: settings.key,
            set: { value: parsed.settings, version, updatedAt: at, updatedBy: ctx.user.id },
          })
          .run();
        tx.insert(settingsHistory)
          .values({
            key: HO_WATCH_SETTINGS_KEY,
            value: parsed.settings,
            version,
            changedAt: at,
            changedBy: ctx.user.id,
          })
          .run();
        const changed = Object.keys(parsed.settings).filter(
          (key) =>
            JSON.stringify(old[key as keyof typeof old]) !==
            JSON.stringify(parsed.settings[key as keyof typeof parsed.settings]),
        );
        appendAudit(
          tx,
          auditOf(ctx, 'admin.settings.update', 'settings', {
            key: HO_WATCH_SETTINGS_KEY,
            version,
            changed,
            old,
            new: parsed.settings,
          }),
        );
        return { version, changed };
      });
      // Every stored assessment was computed under the old thresholds.
      const reassessed = reassessAll(ctx.db, now);
      forgetWardBoards(ctx.db);
      for (const ward of ctx.db.select({ id: wards.id }).from(wards).all()) {
        ctx.events.publish({ wardId: ward.id, patientId: null, kind: 'assessment' });
      }
      return { ...saved, reassessed };
    }),
} satisfies TRPCRouterRecord;

export const adminRouter = {
  users: usersRouter,
  changes: changesRouter,
  wards: wardsRouter,
  beds: bedsRouter,
  settings: settingsRouter,
} satisfies TRPCRouterRecord;
