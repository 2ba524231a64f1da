/**
 * tRPC setup, in sections:
 * 1. context: what every procedure may use (the database, the clock, the caller);
 * 2. initialisation: superjson, error shaping (no stack traces outside development);
 * 3. procedures: the builders the routers use. Only these are exported.
 */
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { OssiwatchDb } from './db/client.ts';
import type { ServerConfig } from './config.ts';

// 1. Context -------------------------------------------------------------------------------------

export interface ContextInner {
  readonly db: OssiwatchDb;
  readonly config: Pick<ServerConfig, 'mode'>;
  /** The clock, injectable so tests control time. */
  readonly now: () => Date;
}

/** The pure part of the context: router tests build it directly and call `createCaller`. */
export function createContextInner(inner: ContextInner): ContextInner {
  return inner;
}

export type Context = ContextInner;

// 2. Initialisation ------------------------------------------------------------------------------

const isDevelopment = process.env.NODE_ENV === 'development';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodIssues =
      error.cause instanceof ZodError
        ? error.cause.issues.map((issue) => ({
            field: issue.path.join('.'),
            message: issue.message,
          }))
        : undefined;
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message: zodIssues
        ? zodIssues.map((issue) => `${issue.field || 'input'}: ${issue.message}`).join('; ')
        : shape.message,
      data: { ...(isDevelopment ? shape.data : data), zodIssues },
    };
  },
});

// 3. Procedures ----------------------------------------------------------------------------------

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;
