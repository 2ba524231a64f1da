/**
 * The checks of issue 5's "done when", made over HTTP against the real app as an outside tester would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { admitPatient, makeUser, makeWard } from '../../src/test-support.ts';
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

describe('checked from outside, in production mode', () => {
  it('a nurse’s patient.get is in the admin’s audit.list with her name; the nurse may not read the list', async () => {
    const server = await testServer({ mode: 'production' });
    servers.push(server);
    const { wardId } = makeWard(server.db, 'Neuro A');
    await makeUser(server.db, ['nurse'], [wardId], 'nurse');
    await makeUser(server.db, ['admin'], [], 'admin');
    const patientId = admitPatient(server.db, { wardId });
    const nurse = await signIn(server, 'nurse');
    const admin = await signIn(server, 'admin');

    expect((await query(server, 'patient.get', { patientId }, { cookie: nurse })).statusCode).toBe(
      200,
    );
    // Reads are group-committed on the next turn of the event loop; injected requests may not give it one.
    await new Promise((resolve) => setImmediate(resolve));
    const list = await query(server, 'audit.list', { patient: patientId }, { cookie: admin });
    expect(list.statusCode).toBe(200);
    const body = list.json<{
      result: { data: { json: { entries?: unknown[]; rows?: unknown[] } | unknown[] } };
    }>();
    const data = body.result.data.json;
    const entries = (Array.isArray(data) ? data : (data.entries ?? data.rows ?? [])) as Array<{
      action: string;
      username: string;
      patientId: number;
    }>;
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'patient.get', username: 'nurse', patientId }),
    );

    const refused = await query(server, 'audit.list', {}, { cookie: nurse });
    expect(refused.statusCode).toBe(403);
    expect(errorCodeOf(refused)).toBe('FORBIDDEN');
  });

  it('a 100,000-character id is BAD_REQUEST, without a stack', async () => {
    const server = await testServer({ mode: 'production' });
    servers.push(server);
    const { wardId } = makeWard(server.db, 'Neuro A');
    await makeUser(server.db, ['nurse'], [wardId], 'nurse');
    const cookie = await signIn(server, 'nurse');
    const asQuery = await server.app.inject({
      method: 'GET',
      url: `/trpc/patient.get?input=${encodeURIComponent(JSON.stringify({ json: { patientId: '9'.repeat(100_000) } }))}`,
      headers: { ...SAME_ORIGIN, cookie },
    });
    expect(asQuery.statusCode).toBe(400);
    expect(errorCodeOf(asQuery)).toBe('BAD_REQUEST');
    expect(asQuery.body).not.toMatch(/stack|\.ts\b|node_modules/);
  });

  it('forty wrong passwords throttle the account; a 3 MB body and a 200-call batch are refused', async () => {
    const server = await testServer({ mode: 'production' });
    servers.push(server);
    await makeUser(server.db, ['nurse'], [makeWard(server.db, 'A').wardId], 'nurse');
    const codes: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const response = await mutation(server, 'auth.login', {
        username: 'nurse',
        password: `wrong password ${i}`,
      });
      codes.push(errorCodeOf(response) ?? String(response.statusCode));
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHORIZED'));
    expect(new Set(codes.slice(5))).toEqual(new Set(['TOO_MANY_REQUESTS']));

    const big = await server.app.inject({
      method: 'POST',
      url: '/trpc/auth.logout',
      headers: { ...SAME_ORIGIN, 'content-type': 'application/json' },
      payload: 'x'.repeat(3 * 1024 * 1024),
    });
    expect(big.statusCode).toBe(413);
    const batch = await server.app.inject({
      method: 'GET',
      url: `/trpc/${Array(200).fill('auth.me').join(',')}?batch=1&input=%7B%7D`,
      headers: SAME_ORIGIN,
    });
    expect(batch.statusCode).toBe(400);
  });
});
