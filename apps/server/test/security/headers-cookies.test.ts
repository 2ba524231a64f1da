import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/security/headers.ts';
import { makeUser, makeWard, migratedMemoryDb, testConfig } from '../../src/test-support.ts';
import { SAME_ORIGIN, mutation, query, signIn, testServer, type TestServer } from './support.ts';
import { TEST_PASSWORD } from '../../src/test-support.ts';

const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function expectSecurityHeaders(headers: Record<string, unknown>, what: string): void {
  expect(headers['content-security-policy'], what).toBe(CONTENT_SECURITY_POLICY);
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy'], what).toBe('same-origin');
  expect(headers['permissions-policy'], what).toContain('camera=()');
}

describe('security headers', () => {
  it('are on API answers, errors, the health check and the web app', async () => {
    const webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-web-'));
    dirs.push(webDist);
    fs.mkdirSync(path.join(webDist, 'assets'));
    fs.writeFileSync(
      path.join(webDist, 'index.html'),
      '<!doctype html><script type="module" src="/assets/app.js"></script>',
    );
    fs.writeFileSync(path.join(webDist, 'assets', 'app.js'), 'export {};');
    const db = migratedMemoryDb();
    const app = await buildApp({ db, config: { ...testConfig, webDistDir: webDist } });
    servers.push({ app, db } as TestServer);
    const responses = {
      index: await app.inject({ url: '/' }),
      clientRoute: await app.inject({ url: '/wards/3' }),
      asset: await app.inject({ url: '/assets/app.js' }),
      health: await app.inject({ url: '/healthz' }),
      query: await app.inject({ url: '/trpc/auth.me', headers: SAME_ORIGIN }),
      refused: await app.inject({
        url: '/trpc/auth.me',
        headers: { ...SAME_ORIGIN, origin: 'https://evil.example' },
      }),
      notFound: await app.inject({ method: 'POST', url: '/nowhere' }),
    };
    expect(responses.index.statusCode).toBe(200);
    expect(responses.clientRoute.body).toContain('<script type="module"');
    expect(responses.query.statusCode).toBe(401);
    for (const [what, response] of Object.entries(responses)) {
      expectSecurityHeaders(response.headers, what);
    }
    expect(responses.query.headers['cache-control']).toBe('no-store');
    // Demo mode runs on plain http://localhost: no HSTS there.
    expect(responses.index.headers['strict-transport-security']).toBeUndefined();
  });

  it('forbid inline scripts and framing', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('the built web app needs no inline script (checked when apps/web/dist exists)', () => {
    const index = path.resolve(import.meta.dirname, '../../../web/dist/index.html');
    if (!fs.existsSync(index)) return;
    const html = fs.readFileSync(index, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\//);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly and SameSite=Strict in demo mode', async () => {
    const server = await testServer({ mode: 'demo' });
    servers.push(server);
    await makeUser(server.db, ['nurse'], [makeWard(server.db, 'A').wardId], 'nurse');
    const response = await mutation(server, 'auth.login', {
      username: 'nurse',
      password: TEST_PASSWORD,
    });
    const cookie = response.cookies.find((c) => c.name === 'ossiwatch_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  });

  it('is Secure with the __Host- prefix in production, and HSTS is sent', async () => {
    const server = await testServer({ mode: 'production' });
    servers.push(server);
    await makeUser(server.db, ['nurse'], [makeWard(server.db, 'A').wardId], 'nurse');
    const response = await mutation(server, 'auth.login', {
      username: 'nurse',
      password: TEST_PASSWORD,
    });
    const cookie = response.cookies.find((c) => c.name === '__Host-ossiwatch_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });
    // __Host- forbids a Domain attribute: the cookie stays on this exact host.
    expect(cookie?.domain).toBeUndefined();
    expect(response.headers['strict-transport-security']).toContain('max-age=');
  });

  it('gets a new value at every sign-in, and the old one stops working', async () => {
    const server = await testServer();
    servers.push(server);
    await makeUser(server.db, ['nurse'], [makeWard(server.db, 'A').wardId], 'nurse');
    const first = await signIn(server, 'nurse');
    const second = await signIn(server, 'nurse', { cookie: first });
    expect(second).not.toBe(first);
    expect((await query(server, 'auth.me', undefined, { cookie: first })).statusCode).toBe(401);
    expect((await query(server, 'auth.me', undefined, { cookie: second })).statusCode).toBe(200);
  });

  it('is cleared at sign-out, and the server refuses a replayed copy', async () => {
    const server = await testServer();
    servers.push(server);
    await makeUser(server.db, ['nurse'], [makeWard(server.db, 'A').wardId], 'nurse');
    const cookie = await signIn(server, 'nurse');
    const out = await mutation(server, 'auth.logout', undefined, { cookie });
    expect(out.statusCode).toBe(200);
    const cleared = out.cookies.find((c) => c.name === server.cookieName);
    expect(cleared?.value).toBe('');
    expect((await query(server, 'auth.me', undefined, { cookie })).statusCode).toBe(401);
  });
});
