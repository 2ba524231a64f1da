import { DEFAULT_HO_WATCH_SETTINGS } from '@ossiwatch/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resumeSession, startSession } from '../auth/sessions.ts';
import type { OssiwatchDb } from '../db/client.ts';
import {
  admitPatient,
  callerAs,
  callerFor,
  makeUser,
  makeWard,
  migratedMemoryDb,
  TEST_PASSWORD,
} from '../test-support.ts';
import { passwordProblem } from './admin.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const clock = () => NOW;
const STRONG = 'a walk by the river at dusk';

async function setup() {
  const db = migratedMemoryDb();
  const a = makeWard(db, 'A ward', 2);
  const b = makeWard(db, 'B ward', 2);
  const admin = await makeUser(db, ['admin'], [a.wardId, b.wardId], 'root');
  const second = await makeUser(db, ['admin'], [], 'second');
  return {
    db,
    a,
    b,
    admin,
    caller: callerAs(db, admin, clock),
    second: callerAs(db, second, clock),
  };
}

function auditActions(db: OssiwatchDb): string[] {
  return (
    db.$client.prepare('SELECT action FROM audit_log ORDER BY id').all() as { action: string }[]
  ).map((r) => r.action);
}

describe('password rules (ASVS V2.1)', () => {
  it('wants 12 characters or more, and nothing else of composition', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('all lower case words')).toBeUndefined();
    expect(passwordProblem('ünïcödé pässwörd')).toBeUndefined();
  });

  it('refuses the most common passwords, in any case, the username and one repeated character', () => {
    expect(passwordProblem('Password1234')).toMatch(/common/);
    expect(passwordProblem('123456789012')).toMatch(/common/);
    expect(passwordProblem('zzzzzzzzzzzzzz')).toMatch(/repeated/);
    expect(passwordProblem('jsmith-is-my-password', 'jsmith')).toMatch(/username/);
  });

  it('accepts any 12+ character string of distinct words (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12, maxLength: 60 }), (password) => {
        fc.pre(new Set(password).size > 1 && [...password].length >= 12);
        fc.pre(!/^\d+$/.test(password));
        const problem = passwordProblem(`${password}!x`);
        return problem === undefined || /common/.test(problem);
      }),
    );
  });
});

