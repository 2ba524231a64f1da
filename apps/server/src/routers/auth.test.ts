import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { resumeSession } from '../auth/sessions.ts';
import { auditLog, sessions, users } from '../db/schema.ts';
import { flushAudit } from '../audit.ts';
import { createCallerFactory, createContextInner } from '../trpc.ts';
import { appRouter } from '../router.ts';
import {
  TEST_PASSWORD,
  callerFor,
  makeUser,
  makeWard,
  migratedMemoryDb,
  testConfig,
} from '../test-support.ts';
import type { OssiwatchDb } from '../db/client.ts';

const createCaller = createCallerFactory(appRouter);

/** A caller that keeps the cookie the server sets, like a browser. */
function browser(db: OssiwatchDb, now: () => Date) {
  const jar: { token: string | undefined } = { token: undefined };
  const caller = () => {
    const session = jar.token ? resumeSession(db, jar.token, now()) : undefined;
    return createCaller(
      createContextInner({
        db,
        config: testConfig,
        now,
        user: session?.user ?? null,
        sessionId: session?.sessionId ?? null,
        clientIp: '10.0.0.1',
        cookies: {
          set: (token) => {
            jar.token = token;
          },
          clear: () => {
            jar.token = undefined;
          },
        },
      }),
    );
  };
  return { jar, caller };
}

describe('auth', () => {
  it('signs in, knows who is signed in, and signs out on the server', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'A');
    const nurse = await makeUser(db, ['nurse'], [wardId], 'nurse');
    let now = new Date('2026-03-01T08:00:00Z');
    const clock = () => now;
    const b = browser(db, clock);
    const result = await b.caller().auth.login({ username: 'Nurse', password: TEST_PASSWORD });
    expect(result).toEqual({
      user: {
        id: nurse.id,
        username: 'nurse',
        displayName: 'nurse',
        roles: ['nurse'],
        wardIds: [wardId],
      },
    });
    expect(b.jar.token).toBeDefined();
    // Only the SHA-256 of the token is stored.
    const stored = db.select().from(sessions).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).not.toBe(b.jar.token);
    expect(await b.caller().auth.me()).toMatchObject({ username: 'nurse' });

    const token = b.jar.token!;
    now = new Date('2026-03-01T08:05:00Z');
    await b.caller().auth.logout();
    expect(b.jar.token).toBeUndefined();
    // The old cookie, replayed, is refused.
    b.jar.token = token;
    await expect(b.caller().auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('gives the same answer for an unknown user and a wrong password, and audits both', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['nurse'], [], 'nurse');
    const caller = callerFor(db);
    const unknown = await caller.auth
      .login({ username: 'ghost', password: 'whatever-it-is' })
      .catch((e: unknown) => e);
    const wrong = await caller.auth
      .login({ username: 'nurse', password: 'wrong-password!' })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Unknown username or wrong password.',
    });
    expect(wrong).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Unknown username or wrong password.',
    });
    flushAudit(db);
    const rows = db.select().from(auditLog).all();
    expect(rows.map((r) => [r.action, r.outcome, r.username])).toEqual([
      ['auth.login', 'failure', 'ghost'],
      ['auth.login', 'failure', 'nurse'],
    ]);
  });

  it('starts a new session id at every sign-in, ending the one the browser had', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['therapist'], [], 'pt');
    const b = browser(db, () => new Date());
    await b.caller().auth.login({ username: 'pt', password: TEST_PASSWORD });
    const first = b.jar.token;
    await b.caller().auth.login({ username: 'pt', password: TEST_PASSWORD });
    expect(b.jar.token).not.toBe(first);
    expect(db.select().from(sessions).all()).toHaveLength(1);
  });

  it('ends a session after 15 minutes idle and after 12 hours in all', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['nurse'], [], 'nurse');
    let now = new Date('2026-03-01T08:00:00Z');
    const b = browser(db, () => now);
    await b.caller().auth.login({ username: 'nurse', password: TEST_PASSWORD });
    now = new Date('2026-03-01T08:14:00Z');
    await expect(b.caller().auth.me()).resolves.toMatchObject({ username: 'nurse' });
    now = new Date('2026-03-01T08:30:00Z');
    await expect(b.caller().auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    now = new Date('2026-03-01T09:00:00Z');
    await b.caller().auth.login({ username: 'nurse', password: TEST_PASSWORD });
    // Active every 10 minutes all day: still signed out at 12 hours.
    for (let minutes = 10; minutes < 12 * 60; minutes += 10) {
      now = new Date(Date.parse('2026-03-01T09:00:00Z') + minutes * 60_000);
      await b.caller().auth.me();
    }
    now = new Date('2026-03-01T21:01:00Z');
    await expect(b.caller().auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('ends the session when the account is disabled, and refuses its sign-in', async () => {
    const db = migratedMemoryDb();
    const nurse = await makeUser(db, ['nurse'], [], 'nurse');
    const b = browser(db, () => new Date());
    await b.caller().auth.login({ username: 'nurse', password: TEST_PASSWORD });
    db.update(users).set({ disabled: true }).where(eq(users.id, nurse.id)).run();
    await expect(b.caller().auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      b.caller().auth.login({ username: 'nurse', password: TEST_PASSWORD }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'Unknown username or wrong password.',
    });
  });

  it('throttles repeated failures for one username', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['nurse'], [], 'nurse');
    const caller = callerFor(db);
    for (let i = 0; i < 5; i += 1) {
      await expect(
        caller.auth.login({ username: 'nurse', password: 'not-the-password' }),
      ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    }
    await expect(
      caller.auth.login({ username: 'nurse', password: TEST_PASSWORD }),
    ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('refuses me for an anonymous caller', async () => {
    await expect(callerFor(migratedMemoryDb()).auth.me()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
