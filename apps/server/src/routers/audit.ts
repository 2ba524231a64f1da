/**
 * `audit.list` (PRODUCT §6, §7): the audit trail for administrators, newest first, filtered by user,
 * patient, time and action, a page at a time. Reading the trail is itself audited. Each entry names
 * the fields its row recorded, not their values (security/audit-export.ts).
 */
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { and, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { flushAudit, queueAudit } from '../audit.ts';
import type { OssiwatchDb } from '../db/client.ts';
import { idInput } from '../clinical.ts';
import { auditLog, AUDIT_OUTCOMES, userRoles, users, type Role } from '../db/schema.ts';
import { detailFields } from '../security/audit-export.ts';
import { adminProcedure } from '../trpc.ts';

export const AUDIT_PAGE_MAX = 200;

const instantInput = z
  .string()
  .max(40)
  .refine((value) => Number.isFinite(Date.parse(value)), {
    message: 'must be a date (YYYY-MM-DD) or an ISO 8601 instant',
  })
  .transform((value) => new Date(Date.parse(value)).toISOString());

export const auditListInput = z
  .object({
    /** A user id, or a username (exact, case-insensitive). */
    user: z.union([idInput, z.string().trim().min(1).max(64)]).optional(),
    patient: idInput.optional(),
    /** Inclusive lower bound (UTC). A bare date means its first instant in UTC. */
    from: instantInput.optional(),
    /** Exclusive upper bound (UTC). */
    to: instantInput.optional(),
    /** An action, e.g. `patient.get`, or a prefix ending in a dot, e.g. `admin.`. */
    action: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.:-]+$/, 'may hold only letters, digits, dot, colon, dash and underscore')
      .optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    /** Rows older than this id (the `nextCursor` of the previous page). */
    cursor: idInput.optional(),
    limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
  })
  .default({ limit: 50 });

export const auditRouter = {
  /** Audit entries, newest first; `nextCursor` fetches the next (older) page, null at the end. */
  list: adminProcedure.input(auditListInput).query(({ ctx, input }) => {
    // Reads queue their audit rows for a group commit; list what has happened up to now.
    flushAudit(ctx.db);
    if (input.from && input.to && input.to <= input.from) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'to: must be after from' });
    }
    const conditions: SQL[] = [];
    if (typeof input.user === 'number') conditions.push(eq(auditLog.userId, input.user));
    if (typeof input.user === 'string') {
      conditions.push(eq(auditLog.username, input.user.toLowerCase()));
    }
    if (input.patient !== undefined) conditions.push(eq(auditLog.patientId, input.patient));
    if (input.from) conditions.push(gte(auditLog.at, input.from));
    if (input.to) conditions.push(lt(auditLog.at, input.to));
    if (input.action) {
      const prefix = input.action.endsWith('.');
      const condition = prefix
        ? actionStartsWith(input.action)
        : or(eq(auditLog.action, input.action), actionStartsWith(`${input.action}.`));
      if (condition) conditions.push(condition);
    }
    if (input.outcome) conditions.push(eq(auditLog.outcome, input.outcome));
    if (input.cursor !== undefined) conditions.push(lte(auditLog.id, input.cursor - 1));
    const rows = ctx.db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        userId: auditLog.userId,
        username: auditLog.username,
        action: auditLog.action,
        patientId: auditLog.patientId,
        category: auditLog.category,
        outcome: auditLog.outcome,
        clientIp: auditLog.clientIp,
        detail: auditLog.detail,
        displayName: users.displayName,
        wardName: entryWardName,
        account: entryAccount,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.userId))
      .where(conditions.length > 0 ? and(...conditions) : undefined)
      // Newest first: ids follow the order rows were written, which the hash chain fixes.
      .orderBy(desc(auditLog.id))
      .limit(input.limit + 1)
      .all();
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    queueAudit(ctx.db, {
      at: ctx.now(),
      userId: ctx.user.id,
      username: ctx.user.username,
      action: 'audit.list',
      patientId: input.patient ?? null,
      category: 'admin',
      outcome: 'success',
      clientIp: ctx.clientIp,
      detail: { filters: { ...input, limit: undefined }, returned: page.length },
    });
    const roles = rolesOf(
      ctx.db,
      page.flatMap((row) => (row.userId === null ? [] : [row.userId])),
    );
    return {
      entries: page.map(({ detail, displayName, ...entry }) => ({
        ...entry,
        fields: detailFields(detail),
        // Who acted, in words: the account's name and its roles as they are now (roles are not
        // kept in the row; a change of role is its own entry).
        actor:
          entry.userId === null || displayName === null
            ? null
            : { displayName, roles: roles.get(entry.userId) ?? [] },
      })),
      nextCursor: rows.length > input.limit && last ? last.id : null,
    };
  }),
} satisfies TRPCRouterRecord;

/**
 * The ward an entry concerns, by name (administrators see ward names, not patients' names): the
 * ward its detail names, else the ward the patient's stay was on at that moment.
 */
const entryWardName = sql<string | null>`coalesce(
  (SELECT w.name FROM wards w
    WHERE ${auditLog.detail} IS NOT NULL AND json_valid(${auditLog.detail})
      AND json_type(${auditLog.detail}, '$.wardId') = 'integer'
      AND w.id = json_extract(${auditLog.detail}, '$.wardId')),
  (SELECT w.name FROM stays s JOIN wards w ON w.id = s.ward_id
    WHERE s.patient_id = ${auditLog.patientId} AND s.admitted_at <= ${auditLog.at}
      AND (s.discharged_at IS NULL OR s.discharged_at > ${auditLog.at})
    ORDER BY s.admitted_at DESC LIMIT 1))`.as('ward_name');

/**
 * The account an administration entry acted on (its username), so the trail can say whose account
 * was disabled. Account names are not patient data; the detail's other values stay hidden.
 */
const entryAccount = sql<string | null>`CASE
  WHEN substr(${auditLog.action}, 1, 12) = 'admin.users.'
    OR substr(${auditLog.action}, 1, 14) = 'admin.changes.'
    OR ${auditLog.action} = 'cli.user:create'
  THEN coalesce(
    (SELECT json_extract(${auditLog.detail}, '$.username')
      WHERE json_valid(${auditLog.detail}) AND json_type(${auditLog.detail}, '$.username') = 'text'),
    (SELECT u.username FROM users u
      WHERE json_valid(${auditLog.detail})
        AND u.id = json_extract(${auditLog.detail}, '$.userId')))
  END`.as('account');

function rolesOf(db: OssiwatchDb, userIds: readonly number[]): Map<number, Role[]> {
  const roles = new Map<number, Role[]>();
  if (userIds.length === 0) return roles;
  const rows = db
    .select({ userId: userRoles.userId, role: userRoles.role })
    .from(userRoles)
    .where(inArray(userRoles.userId, [...new Set(userIds)]))
    .orderBy(userRoles.role)
    .all();
  for (const row of rows) roles.set(row.userId, [...(roles.get(row.userId) ?? []), row.role]);
  return roles;
}

/** Compared as a substring, not with LIKE, whose `_` and `%` would be wildcards. */
function actionStartsWith(prefix: string): SQL {
  return sql`substr(${auditLog.action}, 1, ${prefix.length}) = ${prefix}`;
}
