import { afterEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { flushAudit } from '../../src/audit.ts';
import { auditLog } from '../../src/db/schema.ts';
import { allowedOriginsFromEnv, trustedProxiesFromEnv } from '../../src/security/request-guard.ts';
import { makeUser, makeWard } from '../../src/test-support.ts';
import {
  SAME_ORIGIN,
  errorCodeOf,
  mutation,
  query,
  signIn,
  testServer,
  type TestServer,
} from './support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

async function withNurse(options: Parameters<typeof testServer>[0] = {}) {
  const server = await testServer(options);
  servers.push(server);
  const { wardId } = makeWard(server.db, 'Neuro A');
  await makeUser(server.db, ['nurse'], [wardId], 'nurse');
  const cookie = await signIn(server, 'nurse');
  return { server, cookie, wardId };
}

describe('cross-site requests', () => {
  it('refuses a query from another origin with 403 while the session stays valid', async () => {
    const { server, cookie } = await withNurse();
    const foreign = await query(server, 'ward.list', undefined, {
      cookie,
      origin: 'https://evil.example',
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).not.toContain('Neuro A');
    const own = await query(server, 'ward.list', undefined, { cookie });
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Neuro A');
  });

  it('refuses a cross-origin mutation before it runs (a sign-out that would end the session)', async () => {
    const { server, cookie } = await withNurse();
    const response = await mutation(server, 'auth.logout', undefined, {
      cookie,
      origin: 'https://evil.example',
    });
    expect(response.statusCode).toBe(403);
    expect((await query(server, 'auth.me', undefined, { cookie })).statusCode).toBe(200);
  });

  it('refuses Sec-Fetch-Site: cross-site even without an Origin (a cross-site GET)', async () => {
    const { server, cookie } = await withNurse();
    const response = await server.app.inject({
      method: 'GET',
      url: '/trpc/ward.list',
      headers: { host: 'ward.example', cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('refuses an SSE subscription opened from another site', async () => {
    const { server, cookie, wardId } = await withNurse();
    const input = encodeURIComponent(JSON.stringify({ json: { wardId } }));
    const response = await server.app.inject({
      method: 'GET',
      url: `/trpc/ward.onChange?input=${input}`,
      headers: {
        host: 'ward.example',
        cookie,
        accept: 'text/event-stream',
        origin: 'https://evil.example',
      },
    });
    expect(response.statusCode).toBe(403);
  });

  it('compares scheme and port, not only the host name', async () => {
    const { server, cookie } = await withNurse();
    for (const origin of [
      'https://ward.example',
      'http://ward.example:8080',
      'http://ward.example.evil.example',
      'null',
      'not a url',
    ]) {
      const response = await query(server, 'auth.me', undefined, { cookie, origin });
      expect(response.statusCode, origin).toBe(403);
    }
  });

  it('lets same-origin pages and clients without Origin through', async () => {
    const { server, cookie } = await withNurse();
    expect((await query(server, 'auth.me', undefined, { cookie })).statusCode).toBe(200);
    const noOrigin = await server.app.inject({
      method: 'GET',
      url: '/trpc/auth.me',
      headers: { host: 'ward.example', cookie },
    });
    expect(noOrigin.statusCode).toBe(200);
    const sameSite = await query(server, 'auth.me', undefined, {
      cookie,
      'sec-fetch-site': 'same-site',
      origin: 'http://ward.example',
    });
    expect(sameSite.statusCode).toBe(200);
  });

  it('allows the origins named in OSSIWATCH_ALLOWED_ORIGINS (the Vite dev server)', async () => {
    const { server, cookie } = await withNurse({ allowedOrigins: ['http://localhost:5173'] });
    const dev = await query(server, 'auth.me', undefined, {
      cookie,
      origin: 'http://localhost:5173',
      'sec-fetch-site': 'same-site',
    });
    expect(dev.statusCode).toBe(200);
    const other = await query(server, 'auth.me', undefined, {
      cookie,
      origin: 'http://localhost:5174',
    });
    expect(other.statusCode).toBe(403);
  });

  it('reads OSSIWATCH_ALLOWED_ORIGINS strictly', () => {
    expect(
      allowedOriginsFromEnv({ OSSIWATCH_ALLOWED_ORIGINS: ' http://localhost:5173 , https://a.b/' }),
    ).toEqual(['http://localhost:5173', 'https://a.b']);
    expect(allowedOriginsFromEnv({})).toEqual([]);
    expect(() => allowedOriginsFromEnv({ OSSIWATCH_ALLOWED_ORIGINS: '*' })).toThrow(
      /not an origin/,
    );
    expect(() =>
      allowedOriginsFromEnv({ OSSIWATCH_ALLOWED_ORIGINS: 'http://localhost:5173/app' }),
    ).toThrow(/not an origin/);
  });

  it('refuses a POST that is not application/json (an HTML form) with 415', async () => {
    const { server, cookie } = await withNurse();
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/trpc/auth.logout',
        headers: { host: 'ward.example', cookie, 'content-type': contentType },
        payload: '{}',
      });
      expect(response.statusCode, contentType).toBe(415);
    }
    const missing = await server.app.inject({
      method: 'POST',
      url: '/trpc/auth.logout',
      headers: { host: 'ward.example', cookie },
    });
    expect(missing.statusCode).toBe(415);
    expect((await query(server, 'auth.me', undefined, { cookie })).statusCode).toBe(200);
  });
});

describe('request limits', () => {
  it('refuses a body over 1 MB with 413', async () => {
    const { server, cookie } = await withNurse();
    const response = await server.app.inject({
      method: 'POST',
      url: '/trpc/auth.login',
      headers: { ...SAME_ORIGIN, cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ json: { username: 'x', password: 'y'.repeat(3 * 1024 * 1024) } }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.body).not.toMatch(/\bat \S+:\d+/);
  });

  it('runs a batch of 10 and refuses a batch of 11 or of 200', async () => {
    const { server, cookie } = await withNurse();
    const batch = (n: number) =>
      server.app.inject({
        method: 'GET',
        url: `/trpc/${Array.from({ length: n }, () => 'auth.me').join(',')}?batch=1&input=${encodeURIComponent(
          JSON.stringify({}),
        )}`,
        headers: { ...SAME_ORIGIN, cookie },
      });
    expect((await batch(10)).statusCode).toBe(200);
    expect((await batch(11)).statusCode).toBe(400);
    expect((await batch(200)).statusCode).toBe(400);
  });

  it('refuses a path of thousands of commas with 400 before decoding it', async () => {
    const { server, cookie } = await withNurse();
    const plain = await server.app.inject({
      method: 'GET',
      url: `/trpc/${','.repeat(4000)}?batch=1`,
      headers: { ...SAME_ORIGIN, cookie },
    });
    expect(plain.statusCode).toBe(400);
    const encoded = await server.app.inject({
      method: 'GET',
      url: `/trpc/auth.me${'%2C'.repeat(1500)}?batch=1`,
      headers: { ...SAME_ORIGIN, cookie },
    });
    expect(encoded.statusCode).toBe(400);
  });

  it('answers a 100,000-character id with BAD_REQUEST', async () => {
    const { server, cookie } = await withNurse();
    const response = await mutation(
      server,
      'auth.login',
      { username: 'n'.repeat(100_000), password: 'x' },
      { cookie },
    );
    expect(response.statusCode).toBe(400);
    expect(errorCodeOf(response)).toBe('BAD_REQUEST');
  });
});

describe('errors outside development', () => {
  it('carry no stack trace, file path or SQL when the server fails', async () => {
    const { server, cookie } = await withNurse();
    // Break the database behind the server's back: the next query fails inside SQLite.
    server.db.$client.exec('ALTER TABLE wards RENAME TO wards_moved');
    const response = await query(server, 'ward.list', undefined, { cookie });
    expect(response.statusCode).toBe(500);
    expect(errorCodeOf(response)).toBe('INTERNAL_SERVER_ERROR');
    expect(response.body).not.toMatch(/stack|\.ts\b|node_modules|\/work\/|SELECT|wards|sqlite/i);
  });

  it('answer malformed input with 4xx and no stack', async () => {
    const { server, cookie } = await withNurse();
    const malformed = [
      server.app.inject({
        method: 'POST',
        url: '/trpc/auth.login',
        headers: { ...SAME_ORIGIN, cookie, 'content-type': 'application/json' },
        payload: '{"json": {"username": ',
      }),
      server.app.inject({
        method: 'GET',
        url: '/trpc/ward.board?input=%7Bnot-json',
        headers: { ...SAME_ORIGIN, cookie },
      }),
      query(server, 'ward.board', { wardId: 'seven' }, { cookie }),
      query(server, 'no.such.procedure', undefined, { cookie }),
    ];
    for (const response of await Promise.all(malformed)) {
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.body).not.toMatch(/stack|\.ts\b|node_modules|\/work\//);
    }
  });
});

describe('the client address behind a reverse proxy', () => {
  async function signInAddress(trustedProxies: string[]): Promise<string | null> {
    const server = await testServer({ trustedProxies });
    servers.push(server);
    const { wardId } = makeWard(server.db, 'Neuro A');
    await makeUser(server.db, ['nurse'], [wardId], 'nurse');
    // light-my-request connects from 127.0.0.1: the "proxy" here.
    await signIn(server, 'nurse', { 'x-forwarded-for': '203.0.113.9' });
    flushAudit(server.db);
    const row = server.db
      .select({ clientIp: auditLog.clientIp })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'auth.login'), eq(auditLog.outcome, 'success')))
      .get();
    return row?.clientIp ?? null;
  }

  it('ignores X-Forwarded-For unless the peer is a named proxy', async () => {
    expect(await signInAddress([])).toBe('127.0.0.1');
    expect(await signInAddress(['10.0.0.0/8'])).toBe('127.0.0.1');
    expect(await signInAddress(['127.0.0.1'])).toBe('203.0.113.9');
    expect(await signInAddress(['loopback'])).toBe('203.0.113.9');
  });

  it('reads OSSIWATCH_TRUSTED_PROXIES and refuses an entry that is not an address, by name', () => {
    expect(trustedProxiesFromEnv({})).toEqual([]);
    expect(
      trustedProxiesFromEnv({
        OSSIWATCH_TRUSTED_PROXIES: ' 10.1.2.3, 192.168.0.0/16 ,::1,loopback',
      }),
    ).toEqual(['10.1.2.3', '192.168.0.0/16', '::1', 'loopback']);
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.1/8/2', '*', '/8']) {
      expect(() => trustedProxiesFromEnv({ OSSIWATCH_TRUSTED_PROXIES: bad })).toThrow(
        /^OSSIWATCH_TRUSTED_PROXIES: /,
      );
    }
  });
});
