/**
 * tRPC setup, in sections:
 * 1. context: what every procedure may use (the database, the clock, the signed-in user, the event bus);
 * 2. initialisation: superjson, error shaping (field names for bad input, no stack traces outside
 *    development);
 * 3. procedures: the builders the routers use, one per kind of caller. Only these are exported.
 *
 * Sign-in and role checks are middlewares applied before `.input()`, so a caller without the right is
 * refused before the input is parsed and learns nothing about its shape (PRODUCT §6).
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { queueAudit } from './audit.ts';
import type { ServerConfig } from './config.ts';
import type { OssiwatchDb } from './db/client.ts';
import type { Role } from './db/schema.ts';
import { eventBusFor, type EventBus } from './events.ts';
import { storageProblemOf } from './storage-errors.ts';
import { boundToSession } from './security/session-streams.ts';
import type { SessionUser } from './users.ts';
import { transformer } from './transformer.ts';

// 1. Context -------------------------------------------------------------------------------------

/** How a procedure sets or clears the session cookie; the HTTP adapter implements it on the reply. */
export interface SessionCookieJar {
  set(token: string): void;
  clear(): void;
}

export interface ContextInner {
  readonly db: OssiwatchDb;
  readonly config: Pick<ServerConfig, 'mode'>;
  /** The clock, injectable so tests control time. */
  readonly now: () => Date;
  /** The signed-in user, or null for an anonymous caller. */
  readonly user: SessionUser | null;
  /** SHA-256 of the session token (the sessions table's id), or null. */
  readonly sessionId: string | null;
  readonly clientIp: string | null;
  readonly events: EventBus;
  /** Null outside HTTP (router tests, the CLI): auth procedures then only change the database. */
  readonly cookies: SessionCookieJar | null;
}

export type ContextOptions = Pick<ContextInner, 'db' | 'config' | 'now'> &
  Partial<Omit<ContextInner, 'db' | 'config' | 'now'>>;

/** The pure part of the context: router tests build it directly and call `createCaller`. */
export function createContextInner(options: ContextOptions): ContextInner {
  return {
    user: null,
    sessionId: null,
    clientIp: null,
    cookies: null,
    events: eventBusFor(options.db),
    ...options,
  };
}

export type Context = ContextInner;

// 2. Initialisation ------------------------------------------------------------------------------

const isDevelopment = process.env.NODE_ENV === 'development';

/**
 * The cause of a CONFLICT: the record changed since the caller read it. The error carries the current
 * version so the screen can reload and show what changed.
 */
export class VersionConflict extends Error {
  constructor(
    readonly record: string,
    readonly currentVersion: number,
  ) {
    super(
      `${record} was changed by someone else (now version ${currentVersion}); reload it and try again`,
    );
  }
}

const t = initTRPC.context<Context>().create({
  // superjson, with a fast path for plain-JSON results (transformer.ts).
  transformer,
  sse: {
    // Keeps proxies from closing an idle board's stream, and lets the client notice a dead one.
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
  },
  errorFormatter({ shape, error }) {
    const zodIssues =
      error.cause instanceof ZodError
        ? error.cause.issues.map((issue) => ({
            field: issue.path.join('.'),
            message: issue.message,
          }))
        : undefined;
    const currentVersion =
      error.cause instanceof VersionConflict ? error.cause.currentVersion : undefined;
    const { stack: _stack, ...data } = shape.data;
    // A full disk, a read-only file or a disk error is not a bug: 503, saying what is wrong and that
    // nothing was saved (the write's transaction rolled back), so the client may retry (PRODUCT §8).
    const storage = storageProblemOf(error);
    if (storage) {
      return {
        ...shape,
        message: storage.message,
        data: {
          ...data,
          code: 'SERVICE_UNAVAILABLE' as const,
          httpStatus: 503,
          storage: storage.kind,
          zodIssues,
          currentVersion,
        },
      };
    }
    const internal = error.code === 'INTERNAL_SERVER_ERROR' && !isDevelopment;
    return {
      ...shape,
      message:
        error.cause instanceof ZodError
          ? describeZodError(error.cause)
          : internal
            ? 'The server could not complete this request; nothing was changed.'
            : shape.message,
      data: { ...(isDevelopment ? shape.data : data), zodIssues, currentVersion },
    };
  },
});

