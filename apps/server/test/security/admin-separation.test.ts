/**
 * Finding 2 of the security review, over HTTP: an administrator cannot give itself clinical access,
 * directly or through an account it creates; a grant of a clinical role or a ward waits for a second
 * administrator, who confirms or rejects it; every step is audited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { flushAudit } from '../../src/audit.ts';
import { auditLog, users } from '../../src/db/schema.ts';
import { admitPatient, makeUser, makeWard } from '../../src/test-support.ts';
import { eq } from 'drizzle-orm';
import { errorCodeOf, mutation, query, signIn, testServer, type TestServer } from './support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

async function arrange() {
  const server = await testServer();
  servers.push(server);
  const { wardId } = makeWard(server.db, 'Neuro A');
  const patientId = admitPatient(server.db, { wardId, name: 'Ada Secret' });
  const self = await makeUser(server.db, ['admin'], [], 'admin');
  await makeUser(server.db, ['admin'], [], 'admin2');
  const cookie = await signIn(server, 'admin');
  return { server, cookie, wardId, patientId, self };
}

function dataOf<T>(response: { json: <U>() => U }): T {
  return response.json<{ result: { data: { json: T } } }>().result.data.json;
}

describe('administrators and clinical access', () => {
  it('an administrator cannot change its own roles or wards, and reads no patient', async () => {
    const { server, cookie, wardId, patientId, self } = await arrange();
    const roles = await mutation(
      server,
      'admin.users.setRoles',
      { userId: self.id, expectedVersion: 1, roles: ['admin', 'nurse'] },
      { cookie },
    );
    expect(errorCodeOf(roles)).toBe('BAD_REQUEST');
    expect(roles.body).toContain('your own roles');
    const wards = await mutation(
      server,
      'admin.users.setWards',
      { userId: self.id, expectedVersion: 1, wardIds: [wardId] },
      { cookie },
    );
    expect(errorCodeOf(wards)).toBe('BAD_REQUEST');
    const again = await signIn(server, 'admin');
    const read = await query(server, 'patient.get', { patientId }, { cookie: again });
    expect(errorCodeOf(read)).toBe('FORBIDDEN');
    expect(read.body).not.toContain('Ada Secret');
  });

  it('an account an administrator creates with clinical access has none until a second one confirms', async () => {
    const { server, cookie, wardId, patientId } = await arrange();
    const created = await mutation(
      server,
      'admin.users.create',
      {
        username: 'sock.puppet',
        displayName: 'Sock Puppet',
        password: 'a long enough passphrase 7',
        roles: ['nurse'],
        wardIds: [wardId],
      },
      { cookie },
    );
    const { pendingChangeId } = dataOf<{ pendingChangeId: number }>(created);
    expect(pendingChangeId).toBeGreaterThan(0);
    const puppetCookie = await signInAs(server, 'sock.puppet', 'a long enough passphrase 7');
    expect(
      errorCodeOf(await query(server, 'patient.get', { patientId }, { cookie: puppetCookie })),
    ).toBe('FORBIDDEN');
    // The one who asked cannot confirm it.
    const own = await mutation(
      server,
      'admin.changes.confirm',
      { changeId: pendingChangeId },
      { cookie },
    );
    expect(errorCodeOf(own)).toBe('FORBIDDEN');
    // The second administrator sees it pending, with what it would grant, and confirms it.
    const second = await signIn(server, 'admin2');
    const pending = dataOf<{ id: number; username: string; requested: { roles: string[] } }[]>(
      await query(server, 'admin.changes.list', undefined, { cookie: second }),
    );
    expect(pending).toMatchObject([
      { id: pendingChangeId, username: 'sock.puppet', requested: { roles: ['nurse'] } },
    ]);
    const confirmed = await mutation(
      server,
      'admin.changes.confirm',
      { changeId: pendingChangeId },
      { cookie: second },
    );
    expect(confirmed.statusCode).toBe(200);
    const nurseCookie = await signInAs(server, 'sock.puppet', 'a long enough passphrase 7');
    const read = await query(server, 'patient.get', { patientId }, { cookie: nurseCookie });
    expect(read.statusCode).toBe(200);
    flushAudit(server.db);
    const actions = server.db
      .select()
      .from(auditLog)
      .all()
      .map((row) => `${row.username} ${row.action}`);
    expect(actions).toEqual(
      expect.arrayContaining(['admin admin.users.create', 'admin2 admin.changes.confirm']),
    );
  });

  it('a second administrator may reject a grant; taking access away needs nobody else', async () => {
    const { server, cookie, wardId } = await arrange();
    const nurse = await makeUser(server.db, ['nurse'], [], 'nurse');
    const asked = await mutation(
      server,
      'admin.users.setWards',
      { userId: nurse.id, expectedVersion: 1, wardIds: [wardId] },
      { cookie },
    );
    const { pendingChangeId, version } = dataOf<{ pendingChangeId: number; version: number }>(
      asked,
    );
    expect(version).toBe(1);
    const second = await signIn(server, 'admin2');
    const rejected = await mutation(
      server,
      'admin.changes.reject',
      { changeId: pendingChangeId },
      { cookie: second },
    );
    expect(rejected.statusCode).toBe(200);
    const late = await mutation(
      server,
      'admin.changes.confirm',
      { changeId: pendingChangeId },
      { cookie: second },
    );
    expect(errorCodeOf(late)).toBe('CONFLICT');
    const removed = await mutation(
      server,
      'admin.users.setRoles',
      { userId: nurse.id, expectedVersion: 1, roles: ['manager'] },
      { cookie },
    );
    expect(dataOf<{ pendingChangeId: number | null }>(removed).pendingChangeId).toBeNull();
    const row = server.db.select().from(users).where(eq(users.id, nurse.id)).get();
    expect(row?.version).toBe(2);
  });

  it('a pending role survives a ward taken away, and goes stale when the roles change', async () => {
    const { server, cookie, wardId } = await arrange();
    const nurse = await makeUser(server.db, ['nurse'], [wardId], 'nurse');
    const asked = dataOf<{ pendingChangeId: number; version: number }>(
      await mutation(
        server,
        'admin.users.setRoles',
        { userId: nurse.id, expectedVersion: 1, roles: ['nurse', 'physician'] },
        { cookie },
      ),
    );
    const removed = dataOf<{ version: number }>(
      await mutation(
        server,
        'admin.users.setWards',
        { userId: nurse.id, expectedVersion: asked.version, wardIds: [] },
        { cookie },
      ),
    );
    const second = await signIn(server, 'admin2');
    const confirmed = await mutation(
      server,
      'admin.changes.confirm',
      { changeId: asked.pendingChangeId },
      { cookie: second },
    );
    expect(confirmed.statusCode).toBe(200);
    const again = dataOf<{ pendingChangeId: number }>(
      await mutation(
        server,
        'admin.users.setRoles',
        {
          userId: nurse.id,
          expectedVersion: removed.version + 1,
          roles: ['physician', 'therapist'],
        },
        { cookie },
      ),
    );
    await mutation(
      server,
      'admin.users.setRoles',
      { userId: nurse.id, expectedVersion: removed.version + 1, roles: ['manager'] },
      { cookie },
    );
    const stale = await mutation(
      server,
      'admin.changes.confirm',
      { changeId: again.pendingChangeId },
      { cookie: second },
    );
    expect(errorCodeOf(stale)).toBe('CONFLICT');
  });
});

async function signInAs(server: TestServer, username: string, password: string): Promise<string> {
  const response = await mutation(server, 'auth.login', { username, password });
  const cookie = response.cookies.find((c) => c.name === server.cookieName);
  return `${cookie!.name}=${cookie!.value}`;
}
