/**
 * System tokens on the admin screen: administrators only (role checked before input), list and revoke,
 * every change audited (tokens.ts).
 *
 * Issuing is not offered here, only on the server's command line (`token:create`): a token opens
 * patients' records to another system, and on the screen a change that grants access to patient data
 * needs a second administrator (the two-person rule, routers/admin.ts). One signed-in session, or a
 * stolen one, must not be able to mint such a token; whoever runs the command line on the server
 * already holds the database. Taking access away (revoking) applies at once, as elsewhere.
 */
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { idInput } from '../../clinical.ts';
import { adminProcedure } from '../../trpc.ts';
import { listTokens, revokeToken, TokenError, type TokenAdmin } from './tokens.ts';

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

  revoke: adminProcedure
    .input(z.strictObject({ tokenId: idInput }))
    .mutation(({ ctx, input }) =>
      asTrpc(() => revokeToken(ctx.db, adminOf(ctx), ctx.now(), { id: input.tokenId })),
    ),
} satisfies TRPCRouterRecord;
