import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from '../../db/client.ts';
import { auditLog, systemTokens, wards } from '../../db/schema.ts';
import { tokenCommands } from './commands.ts';
import { findToken, tokenHashOf } from './tokens.ts';

const dir = mkdtempSync(join(tmpdir(), 'ossiwatch-tokens-'));
const databasePath = join(dir, 'ossiwatch.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(command: keyof typeof tokenCommands, args: string[]) {
  let out = '';
  let err = '';
  const code = tokenCommands[command].run(
    args,
    databasePath,
    { write: (text: string) => (out += text) },
    { write: (text: string) => (err += text) },
    new Date('2026-03-02T08:00:00Z'),
  );
  return { code, out, err };
}

function withDb<T>(use: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(databasePath);
  try {
    return use(db);
  } finally {
    db.$client.close();
  }
}

describe('token commands', () => {
  it('creates a token printed once, lists it without the token, and revokes it by name or id', () => {
    const wardId = withDb((db) => {
      applyMigrations(db);
      return db.insert(wards).values({ name: 'Ward 4' }).returning().get().id;
    });
    const created = run('token:create', [
      '--name',
      'registry',
      '--scope',
      'fhir:read',
      '--ward',
      String(wardId),
    ]);
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^ossw_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toContain('shown only now');
    withDb((db) => {
      const row = db.select().from(systemTokens).get();
      expect(row).toMatchObject({
        name: 'registry',
        scopes: ['fhir:read'],
        wardIds: [wardId],
        createdBy: expect.stringMatching(/^cli:/) as string,
      });
      expect(row?.tokenHash).toBe(tokenHashOf(token));
      expect(findToken(db, token, new Date())).toMatchObject({ name: 'registry', revoked: false });
    });

    const listed = run('token:list', []);
    expect(listed.out).toMatch(/^#1\tregistry\tfhir:read\twards 1\t.*\tactive$/m);
    expect(listed.out).not.toContain(token.slice(5));

    // A name in use, an unknown scope, two scopes, an unknown ward, a bad flag: refused, nothing stored.
    expect(run('token:create', ['--name', 'registry', '--scope', 'fhir:read']).code).toBe(1);
    expect(run('token:create', ['--name', 'x', '--scope', 'fhir:write']).code).toBe(64);
    expect(
      run('token:create', [
        '--name',
        'x',
        '--scope',
        'fhir:read',
        '--scope',
        'fhir:read:no-identities',
      ]).code,
    ).toBe(64);
    expect(run('token:create', ['--name', 'x', '--scope', 'fhir:read', '--ward', '999']).code).toBe(
      64,
    );
    expect(run('token:create', ['--name', 'x', '--scope', 'fhir:read', '--ward', 'two']).code).toBe(
      64,
    );
    expect(run('token:create', ['--name', 'bad name', '--scope', 'fhir:read']).code).toBe(64);
    expect(run('token:create', ['--nam', 'x']).code).toBe(64);
    withDb((db) => expect(db.select().from(systemTokens).all()).toHaveLength(1));

    expect(run('token:revoke', ['--name', 'registry']).code).toBe(0);
    expect(run('token:revoke', ['--id', '1']).code).toBe(1);
    expect(run('token:revoke', []).code).toBe(64);
    expect(run('token:list', []).out).toContain('REVOKED 2026-03-02T08:00:00.000Z');
    // The name is free again once its token is revoked.
    expect(
      run('token:create', ['--name', 'registry', '--scope', 'fhir:read:no-identities']).code,
    ).toBe(0);
    withDb((db) => {
      expect(findToken(db, token, new Date())?.revoked).toBe(true);
      const actions = db
        .select()
        .from(auditLog)
        .all()
        .map((row) => row.action);
      expect(actions).toEqual([
        'admin.tokens.create',
        'admin.tokens.revoke',
        'admin.tokens.create',
      ]);
    });
    // The database itself keeps a token as issued and a revocation final.
    withDb((db) => {
      const sqlite = db.$client;
      for (const change of [
        'UPDATE system_tokens SET revoked_at = NULL, revoked_by = NULL WHERE id = 1',
        'UPDATE system_tokens SET scopes = \'["fhir:read"]\' WHERE id = 2',
        'UPDATE system_tokens SET ward_ids = NULL WHERE id = 1',
        "UPDATE system_tokens SET token_hash = printf('%064d', 0) WHERE id = 2",
        'DELETE FROM system_tokens WHERE id = 1',
      ]) {
        expect(() => sqlite.prepare(change).run(), change).toThrow(/system_tokens/);
      }
      sqlite
        .prepare("UPDATE system_tokens SET last_used_at = '2026-03-02T09:00:00.000Z' WHERE id = 2")
        .run();
    });
  });
});
