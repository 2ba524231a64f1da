import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import fs from 'node:fs';
import type { ServerConfig } from './config.ts';
import type { OssiwatchDb } from './db/client.ts';
import { flushAudit } from './audit.ts';
import { resumeSession, SESSION_MAX_MS } from './auth/sessions.ts';
import { eventBusFor } from './events.ts';
import { appRouter, type AppRouter } from './router.ts';
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
  readonly logger?: boolean;
}

/** Builds the HTTP server: `/healthz`, tRPC at `/trpc`, and the built web app at `/`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db, config } = options;
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    logger: options.logger ?? false,
    // tRPC batches put several procedure names in one path segment.
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 1024 * 1024,
  });

  app.get('/healthz', (_request, reply) => {
    // The database answered and its migrations ran before the server started listening.
    db.$client.prepare('SELECT 1').get();
    return reply.send({ status: 'ok' });
  });

  await app.register(fastifyCookie);
  const cookieName = sessionCookieName(config.mode);
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config.mode === 'production',
  } as const;
  const events = eventBusFor(db);

  // CSRF defence (PRODUCT §7): a browser names the page that sent a request in `Origin`; a request
  // from another site's page is refused before any procedure runs. Same-origin requests and non-browser
  // clients (no Origin) pass; SameSite=Strict keeps the cookie off cross-site requests as well.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (request.url.startsWith('/trpc') && origin !== undefined) {
      let originHost: string | undefined;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = undefined;
      }
      if (originHost !== request.headers.host) {
        void reply.code(403).send({ error: 'Cross-origin request refused' });
        return;
      }
    }
    done();
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
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
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });
  app.addHook('onClose', (_instance, done) => {
    flushAudit(db);
    done();
  });

  if (fs.existsSync(config.webDistDir)) {
    await app.register(fastifyStatic, { root: config.webDistDir, wildcard: false });
    // Client-side routes (/wards/3, /patients/12) all load the single-page app.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/trpc')) {
        return reply.sendFile('index.html');
      }
      return reply.code(404).send({ error: 'Not found' });
    });
  }
  return app;
}
