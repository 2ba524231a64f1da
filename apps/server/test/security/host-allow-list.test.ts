/** Finding 7 of the security review: in production the server answers only for its own host names. */
import { afterEach, describe, expect, it } from 'vitest';
import { allowedHostsFromEnv, hostAllowed } from '../../src/security/request-guard.ts';
import { makeUser, makeWard } from '../../src/test-support.ts';
import { SAME_ORIGIN, mutation, query, testServer, type TestServer } from './support.ts';
import { TEST_PASSWORD } from '../../src/test-support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

describe('the Host allow-list', () => {
  it('refuses a request for another host name with 421, sign-in included', async () => {
    const server = await testServer({ mode: 'production', allowedHosts: ['ward.example'] });
    servers.push(server);
    const { wardId } = makeWard(server.db, 'Neuro A');
    await makeUser(server.db, ['nurse'], [wardId], 'nurse');
    const rebound = { host: 'evil.example', origin: 'http://evil.example' };
    const login = await mutation(
      server,
      'auth.login',
      { username: 'nurse', password: TEST_PASSWORD },
      rebound,
    );
    expect(login.statusCode).toBe(421);
    expect(login.cookies).toEqual([]);
    const page = await server.app.inject({ method: 'GET', url: '/', headers: rebound });
    expect(page.statusCode).toBe(421);
    // The named host, with any port, is answered; so is the health check by address.
    const own = await query(server, 'ward.list', undefined, { ...SAME_ORIGIN });
    expect(own.statusCode).toBe(401);
    const ported = await query(server, 'ward.list', undefined, {
      host: 'ward.example:8443',
      origin: 'http://ward.example:8443',
    });
    expect(ported.statusCode).toBe(401);
    const health = await server.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { host: '10.0.0.5' },
    });
    expect(health.statusCode).toBe(200);
  });

  it('reads OSSIWATCH_ALLOWED_HOSTS strictly', () => {
    expect(
      allowedHostsFromEnv({ OSSIWATCH_ALLOWED_HOSTS: ' Ward.Example , localhost:3000' }),
    ).toEqual(['ward.example', 'localhost:3000']);
    expect(() => allowedHostsFromEnv({ OSSIWATCH_ALLOWED_HOSTS: 'https://ward.example' })).toThrow(
      /OSSIWATCH_ALLOWED_HOSTS/,
    );
    expect(() => allowedHostsFromEnv({ OSSIWATCH_ALLOWED_HOSTS: '*.example' })).toThrow(
      /OSSIWATCH_ALLOWED_HOSTS/,
    );
    expect(hostAllowed('localhost:3000', ['localhost:3000'])).toBe(true);
    expect(hostAllowed('localhost:3001', ['localhost:3000'])).toBe(false);
    expect(hostAllowed('ward.example.evil', ['ward.example'])).toBe(false);
    expect(hostAllowed(undefined, ['ward.example'])).toBe(false);
  });
});
