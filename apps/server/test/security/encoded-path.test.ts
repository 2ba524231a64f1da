/**
 * Finding 1 of the security review: the guard and the no-store header must decide on the path fastify
 * routes (decoded), not on the raw one, so `/%74rpc/…` is the API like `/trpc/…`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { complications } from '../../src/db/schema.ts';
import { admitPatient, makeUser, makeWard } from '../../src/test-support.ts';
import { SAME_ORIGIN, signIn, testServer, type TestServer } from './support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

async function arrange() {
  const server = await testServer();
  servers.push(server);
  const { wardId, bedIds } = makeWard(server.db, 'Neuro A');
  const patientId = admitPatient(server.db, { wardId, bedId: bedIds[0], name: 'Ada Probe' });
  await makeUser(server.db, ['nurse'], [wardId], 'nurse');
  const cookie = await signIn(server, 'nurse');
  return { server, cookie, wardId, patientId };
}

const CROSS_SITE = {
  host: 'ward.example',
  origin: 'https://evil.example',
  'sec-fetch-site': 'cross-site',
} as const;

function inputOf(value: unknown): string {
  return encodeURIComponent(JSON.stringify(superjson.serialize(value)));
}

/** Every way of writing the `/trpc` prefix that the router still takes for it. */
const PREFIXES = ['/%74rpc', '/%74%72%70%63', '/tr%70c', '/trp%63', '/%74rp%63'];

describe('a percent-encoded API path', () => {
  it.each(PREFIXES)('%s: a cross-site query is refused with 403', async (prefix) => {
    const { server, cookie, patientId } = await arrange();
    const response = await server.app.inject({
      method: 'GET',
      url: `${prefix}/patient.get?input=${inputOf({ patientId })}`,
      headers: { ...CROSS_SITE, cookie },
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('Ada Probe');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('a cross-site JSON POST writes nothing', async () => {
    const { server, cookie, patientId } = await arrange();
    const response = await server.app.inject({
      method: 'POST',
      url: '/%74rpc/complication.start',
      headers: { ...CROSS_SITE, cookie, 'content-type': 'application/json' },
      payload: JSON.stringify(
        superjson.serialize({
          patientId,
          onsetAt: '2026-03-02T07:00:00.000Z',
          presentOnAdmission: false,
          complication: { kind: 'pneumonia' },
        }),
      ),
    });
    expect(response.statusCode).toBe(403);
    expect(server.db.select().from(complications).all()).toEqual([]);
  });

  it('a form POST to an encoded path is refused with 415', async () => {
    const { server, cookie } = await arrange();
    const response = await server.app.inject({
      method: 'POST',
      url: '/%74rpc/auth.logout',
      headers: { ...SAME_ORIGIN, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=b',
    });
    expect(response.statusCode).toBe(415);
  });

  it('the board fast path and the SSE stream are guarded the same way', async () => {
    const { server, cookie, wardId } = await arrange();
    const board = await server.app.inject({
      method: 'GET',
      url: `/%74rpc/ward.board?input=${inputOf({ wardId })}`,
      headers: { ...CROSS_SITE, cookie },
    });
    expect(board.statusCode).toBe(403);
    expect(board.body).not.toContain('Neuro A');
    const stream = await server.app.inject({
      method: 'GET',
      url: `/%74rpc/ward.onChange?input=${inputOf({ wardId })}`,
      headers: { ...CROSS_SITE, cookie, accept: 'text/event-stream' },
    });
    expect(stream.statusCode).toBe(403);
  });

  it('a same-origin query on an encoded path is answered with no-store', async () => {
    const { server, cookie, patientId } = await arrange();
    const response = await server.app.inject({
      method: 'GET',
      url: `/%74rpc/patient.get?input=${inputOf({ patientId })}`,
      headers: { ...SAME_ORIGIN, cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('an encoded batch is counted like a plain one', async () => {
    const { server, cookie } = await arrange();
    const names = Array.from({ length: 11 }, () => 'auth.me').join(',');
    const response = await server.app.inject({
      method: 'GET',
      url: `/%74rpc/${names}?batch=1&input=%7B%7D`,
      headers: { ...SAME_ORIGIN, cookie },
    });
    expect(response.statusCode).toBe(400);
  });
});
