import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import superjson from 'superjson';
import { buildApp } from '../../src/app.ts';
import type { ServerConfig } from '../../src/config.ts';
import type { OssiwatchDb } from '../../src/db/client.ts';
import { TEST_PASSWORD, migratedMemoryDb, testConfig } from '../../src/test-support.ts';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(private at = new Date('2026-03-02T08:00:00Z')) {}
  readonly now = (): Date => this.at;
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export interface TestServer {
  readonly app: FastifyInstance;
  readonly db: OssiwatchDb;
  readonly clock: TestClock;
  readonly cookieName: string;
}

export async function testServer(
  options: {
    mode?: ServerConfig['mode'];
    allowedOrigins?: string[];
    trustedProxies?: string[];
    allowedHosts?: string[];
    db?: OssiwatchDb;
  } = {},
): Promise<TestServer> {
  const db = options.db ?? migratedMemoryDb();
  const clock = new TestClock();
  const config: ServerConfig = { ...testConfig, mode: options.mode ?? 'demo' };
  const app = await buildApp({
    db,
    config,
    now: clock.now,
    allowedOrigins: options.allowedOrigins ?? [],
    trustedProxies: options.trustedProxies ?? [],
    allowedHosts: options.allowedHosts ?? [],
  });
  await app.ready();
  return {
    app,
    db,
    clock,
    cookieName: config.mode === 'production' ? '__Host-ossiwatch_session' : 'ossiwatch_session',
  };
}

/** The headers a same-origin browser page sends with a tRPC call. */
export const SAME_ORIGIN = {
  host: 'ward.example',
  origin: 'http://ward.example',
  'sec-fetch-site': 'same-origin',
} as const;

export function query(
  server: TestServer,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const encoded =
    input === undefined
      ? ''
      : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  return server.app.inject({
    method: 'GET',
    url: `/trpc/${path}${encoded}`,
    headers: { ...SAME_ORIGIN, ...headers },
  });
}

export function mutation(
  server: TestServer,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'POST',
    url: `/trpc/${path}`,
    headers: { ...SAME_ORIGIN, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(superjson.serialize(input)),
  });
}

/** Signs in over HTTP; returns the `cookie` header value to send afterwards. */
export async function signIn(
  server: TestServer,
  username: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await mutation(
    server,
    'auth.login',
    { username, password: TEST_PASSWORD },
    headers,
  );
  if (response.statusCode !== 200) {
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  }
  const cookie = response.cookies.find((c) => c.name === server.cookieName);
  if (!cookie) throw new Error('no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

/** The tRPC error code of a response body, e.g. `UNAUTHORIZED`. */
export function errorCodeOf(response: LightMyRequestResponse): string | undefined {
  const body = response.json<{ error?: { json?: { data?: { code?: string } } } }>();
  return body.error?.json?.data?.code;
}
