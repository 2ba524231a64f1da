import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushAudit } from '../../src/audit.ts';
import {
  SESSION_IDLE_MS,
  purgeExpiredSessions,
  resumeSession,
  startSession,
} from '../../src/auth/sessions.ts';
import { auditLog, sessions, userRoles, userWards, users } from '../../src/db/schema.ts';
import { eventBusFor } from '../../src/events.ts';
import { SESSION_RECHECK_MS } from '../../src/security/session-streams.ts';
import { callerAs, makeUser, makeWard, migratedMemoryDb } from '../../src/test-support.ts';
import { TestClock, query, signIn, testServer, type TestServer } from './support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const server of servers.splice(0)) await server.app.close();
});

/** A nurse on ward A with an open ward.onChange stream, and the clock and bus behind it. */
async function openStream() {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const db = migratedMemoryDb();
  const { wardId } = makeWard(db, 'A');
  const { wardId: otherWardId } = makeWard(db, 'B');
  const nurse = await makeUser(db, ['nurse'], [wardId, otherWardId], 'nurse');
  const clock = new TestClock();
  const caller = callerAs(db, nurse, clock.now);
  const sessionId = db.select({ id: sessions.id }).from(sessions).get()!.id;
  const stream = (await caller.ward.onChange({ wardId }))[Symbol.asyncIterator]();
  const bus = eventBusFor(db);
  const publish = () => bus.publish({ wardId, patientId: 1, kind: 'rom' });
  // The stream delivers while the session lives.
  const first = stream.next();
  await vi.waitFor(() => expect(bus.listenerCount).toBe(1));
  publish();
  await expect(first).resolves.toMatchObject({ done: false });
  return { db, bus, clock, stream, publish, nurse, sessionId, wardId, otherWardId };
}

