import fc from 'fast-check';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendAudit,
  auditRowHash,
  flushAudit,
  queueAudit,
  type AuditEntry,
} from '../../src/audit.ts';
import { applyMigrations, openDatabase, type OssiwatchDb } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema.ts';
import { appRouter } from '../../src/router.ts';
import { runAuditVerify, verifyAuditChain } from '../../src/security/audit-verify.ts';
import { securityCommands } from '../../src/security/commands.ts';
import {
  admitPatient,
  callerAs,
  makeUser,
  makeWard,
  migratedMemoryDb,
} from '../../src/test-support.ts';
import { TestClock } from './support.ts';

function entry(i: number, clock: TestClock): AuditEntry {
  clock.advance(1000);
  return {
    at: clock.now(),
    userId: (i % 3) + 1,
    username: `user${i % 3}`,
    action: i % 2 ? 'patient.get' : 'rom.recordSession',
    patientId: i % 5 === 0 ? null : i,
    category: i % 2 ? 'read' : 'write',
    outcome: 'success',
    clientIp: `10.0.0.${i % 250}`,
    detail: i % 4 === 0 ? null : { n: i, note: `ü "quoted" ${i}`, list: [i, null, true] },
  };
}

/** A trail of `n` rows, written both ways the server writes them (in a write's transaction, queued). */
function trail(n: number): OssiwatchDb {
  const db = migratedMemoryDb();
  const clock = new TestClock();
  for (let i = 0; i < n; i += 1) {
    if (i % 2) queueAudit(db, entry(i, clock));
    else db.transaction((tx) => appendAudit(tx, entry(i, clock)));
  }
  flushAudit(db);
  return db;
}

