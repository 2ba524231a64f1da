/**
 * Command-line operations on the hospital's data: `seed`, `reassess` and `user:create` (PRODUCT §6
 * "Running it"). `user:create` is how a production installation gets its first administrator.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { reassessAll } from '../assessments.ts';
import { appendAudit } from '../audit.ts';
import { hashPassword } from '../auth/passwords.ts';
import { readConfig } from '../config.ts';
import { applyMigrations, openDatabase, type OssiwatchDb } from '../db/client.ts';
import { ROLES, type Role } from '../db/schema.ts';
import { passwordProblem } from '../routers/admin.ts';
import { insertUser, normaliseUsername } from '../users.ts';
import { DEMO_SEED } from './demo.ts';
import { SeedRefused, seedHospital } from './hospital.ts';

export interface CliCommand {
  readonly summary: string;
  readonly run: (args: readonly string[]) => number | Promise<number>;
}

/** A usage mistake: the message is printed and the command exits 64 (EX_USAGE). */
class UsageError extends Error {}

function openMigrated(): { db: OssiwatchDb; mode: 'demo' | 'production'; path: string } {
  const config = readConfig();
  const db = openDatabase(config.databasePath);
  applyMigrations(db);
  return { db, mode: config.mode, path: config.databasePath };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, not "${value}"`);
  return n;
}

function seed(args: readonly string[]): number | Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      seed: { type: 'string' },
      scale: { type: 'string' },
      'history-months': { type: 'string' },
      'demo-accounts': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const seedNumber = numberOption(values.seed, 'seed', DEMO_SEED);
  const scale = numberOption(values.scale, 'scale', 1);
  const historyMonths = numberOption(values['history-months'], 'history-months', 12);
  if (!(scale > 0 && scale <= 100)) throw new UsageError('--scale must be above 0 and at most 100');
  if (!(historyMonths >= 1 && historyMonths <= 120)) {
    throw new UsageError('--history-months must be from 1 to 120');
  }
  const { db, mode, path } = openMigrated();
  if (values['demo-accounts'] && mode !== 'demo') {
    db.$client.close();
    process.stderr.write(
      'ossiwatch seed: demo accounts exist only in demo mode (set OSSIWATCH_MODE=demo)\n',
    );
    return 1;
  }
  let lastLine = Date.now();
  return seedHospital(db, {
    seed: seedNumber,
    scale,
    historyMonths,
    now: new Date(),
    withDemoAccounts: values['demo-accounts'],
    onProgress: ({ patients, readings }) => {
      if (Date.now() - lastLine > 5000) {
        lastLine = Date.now();
        say(`  … ${patients} patients, ${readings} ROM readings`);
      }
    },
  })
    .then((report) => {
      say(
        `${path}: seeded ${report.wards} wards, ${report.beds} beds, ${report.users} accounts, ${report.patients} patients (${report.currentPatients} on the wards now), ${report.stays} stays, ${report.romReadings} ROM readings; ${report.assessed} assessed in ${(report.millis / 1000).toFixed(1)} s`,
      );
      return 0;
    })
    .catch((error: unknown) => {
      if (error instanceof SeedRefused) {
        process.stderr.write(`ossiwatch seed: refused: ${error.message}\n`);
        return 1;
      }
      throw error;
    })
    .finally(() => db.$client.close());
}

function reassess(): number {
  const { db } = openMigrated();
  const started = performance.now();
  try {
    const count = reassessAll(db, new Date());
    say(`reassessed ${count} patient(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    db.$client.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    if (chunks.reduce((n, c) => n + c.length, 0) > 4096) break;
  }
  // One line: the trailing newline of `echo` or a file is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** 24 random bytes as base64url: 32 characters, ~192 bits. */
function generatedPassword(): string {
  return randomBytes(24).toString('base64url');
}

async function userCreate(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      role: { type: 'string', multiple: true },
      ward: { type: 'string', multiple: true },
      'password-stdin': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.username) throw new UsageError('--username is required');
  const username = normaliseUsername(values.username);
  if (!/^[a-z0-9._-]{1,64}$/.test(username)) {
    throw new UsageError('--username may hold only letters, digits, dot, dash and underscore');
  }
  const roles = values.role ?? [];
  if (roles.length === 0) throw new UsageError(`--role is required (${ROLES.join(', ')})`);
  const unknownRole = roles.find((role) => !(ROLES as readonly string[]).includes(role));
  if (unknownRole) {
    throw new UsageError(`--role "${unknownRole}" is not one of ${ROLES.join(', ')}`);
  }
  let password: string;
  let generated = false;
  if (values['password-stdin']) {
    password = await readStdin();
  } else {
    password = generatedPassword();
    generated = true;
  }
  const problem = passwordProblem(password, username);
  if (problem) {
    process.stderr.write(`ossiwatch user:create: the password ${problem}\n`);
    return 1;
  }

  const { db } = openMigrated();
  try {
    const wardRows = db.$client.prepare('SELECT id, name FROM wards').all() as {
      id: number;
      name: string;
    }[];
    const wardIds: number[] = [];
    for (const ward of values.ward ?? []) {
      const match = wardRows.find(
        (row) => String(row.id) === ward || row.name.toLowerCase() === ward.toLowerCase(),
      );
      if (!match) {
        process.stderr.write(`ossiwatch user:create: no ward "${ward}" (give its id or name)\n`);
        return 1;
      }
      wardIds.push(match.id);
    }
    const taken = db.$client.prepare('SELECT 1 FROM users WHERE username = ?').get(username);
    if (taken) {
      process.stderr.write(`ossiwatch user:create: the username "${username}" is taken\n`);
      return 1;
    }
    const passwordHash = await hashPassword(password);
    const id = insertUser(db, {
      username,
      displayName: values['display-name'] ?? username,
      passwordHash,
      roles: roles as Role[],
      wardIds,
    });
    db.transaction((tx) =>
      appendAudit(tx, {
        at: new Date(),
        userId: null,
        username: null,
        action: 'cli.user:create',
        patientId: null,
        category: 'admin',
        outcome: 'success',
        clientIp: null,
        detail: { userId: id, username, roles, wardIds },
      }),
    );
    say(
      `created user ${username} (id ${id}): ${roles.join(', ')}; wards: ${wardIds.join(', ') || 'none'}`,
    );
    if (generated) say(`password (shown once, store it safely): ${password}`);
    return 0;
  } finally {
    db.$client.close();
  }
}

function usageGuard(run: CliCommand['run']): CliCommand['run'] {
  return async (args) => {
    try {
      return await run(args);
    } catch (error) {
      if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
        process.stderr.write(`ossiwatch: ${error.message}\n`);
        return 64;
      }
      throw error;
    }
  };
}

export const dataCommands: Record<string, CliCommand> = {
  seed: {
    summary:
      'seed [--seed N] [--scale S] [--history-months M] [--demo-accounts]: fill an empty database with the synthetic hospital',
    run: usageGuard(seed),
  },
  reassess: {
    summary: 'recompute the stored HO watch assessment of every current patient',
    run: usageGuard(reassess),
  },
  'user:create': {
    summary:
      'user:create --username U --role R [--role R…] [--ward W…] [--display-name N] [--password-stdin]: create an account (a strong password is generated and shown unless given on stdin)',
    run: usageGuard(userCreate),
  },
};
