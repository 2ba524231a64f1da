import { TRPCError, tracked, type TRPCRouterRecord } from '@trpc/server';
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { queueAudit } from '../audit.ts';
import { bedOrder, type WardBoard } from '../board.ts';
import { cachedWardBoard } from '../board-cache.ts';
import { idInput, requireCurrentStay, type SignedInContext } from '../clinical.ts';
import type { OssiwatchDb } from '../db/client.ts';
import { beds, boardViews, stays, wards } from '../db/schema.ts';
import { acknowledgePatient } from '../features/board/acknowledgements.ts';
import { shiftStartBefore } from '../features/board/triage.ts';
import { commitWrite } from '../group-commit.ts';
import { loadHoWatchSettings } from '../assessments.ts';
import type { SessionUser } from '../users.ts';
import { clinicalProcedure, nurseOrPhysicianProcedure, protectedProcedure } from '../trpc.ts';

/** FORBIDDEN unless the user works on the ward (audited). */
function requireWard(ctx: SignedInContext, wardId: number, action: string): void {
  if (ctx.user.wardIds.includes(wardId)) return;
  queueAudit(ctx.db, {
    at: ctx.now(),
    userId: ctx.user.id,
    username: ctx.user.username,
    action,
    patientId: null,
    category: 'auth',
    outcome: 'denied',
    clientIp: ctx.clientIp,
    detail: { reason: 'ward', wardId },
  });
  throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not assigned to this ward.' });
}

export const wardBoardInput = z.strictObject({ wardId: idInput });
export const wardChangeInput = z.strictObject({
  wardId: idInput,
  lastEventId: z.string().max(64).nullish(),
});

/** A board read is a read of every patient on it: the audit row lists them (PRODUCT §7). */
export function auditBoardRead(
  db: OssiwatchDb,
  at: Date,
  user: SessionUser,
  clientIp: string | null,
  board: WardBoard,
): void {
  queueAudit(db, {
    at,
    userId: user.id,
    username: user.username,
    action: 'ward.board',
    patientId: null,
    category: 'read',
    outcome: 'success',
    clientIp,
    detail: { wardId: board.ward.id, patientIds: board.patients.map((p) => p.patientId) },
  });
}

export const wardRouter = {
  /** The wards this user is assigned to, each with its number of active beds. */
  list: protectedProcedure.query(({ ctx }) => {
    if (ctx.user.wardIds.length === 0) return [];
    const wardIds = [...ctx.user.wardIds];
    const wardRows = ctx.db
      .select({ id: wards.id, name: wards.name, timeZone: wards.timeZone })
      .from(wards)
      .where(inArray(wards.id, wardIds))
      .orderBy(asc(wards.name))
      .all();
    const bedCounts = new Map(
      ctx.db
        .select({ wardId: beds.wardId, beds: count() })
        .from(beds)
        .where(and(inArray(beds.wardId, wardIds), eq(beds.active, true)))
        .groupBy(beds.wardId)
        .all()
        .map((row) => [row.wardId, row.beds]),
    );
    return wardRows.map((ward) => ({ ...ward, beds: bedCounts.get(ward.id) ?? 0 }));
  }),

  /**
   * Who on this ward needs attention now, and why: highest tier first, then by bed. (Unbatched GETs
   * of a signed-in clinician on their own ward are answered by board-fast-path.ts the same way.)
   */
  board: clinicalProcedure.input(wardBoardInput).query(({ ctx, input }) => {
    requireWard(ctx, input.wardId, 'ward.board');
    const board = cachedWardBoard(ctx.db, input.wardId, ctx.now());
    if (!board) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such ward.' });
    auditBoardRead(ctx.db, ctx.now(), ctx.user, ctx.clientIp, board);
    return board;
  }),

  /**
   * Notes that this person is looking at the ward's board now, and answers what the board compares
   * with: their previous look (null the first time) and the start of the current shift (ward time,
   * the setting `shiftStartHours`). Not audited: it names no patient.
   */
  seen: clinicalProcedure.input(wardBoardInput).mutation(async ({ ctx, input }) => {
    requireWard(ctx, input.wardId, 'ward.seen');
    const now = ctx.now();
    const ward = ctx.db
      .select({ timeZone: wards.timeZone })
      .from(wards)
      .where(eq(wards.id, input.wardId))
      .get();
    if (!ward) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such ward.' });
    const viewedAt = now.toISOString();
    const previous = await commitWrite(ctx.db, (tx) => {
      const row = tx
        .select({ viewedAt: boardViews.viewedAt })
        .from(boardViews)
        .where(and(eq(boardViews.userId, ctx.user.id), eq(boardViews.wardId, input.wardId)))
        .get();
      tx.insert(boardViews)
        .values({ userId: ctx.user.id, wardId: input.wardId, viewedAt })
        .onConflictDoUpdate({ target: [boardViews.userId, boardViews.wardId], set: { viewedAt } })
        .run();
      return row?.viewedAt ?? null;
    });
    const shiftStartedAt = new Date(
      shiftStartBefore(now.getTime(), ward.timeZone, loadHoWatchSettings(ctx.db).shiftStartHours),
    ).toISOString();
    return { lastViewedAt: previous, shiftStartedAt, viewedAt };
  }),

  /**
   * Acknowledges a patient's Alert or High row with a note (nurse or physician). `version` is the
   * acknowledgement version the person saw (0: none): a stale one is a CONFLICT.
   */
  acknowledge: nurseOrPhysicianProcedure
    .input(
      z.strictObject({
        patientId: idInput,
        note: z
          .string()
          .trim()
          .min(1, 'write what you did or decided')
          .max(500, 'at most 500 characters'),
        version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const scope = requireCurrentStay(ctx, input.patientId, 'ward.acknowledge');
      return acknowledgePatient(ctx, scope, input);
    }),

  /**
   * The beds of this ward in use and free now, in the board's bed order: where an admission can go.
   * No patient is named, so like `ward.list` the read is not audited (a refusal is).
   */
  freeBeds: nurseOrPhysicianProcedure.input(wardBoardInput).query(({ ctx, input }) => {
    requireWard(ctx, input.wardId, 'ward.freeBeds');
    return ctx.db
      .select({ id: beds.id, label: beds.label })
      .from(beds)
      .leftJoin(stays, and(eq(stays.bedId, beds.id), isNull(stays.dischargedAt)))
      .where(and(eq(beds.wardId, input.wardId), eq(beds.active, true), isNull(stays.id)))
      .all()
      .sort((a, b) => bedOrder.compare(a.label, b.label));
  }),

  /**
   * What changed on this ward, as it happens (SSE). Each event carries its id (`tracked`), so a board
   * that reconnects with `lastEventId` receives what it missed, or a `resync` when that is unknown.
   * (Unbatched GETs of a clinician on their own ward are served by features/live/ward-streams.ts the
   * same way, sharing one serialised event among every board of the ward.)
   */
  onChange: clinicalProcedure.input(wardChangeInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    requireWard(ctx, input.wardId, 'ward.onChange');
    for await (const event of ctx.events.listen(input.wardId, input.lastEventId, signal)) {
      yield tracked(event.eventId, { patientId: event.patientId, kind: event.kind });
    }
  }),
} satisfies TRPCRouterRecord;