function dropTriggers(db: OssiwatchDb): void {
  db.$client.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

describe('the audit trail is append-only', () => {
  it('refuses UPDATE and DELETE, even in raw SQL', () => {
    const db = trail(3);
    expect(() => db.$client.exec("UPDATE audit_log SET username = 'someone' WHERE id = 2")).toThrow(
      /append-only/,
    );
    expect(() => db.$client.exec('DELETE FROM audit_log WHERE id = 3')).toThrow(/append-only/);
    expect(() => db.$client.exec('DELETE FROM audit_log')).toThrow(/append-only/);
    expect(db.select().from(auditLog).all()).toHaveLength(3);
  });
});

describe('the chain format', () => {
  it('hashes the previous hash, a newline and the nine fields as one JSON array (existing trails stay verifiable)', () => {
    const text = fc.option(fc.string({ unit: 'binary', maxLength: 20 }), { nil: null });
    const id = fc.option(fc.integer({ min: 1, max: 1e9 }), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          at: fc.string({ maxLength: 30 }),
          userId: id,
          username: text,
          action: fc.string({ maxLength: 30 }),
          patientId: id,
          category: fc.string({ maxLength: 10 }),
          outcome: fc.string({ maxLength: 10 }),
          clientIp: text,
          detail: fc.option(fc.jsonValue(), { nil: null }),
        }),
        fc.string({ maxLength: 64 }),
        (row, prevHash) => {
          const content = JSON.stringify([
            row.at,
            row.userId,
            row.username,
            row.action,
            row.patientId,
            row.category,
            row.outcome,
            row.clientIp,
            row.detail ?? null,
          ]);
          const expected = createHash('sha256')
            .update(prevHash)
            .update('\n')
            .update(content)
            .digest('hex');
          expect(auditRowHash(prevHash, row)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('queued read entries', () => {
  it('are written by the group commit, which leaves the connection syncing every write in full', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-audit-sync-'));
    const db = openDatabase(path.join(dir, 'ward.db'));
    try {
      applyMigrations(db);
      const clock = new TestClock();
      const full = 2;
      expect(db.$client.pragma('synchronous', { simple: true })).toBe(full);
      for (let i = 1; i <= 5; i += 1) queueAudit(db, entry(i, clock));
      flushAudit(db);
      expect(db.$client.pragma('synchronous', { simple: true })).toBe(full);
      expect(db.select().from(auditLog).all()).toHaveLength(5);
      expect(verifyAuditChain(db).ok).toBe(true);
      // Queued inside someone's transaction, the batch joins it (and rolls back with it).
      queueAudit(db, entry(6, clock));
      expect(() =>
        db.transaction(() => {
          flushAudit(db);
          throw new Error('the write failed');
        }),
      ).toThrow('the write failed');
      expect(db.select().from(auditLog).all()).toHaveLength(5);
      expect(db.$client.pragma('synchronous', { simple: true })).toBe(full);
    } finally {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('audit:verify', () => {
  it('passes an intact trail and prints its last hash', () => {
    const db = trail(40);
    const output: string[] = [];
    expect(runAuditVerify(db, { write: (text: string) => output.push(text) })).toBe(0);
    expect(output.join('')).toMatch(/intact: 40 row\(s\), last hash [0-9a-f]{64}/);
    expect(verifyAuditChain(migratedMemoryDb())).toMatchObject({ ok: true, rows: 0 });
  });

  it('fails, naming the row, after any field of any row is edited behind the application’s back', () => {
    const columns = [
      ['at', "'2020-01-01T00:00:00.000Z'"],
      ['user_id', '999'],
      ['username', "'mallory'"],
      ['action', "'ward.list'"],
      ['patient_id', '4242'],
      ['category', "'auth'"],
      ['outcome', "'failure'"],
      ['client_ip', "'1.2.3.4'"],
      ['detail', `'{"n":-1}'`],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...columns),
        (id, [column, value]) => {
          const db = trail(12);
          dropTriggers(db);
          const changed = db.$client
            .prepare(
              `UPDATE audit_log SET ${column} = ${value} WHERE id = ? AND ${column} IS NOT ${value}`,
            )
            .run(id).changes;
          const result = verifyAuditChain(db);
          if (changed === 0) return result.ok;
          const output: string[] = [];
          expect(runAuditVerify(db, { write: (text: string) => output.push(text) })).toBe(1);
          expect(output.join('')).toContain(`row ${id}`);
          return !result.ok && result.brokenId === id;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('fails after a row is removed, naming the row after the gap', () => {
    const db = trail(10);
    dropTriggers(db);
    db.$client.exec('DELETE FROM audit_log WHERE id = 4');
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenId: 5 });
  });

  it('fails after the first rows are removed', () => {
    const db = trail(10);
    dropTriggers(db);
    db.$client.exec('DELETE FROM audit_log WHERE id <= 2');
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenId: 3 });
  });

  it('fails after the last rows are cut off', () => {
    const db = trail(10);
    dropTriggers(db);
    db.$client.exec('DELETE FROM audit_log WHERE id >= 8');
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenId: 8 });
  });

  it('fails after two rows are swapped', () => {
    const db = trail(10);
    dropTriggers(db);
    db.$client.exec(`
      UPDATE audit_log SET id = -1 WHERE id = 3;
      UPDATE audit_log SET id = 3 WHERE id = 6;
      UPDATE audit_log SET id = 6 WHERE id = -1;
    `);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenId: 3 });
  });

  it('fails after a forged row is inserted in the middle, even with a correct-looking hash', () => {
    const db = trail(6);
    dropTriggers(db);
    const row3 = db.$client.prepare('SELECT * FROM audit_log WHERE id = 3').get() as Record<
      string,
      unknown
    >;
    db.$client.exec('UPDATE audit_log SET id = id + 100 WHERE id > 3');
    db.$client
      .prepare(
        `INSERT INTO audit_log (id, at, user_id, username, action, patient_id, category, outcome,
           client_ip, detail, prev_hash, hash)
         VALUES (4, ?, 1, 'mallory', 'patient.get', 1, 'read', 'success', NULL, NULL, ?, ?)`,
      )
      .run(row3.at, row3.hash, 'f'.repeat(64));
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenId: 4 });
  });
});

describe('what the trail records (ASTM E2147)', () => {
  it('every patient read: time in UTC, user, action, patient, category, outcome, client address', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'Neuro A');
    const nurse = await makeUser(db, ['nurse'], [wardId], 'nurse');
    const patientId = admitPatient(db, { wardId });
    const clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    const caller = callerAs(db, nurse, clock.now);
    // Every query that takes only a patient id is called as the nurse, and must leave its own row.
    const queries = Object.entries(appRouter._def.procedures).filter(([, procedure]) => {
      const def = (procedure as unknown as { _def: { type: string; inputs: unknown[] } })._def;
      const shape = (def.inputs[0] as { shape?: Record<string, unknown> } | undefined)?.shape;
      return (
        def.type === 'query' && shape !== undefined && Object.keys(shape).join() === 'patientId'
      );
    });
    expect(queries.map(([path]) => path)).toContain('patient.get');
    for (const [path] of queries) {
      const [namespace, name] = path.split('.') as [string, string];
      const router = (
        caller as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>
      )[namespace];
      await router![name]!({ patientId });
      flushAudit(db);
      const row = db
        .select()
        .from(auditLog)
        .all()
        .filter((r) => r.action === path)
        .at(-1);
      expect(row, path).toMatchObject({
        userId: nurse.id,
        username: 'nurse',
        patientId,
        category: 'read',
        outcome: 'success',
        clientIp: '127.0.0.1',
        at: '2026-03-02T08:00:00.000Z',
      });
    }
  });

  it('which patients a ward board showed', async () => {
    const db = migratedMemoryDb();
    const { wardId, bedIds } = makeWard(db, 'Neuro A');
    const nurse = await makeUser(db, ['nurse'], [wardId], 'nurse');
    const patientIds = bedIds.slice(0, 3).map((bedId) => admitPatient(db, { wardId, bedId }));
    await callerAs(db, nurse).ward.board({ wardId });
    flushAudit(db);
    const row = db
      .select()
      .from(auditLog)
      .all()
      .find((r) => r.action === 'ward.board');
    expect(row).toMatchObject({ category: 'read', username: 'nurse' });
    expect((row!.detail as { patientIds: number[] }).patientIds.sort()).toEqual(patientIds.sort());
  });

  it('a refused read of another ward’s patient, as denied', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'Neuro A');
    const { wardId: otherWard } = makeWard(db, 'Neuro B');
    const nurse = await makeUser(db, ['nurse'], [wardId], 'nurse');
    const patientId = admitPatient(db, { wardId: otherWard });
    await expect(callerAs(db, nurse).patient.get({ patientId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    flushAudit(db);
    expect(db.select().from(auditLog).all()).toContainEqual(
      expect.objectContaining({ action: 'patient.get', patientId, outcome: 'denied' }),
    );
  });
});

describe('the audit:verify command', () => {
  it('exits 0 on an intact database file and 1 after a row is edited with the triggers dropped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-audit-'));
    const file = path.join(dir, 'ward.db');
    try {
      const db = openDatabase(file);
      applyMigrations(db);
      const clock = new TestClock();
      for (let i = 0; i < 5; i += 1) db.transaction((tx) => appendAudit(tx, entry(i, clock)));
      db.$client.close();
      const command = securityCommands['audit:verify'];
      const output: string[] = [];
      const out = { write: (text: string) => output.push(text) };
      expect(command.run([], file, out)).toBe(0);
      const tamper = openDatabase(file);
      dropTriggers(tamper);
      tamper.$client.exec("UPDATE audit_log SET username = 'nobody' WHERE id = 3");
      tamper.$client.close();
      expect(command.run([], file, out)).toBe(1);
      expect(output.join('')).toMatch(/intact: 5 row[\s\S]*BROKEN at row 3/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
