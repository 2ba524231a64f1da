import { describe, expect, it } from 'vitest';
import { flushAudit } from '../../src/audit.ts';
import { resumeSession } from '../../src/auth/sessions.ts';
import {
  ACCOUNT_FAILURE_LIMIT,
  ADDRESS_FAILURE_LIMIT,
  LOGIN_FAILURE_LIMIT,
  LOGIN_WINDOW_MS,
} from '../../src/auth/throttle.ts';
import type { OssiwatchDb } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema.ts';
import { appRouter } from '../../src/router.ts';
import { TEST_PASSWORD, makeUser, migratedMemoryDb, testConfig } from '../../src/test-support.ts';
import { createCallerFactory, createContextInner } from '../../src/trpc.ts';
import { TestClock, mutation, testServer } from './support.ts';

const createCaller = createCallerFactory(appRouter);

function from(db: OssiwatchDb, clock: TestClock, clientIp: string) {
  return createCaller(createContextInner({ db, config: testConfig, now: clock.now, clientIp }));
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return (error as { code?: string }).code ?? 'ERROR';
  }
}

describe('sign-in throttling', () => {
  it('locks one username at one address after 5 failures, the right password included, for 15 minutes', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['nurse'], [], 'nurse');
    const clock = new TestClock();
    const caller = from(db, clock, '10.0.0.1');
    for (let i = 0; i < LOGIN_FAILURE_LIMIT; i += 1) {
      expect(
        await outcome(caller.auth.login({ username: 'nurse', password: 'wrong-guess!' })),
      ).toBe('UNAUTHORIZED');
    }
    expect(await outcome(caller.auth.login({ username: 'nurse', password: TEST_PASSWORD }))).toBe(
      'TOO_MANY_REQUESTS',
    );
    clock.advance(LOGIN_WINDOW_MS - 1000);
    expect(await outcome(caller.auth.login({ username: 'nurse', password: TEST_PASSWORD }))).toBe(
      'TOO_MANY_REQUESTS',
    );
    clock.advance(1000);
    expect(await outcome(caller.auth.login({ username: 'nurse', password: TEST_PASSWORD }))).toBe(
      'OK',
    );
  });

  it('locks an account guessed at from many addresses', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['nurse'], [], 'nurse');
    const clock = new TestClock();
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i += 1) {
      const caller = from(db, clock, `192.0.2.${i}`);
      expect(await outcome(caller.auth.login({ username: 'nurse', password: 'guess-' + i }))).toBe(
        'UNAUTHORIZED',
      );
    }
    const nurseAtHerDesk = from(db, clock, '10.1.1.1');
    expect(
      await outcome(nurseAtHerDesk.auth.login({ username: 'nurse', password: TEST_PASSWORD })),
    ).toBe('TOO_MANY_REQUESTS');
  });

  it('locks an address that tries one password against many accounts', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['nurse'], [], 'nurse');
    const clock = new TestClock();
    const sprayer = from(db, clock, '198.51.100.9');
    for (let i = 0; i < ADDRESS_FAILURE_LIMIT; i += 1) {
      expect(
        await outcome(sprayer.auth.login({ username: `user${i}`, password: 'Winter2026!' })),
      ).toBe('UNAUTHORIZED');
    }
    expect(await outcome(sprayer.auth.login({ username: 'nurse', password: TEST_PASSWORD }))).toBe(
      'TOO_MANY_REQUESTS',
    );
    const elsewhere = from(db, clock, '10.1.1.1');
    expect(
      await outcome(elsewhere.auth.login({ username: 'nurse', password: TEST_PASSWORD })),
    ).toBe('OK');
  });

  it('lets no more than 5 of 40 simultaneous guesses reach the password check', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['nurse'], [], 'nurse');
    const clock = new TestClock();
    const caller = from(db, clock, '10.0.0.1');
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        outcome(caller.auth.login({ username: 'nurse', password: `guess-number-${i}` })),
      ),
    );
    expect(outcomes.filter((o) => o === 'UNAUTHORIZED')).toHaveLength(LOGIN_FAILURE_LIMIT);
    expect(outcomes.filter((o) => o === 'TOO_MANY_REQUESTS')).toHaveLength(
      40 - LOGIN_FAILURE_LIMIT,
    );
  });

  it('a success clears only that address’s count for that username', async () => {
    const db = migratedMemoryDb();
    await makeUser(db, ['nurse'], [], 'nurse');
    const clock = new TestClock();
    const caller = from(db, clock, '10.0.0.1');
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < LOGIN_FAILURE_LIMIT - 1; i += 1) {
        await outcome(caller.auth.login({ username: 'nurse', password: 'mistyped-it' }));
      }
      expect(await outcome(caller.auth.login({ username: 'nurse', password: TEST_PASSWORD }))).toBe(
        'OK',
      );
    }
  });
});

describe('sign-in answers and audit', () => {
  it('answers an unknown user and a wrong password identically over HTTP', async () => {
    const server = await testServer();
    await makeUser(server.db, ['nurse'], [], 'nurse');
    const unknown = await mutation(server, 'auth.login', {
      username: 'ghost',
      password: 'x-x-x-x',
    });
    const wrong = await mutation(server, 'auth.login', { username: 'nurse', password: 'x-x-x-x' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(unknown.statusCode);
    expect(wrong.body).toBe(unknown.body);
    await server.app.close();
  });

  it('audits success, failure, throttling and sign-out with the client address', async () => {
    const db = migratedMemoryDb();
    const nurse = await makeUser(db, ['nurse'], [], 'nurse');
    const clock = new TestClock();
    let token: string | undefined;
    const caller = createCaller(
      createContextInner({
        db,
        config: testConfig,
        now: clock.now,
        clientIp: '10.0.0.5',
        cookies: {
          set: (value) => {
            token = value;
          },
          clear: () => undefined,
        },
      }),
    );
    await caller.auth.login({ username: 'nurse', password: TEST_PASSWORD });
    expect(token).toBeDefined();
    for (let i = 0; i < LOGIN_FAILURE_LIMIT + 1; i += 1) {
      await outcome(caller.auth.login({ username: 'nurse', password: 'wrong-password' }));
    }
    const session = resumeSession(db, token!, clock.now());
    await createCaller(
      createContextInner({
        db,
        config: testConfig,
        now: clock.now,
        clientIp: '10.0.0.6',
        user: session!.user,
        sessionId: session!.sessionId,
      }),
    ).auth.logout();
    flushAudit(db);
    const all = db.select().from(auditLog).all();
    // Writes are appended at once, reads and refusals at the next group commit: find rows by action.
    expect(all.find((row) => row.action === 'auth.logout')).toMatchObject({
      action: 'auth.logout',
      outcome: 'success',
      userId: nurse.id,
      clientIp: '10.0.0.6',
    });
    const rows = all.filter((row) => row.action === 'auth.login');
    expect(rows[0]).toMatchObject({
      action: 'auth.login',
      outcome: 'success',
      userId: nurse.id,
      clientIp: '10.0.0.5',
    });
    expect(rows.filter((r) => r.outcome === 'failure')).toHaveLength(LOGIN_FAILURE_LIMIT);
    expect(rows.at(-1)).toMatchObject({
      action: 'auth.login',
      outcome: 'denied',
      detail: { reason: 'throttled' },
    });
    for (const row of rows) expect(row.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
