/**
 * The ward board's fast path (board-fast-path.ts) answers exactly what tRPC answers, audits the read
 * the same way, and leaves every refusal to tRPC.
 */
import { and, eq } from 'drizzle-orm';
import { gunzipSync } from 'node:zlib';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { flushAudit } from '../../src/audit.ts';
import { acceptsGzip } from '../../src/board-fast-path.ts';
import { auditLog } from '../../src/db/schema.ts';
import { admitPatient, makeUser, makeWard } from '../../src/test-support.ts';
import {
  errorCodeOf,
  mutation,
  query,
  SAME_ORIGIN,
  signIn,
  testServer,
  type TestServer,
} from './support.ts';

async function ward(server: TestServer) {
  const a = makeWard(server.db, 'Ward A', 4);
  const b = makeWard(server.db, 'Ward B', 2);
  const patients = [0, 1, 2].map((i) =>
    admitPatient(server.db, { wardId: a.wardId, bedId: a.bedIds[i] ?? null }),
  );
  admitPatient(server.db, { wardId: b.wardId, bedId: b.bedIds[0] ?? null });
  const nurse = await makeUser(server.db, ['nurse'], [a.wardId]);
  const therapist = await makeUser(server.db, ['therapist'], [a.wardId]);
  const manager = await makeUser(server.db, ['manager'], [a.wardId, b.wardId]);
  return { a, b, patients, nurse, therapist, manager };
}

function boardAudits(server: TestServer, userId: number) {
  flushAudit(server.db);
  return server.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.userId, userId), eq(auditLog.action, 'ward.board')))
    .all();
}

/** The same board asked through tRPC's own handler: a batch of one is never on the fast path. */
async function boardThroughTrpc(server: TestServer, wardId: number, cookie: string) {
  const input = encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ wardId }) }));
  const response = await server.app.inject({
    method: 'GET',
    url: `/trpc/ward.board?batch=1&input=${input}`,
    headers: { ...SAME_ORIGIN, cookie },
  });
  expect(response.statusCode).toBe(200);
  return response.json<[{ result: { data: unknown } }]>()[0].result.data;
}

