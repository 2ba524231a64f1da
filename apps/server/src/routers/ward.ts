import type { TRPCRouterRecord } from '@trpc/server';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { beds, wards } from '../db/schema.ts';
import { protectedProcedure } from '../trpc.ts';

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
} satisfies TRPCRouterRecord;