describe('an open ward stream', () => {
  it('ends with UNAUTHORIZED once the user signs out (at the next re-check)', async () => {
    const { db, bus, stream, sessionId } = await openStream();
    const next = stream.next();
    db.delete(sessions).where(eq(sessions.id, sessionId)).run();
    vi.advanceTimersByTime(SESSION_RECHECK_MS);
    await expect(next).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // The ward's listener is released with it.
    await vi.waitFor(() => expect(bus.listenerCount).toBe(0));
  });

  it('delivers nothing after the session ended, even between two re-checks', async () => {
    const { db, stream, sessionId, publish } = await openStream();
    db.delete(sessions).where(eq(sessions.id, sessionId)).run();
    publish();
    await expect(stream.next()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('ends after 15 minutes without a request: the stream itself is not activity', async () => {
    const { clock, stream } = await openStream();
    const next = stream.next();
    clock.advance(SESSION_IDLE_MS - 60_000);
    vi.advanceTimersByTime(SESSION_RECHECK_MS);
    clock.advance(2 * 60_000);
    vi.advanceTimersByTime(SESSION_RECHECK_MS);
    await expect(next).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('ends when the account is disabled', async () => {
    const { db, stream, nurse } = await openStream();
    const next = stream.next();
    db.update(users).set({ disabled: true }).where(eq(users.id, nurse.id)).run();
    vi.advanceTimersByTime(SESSION_RECHECK_MS);
    await expect(next).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('ends when the user’s roles change', async () => {
    const { db, stream, nurse } = await openStream();
    const next = stream.next();
    db.insert(userRoles).values({ userId: nurse.id, role: 'manager' }).run();
    vi.advanceTimersByTime(SESSION_RECHECK_MS);
    await expect(next).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('ends with FORBIDDEN when the user is taken off the ward', async () => {
    const { db, stream, nurse, wardId } = await openStream();
    const next = stream.next();
    db.delete(userWards)
      .where(and(eq(userWards.userId, nurse.id), eq(userWards.wardId, wardId)))
      .run();
    vi.advanceTimersByTime(SESSION_RECHECK_MS);
    await expect(next).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps going while the session is valid', async () => {
    const { clock, stream, publish } = await openStream();
    for (let i = 0; i < 5; i += 1) {
      clock.advance(5 * 60_000);
      vi.advanceTimersByTime(SESSION_RECHECK_MS);
      const next = stream.next();
      publish();
      // Activity elsewhere (a board refetch) keeps the session alive; here only 5 minutes pass each time.
      await expect(next).resolves.toMatchObject({ done: false });
      if (i === 1) break;
    }
  });

  it('over HTTP, closes the SSE response and releases the listener when the session ends', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const server = await testServer();
    servers.push(server);
    const { wardId } = makeWard(server.db, 'A');
    await makeUser(server.db, ['nurse'], [wardId], 'nurse');
    const cookie = await signIn(server, 'nurse');
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const input = encodeURIComponent(JSON.stringify({ json: { wardId } }));
    const response = await fetch(`${address}/trpc/ward.onChange?input=${input}`, {
      headers: { cookie, accept: 'text/event-stream' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const bus = eventBusFor(server.db);
    await vi.waitFor(() => expect(bus.listenerCount).toBe(1));
    const body = response.text();
    server.db.delete(sessions).run();
    vi.advanceTimersByTime(SESSION_RECHECK_MS);
    const text = await body;
    expect(text).toContain('UNAUTHORIZED');
    await vi.waitFor(() => expect(bus.listenerCount).toBe(0));
  });
});

describe('sessions end on the server', () => {
  it('when roles change, or the account is disabled (database triggers, whatever the code path)', async () => {
    const server = await testServer();
    servers.push(server);
    const { wardId } = makeWard(server.db, 'A');
    const nurse = await makeUser(server.db, ['nurse'], [wardId], 'nurse');
    const pt = await makeUser(server.db, ['therapist'], [wardId], 'pt');
    const nurseCookie = await signIn(server, 'nurse');
    const ptCookie = await signIn(server, 'pt');
    server.db.delete(userRoles).where(eq(userRoles.userId, nurse.id)).run();
    expect((await query(server, 'auth.me', undefined, { cookie: nurseCookie })).statusCode).toBe(
      401,
    );
    expect((await query(server, 'auth.me', undefined, { cookie: ptCookie })).statusCode).toBe(200);
    server.db.update(users).set({ disabled: true }).where(eq(users.id, pt.id)).run();
    expect(server.db.select().from(sessions).all()).toHaveLength(0);
    expect((await query(server, 'auth.me', undefined, { cookie: ptCookie })).statusCode).toBe(401);
  });

  it('after 15 minutes idle and after 12 hours, each audited as a time-out', async () => {
    const server = await testServer();
    servers.push(server);
    await makeUser(server.db, ['nurse'], [makeWard(server.db, 'A').wardId], 'nurse');
    const cookie = await signIn(server, 'nurse');
    server.clock.advance(14 * 60_000);
    expect((await query(server, 'auth.me', undefined, { cookie })).statusCode).toBe(200);
    server.clock.advance(15 * 60_000 + 1);
    expect((await query(server, 'auth.me', undefined, { cookie })).statusCode).toBe(401);

    const longDay = await signIn(server, 'nurse');
    for (let minutes = 10; minutes <= 12 * 60; minutes += 10) {
      server.clock.advance(10 * 60_000);
      const status = (await query(server, 'auth.me', undefined, { cookie: longDay })).statusCode;
      expect(status, `${minutes} min`).toBe(200);
    }
    server.clock.advance(10 * 60_000);
    expect((await query(server, 'auth.me', undefined, { cookie: longDay })).statusCode).toBe(401);
    flushAudit(server.db);
    const timeouts = server.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'auth.timeout'))
      .all();
    expect(
      timeouts.map((row) => [row.username, (row.detail as { reason: string }).reason]),
    ).toEqual([
      ['nurse', 'idle'],
      ['nurse', 'max'],
    ]);
  });

  it('purges sessions nobody returned to, auditing each as a time-out', async () => {
    const db = migratedMemoryDb();
    const nurse = await makeUser(db, ['nurse'], [], 'nurse');
    const clock = new TestClock();
    const { token } = startSession(db, nurse.id, clock.now(), '10.0.0.7');
    startSession(db, nurse.id, clock.now(), '10.0.0.8');
    clock.advance(SESSION_IDLE_MS - 1);
    expect(purgeExpiredSessions(db, clock.now())).toBe(0);
    clock.advance(2);
    expect(purgeExpiredSessions(db, clock.now())).toBe(2);
    expect(resumeSession(db, token, clock.now())).toBeUndefined();
    flushAudit(db);
    const rows = db.select().from(auditLog).all();
    expect(rows.map((row) => [row.action, row.userId, row.clientIp])).toEqual([
      ['auth.timeout', nurse.id, '10.0.0.7'],
      ['auth.timeout', nurse.id, '10.0.0.8'],
    ]);
  });
});
