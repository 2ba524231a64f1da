import { describe, expect, it } from 'vitest';
import { appendAudit, flushAudit, type AuditEntry } from '../audit.ts';
import type { OssiwatchDb } from '../db/client.ts';
import {
  admitPatient,
  callerAs,
  callerFor,
  makeUser,
  makeWard,
  migratedMemoryDb,
} from '../test-support.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const clock = () => NOW;

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return {
    at: NOW,
    userId: 1,
    username: 'nina',
    action: 'patient.get',
    patientId: 7,
    category: 'read',
    outcome: 'success',
    clientIp: '10.0.0.1',
    ...overrides,
  };
}

function write(db: OssiwatchDb, ...entries: AuditEntry[]): void {
  db.transaction((tx) => appendAudit(tx, ...entries));
}

describe('audit.list', () => {
  it('lists entries newest first with who, when, what, which patient, outcome and address', async () => {
    const db = migratedMemoryDb();
    const admin = await makeUser(db, ['admin'], [], 'root');
    write(
      db,
      entry({
        at: new Date('2026-02-01T08:00:00.000Z'),
        action: 'rom.recordSession',
        category: 'write',
      }),
      entry({ at: new Date('2026-02-02T08:00:00.000Z') }),
    );
    const { entries, nextCursor } = await callerAs(db, admin, clock).audit.list({
      user: 'nina',
    });
    expect(entries.map((e) => e.action)).toEqual(['patient.get', 'rom.recordSession']);
    expect(entries[0]).toMatchObject({
      at: '2026-02-02T08:00:00.000Z',
      username: 'nina',
      patientId: 7,
      category: 'read',
      outcome: 'success',
      clientIp: '10.0.0.1',
    });
    expect(nextCursor).toBeNull();
  });

  it('filters by user id, patient, time range, action prefix and outcome', async () => {
    const db = migratedMemoryDb();
    const admin = await makeUser(db, ['admin'], [], 'root');
    write(
      db,
      entry({ at: new Date('2026-01-10T00:00:00.000Z'), patientId: 1 }),
      entry({ at: new Date('2026-01-20T00:00:00.000Z'), patientId: 2, userId: 5, username: 'tom' }),
      entry({
        at: new Date('2026-01-25T00:00:00.000Z'),
        patientId: null,
        action: 'admin.users.create',
        category: 'admin',
      }),
      entry({
        at: new Date('2026-01-26T00:00:00.000Z'),
        patientId: null,
        action: 'auth.login',
        outcome: 'failure',
      }),
    );
    const caller = callerAs(db, admin, clock);
    const actions = async (input: Parameters<typeof caller.audit.list>[0]) =>
      (await caller.audit.list(input)).entries.map((e) => `${e.action}@${e.at.slice(0, 10)}`);
    expect(await actions({ patient: 2 })).toEqual(['patient.get@2026-01-20']);
    expect(await actions({ user: 5 })).toEqual(['patient.get@2026-01-20']);
    expect(await actions({ from: '2026-01-15', to: '2026-01-25' })).toEqual([
      'patient.get@2026-01-20',
    ]);
    expect(await actions({ action: 'admin.' })).toEqual(['admin.users.create@2026-01-25']);
    expect(await actions({ action: 'auth.login', outcome: 'failure' })).toEqual([
      'auth.login@2026-01-26',
    ]);
  });

  it('pages through everything exactly once with the cursor', async () => {
    const db = migratedMemoryDb();
    const admin = await makeUser(db, ['admin'], [], 'root');
    write(db, ...Array.from({ length: 23 }, (_, i) => entry({ patientId: i + 1 })));
    const caller = callerAs(db, admin, clock);
    const seen: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await caller.audit.list({ action: 'patient.get', limit: 10, cursor });
      seen.push(...page.entries.map((e) => e.patientId ?? 0));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => 23 - i));
  });

  it("shows a nurse's patient.get with her name", async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'A ward');
    const nurse = await makeUser(db, ['nurse'], [wardId], 'nina');
    const admin = await makeUser(db, ['admin'], [], 'root');
    await callerAs(db, nurse, clock).ward.board({ wardId });
    flushAudit(db);
    const { entries } = await callerAs(db, admin, clock).audit.list({ user: 'nina' });
    expect(entries.map((e) => e.action)).toContain('ward.board');
  });

  it('names who acted (name and roles) and the ward: the one the detail names, else the patient stay of that moment', async () => {
    const db = migratedMemoryDb();
    const admin = await makeUser(db, ['admin'], [], 'root');
    const first = makeWard(db, 'Ward 1');
    const second = makeWard(db, 'Ward 2');
    const tina = await makeUser(db, ['therapist', 'nurse'], [first.wardId], 'tina');
    const patientId = admitPatient(db, {
      wardId: second.wardId,
      admittedAt: '2026-01-10T09:00:00.000Z',
    });
    write(
      db,
      entry({ userId: tina.id, username: 'tina', action: 'rom.recordSession', patientId }),
      entry({
        userId: tina.id,
        username: 'tina',
        action: 'ward.board',
        patientId: null,
        detail: { wardId: first.wardId, patientIds: [] },
      }),
      // Before the patient was admitted: no stay, so no ward.
      entry({ at: new Date('2026-01-01T00:00:00.000Z'), userId: null, username: null, patientId }),
    );
    const { entries } = await callerAs(db, admin, clock).audit.list({ user: 'tina' });
    expect(entries.map((e) => [e.action, e.actor, e.wardName])).toEqual([
      ['ward.board', { displayName: 'tina', roles: ['nurse', 'therapist'] }, 'Ward 1'],
      ['rom.recordSession', { displayName: 'tina', roles: ['nurse', 'therapist'] }, 'Ward 2'],
    ]);
    const early = await callerAs(db, admin, clock).audit.list({ to: '2026-01-02' });
    expect(entries.map((e) => e.account)).toEqual([null, null]);
    expect(early.entries.map((e) => [e.actor, e.wardName])).toEqual([[null, null]]);
  });

  it("names the account an administrator acted on, from the detail or the account's id", async () => {
    const db = migratedMemoryDb();
    const admin = await makeUser(db, ['admin'], [], 'root');
    const nina = await makeUser(db, ['nurse'], [], 'nina');
    write(
      db,
      entry({ action: 'admin.users.disable', detail: { userId: nina.id, username: 'nina' } }),
      entry({ action: 'admin.changes.reject', detail: { userId: nina.id, changeId: 1 } }),
      // Another family's userId is not an account acted on.
      entry({ action: 'access.emergencyReview', detail: { userId: nina.id } }),
    );
    const { entries } = await callerAs(db, admin, clock).audit.list({ user: 'nina' });
    expect(entries.map((e) => [e.action, e.account])).toEqual([
      ['access.emergencyReview', null],
      ['admin.changes.reject', 'nina'],
      ['admin.users.disable', 'nina'],
    ]);
  });

  it('bounds the page and validates the filters', async () => {
    const db = migratedMemoryDb();
    const caller = callerAs(db, await makeUser(db, ['admin'], []), clock);
    await expect(caller.audit.list({ limit: 201 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.audit.list({ from: 'last week' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(caller.audit.list({ from: '2026-02-01', to: '2026-01-01' })).rejects.toMatchObject(
      { code: 'BAD_REQUEST' },
    );
  });

  it('is for administrators only', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'A ward');
    for (const role of ['nurse', 'therapist', 'physician', 'manager'] as const) {
      const user = await makeUser(db, [role], [wardId]);
      await expect(callerAs(db, user, clock).audit.list({})).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    await expect(callerFor(db, clock).audit.list({})).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
