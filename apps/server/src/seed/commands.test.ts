import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { callerFor } from '../test-support.ts';

const SERVER_DIR = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(SERVER_DIR, 'node_modules/.bin/tsx');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function ossiwatch(
  databasePath: string,
  args: readonly string[],
  options: { input?: string; mode?: 'demo' | 'production' } = {},
) {
  const result = spawnSync(TSX, ['src/cli.ts', ...args], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      DATABASE_PATH: databasePath,
      OSSIWATCH_MODE: options.mode ?? 'production',
    },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pnpm ossiwatch seed / reassess', () => {
  const db = path.join(tmp, 'seeded.db');

  it('seeds an empty database, then refuses to seed it again', () => {
    const first = ossiwatch(db, [
      'seed',
      '--seed',
      '5',
      '--scale',
      '0.33',
      '--history-months',
      '2',
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/seeded 1 wards, \d+ beds, \d+ accounts, \d+ patients/);
    const again = ossiwatch(db, ['seed', '--scale', '0.33', '--history-months', '2']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/refused/);
  }, 240_000);

  it('rebuilds every stored assessment and says how many', () => {
    const result = ossiwatch(db, ['reassess']);
    expect(result.code).toBe(0);
    const count = Number(/reassessed (\d+) patient/.exec(result.stdout)?.[1]);
    const current = openDatabase(db)
      .$client.prepare('SELECT count(*) AS n FROM stays WHERE discharged_at IS NULL')
      .get() as { n: number };
    expect(count).toBe(current.n);
    expect(count).toBeGreaterThan(0);
  }, 120_000);

  it('refuses demo accounts outside demo mode, and bad options with usage', () => {
    const other = path.join(tmp, 'other.db');
    expect(ossiwatch(other, ['seed', '--demo-accounts']).code).toBe(1);
    expect(ossiwatch(other, ['seed', '--scale', 'big']).code).toBe(64);
    expect(ossiwatch(other, ['seed', '--what']).code).toBe(64);
  }, 120_000);
});

describe('pnpm ossiwatch user:create', () => {
  const db = path.join(tmp, 'users.db');

  it('makes the first administrator of a production database with a password from stdin', async () => {
    const result = ossiwatch(
      db,
      ['user:create', '--username', 'Chief', '--role', 'admin', '--password-stdin'],
      {
        input: 'a long and private passphrase\n',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/created user chief/);
    expect(result.stdout).not.toMatch(/passphrase/);
    const { user } = await callerFor(openDatabase(db)).auth.login({
      username: 'chief',
      password: 'a long and private passphrase',
    });
    expect(user.roles).toEqual(['admin']);
  }, 120_000);

  it('generates and shows a strong password when none is given', async () => {
    const result = ossiwatch(db, ['user:create', '--username', 'deputy', '--role', 'admin']);
    expect(result.code).toBe(0);
    const password = /password \(shown once[^:]*\): (\S+)/.exec(result.stdout)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(24);
    await expect(
      callerFor(openDatabase(db)).auth.login({ username: 'deputy', password }),
    ).resolves.toBeDefined();
  }, 120_000);

  it('refuses a weak password, a taken name, an unknown role or ward', () => {
    expect(
      ossiwatch(db, ['user:create', '--username', 'weak', '--role', 'admin', '--password-stdin'], {
        input: 'password1234',
      }).code,
    ).toBe(1);
    expect(ossiwatch(db, ['user:create', '--username', 'chief', '--role', 'admin']).code).toBe(1);
    expect(ossiwatch(db, ['user:create', '--username', 'x', '--role', 'wizard']).code).toBe(64);
    expect(
      ossiwatch(db, ['user:create', '--username', 'y', '--role', 'nurse', '--ward', 'Nowhere'])
        .code,
    ).toBe(1);
  }, 120_000);
});
