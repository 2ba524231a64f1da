/**
 * `access.emergency` (clinicians) and `access.emergencyList` (admins): see ./emergency.ts.
 */
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { queueAudit } from '../audit.ts';
import { idInput } from '../clinical.ts';
import {
  EMERGENCY_REASON_MAX_LENGTH,
  EMERGENCY_REASON_MIN_LENGTH,
  emergencyAccess,
  patients,
  stays,
  users,
} from '../db/schema.ts';
import { adminProcedure, clinicalProcedure } from '../trpc.ts';
import { grantEmergencyAccess } from './emergency.ts';

export const EMERGENCY_LIST_PAGE_MAX = 200;

const instantFilter = z
  .string()
  .max(40)
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date or instant')
  .transform((value) => new Date(Date.parse(value)).toISOString());

export const accessRouter = {
  /**
   * Opens a patient outside the caller's wards for a limited time, after a typed reason. Refused for a
   * patient the caller can already see (nothing to break).
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
      const patient = ctx.db
        .select({ id: patients.id })
        .from(patients)
        .where(eq(patients.id, input.patientId))
        .get();
      if (!patient) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such patient.' });
      const stay = ctx.db
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
      const grant = ctx.db.transaction((tx) =>
        grantEmergencyAccess(tx, ctx, {
          patientId: input.patientId,
          reason: input.reason,
          wardId: stay?.wardId ?? null,
          now,
        }),
      );
      return { grantId: grant.id, patientId: input.patientId, expiresAt: grant.expiresAt };
    }),

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
