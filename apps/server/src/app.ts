import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import {
  fastifyRequestHandler,
  fastifyTRPCPlugin,
  type FastifyTRPCPluginOptions,
} from '@trpc/server/adapters/fastify';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerConfig } from './config.ts';
import type { OssiwatchDb } from './db/client.ts';
import { refreshExpiredAssessments } from './assessments.ts';
import { fastBoardAnswer, type BoardAnswer } from './board-fast-path.ts';
import { flushAudit } from './audit.ts';
import { flushWrites } from './group-commit.ts';
import { purgeExpiredSessions, resumeSession, SESSION_MAX_MS } from './auth/sessions.ts';
import { eventBusFor } from './events.ts';
import { registerBulkExport } from './integration/fhir/bulk-export.ts';
import { registerFhir } from './integration/fhir/routes.ts';
import { WardStreams } from './features/live/ward-streams.ts';
import { appRouter, type AppRouter } from './router.ts';
import { registerSecurityHeaders } from './security/headers.ts';
import {
  allowedHostsFromEnv,
  allowedOriginsFromEnv,
  isApiRequest,
  trustedProxiesFromEnv,
  MAX_BATCH_SIZE,
  registerRequestGuard,
} from './security/request-guard.ts';
import { loggableError, storageProblemOf } from './storage-errors.ts';
import { createContextInner, type SessionCookieJar } from './trpc.ts';

/**
 * The session cookie. In production it is `Secure` with the `__Host-` prefix (the browser then
 * refuses it over plain HTTP or from a sub-domain); demo mode runs on http://localhost.
 */
export function sessionCookieName(mode: ServerConfig['mode']): string {
  return mode === 'production' ? '__Host-ossiwatch_session' : 'ossiwatch_session';
}

export interface AppOptions {
  readonly db: OssiwatchDb;
  readonly config: ServerConfig;
  readonly now?: () => Date;
  /** Structured (pino) request logs: true for stdout, or a stream to write them to (tests). */
  readonly logger?: boolean | AppLogDestination;
  /** Origins besides the server's own that may call the API; default: OSSIWATCH_ALLOWED_ORIGINS. */
  readonly allowedOrigins?: readonly string[];
  /** Reverse proxies whose X-Forwarded-For is believed; default: OSSIWATCH_TRUSTED_PROXIES. */
  readonly trustedProxies?: readonly string[];
  /** Host names the server answers for; default: OSSIWATCH_ALLOWED_HOSTS (empty: any). */
  readonly allowedHosts?: readonly string[];
}

export interface AppLogDestination {
  readonly stream: { write(line: string): void };
  readonly level?: string;
}

/**
 * Request logs carry what operations need (request id, method, path, status, duration) and never
 * patient data (PRODUCT §7): no bodies, no query strings (a GET's tRPC input travels there), no
 * headers (cookies), and errors described without drizzle's message, which lists query parameters.
 */
