/**
 * The fixed contract of PRODUCT §6 over real HTTP: a listening server, tRPC's wire format (superjson
 * envelopes), the session cookie, and the status codes an outside check relies on.
 */
import type { AddressInfo } from 'node:net';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildApp } from '../../src/app.ts';
import { flushAudit } from '../../src/audit.ts';
import { auditLog } from '../../src/db/schema.ts';
import type { OssiwatchDb } from '../../src/db/client.ts';
import {
  admitPatient,
  makeUser,
  makeWard,
  migratedMemoryDb,
  TEST_PASSWORD,
  testConfig,
} from '../../src/test-support.ts';

let baseUrl = '';
let close: () => Promise<void> = () => Promise.resolve();
let db: OssiwatchDb;
let wardA: number;
let wardB: number;
let patientA: number;
let patientB: number;

beforeAll(async () => {
  db = migratedMemoryDb();
  const a = makeWard(db, 'Neuro A', 4);
  const b = makeWard(db, 'Neuro B', 4);
  wardA = a.wardId;
  wardB = b.wardId;
  patientA = admitPatient(db, { wardId: wardA, bedId: a.bedIds[0], name: 'Ann Able' });
  patientB = admitPatient(db, { wardId: wardB, bedId: b.bedIds[0], name: 'Ben Baker' });
  await makeUser(db, ['nurse'], [wardA], 'nurse');
  await makeUser(db, ['therapist'], [wardA], 'therapist');
  await makeUser(db, ['manager'], [wardA, wardB], 'manager');
  const app = await buildApp({ db, config: testConfig });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  close = () => app.close();
});
afterAll(() => close());

interface Reply {
  status: number;
  setCookie: string[];
  body: {
    result?: { data: { json: unknown; meta?: unknown } };
    error?: {
      json: { message: string; data: { code: string; httpStatus: number; stack?: unknown } };
    };
  };
}

