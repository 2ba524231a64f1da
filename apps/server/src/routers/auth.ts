import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, queueAudit } from '../audit.ts';
import { PASSWORD_MAX_LENGTH, verifyPassword } from '../auth/passwords.ts';
import { endSession, startSession } from '../auth/sessions.ts';
import { LoginThrottle } from '../auth/throttle.ts';
import type { OssiwatchDb } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { protectedProcedure, publicProcedure } from '../trpc.ts';
import { loadSessionUser, normaliseUsername, type SessionUser } from '../users.ts';

const throttles = new WeakMap<OssiwatchDb, LoginThrottle>();
function throttleFor(db: OssiwatchDb): LoginThrottle {
  let throttle = throttles.get(db);
  if (!throttle) {
    throttle = new LoginThrottle();
    throttles.set(db, throttle);
  }
  return throttle;
}

/** What the client learns about the signed-in user. */
function publicUser(user: SessionUser) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: [...user.roles],
    wardIds: [...user.wardIds],
  };
}

const SIGN_IN_REFUSED = 'Unknown username or wrong password.';

export const authRouter = {
  /** Signs in: a new session (new random id) and its HttpOnly cookie. */
  login: publicProcedure
    .input(
      z.strictObject({
        username: z.string().min(1).max(64),
        password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const now = ctx.now();
      const username = normaliseUsername(input.username);
      const throttle = throttleFor(ctx.db);
      const retryAfterMs = throttle.retryAfterMs(username, ctx.clientIp, now);
      if (retryAfterMs > 0) {
        queueAudit(ctx.db, {
          at: now,
          userId: null,
          username,
          action: 'auth.login',
          patientId: null,
          category: 'auth',
          outcome: 'denied',
          clientIp: ctx.clientIp,
          detail: { reason: 'throttled' },
        });
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterMs / 60_000)} minute(s).`,
        });
      }
      const row = ctx.db
        .select({ id: users.id, passwordHash: users.passwordHash, disabled: users.disabled })
        .from(users)
        .where(eq(users.username, username))
        .get();
      const passwordMatches = await verifyPassword(row?.passwordHash ?? null, input.password);
      const user =
        row && passwordMatches && !row.disabled ? loadSessionUser(ctx.db, row.id) : undefined;
      if (!user) {
        throttle.recordFailure(username, ctx.clientIp, now);
        queueAudit(ctx.db, {
          at: now,
          userId: row?.id ?? null,
          username,
          action: 'auth.login',
          patientId: null,
          category: 'auth',
          outcome: 'failure',
          clientIp: ctx.clientIp,
          detail: { reason: row?.disabled ? 'disabled' : 'credentials' },
        });
        // The same words for an unknown user, a wrong password and a disabled account.
        throw new TRPCError({ code: 'UNAUTHORIZED', message: SIGN_IN_REFUSED });
      }
      throttle.recordSuccess(username, ctx.clientIp);
      const { token } = ctx.db.transaction((tx) => {
        if (ctx.sessionId) endSession(ctx.db, ctx.sessionId);
        const started = startSession(ctx.db, user.id, now, ctx.clientIp);
        appendAudit(tx, {
          at: now,
          userId: user.id,
          username: user.username,
          action: 'auth.login',
          patientId: null,
          category: 'auth',
          outcome: 'success',
          clientIp: ctx.clientIp,
        });
        return started;
      });
      ctx.cookies?.set(token);
      return { user: publicUser(user) };
    }),

  /** Signs out: the session ends on the server, so a copied cookie is refused afterwards. */
  logout: publicProcedure.mutation(({ ctx }) => {
    if (ctx.sessionId) {
      const sessionId = ctx.sessionId;
      ctx.db.transaction((tx) => {
        endSession(ctx.db, sessionId);
        appendAudit(tx, {
          at: ctx.now(),
          userId: ctx.user?.id ?? null,
          username: ctx.user?.username ?? null,
          action: 'auth.logout',
          patientId: null,
          category: 'auth',
          outcome: 'success',
          clientIp: ctx.clientIp,
        });
      });
    }
    ctx.cookies?.clear();
    return { signedOut: true };
  }),

  /** The signed-in user, or UNAUTHORIZED. */
  me: protectedProcedure.query(({ ctx }) => publicUser(ctx.user)),
} satisfies TRPCRouterRecord;
