/**
 * Finding 3 of the security review: the audit viewer shows administrators who, when, which action,
 * which patient and which fields, never the clinical values; the values stay in the chain and reach a
 * privacy officer through the CLI export, which is itself audited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flushAudit } from '../../src/audit.ts';
import { applyMigrations, openDatabase } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema.ts';
import { detailFields } from '../../src/security/audit-export.ts';
import { securityCommands } from '../../src/security/commands.ts';
import { admitPatient, makeUser, makeWard } from '../../src/test-support.ts';
import { mutation, query, signIn, testServer, type TestServer } from './support.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
});

const SECRET_NOTE = 'Ossification suspected, family not yet told';

async function arrangeWithClinicalRows(db?: ReturnType<typeof openDatabase>) {
  const server = await testServer(db ? { db } : {});
  servers.push(server);
  const { wardId: wardA } = makeWard(server.db, 'Neuro A');
  const { wardId: wardB } = makeWard(server.db, 'Neuro B');
  const patientId = admitPatient(server.db, { wardId: wardA });
  const foreign = admitPatient(server.db, { wardId: wardB });
  await makeUser(server.db, ['physician'], [wardA], 'doc');
  await makeUser(server.db, ['nurse'], [wardA], 'nurse');
  await makeUser(server.db, ['admin'], [], 'admin');
  const doc = await signIn(server, 'doc');
  const updated = await mutation(
    server,
    'patient.updateInjury',
    {
      patientId,
      expectedVersion: 1,
      type: 'tbi',
      occurredAt: '2026-01-01T12:00:00.000Z',
      lowestGcs: 4,
      comaDays: 23,
      ventilationDays: null,
      diffuseAxonalInjury: true,
      autonomicDysregulation: null,
      aisGrade: null,
      surgicalFractures: [],
    },
    { cookie: doc },
  );
  expect(updated.statusCode).toBe(200);
  const vital = await mutation(
    server,
    'nursing.recordVital',
    { patientId, takenAt: '2026-03-02T07:00:00.000Z', kind: 'temperature', value: 38.9 },
    { cookie: doc },
  );
  expect(vital.statusCode).toBe(200);
  const nurse = await signIn(server, 'nurse');
  const grant = await mutation(
    server,
    'access.emergency',
    { patientId: foreign, reason: SECRET_NOTE },
    { cookie: nurse },
  );
  expect(grant.statusCode).toBe(200);
  return { server, patientId, admin: await signIn(server, 'admin') };
}

describe('the audit viewer', () => {
  it('names the fields a row recorded, never their values', async () => {
    const { server, patientId, admin } = await arrangeWithClinicalRows();
    const response = await query(server, 'audit.list', { limit: 200 }, { cookie: admin });
    expect(response.statusCode).toBe(200);
    const body = response.body;
    for (const value of [SECRET_NOTE, '38.9', '"lowestGcs":4', '23', 'comaDays":']) {
      expect(body).not.toContain(value);
    }
    const entries = response.json<{
      result: { data: { json: { entries: Record<string, unknown>[] } } };
    }>().result.data.json.entries;
    expect(entries.every((entry) => !('detail' in entry))).toBe(true);
    const injury = entries.find((entry) => entry.action === 'patient.updateInjury');
    expect(injury).toMatchObject({ username: 'doc', patientId });
    expect(injury?.fields).toEqual(expect.arrayContaining(['comaDays', 'lowestGcs']));
    const emergency = entries.find((entry) => entry.action === 'access.emergency');
    expect(emergency?.fields).toContain('reason');
    // The values are still in the chain.
    flushAudit(server.db);
    expect(JSON.stringify(server.db.select().from(auditLog).all())).toContain(SECRET_NOTE);
  });

  it('lists the changed fields of a before/after pair and the keys of anything else', () => {
    expect(detailFields({ before: { a: 1, b: 2 }, after: { a: 1, b: 3, c: 4 }, id: 5 })).toEqual([
      'b',
      'c',
      'id',
    ]);
    expect(detailFields({ old: ['nurse'], new: ['manager'] })).toEqual(['new', 'old']);
    expect(detailFields(null)).toEqual([]);
    expect(detailFields('text')).toEqual([]);
  });
});

describe('pnpm ossiwatch audit:export', () => {
  it('gives a privacy officer the values, and records the export first', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-export-'));
    const file = path.join(dir, 'audit.db');
    const db = openDatabase(file);
    applyMigrations(db);
    const { server } = await arrangeWithClinicalRows(db);
    flushAudit(server.db);
    const lines: string[] = [];
    const messages: string[] = [];
    const refused = securityCommands['audit:export'].run(
      ['--by', 'P. Officer'],
      file,
      { write: (t: string) => lines.push(t) },
      { write: (t: string) => messages.push(t) },
    );
    expect(refused).toBe(64);
    expect(messages.join('')).toContain('--reason');
    expect(lines).toEqual([]);
    const code = securityCommands['audit:export'].run(
      ['--by', 'P. Officer', '--reason', 'Complaint 2026-14 from the family'],
      file,
      { write: (t: string) => lines.push(t) },
      { write: (t: string) => messages.push(t) },
      new Date('2026-03-02T09:00:00Z'),
    );
    expect(code).toBe(0);
    const rows = lines
      .join('')
      .trimEnd()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            action: string;
            detail: unknown;
          },
      );
    expect(JSON.stringify(rows)).toContain(SECRET_NOTE);
    expect(rows.find((row) => row.action === 'nursing.recordVital')?.detail).toMatchObject({
      value: 38.9,
    });
    const own = rows.at(-1);
    expect(own).toMatchObject({
      action: 'audit.export',
      detail: { by: 'P. Officer', reason: 'Complaint 2026-14 from the family', via: 'cli' },
    });
    await server.app.close();
    servers.length = 0;
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
