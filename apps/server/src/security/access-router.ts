/**
 * `access.emergency` (clinicians) and `access.emergencyList` (admins): see ./emergency.ts.
 */
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { and, count, desc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, queueAudit } from '../audit.ts';
import { idInput } from '../clinical.ts';
import {
  auditLog,
  EMERGENCY_REASON_MAX_LENGTH,
  EMERGENCY_REASON_MIN_LENGTH,
  emergencyAccess,
  patients,
  stays,
  users,
} from '../db/schema.ts';
import { adminProcedure, clinicalProcedure } from '../trpc.ts';
import { emergencyAccessMs, emergencyPerDay, grantEmergencyAccess } from './emergency.ts';

export const EMERGENCY_LIST_PAGE_MAX = 200;

const instantFilter = z
  .string()
  .max(40)
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date or instant')
  .transform((value) => new Date(Date.parse(value)).toISOString());

export const accessRouter = {
  /**
   * Opens a patient outside the caller's wards for a limited time, after a typed reason. Refused for a
   * patient the caller can already see (nothing to break), and past the daily cap.
   *
   * The answer is the same for an unknown id as for another ward's patient (the reason and the attempt
   * are recorded either way): the id's existence shows only when the patient is opened, which happens
   * only after a reason was given.
   */
  emergency: clinicalProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        reason: z
          .string()
          .trim()
          .min(
            EMERGENCY_REASON_MIN_LENGTH,
            `say why, in at least ${EMERGENCY_REASON_MIN_LENGTH} characters`,
          )
          .max(EMERGENCY_REASON_MAX_LENGTH),
      }),
    )
    .mutation(({ ctx, input }) => {
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + emergencyAccessMs()).toISOString();
      const audit = (outcome: 'success' | 'failure' | 'denied', detail: object) => ({
        at: now,
        patientId: null as number | null,
        userId: ctx.user.id,
        username: ctx.user.username,
        action: 'access.emergency',
        category: 'auth' as const,
        outcome,
        clientIp: ctx.clientIp,
        detail: { emergency: true, reason: input.reason, ...detail },
      });
      const answer = ctx.db.transaction((tx) => {
        const stay = tx
          .select({ wardId: stays.wardId })
          .from(stays)
          .where(eq(stays.patientId, input.patientId))
          .orderBy(desc(stays.admittedAt), desc(stays.id))
          .limit(1)
          .get();
        if (stay && ctx.user.wardIds.includes(stay.wardId)) {
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: 'patientId: this patient is on your ward; no emergency access is needed',
          });
        }
        const cap = emergencyPerDay();
        const since = new Date(now.getTime() - 24 * 60 * 60_000).toISOString();
        const used =
          tx
            .select({ n: count() })
            .from(auditLog)
            .where(
              and(
                eq(auditLog.userId, ctx.user.id),
                eq(auditLog.action, 'access.emergency'),
                gte(auditLog.at, since),
                // Refusals at the cap are not uses.
                sql`${auditLog.outcome} <> 'denied'`,
              ),
            )
            .get()?.n ?? 0;
        if (used >= cap) {
          // Recorded, then refused outside the transaction (a throw here would roll the row back).
          appendAudit(tx, {
            ...audit('denied', { patientId: input.patientId, cap, used }),
            patientId: null,
          });
          return { refused: { cap, used } } as const;
        }
        const patient = tx
          .select({ id: patients.id })
          .from(patients)
          .where(eq(patients.id, input.patientId))
          .get();
        if (!patient) {
          appendAudit(tx, {
            ...audit('failure', { patientId: input.patientId, unknownPatient: true, expiresAt }),
            patientId: null,
          });
          return { granted: { patientId: input.patientId, expiresAt } } as const;
        }
        grantEmergencyAccess(tx, ctx, {
          patientId: input.patientId,
          reason: input.reason,
          wardId: stay?.wardId ?? null,
          now,
        });
        return { granted: { patientId: input.patientId, expiresAt } } as const;
      });
      if (answer.refused) {
        const { cap, used } = answer.refused;
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `You have used emergency access ${used} times in the last 24 hours, the most allowed (${cap}); ask for the ward to be assigned to you.`,
        });
      }
      return answer.granted;
    }),

  /**
   * Marks a grant as reviewed: its reason was read by a second person. An administrator cannot
   * review a grant of their own (an account may be both clinician and administrator).
   */
  emergencyReview: adminProcedure
    .input(z.strictObject({ grantId: idInput }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction((tx) => {
        const grant = tx
          .select({
            id: emergencyAccess.id,
            userId: emergencyAccess.userId,
            patientId: emergencyAccess.patientId,
            reviewedAt: emergencyAccess.reviewedAt,
          })
          .from(emergencyAccess)
          .where(eq(emergencyAccess.id, input.grantId))
          .get();
        if (!grant) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such grant.' });
        if (grant.userId === ctx.user.id) {
          throw new TRPCError({
            code: 'FORBIDDEN',
            message: 'grantId: a grant of your own must be reviewed by another administrator',
          });
        }
        if (grant.reviewedAt !== null) {
          throw new TRPCError({
            code: 'CONFLICT',
            message: `grantId: already reviewed at ${grant.reviewedAt}`,
          });
        }
        const at = ctx.now().toISOString();
        tx.update(emergencyAccess)
          .set({ reviewedAt: at, reviewedBy: ctx.user.id })
          .where(and(eq(emergencyAccess.id, grant.id), isNull(emergencyAccess.reviewedAt)))
          .run();
        appendAudit(tx, {
          at: ctx.now(),
          userId: ctx.user.id,
          username: ctx.user.username,
          action: 'access.emergencyReview',
          patientId: grant.patientId,
          category: 'admin',
          outcome: 'success',
          clientIp: ctx.clientIp,
          detail: { grantId: grant.id, grantee: grant.userId },
        });
        return { grantId: grant.id, reviewedAt: at };
      }),
    ),

  /** Emergency grants for review, newest first, a page at a time. */
  emergencyList: adminProcedure
    .input(
      z
        .object({
          userId: idInput.optional(),
          patientId: idInput.optional(),
          /** Granted at or after (UTC). */
          from: instantFilter.optional(),
          /** Granted before (UTC). */
          to: instantFilter.optional(),
          /** Only grants nobody has reviewed yet (the admin screen's list). */
          unreviewed: z.boolean().optional(),
          /** Grants older than this id (the `nextCursor` of the previous page). */
          cursor: idInput.optional(),
          limit: z.number().int().min(1).max(EMERGENCY_LIST_PAGE_MAX).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => {
      const conditions: SQL[] = [];
      if (input.userId !== undefined) conditions.push(eq(emergencyAccess.userId, input.userId));
      if (input.patientId !== undefined) {
        conditions.push(eq(emergencyAccess.patientId, input.patientId));
      }
      if (input.from) conditions.push(gte(emergencyAccess.grantedAt, input.from));
      if (input.to) conditions.push(lt(emergencyAccess.grantedAt, input.to));
      if (input.cursor !== undefined) conditions.push(lt(emergencyAccess.id, input.cursor));
      if (input.unreviewed) conditions.push(isNull(emergencyAccess.reviewedAt));
      const rows = ctx.db
        .select({
          id: emergencyAccess.id,
          userId: emergencyAccess.userId,
          username: users.username,
          displayName: users.displayName,
          patientId: emergencyAccess.patientId,
          reason: emergencyAccess.reason,
          grantedAt: emergencyAccess.grantedAt,
          expiresAt: emergencyAccess.expiresAt,
          clientIp: emergencyAccess.clientIp,
          reviewedAt: emergencyAccess.reviewedAt,
          reviewedBy: emergencyAccess.reviewedBy,
        })
        .from(emergencyAccess)
        .innerJoin(users, eq(users.id, emergencyAccess.userId))
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(emergencyAccess.id))
        .limit(input.limit + 1)
        .all();
      const page = rows.slice(0, input.limit);
      const nowIso = ctx.now().toISOString();
      queueAudit(ctx.db, {
        at: ctx.now(),
        userId: ctx.user.id,
        username: ctx.user.username,
        action: 'access.emergencyList',
        patientId: null,
        category: 'admin',
        outcome: 'success',
        clientIp: ctx.clientIp,
        detail: { filters: { ...input, limit: undefined }, grantIds: page.map((row) => row.id) },
      });
      return {
        grants: page.map((row) => ({ ...row, active: row.expiresAt > nowIso })),
        nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
      };
    }),
} satisfies TRPCRouterRecord;
