import { TRPCError, tracked, type TRPCRouterRecord } from '@trpc/server';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { queueAudit } from '../audit.ts';
import { cachedWardBoard } from '../board-cache.ts';
import { idInput, type SignedInContext } from '../clinical.ts';
import { beds, wards } from '../db/schema.ts';
import { clinicalProcedure, protectedProcedure } from '../trpc.ts';

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

  /** Who on this ward needs attention now, and why: highest tier first, then by bed. */
  board: clinicalProcedure.input(z.strictObject({ wardId: idInput })).query(({ ctx, input }) => {
    requireWard(ctx, input.wardId, 'ward.board');
    const board = cachedWardBoard(ctx.db, input.wardId, ctx.now());
    if (!board) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such ward.' });
    queueAudit(ctx.db, {
      at: ctx.now(),
      userId: ctx.user.id,
      username: ctx.user.username,
      action: 'ward.board',
      patientId: null,
      category: 'read',
      outcome: 'success',
      clientIp: ctx.clientIp,
      detail: { wardId: input.wardId, patientIds: board.patients.map((p) => p.patientId) },
    });
    return board;
  }),

  /**
   * What changed on this ward, as it happens (SSE). Each event carries its id (`tracked`), so a board
   * that reconnects with `lastEventId` receives what it missed, or a `resync` when that is unknown.
   */
  onChange: clinicalProcedure
    .input(z.strictObject({ wardId: idInput, lastEventId: z.string().max(64).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      requireWard(ctx, input.wardId, 'ward.onChange');
      for await (const event of ctx.events.listen(input.wardId, input.lastEventId, signal)) {
        yield tracked(event.eventId, { patientId: event.patientId, kind: event.kind });
      }
    }),
} satisfies TRPCRouterRecord;