// 3. Procedures ----------------------------------------------------------------------------------

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** "readings.3.degrees: hip flexion of 400° is outside …": each bad field named, with the reason. */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
    .join('; ');
}

/**
 * Bad input becomes a BAD_REQUEST whose message names each field and the reason, for in-process
 * callers as well as over HTTP (where the error formatter adds the same issues as data).
 */
const nameBadFields = t.middleware(async function nameBadFields({ next }) {
  const result = await next();
  if (!result.ok && result.error.code === 'BAD_REQUEST' && result.error.cause instanceof ZodError) {
    result.error.message = describeZodError(result.error.cause);
  }
  return result;
});

export const publicProcedure = t.procedure.use(nameBadFields);

/** Refuses an anonymous caller with UNAUTHORIZED; after it, `ctx.user` is the signed-in user. */
const isSignedIn = t.middleware(function isSignedIn({ ctx, next }) {
  if (!ctx.user || !ctx.sessionId) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  }
  return next({ ctx: { ...ctx, user: ctx.user, sessionId: ctx.sessionId } });
});

/** A subscription (SSE) ends with UNAUTHORIZED when its session ends, not when the tab closes. */
const endsWithSession = t.middleware(async function endsWithSession({ ctx, type, next }) {
  if (type !== 'subscription' || !ctx.user || !ctx.sessionId) return next();
  const ended = new AbortController();
  const result = await next({ ctx: { events: ctx.events.boundTo(ended.signal) } });
  if (!result.ok) return result;
  const session = { db: ctx.db, sessionId: ctx.sessionId, user: ctx.user, now: ctx.now };
  return { ...result, data: boundToSession(result.data, session, ended) };
});

export const protectedProcedure = publicProcedure.use(isSignedIn).use(endsWithSession);

const ROLE_WORDS: Record<Role, string> = {
  nurse: 'a nurse',
  therapist: 'a therapist',
  physician: 'a physician',
  manager: 'a manager',
  admin: 'an administrator',
};

/** A builder for procedures only these roles may call; everyone else gets FORBIDDEN (and an audit row). */
export function roleProcedure(...roles: readonly Role[]) {
  const hasRole = t.middleware(function hasRole({ ctx, next, path }) {
    const user = ctx.user;
    if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
    if (!user.roles.some((role) => roles.includes(role))) {
      queueAudit(ctx.db, {
        at: ctx.now(),
        userId: user.id,
        username: user.username,
        action: path,
        patientId: null,
        category: 'auth',
        outcome: 'denied',
        clientIp: ctx.clientIp,
        detail: { reason: 'role', needs: roles },
      });
      const words = roles.map((role) => ROLE_WORDS[role]);
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `Only ${words.join(' or ')} may do this.`,
      });
    }
    return next();
  });
  return protectedProcedure.use(hasRole);
}

/** Clinical staff: the people who see and record patient data on their wards. */
export const CLINICAL_ROLES = [
  'nurse',
  'therapist',
  'physician',
] as const satisfies readonly Role[];
export const clinicalProcedure = roleProcedure(...CLINICAL_ROLES);
export const nurseProcedure = roleProcedure('nurse');
export const therapistProcedure = roleProcedure('therapist');
export const physicianProcedure = roleProcedure('physician');
/** Nurses and physicians: complications, vital signs and labs. */
export const nurseOrPhysicianProcedure = roleProcedure('nurse', 'physician');
/** Aggregates only: a manager never receives a patient's identity. */
export const managerProcedure = roleProcedure('manager');
export const adminProcedure = roleProcedure('admin');