async function call(
  kind: 'query' | 'mutation',
  path: string,
  input: unknown,
  cookie?: string,
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  const encoded = input === undefined ? undefined : JSON.stringify(superjson.serialize(input));
  const response =
    kind === 'query'
      ? await fetch(
          `${baseUrl}/trpc/${path}${encoded ? `?input=${encodeURIComponent(encoded)}` : ''}`,
          { headers },
        )
      : await fetch(`${baseUrl}/trpc/${path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: encoded ?? '{}',
        });
  return {
    status: response.status,
    setCookie: response.headers.getSetCookie(),
    body: (await response.json()) as Reply['body'],
  };
}

function data<T>(reply: Reply): T {
  expect(reply.body.error).toBeUndefined();
  return superjson.deserialize(reply.body.result!.data as never);
}

async function signIn(username: string): Promise<{ cookie: string; reply: Reply }> {
  const reply = await call('mutation', 'auth.login', { username, password: TEST_PASSWORD });
  const cookie = reply.setCookie.find((c) => c.startsWith('ossiwatch_session='));
  expect(cookie).toBeDefined();
  return { cookie: cookie!.split(';')[0]!, reply };
}

/** A board's live stream (SSE), connected; `readUntil` reads until the text so far matches. */
async function subscribeBoard(cookie: string, wardId: number) {
  const controller = new AbortController();
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ wardId })));
  const stream = await fetch(`${baseUrl}/trpc/ward.onChange?input=${input}`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (pattern: RegExp): Promise<string> => {
    while (!pattern.test(text)) {
      const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    return text;
  };
  await readUntil(/connected/);
  return { stream, readUntil, controller };
}

describe('the fixed contract over HTTP', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie and answers auth.me', async () => {
    const { cookie, reply } = await signIn('nurse');
    expect(reply.status).toBe(200);
    expect(data<{ user: unknown }>(reply).user).toMatchObject({
      username: 'nurse',
      roles: ['nurse'],
      wardIds: [wardA],
    });
    const raw = reply.setCookie.join('\n');
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Strict/i);
    expect(data(await call('query', 'auth.me', undefined, cookie))).toMatchObject({
      username: 'nurse',
    });
  });

  it('gives 401 to an anonymous caller, with a tRPC error envelope and no stack trace', async () => {
    for (const path of ['auth.me', 'ward.list']) {
      const reply = await call('query', path, undefined);
      expect(reply.status).toBe(401);
      expect(reply.body.error?.json.data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
      expect(reply.body.error?.json.data.stack).toBeUndefined();
    }
    expect((await call('query', 'ward.board', { wardId: wardA })).status).toBe(401);
  });

  it("shows the nurse her ward's board and refuses another ward's with 403", async () => {
    const { cookie } = await signIn('nurse');
    expect(data(await call('query', 'ward.list', undefined, cookie))).toEqual([
      expect.objectContaining({ id: wardA, name: 'Neuro A', beds: 4 }),
    ]);
    const board = data<{ ward: { id: number }; patients: { patientId: number; tier: string }[] }>(
      await call('query', 'ward.board', { wardId: wardA }, cookie),
    );
    expect(board.ward.id).toBe(wardA);
    expect(board.patients).toEqual([
      expect.objectContaining({ patientId: patientA, bed: '01', name: 'Ann Able', reasons: [] }),
    ]);
    const refused = await call('query', 'ward.board', { wardId: wardB }, cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.json.data.code).toBe('FORBIDDEN');
    expect((await call('query', 'patient.get', { patientId: patientB }, cookie)).status).toBe(403);
  });

  it('refuses the nurse rom.recordSession with 403 before reading the input', async () => {
    const { cookie } = await signIn('nurse');
    const refused = await call('mutation', 'rom.recordSession', { nonsense: 1 }, cookie);
    expect(refused.status).toBe(403);
  });

  it("records a therapist's session whole, lists it, and refuses a bad one whole", async () => {
    const { cookie } = await signIn('therapist');
    const takenAt = new Date(Date.now() - 60_000).toISOString();
    const saved = data<{ sessionId: number; readingIds: number[] }>(
      await call(
        'mutation',
        'rom.recordSession',
        {
          patientId: patientA,
          takenAt,
          readings: [
            { site: 'knee', side: 'left', movement: 'flexion', mode: 'passive', degrees: 125 },
            { site: 'knee', side: 'right', movement: 'flexion', mode: 'passive', degrees: 130 },
          ],
        },
        cookie,
      ),
    );
    expect(saved.readingIds).toHaveLength(2);
    const bad = await call(
      'mutation',
      'rom.recordSession',
      {
        patientId: patientA,
        takenAt,
        readings: [
          { site: 'elbow', side: 'left', movement: 'flexion', mode: 'active', degrees: 120 },
          { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive', degrees: 400 },
        ],
      },
      cookie,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error?.json.message).toMatch(/readings\.1\.degrees: .*0° to 150°/);
    const list = data<{ id: number; site: string; takenAt: string }[]>(
      await call('query', 'rom.list', { patientId: patientA }, cookie),
    );
    expect(list.map((r) => r.id)).toEqual(saved.readingIds);
    // Instants are ISO 8601 strings in results.
    expect(list[0]!.takenAt).toBe(takenAt);
  });

  it('refuses the manager a patient', async () => {
    const { cookie } = await signIn('manager');
    const refused = await call('query', 'patient.get', { patientId: patientA }, cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.json.message).toMatch(/nurse|therapist|physician/);
  });

  it('refuses a session cookie after sign-out', async () => {
    const { cookie } = await signIn('nurse');
    const out = await call('mutation', 'auth.logout', undefined, cookie);
    expect(out.status).toBe(200);
    expect(out.setCookie.join('\n')).toMatch(/ossiwatch_session=;/);
    expect((await call('query', 'auth.me', undefined, cookie)).status).toBe(401);
    expect((await call('query', 'ward.board', { wardId: wardA }, cookie)).status).toBe(401);
  });

  it('tells a subscribed board over SSE when a patient changes', async () => {
    const { cookie: nurse } = await signIn('nurse');
    const { cookie: therapist } = await signIn('therapist');
    const { stream, readUntil, controller } = await subscribeBoard(nurse, wardA);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    await call(
      'mutation',
      'rom.recordSession',
      {
        patientId: patientA,
        takenAt: new Date(Date.now() - 60_000).toISOString(),
        readings: [
          { site: 'ankle', side: 'left', movement: 'dorsiflexion', mode: 'passive', degrees: 10 },
        ],
      },
      therapist,
    );
    const received = await readUntil(/"kind":"rom"/);
    expect(received).toContain(`"patientId":${patientA}`);
    expect(received).toMatch(/\nid: ?[0-9a-f]+-\d+/);
    controller.abort();
  });

  it('a typo that made a site suspected, marked entered in error: the tier returns, the board hears it live, the reading stays listed and audited', async () => {
    const day = 86_400_000;
    const now = Date.now();
    const patientId = admitPatient(db, {
      wardId: wardA,
      name: 'Cora Typo',
      injuryAt: new Date(now - 30 * day).toISOString(),
      admittedAt: new Date(now - 25 * day).toISOString(),
    });
    const { cookie: nurse } = await signIn('nurse');
    const { cookie: therapist } = await signIn('therapist');
    const hip = { site: 'hip', side: 'left', movement: 'flexion', mode: 'passive' } as const;
    const tierOf = async (): Promise<string | undefined> =>
      data<{ patients: { patientId: number; tier: string }[] }>(
        await call('query', 'ward.board', { wardId: wardA }, nurse),
      ).patients.find((p) => p.patientId === patientId)?.tier;
    data(
      await call(
        'mutation',
        'rom.recordSession',
        {
          patientId,
          takenAt: new Date(now - 3 * day).toISOString(),
          readings: [{ ...hip, degrees: 108 }],
        },
        therapist,
      ),
    );
    data(
      await call(
        'mutation',
        'nursing.recordJointSigns',
        {
          patientId,
          takenAt: new Date(now - 2 * 3_600_000).toISOString(),
          observations: [{ site: 'hip', side: 'left', warmth: true }],
        },
        nurse,
      ),
    );
    const before = await tierOf();
    const typo = data<{ sessionId: number; readingIds: number[] }>(
      await call(
        'mutation',
        'rom.recordSession',
        {
          patientId,
          takenAt: new Date(now - 3_600_000).toISOString(),
          readings: [{ ...hip, degrees: 12 }],
        },
        therapist,
      ),
    );
    const suspected = data<{
      assessment: { sites: { site: string; side: string; state: string }[] };
    }>(await call('query', 'patient.get', { patientId }, nurse)).assessment.sites.find(
      (s) => s.site === 'hip' && s.side === 'left',
    );
    expect(suspected?.state).toBe('suspected');
    expect(await tierOf()).not.toBe(before);

    const { readUntil, controller } = await subscribeBoard(nurse, wardA);
    const withdrawn = await call(
      'mutation',
      'rom.enterInError',
      { sessionId: typo.sessionId, reason: 'typo: 12 for 108' },
      therapist,
    );
    expect(withdrawn.status).toBe(200);
    expect(await readUntil(new RegExp(`"patientId":${patientId}`))).toContain('"kind":"rom"');
    controller.abort();
    expect(await tierOf()).toBe(before);

    const list = data<{ id: number; status: string; statusReason: string | null }[]>(
      await call('query', 'rom.list', { patientId }, nurse),
    );
    expect(list.find((r) => r.id === typo.readingIds[0])).toMatchObject({
      status: 'entered-in-error',
      statusReason: 'typo: 12 for 108',
    });
    flushAudit(db);
    const audit = db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'rom.enterInError'), eq(auditLog.patientId, patientId)))
      .all();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail).toMatchObject({ reason: 'typo: 12 for 108', ids: typo.readingIds });
  });
});
