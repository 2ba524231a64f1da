/**
 * Findings 4 and 7 of the security review, over HTTP: an unknown patient id and another ward's
 * patient answer alike; emergency access asks for a reason before anything, answers unknown and
 * foreign ids alike, is capped per person per day, and stays on the admin list until another
 * administrator has reviewed it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { flushAudit } from '../../src/audit.ts';
import { auditLog, emergencyAccess } from '../../src/db/schema.ts';
import { admitPatient, makeUser, makeWard } from '../../src/test-support.ts';
import { errorCodeOf, mutation, query, signIn, testServer, type TestServer } from './support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

const REASON = 'Rapid response call: patient collapsed in the gym';

async function arrange() {
  const server = await testServer();
  servers.push(server);
  const { wardId: wardA } = makeWard(server.db, 'Neuro A');
  const { wardId: wardB } = makeWard(server.db, 'Neuro B');
  const foreign = admitPatient(server.db, { wardId: wardB, name: 'Ward B patient' });
  await makeUser(server.db, ['nurse'], [wardA], 'nurse');
  await makeUser(server.db, ['admin'], [], 'admin');
  await makeUser(server.db, ['admin'], [], 'admin2');
  await makeUser(server.db, ['admin', 'physician'], [wardA], 'doc.admin');
  const cookie = await signIn(server, 'nurse');
  return { server, cookie, foreign, unknown: foreign + 1000 };
}

function refusalOf(response: LightMyRequestResponse) {
  const body = response.json<{ error: { json: { message: string; data: { code: string } } } }>();
  return {
    status: response.statusCode,
    code: body.error.json.data.code,
    message: body.error.json.message,
  };
}

describe('existence probing', () => {
  it('answers an unknown id and another ward’s patient with the same status, code and message', async () => {
    const { server, cookie, foreign, unknown } = await arrange();
    for (const path of ['patient.get', 'patient.timeline', 'rom.list']) {
      const a = refusalOf(await query(server, path, { patientId: foreign }, { cookie }));
      const b = refusalOf(await query(server, path, { patientId: unknown }, { cookie }));
      expect(a).toEqual(b);
      expect(a.code).toBe('FORBIDDEN');
    }
    const write = (patientId: number) =>
      mutation(
        server,
        'nursing.recordVital',
        { patientId, takenAt: '2026-03-02T07:00:00.000Z', kind: 'temperature', value: 37 },
        { cookie },
      );
    expect(refusalOf(await write(foreign))).toEqual(refusalOf(await write(unknown)));
  });

  it('emergency access asks for the reason first, then answers unknown and foreign alike', async () => {
    const { server, cookie, foreign, unknown } = await arrange();
    // Without a reason: the same refusal, naming the reason, whatever the id.
    const noReason = (patientId: number) =>
      mutation(server, 'access.emergency', { patientId, reason: 'x' }, { cookie });
    const a = refusalOf(await noReason(foreign));
    expect(a).toEqual(refusalOf(await noReason(unknown)));
    expect(a.message).toContain('reason');
    // With a reason: the same answer for both.
    const withReason = async (patientId: number) => {
      const response = await mutation(
        server,
        'access.emergency',
        { patientId, reason: REASON },
        { cookie },
      );
      expect(response.statusCode).toBe(200);
      return response.json<{ result: { data: { json: Record<string, unknown> } } }>().result.data
        .json;
    };
    const answerForeign = await withReason(foreign);
    const answerUnknown = await withReason(unknown);
    expect(Object.keys(answerForeign).sort()).toEqual(Object.keys(answerUnknown).sort());
    expect(answerForeign.expiresAt).toEqual(answerUnknown.expiresAt);
    // Both attempts are recorded with the reason; only the real patient has a grant.
    flushAudit(server.db);
    const attempts = server.db
      .select()
      .from(auditLog)
      .all()
      .filter((row) => row.action === 'access.emergency');
    expect(attempts.map((row) => row.outcome)).toEqual(['success', 'failure']);
    expect(attempts.every((row) => (row.detail as { reason: string }).reason === REASON)).toBe(
      true,
    );
    expect(server.db.select().from(emergencyAccess).all()).toHaveLength(1);
  });
});

describe('emergency access limits and review', () => {
  it('is capped per person per 24 hours (unknown ids count), the refusal audited', async () => {
    const { server, cookie, foreign, unknown } = await arrange();
    const ask = (patientId: number) =>
      mutation(server, 'access.emergency', { patientId, reason: REASON }, { cookie });
    expect((await ask(unknown)).statusCode).toBe(200);
    expect((await ask(foreign)).statusCode).toBe(200);
    expect((await ask(foreign)).statusCode).toBe(200);
    const fourth = await ask(foreign);
    expect(errorCodeOf(fourth)).toBe('TOO_MANY_REQUESTS');
    expect(server.db.select().from(emergencyAccess).all()).toHaveLength(2);
    flushAudit(server.db);
    expect(
      server.db
        .select()
        .from(auditLog)
        .all()
        .filter((row) => row.action === 'access.emergency' && row.outcome === 'denied'),
    ).toHaveLength(1);
    server.clock.advance(24 * 60 * 60_000 + 1);
    const nextDay = await mutation(
      server,
      'access.emergency',
      { patientId: foreign, reason: REASON },
      { cookie: await signIn(server, 'nurse') },
    );
    expect(nextDay.statusCode).toBe(200);
  });

  it('stays on the admin list until an administrator other than the grantee reviews it', async () => {
    const { server, foreign } = await arrange();
    const doctor = await signIn(server, 'doc.admin');
    await mutation(
      server,
      'access.emergency',
      { patientId: foreign, reason: REASON },
      {
        cookie: doctor,
      },
    );
    const grantId = server.db.select().from(emergencyAccess).get()!.id;
    const open = async (cookie: string) =>
      (await query(server, 'access.emergencyList', { unreviewed: true }, { cookie })).json<{
        result: { data: { json: { grants: { id: number; reason: string }[] } } };
      }>().result.data.json.grants;
    const admin = await signIn(server, 'admin');
    expect((await open(admin)).map((g) => [g.id, g.reason])).toEqual([[grantId, REASON]]);
    // The grantee, although an administrator, cannot clear their own grant.
    const own = await mutation(server, 'access.emergencyReview', { grantId }, { cookie: doctor });
    expect(errorCodeOf(own)).toBe('FORBIDDEN');
    expect(await open(admin)).toHaveLength(1);
    const reviewed = await mutation(
      server,
      'access.emergencyReview',
      { grantId },
      {
        cookie: admin,
      },
    );
    expect(reviewed.statusCode).toBe(200);
    expect(await open(admin)).toEqual([]);
    const again = await mutation(
      server,
      'access.emergencyReview',
      { grantId },
      {
        cookie: await signIn(server, 'admin2'),
      },
    );
    expect(errorCodeOf(again)).toBe('CONFLICT');
    flushAudit(server.db);
    expect(
      server.db
        .select()
        .from(auditLog)
        .all()
        .filter((row) => row.action === 'access.emergencyReview'),
    ).toMatchObject([{ username: 'admin', patientId: foreign, outcome: 'success' }]);
  });
});