function loggerOptions(logger: AppOptions['logger']) {
  if (logger === undefined || logger === false) return false;
  return {
    level: logger === true ? (process.env.LOG_LEVEL ?? 'info') : (logger.level ?? 'info'),
    ...(logger === true ? {} : { stream: logger.stream }),
    serializers: {
      req: (request: { method: string; url: string }) => ({
        method: request.method,
        url: request.url.split('?')[0],
      }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      err: (error: unknown) => loggableError(error),
    },
  };
}

/** How often ended-by-time sessions are removed (and audited as time-outs) when nobody returns to them. */
const SESSION_PURGE_INTERVAL_MS = 60_000;

/** How often the server looks for expired assessments when it last found none. */
const ASSESSMENT_REFRESH_INTERVAL_MS = 250;
/**
 * Assessments refreshed per slice, in one transaction: on PRODUCT §9's hospital (40 wards, 934
 * current patients, 8.5 M ROM readings) a slice of 3 holds the event loop 4.4 ms at the median and
 * 11 ms at p95 (benchmark machine), so no request waits behind more than that.
 */
const ASSESSMENT_REFRESH_SLICE = 3;

/** Fastify's `trustProxy`: false (the TCP peer is the client) unless proxies are named. */
function trustProxyOption(proxies: readonly string[]): false | string[] {
  return proxies.length === 0 ? false : [...proxies];
}

/** Builds the HTTP server: `/healthz`, tRPC at `/trpc`, and the built web app at `/`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db, config } = options;
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    logger: loggerOptions(options.logger),
    genReqId: () => randomUUID(),
    trustProxy: trustProxyOption(options.trustedProxies ?? trustedProxiesFromEnv()),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // tRPC batches put several procedure names in one path segment.
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 1024 * 1024,
  });
  registerSecurityHeaders(app, { production: config.mode === 'production' });
  registerRequestGuard(app, {
    allowedOrigins: options.allowedOrigins ?? allowedOriginsFromEnv(),
    allowedHosts: options.allowedHosts ?? allowedHostsFromEnv(),
  });

  // The request id in the logs is also in the response, so a report from a ward can be traced.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });

  const cookieName = sessionCookieName(config.mode);
  const events = eventBusFor(db);
  // The boards' live streams, served without tRPC's stream machinery (features/live/ward-streams.ts).
  const wardStreams = new WardStreams({ db, events, now, cookieName });
  // Connections that fall idle once shutdown has begun (a board's ended stream, a write answered
  // during the grace period) are closed as they do, not kept until their keep-alive time runs out.
  let idleSweep: NodeJS.Timeout | undefined;
  app.addHook('preClose', (done) => {
    wardStreams.close();
    idleSweep = setInterval(() => app.server.closeIdleConnections(), 100);
    idleSweep.unref();
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    clearInterval(idleSweep);
    done();
  });

  // Live streams (SSE) never finish by themselves: at shutdown they are ended before the server waits
  // for in-flight requests, and the client reconnects to the next server (PRODUCT §8).
  const liveStreams = new Set<{ req: IncomingMessage; res: ServerResponse }>();
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers.accept?.includes('text/event-stream')) {
      const stream = { req: request.raw, res: reply.raw };
      liveStreams.add(stream);
      reply.raw.once('close', () => liveStreams.delete(stream));
    }
    done();
  });
  app.addHook('preClose', (done) => {
    for (const stream of liveStreams) stream.res.end();
    liveStreams.clear();
    done();
  });

  app.get('/healthz', (_request, reply) => {
    // The database answered and its migrations ran before the server started listening.
    db.$client.prepare('SELECT 1').get();
    return reply.send({ status: 'ok' });
  });

  await app.register(fastifyCookie);
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config.mode === 'production',
  } as const;

  const trpcOptions = {
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    onError: ({ error, path, req }) => {
      const storage = storageProblemOf(error);
      if (storage) {
        req.log.error(
          { procedure: path, storage: storage.kind, sqliteCode: storage.sqliteCode },
          'storage problem: the write was refused and rolled back',
        );
      } else if (error.code === 'INTERNAL_SERVER_ERROR') {
        req.log.error({ procedure: path, err: error }, 'procedure failed');
      }
    },
    createContext: ({ req, res }) => {
      const token = req.cookies[cookieName];
      const session = token ? resumeSession(db, token, now()) : undefined;
      const cookies: SessionCookieJar = {
        set: (value) => {
          void res.setCookie(cookieName, value, {
            ...cookieOptions,
            maxAge: SESSION_MAX_MS / 1000,
          });
        },
        clear: () => {
          void res.clearCookie(cookieName, cookieOptions);
        },
      };
      if (token && !session) cookies.clear();
      return createContextInner({
        db,
        config,
        now,
        user: session?.user ?? null,
        sessionId: session?.sessionId ?? null,
        clientIp: req.ip,
        events,
        cookies,
      });
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'];
  await app.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions });
  // The busiest request, the ward board, answered without tRPC's adapter when it is the plain
  // success (board-fast-path.ts); everything else about it is tRPC's, as for any procedure.
  app.get('/trpc/ward.board', { exposeHeadRoute: false }, async (request, reply) => {
    let answer: BoardAnswer | null = null;
    try {
      answer = fastBoardAnswer(request, { db, now, cookieName });
    } catch {
      // A storage problem or anything unexpected: tRPC runs it again and answers with its error.
      answer = null;
    }
    if (answer !== null) {
      if (answer.gzipped) void reply.header('content-encoding', 'gzip');
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('vary', 'trpc-accept, accept, accept-encoding')
        .send(answer.body);
    }
    await fastifyRequestHandler({ ...trpcOptions, req: request, res: reply, path: 'ward.board' });
    return reply;
  });
  app.get('/trpc/ward.onChange', { exposeHeadRoute: false }, async (request, reply) => {
    let served = false;
    try {
      served = wardStreams.open(request, reply);
    } catch {
      // A storage problem or anything unexpected: tRPC runs it again and answers with its error.
      served = false;
    }
    if (served) return reply;
    await fastifyRequestHandler({
      ...trpcOptions,
      req: request,
      res: reply,
      path: 'ward.onChange',
    });
    return reply;
  });
  // FHIR R4 out, read-only, behind the same session, role and ward checks (integration/fhir).
  registerFhir(app, { db, config, now, cookieName });
  registerBulkExport(app, { db, config, now, cookieName });
  const purge = setInterval(() => {
    try {
      purgeExpiredSessions(db, now());
    } catch {
      // The database is closing (shutdown); the next start purges what is left.
    }
  }, SESSION_PURGE_INTERVAL_MS);
  purge.unref();
  // Stored assessments expire at local midnight (and a server started on a new day finds them all
  // expired). Until a patient's is refreshed, the first board of their ward recomputes it in the
  // request: 129 ms for a 28-patient ward of the PRODUCT §9 hospital instead of 5 ms. So once a
  // slice finds work, the next follows after a pause as long as the slice took: half the loop stays
  // free for requests, and the whole hospital (906 expired, 1.6 s of work) is fresh within about 3 s
  // instead of the 75 s that one slice every quarter second took. With nothing expired, it looks
  // again every quarter second.
  let refreshTimer: NodeJS.Timeout | undefined;
  const refreshSlice = (): void => {
    const started = performance.now();
    let refreshed = 0;
    try {
      refreshed = refreshExpiredAssessments(db, now(), ASSESSMENT_REFRESH_SLICE);
    } catch {
      // A read-only or full disk: boards still recompute their own expired rows at read time.
    }
    const pause =
      refreshed > 0 ? Math.ceil(performance.now() - started) : ASSESSMENT_REFRESH_INTERVAL_MS;
    refreshTimer = setTimeout(refreshSlice, pause);
    refreshTimer.unref();
  };
  refreshTimer = setTimeout(refreshSlice, ASSESSMENT_REFRESH_INTERVAL_MS);
  refreshTimer.unref();
  app.addHook('onClose', (_instance, done) => {
    // A slice runs to its end within one turn, so the timer it set is the one to clear.
    clearTimeout(refreshTimer);
    clearInterval(purge);
    try {
      flushWrites(db);
      flushAudit(db);
    } catch (error) {
      // A full or read-only disk must not keep the server from stopping and closing the database.
      app.log.error({ err: error }, 'queued audit entries could not be written at shutdown');
    }
    done();
  });

  if (fs.existsSync(config.webDistDir)) {
    await app.register(fastifyStatic, {
      root: config.webDistDir,
      wildcard: false,
      // The web build writes `.br` and `.gz` beside each file (apps/web/vite.config.ts).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, filePath) => {
        // One address, several encodings: a shared cache must keep them apart.
        res.setHeader('vary', 'accept-encoding');
        // Files under assets/ carry a hash of their content in their name: a browser may keep them
        // for good. The page itself is checked again each time, so a new version is picked up.
        res.setHeader(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
    // Client-side routes (/wards/3, /patients/12) all load the single-page app.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !isApiRequest(request)) {
        return reply.sendFile('index.html');
      }
      return reply.code(404).send({ error: 'Not found' });
    });
  }
  return app;
}