describe('the ward board fast path', () => {
  it('answers a clinician on their ward as tRPC does, and audits the patients it listed', async () => {
    const server = await testServer();
    const { a, patients, nurse } = await ward(server);
    const cookie = await signIn(server, nurse.username);

    const response = await query(server, 'ward.board', { wardId: a.wardId }, { cookie });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers.vary).toBe('trpc-accept, accept, accept-encoding');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const data = response.json<{ result: { data: unknown } }>().result.data;
    expect(data).toEqual(await boardThroughTrpc(server, a.wardId, cookie));
    const board = superjson.deserialize<{ patients: { patientId: number }[] }>(
      data as Parameters<typeof superjson.deserialize>[0],
    );
    expect(board.patients.map((p) => p.patientId).sort()).toEqual([...patients].sort());

    const audits = boardAudits(server, nurse.id);
    expect(audits).toHaveLength(2);
    for (const row of audits) {
      expect(row).toMatchObject({ category: 'read', outcome: 'success', username: nurse.username });
      expect(row.detail).toEqual({ wardId: a.wardId, patientIds: expect.any(Array) as unknown });
      expect((row.detail as { patientIds: number[] }).patientIds.sort()).toEqual(
        [...patients].sort(),
      );
    }
  });

  it('sends the same board gzipped to a browser that accepts it, and plain to one that refuses it', async () => {
    const server = await testServer();
    const { a, nurse } = await ward(server);
    const cookie = await signIn(server, nurse.username);
    const plain = await query(server, 'ward.board', { wardId: a.wardId }, { cookie });
    const zipped = await query(
      server,
      'ward.board',
      { wardId: a.wardId },
      { cookie, 'accept-encoding': 'gzip, deflate, br' },
    );
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    const refused = await query(
      server,
      'ward.board',
      { wardId: a.wardId },
      { cookie, 'accept-encoding': 'gzip;q=0, identity' },
    );
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
  });

  it('reads Accept-Encoding as HTTP does', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('deflate, br')).toBe(false);
    expect(acceptsGzip('x-gzip2')).toBe(false);
  });

  it('shows a change at once: a board built before a write is not served after it', async () => {
    const server = await testServer();
    const { a, patients, therapist } = await ward(server);
    const cookie = await signIn(server, therapist.username);
    const before = await query(server, 'ward.board', { wardId: a.wardId }, { cookie });
    const patientId = patients[0] ?? 0;
    const saved = await mutation(
      server,
      'rom.recordSession',
      {
        patientId,
        takenAt: server.clock.now(),
        readings: [
          { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 95 },
        ],
      },
      { cookie },
    );
    expect(saved.statusCode).toBe(200);
    const after = await query(server, 'ward.board', { wardId: a.wardId }, { cookie });
    const lastRom = (body: string) =>
      (
        JSON.parse(body) as {
          result: {
            data: { json: { patients: { patientId: number; lastRomAt: string | null }[] } };
          };
        }
      ).result.data.json.patients.find((p) => p.patientId === patientId)?.lastRomAt;
    expect(lastRom(before.body)).toBeNull();
    expect(lastRom(after.body)).toBe(server.clock.now().toISOString());
  });

  it('leaves every refusal to tRPC: no session, another ward, a manager, bad input', async () => {
    const server = await testServer();
    const { a, b, nurse, manager } = await ward(server);
    const nurseCookie = await signIn(server, nurse.username);
    const managerCookie = await signIn(server, manager.username);

    const anonymous = await query(server, 'ward.board', { wardId: a.wardId });
    expect([anonymous.statusCode, errorCodeOf(anonymous)]).toEqual([401, 'UNAUTHORIZED']);

    const expired = await query(
      server,
      'ward.board',
      { wardId: a.wardId },
      { cookie: `${server.cookieName}=not-a-session` },
    );
    expect([expired.statusCode, errorCodeOf(expired)]).toEqual([401, 'UNAUTHORIZED']);
    expect(expired.cookies.find((c) => c.name === server.cookieName)?.value).toBe('');

    const foreign = await query(
      server,
      'ward.board',
      { wardId: b.wardId },
      { cookie: nurseCookie },
    );
    expect([foreign.statusCode, errorCodeOf(foreign)]).toEqual([403, 'FORBIDDEN']);
    expect(foreign.body).not.toContain('patientId');

    const managers = await query(
      server,
      'ward.board',
      { wardId: a.wardId },
      { cookie: managerCookie },
    );
    expect([managers.statusCode, errorCodeOf(managers)]).toEqual([403, 'FORBIDDEN']);

    for (const input of [{ wardId: 'one' }, { wardId: a.wardId, extra: 1 }, {}]) {
      const bad = await query(server, 'ward.board', input, { cookie: nurseCookie });
      expect([bad.statusCode, errorCodeOf(bad)]).toEqual([400, 'BAD_REQUEST']);
    }
    const missing = await query(server, 'ward.board', { wardId: 999_999 }, { cookie: nurseCookie });
    expect([missing.statusCode, errorCodeOf(missing)]).toEqual([403, 'FORBIDDEN']);

    flushAudit(server.db);
    const denials = server.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'ward.board'), eq(auditLog.outcome, 'denied')))
      .all();
    expect(denials.map((row) => row.userId).sort()).toEqual(
      [nurse.id, nurse.id, manager.id].sort(),
    );
    expect(boardAudits(server, nurse.id).filter((row) => row.outcome === 'success')).toEqual([]);
  });

  it('is refused for a cross-site page like every other request', async () => {
    const server = await testServer();
    const { a, nurse } = await ward(server);
    const cookie = await signIn(server, nurse.username);
    const response = await query(
      server,
      'ward.board',
      { wardId: a.wardId },
      { cookie, 'sec-fetch-site': 'cross-site', origin: 'http://evil.example' },
    );
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('patients');
  });
});
