import type { TRPCRouterRecord } from '@trpc/server';
import { asc } from 'drizzle-orm';
import { beds, wards } from '../db/schema.ts';
import { publicProcedure } from '../trpc.ts';

export const wardRouter = {
  /** The wards this user may see, each with its number of active beds. */
  list: publicProcedure.query(({ ctx }) => {
    const wardRows = ctx.db
      .select({ id: wards.id, name: wards.name })
      .from(wards)
      .orderBy(asc(wards.name))
      .all();
    const bedRows = ctx.db.select({ wardId: beds.wardId, active: beds.active }).from(beds).all();
    return wardRows.map((ward) => ({
      id: ward.id,
      name: ward.name,
      beds: bedRows.filter((bed) => bed.wardId === ward.id && bed.active).length,
    }));
  }),
} satisfies TRPCRouterRecord;
