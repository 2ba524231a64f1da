/**
 * The interface queue on the admin screen (PRODUCT §11): administrators only, role checked before
 * input, every change audited.
 */
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { idInput } from '../../clinical.ts';
import { adminProcedure } from '../../trpc.ts';
import { Hl7QueueError, replayMessage } from './apply.ts';
import {
  dismissMessage,
  interfaceQueue,
  locationMap,
  mapLocation,
  unmapLocation,
  type Hl7Admin,
} from './queue.ts';

const codeInput = z.string().trim().min(1).max(64);

function adminOf(ctx: {
  user: { id: number; username: string };
  clientIp: string | null;
}): Hl7Admin {
  return { userId: ctx.user.id, username: ctx.user.username, clientIp: ctx.clientIp };
}

function asTrpc<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof Hl7QueueError) {
      throw new TRPCError({ code: error.code, message: error.message });
    }
    throw error;
  }
}

export const hl7Router = {
  /** What waits in the queue and why, the recent warnings, and the location map. */
  queue: adminProcedure.query(({ ctx }) => ({
    ...interfaceQueue(ctx.db, adminOf(ctx), ctx.now()),
    locations: locationMap(ctx.db),
  })),

  mapLocation: adminProcedure
    .input(z.strictObject({ code: codeInput, wardId: idInput }))
    .mutation(({ ctx, input }) =>
      asTrpc(() => mapLocation(ctx.db, adminOf(ctx), ctx.now(), input)),
    ),

  unmapLocation: adminProcedure
    .input(z.strictObject({ code: codeInput }))
    .mutation(({ ctx, input }) => {
      asTrpc(() => unmapLocation(ctx.db, adminOf(ctx), ctx.now(), input.code));
      return { code: input.code };
    }),

  /** Applies a queued message now (after its location is mapped or its patient admitted). */
  replay: adminProcedure
    .input(z.strictObject({ messageId: idInput }))
    .mutation(async ({ ctx, input }) => {
      const user = adminOf(ctx);
      try {
        const outcome = await replayMessage(
          ctx.db,
          input.messageId,
          { userId: ctx.user.id, username: user.username, clientIp: user.clientIp },
          ctx.now,
        );
        return { ackCode: outcome.ackCode, status: outcome.status, note: outcome.note };
      } catch (error) {
        if (error instanceof Hl7QueueError) {
          throw new TRPCError({ code: error.code, message: error.message });
        }
        throw error;
      }
    }),

  dismiss: adminProcedure
    .input(z.strictObject({ messageId: idInput }))
    .mutation(({ ctx, input }) => {
      asTrpc(() => dismissMessage(ctx.db, adminOf(ctx), ctx.now(), input.messageId));
      return { messageId: input.messageId };
    }),
} satisfies TRPCRouterRecord;