describe('admin.users', () => {
  it('creates an account that can sign in, with its roles and wards once a second administrator confirms, audited', async () => {
    const { db, a, caller, second } = await setup();
    const { id, pendingChangeId } = await caller.admin.users.create({
      username: 'J.Smith',
      displayName: 'Jo Smith',
      password: STRONG,
      roles: ['nurse'],
      wardIds: [a.wardId],
    });
    const before = await callerFor(db, clock).auth.login({ username: 'j.smith', password: STRONG });
    expect(before.user).toMatchObject({ id, roles: [], wardIds: [] });
    await second.admin.changes.confirm({ changeId: pendingChangeId! });
    const { user } = await callerFor(db, clock).auth.login({
      username: 'j.smith',
      password: STRONG,
    });
    expect(user).toMatchObject({ id, roles: ['nurse'], wardIds: [a.wardId] });
    const listed = (await caller.admin.users.list()).find((u) => u.id === id);
    expect(listed).toMatchObject({ username: 'j.smith', disabled: false, version: 2 });
    expect(auditActions(db)).toEqual(
      expect.arrayContaining(['admin.users.create', 'admin.changes.confirm']),
    );
  });

  it('refuses a weak password, a taken username and an unknown ward', async () => {
    const { a, caller } = await setup();
    const base = { displayName: 'X', roles: ['nurse' as const], wardIds: [a.wardId] };
    await expect(
      caller.admin.users.create({ ...base, username: 'x1', password: 'password1234' }),
    ).rejects.toThrow(/^password: is one of the most common/);
    await expect(
      caller.admin.users.create({ ...base, username: 'root', password: STRONG }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      caller.admin.users.create({ ...base, username: 'x2', password: STRONG, wardIds: [999] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      caller.admin.users.create({ ...base, username: 'bad name!', password: STRONG }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it("disabling ends the user's sessions at once; enabling lets them sign in again", async () => {
    const { db, a, caller } = await setup();
    const nurse = await makeUser(db, ['nurse'], [a.wardId], 'nina');
    const { token } = startSession(db, nurse.id, NOW, null);
    expect(resumeSession(db, token, NOW)).toBeDefined();
    const { version } = await caller.admin.users.disable({ userId: nurse.id, expectedVersion: 1 });
    expect(resumeSession(db, token, NOW)).toBeUndefined();
    await expect(
      callerFor(db, clock).auth.login({ username: 'nina', password: TEST_PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await caller.admin.users.enable({ userId: nurse.id, expectedVersion: version });
    await expect(
      callerFor(db, clock).auth.login({ username: 'nina', password: TEST_PASSWORD }),
    ).resolves.toBeDefined();
  });

  it('refuses a stale version with CONFLICT and an unknown user with NOT_FOUND', async () => {
    const { db, a, caller } = await setup();
    const nurse = await makeUser(db, ['nurse'], [a.wardId]);
    await caller.admin.users.setWards({ userId: nurse.id, expectedVersion: 1, wardIds: [] });
    await expect(
      caller.admin.users.setRoles({ userId: nurse.id, expectedVersion: 1, roles: ['therapist'] }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      caller.admin.users.disable({ userId: 9999, expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('changing roles ends the sessions and records old and new roles', async () => {
    const { db, a, caller } = await setup();
    const nurse = await makeUser(db, ['nurse'], [a.wardId]);
    const { token } = startSession(db, nurse.id, NOW, null);
    await caller.admin.users.setRoles({
      userId: nurse.id,
      expectedVersion: 1,
      roles: ['nurse', 'manager'],
    });
    expect(resumeSession(db, token, NOW)).toBeUndefined();
    const row = db.$client
      .prepare("SELECT detail FROM audit_log WHERE action = 'admin.users.setRoles'")
      .get() as { detail: string };
    expect(JSON.parse(row.detail)).toMatchObject({ old: ['nurse'], new: ['manager', 'nurse'] });
  });

  it('setting wards changes what the user sees, once a second administrator confirms', async () => {
    const { db, a, b, caller, second } = await setup();
    const nurse = await makeUser(db, ['nurse'], [a.wardId]);
    const { pendingChangeId } = await caller.admin.users.setWards({
      userId: nurse.id,
      expectedVersion: 1,
      wardIds: [b.wardId],
    });
    await second.admin.changes.confirm({ changeId: pendingChangeId! });
    const { user } = await callerFor(db, clock).auth.login({
      username: nurse.username,
      password: TEST_PASSWORD,
    });
    expect(user.wardIds).toEqual([b.wardId]);
  });

  it('resetting a password ends the sessions; the new one signs in, the old one not', async () => {
    const { db, a, caller } = await setup();
    const nurse = await makeUser(db, ['nurse'], [a.wardId]);
    const { token } = startSession(db, nurse.id, NOW, null);
    await caller.admin.users.resetPassword({
      userId: nurse.id,
      expectedVersion: 1,
      password: STRONG,
    });
    expect(resumeSession(db, token, NOW)).toBeUndefined();
    await expect(
      callerFor(db, clock).auth.login({ username: nurse.username, password: TEST_PASSWORD }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      callerFor(db, clock).auth.login({ username: nurse.username, password: STRONG }),
    ).resolves.toBeDefined();
  });

  it('keeps an administrator from locking themselves out', async () => {
    const { admin, caller } = await setup();
    await expect(
      caller.admin.users.disable({ userId: admin.id, expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      caller.admin.users.setRoles({ userId: admin.id, expectedVersion: 1, roles: ['nurse'] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('is refused to everyone but administrators, before the input is read', async () => {
    const { db, a } = await setup();
    for (const role of ['nurse', 'therapist', 'physician', 'manager'] as const) {
      const user = await makeUser(db, [role], [a.wardId]);
      const caller = callerAs(db, user, clock);
      await expect(caller.admin.users.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(
        // @ts-expect-error: malformed on purpose
        caller.admin.users.create({ nonsense: true }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(caller.admin.settings.get()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(callerFor(db, clock).admin.wards.list()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});

describe('admin.wards and admin.beds', () => {
  it('creates a ward with beds, renames it with its version, and CONFLICTs on a stale one', async () => {
    const { db, caller } = await setup();
    const { id } = await caller.admin.wards.create({
      name: 'Stroke Unit',
      bedLabels: ['S-01', 'S-02'],
    });
    const ward = (await caller.admin.wards.list()).find((w) => w.id === id);
    expect(ward).toMatchObject({ name: 'Stroke Unit', timeZone: 'Europe/London', version: 1 });
    expect(ward?.beds.map((b) => b.label)).toEqual(['S-01', 'S-02']);
    await caller.admin.wards.rename({ wardId: id, expectedVersion: 1, name: 'Stroke Rehab' });
    await expect(
      caller.admin.wards.rename({ wardId: id, expectedVersion: 1, name: 'Again' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(caller.admin.wards.create({ name: 'A ward' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      caller.admin.wards.create({ name: 'Mars', timeZone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.admin.wards.create({ name: '!' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'name: must contain at least one letter or digit',
    });
    await expect(
      caller.admin.wards.create({ name: 'Ward\u202eB', bedLabels: ['B-01'] }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /^name: must not contain control/ });
    // A misspelt or unknown field is refused by name, not silently dropped.
    await expect(
      caller.admin.wards.create({ name: 'Spinal', beds: ['S-01'] } as never),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: /^input: .*"beds"/ });
    expect(auditActions(db)).toEqual(
      expect.arrayContaining(['admin.wards.create', 'admin.wards.rename']),
    );
  });

  it('adds and deactivates beds, but never an occupied one', async () => {
    const { db, a, caller } = await setup();
    const [occupiedBed, freeBed] = a.bedIds;
    admitPatient(db, { wardId: a.wardId, bedId: occupiedBed ?? null });
    await expect(caller.admin.beds.deactivate({ bedId: occupiedBed ?? 0 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await caller.admin.beds.deactivate({ bedId: freeBed ?? 0 });
    expect(
      (await callerAs(db, await makeUser(db, ['nurse'], [a.wardId]), clock).ward.list())[0],
    ).toMatchObject({ beds: 1 });
    // The same label brings the bed back rather than making a second one.
    const { id } = await caller.admin.beds.add({ wardId: a.wardId, label: '02' });
    expect(id).toBe(freeBed);
    await expect(caller.admin.beds.add({ wardId: a.wardId, label: '02' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(caller.admin.beds.add({ wardId: 999, label: '01' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('admin.settings', () => {
  it('starts at the defaults, saves a validated change with its history and audit, and reassesses', async () => {
    const { db, a, caller } = await setup();
    admitPatient(db, { wardId: a.wardId, bedId: a.bedIds[0] ?? null });
    const initial = await caller.admin.settings.get();
    expect(initial).toMatchObject({ version: 0, settings: DEFAULT_HO_WATCH_SETTINGS, history: [] });
    const saved = await caller.admin.settings.update({
      expectedVersion: 0,
      settings: { romDeclineDegrees: 10 },
    });
    expect(saved).toMatchObject({ version: 1, changed: ['romDeclineDegrees'], reassessed: 1 });
    const after = await caller.admin.settings.get();
    expect(after.settings.romDeclineDegrees).toBe(10);
    expect(after.history).toHaveLength(1);
    expect(after.history[0]).toMatchObject({ version: 1, changedBy: 'root' });
    const row = db.$client
      .prepare("SELECT category, detail FROM audit_log WHERE action = 'admin.settings.update'")
      .get() as { category: string; detail: string };
    expect(row.category).toBe('settings');
    expect(JSON.parse(row.detail)).toMatchObject({
      old: { romDeclineDegrees: DEFAULT_HO_WATCH_SETTINGS.romDeclineDegrees },
      new: { romDeclineDegrees: 10 },
    });
  });

  it('refuses invalid thresholds naming the field, and a stale version', async () => {
    const { caller } = await setup();
    await expect(
      caller.admin.settings.update({ expectedVersion: 0, settings: { romDeclineDegrees: -5 } }),
    ).rejects.toThrow(/settings\.romDeclineDegrees: /);
    await expect(
      caller.admin.settings.update({ expectedVersion: 0, settings: { romDeclineDegreez: 5 } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await caller.admin.settings.update({ expectedVersion: 0, settings: { overdueDays: 5 } });
    await expect(
      caller.admin.settings.update({ expectedVersion: 0, settings: { overdueDays: 6 } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
