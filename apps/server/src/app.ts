import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import fs from 'node:fs';
import type { ServerConfig } from './config.ts';
import type { OssiwatchDb } from './db/client.ts';
import { appRouter, type AppRouter } from './router.ts';
import { createContextInner } from './trpc.ts';

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

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      createContext: () => createContextInner({ db, config, now }),
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
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
