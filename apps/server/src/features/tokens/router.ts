/**
 * System tokens on the admin screen: administrators only (role checked before input), list, issue
 * (the token is in the answer once and never again) and revoke; every change audited (tokens.ts).
 */
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { idInput } from '../../clinical.ts';
import { adminProcedure } from '../../trpc.ts';
import {
  createToken,
  FHIR_SCOPES,
  listTokens,
  revokeToken,
  TokenError,
  type TokenAdmin,
} from './tokens.ts';

function adminOf(ctx: {
  user: { id: number; username: string };
  clientIp: string | null;
}): TokenAdmin {
  return { userId: ctx.user.id, username: ctx.user.username, clientIp: ctx.clientIp };
}

function asTrpc<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TokenError)
      throw new TRPCError({ code: error.code, message: error.message });
    throw error;
  }
}

export const tokensRouter = {
  list: adminProcedure.query(({ ctx }) => listTokens(ctx.db)),

  create: adminProcedure
    .input(
      z.strictObject({
        name: z.string().trim().min(1).max(64),
        scope: z.enum(FHIR_SCOPES),
        wardIds: z.array(idInput).max(200).default([]),
      }),
    )
    .mutation(({ ctx, input }) =>
      asTrpc(() =>
        createToken(ctx.db, adminOf(ctx), ctx.now(), {
          name: input.name,
          scopes: [input.scope],
          wardIds: input.wardIds,
        }),
      ),
    ),

  revoke: adminProcedure
    .input(z.strictObject({ tokenId: idInput }))
    .mutation(({ ctx, input }) =>
      asTrpc(() => revokeToken(ctx.db, adminOf(ctx), ctx.now(), { id: input.tokenId })),
    ),
} satisfies TRPCRouterRecord;
