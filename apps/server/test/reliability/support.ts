/**
 * What the reliability tests share: an HTTP client that speaks tRPC's wire format (superjson, the
 * session cookie), the real server as a child process, a small ward to work on, and table checksums.
 */
import { JOINT_CATALOG, ROM_MODES, SIDES } from '@ossiwatch/domain';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import superjson from 'superjson';
import type { OssiwatchDb } from '../../src/db/client.ts';
import type { Role } from '../../src/db/schema.ts';
import { callerAs, makeUser, makeWard, TEST_PASSWORD } from '../../src/test-support.ts';

export const SERVER_DIR = path.resolve(import.meta.dirname, '../..');

// HTTP ------------------------------------------------------------------------------------------

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export type Transport = (request: {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}) => Promise<RawResponse>;

export function fetchTransport(baseUrl: () => string): Transport {
  return async ({ method, url, headers, body }) => {
    const response = await fetch(`${baseUrl()}${url}`, { method, headers, body });
    const text = await response.text();
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, key) => {
      out[key] = value;
    });
    out['set-cookie'] = response.headers.getSetCookie();
    return { status: response.status, headers: out, body: text };
  };
}

export function injectTransport(app: FastifyInstance): Transport {
  return async ({ method, url, headers, body }) => {
    const response = await app.inject({
      method,
      url,
      headers,
      ...(body === undefined ? {} : { payload: body }),
    });
    return {
      status: response.statusCode,
      headers: response.headers as RawResponse['headers'],
      body: response.body,
    };
  };
}

export type CallResult =
  | { readonly ok: true; readonly status: number; readonly data: unknown }
  | {
      readonly ok: false;
      readonly status: number;
      readonly code: string | undefined;
      readonly message: string;
      readonly data: Record<string, unknown>;
      readonly body: string;
    };

interface ErrorBody {
  error?: { json?: { message?: string; data?: Record<string, unknown> } };
}

function parseResult(response: RawResponse): CallResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return {
      ok: false,
      status: response.status,
      code: undefined,
      message: response.body,
      data: {},
      body: response.body,
    };
  }
  if (response.status === 200 && typeof parsed === 'object' && parsed !== null) {
    const result = (parsed as { result?: { data?: Parameters<typeof superjson.deserialize>[0] } })
      .result;
    return {
      ok: true,
      status: 200,
      data: result?.data === undefined ? undefined : superjson.deserialize(result.data),
    };
  }
  const error = (parsed as ErrorBody).error?.json;
  const data = error?.data ?? {};
  return {
    ok: false,
    status: response.status,
    code: typeof data.code === 'string' ? data.code : undefined,
    message: error?.message ?? (parsed as { error?: unknown }).error?.toString() ?? response.body,
    data,
    body: response.body,
  };
}

/** A signed-in (or anonymous) tRPC caller over HTTP, as the browser would call. */
export class ApiClient {
  cookie: string | undefined;

  constructor(private readonly transport: Transport) {}

  private keepCookie(response: RawResponse): void {
    const setCookie = response.headers['set-cookie'];
    const values = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    for (const value of values) {
      const pair = value.split(';')[0] ?? '';
      if (pair.includes('ossiwatch_session=')) {
        this.cookie = pair.endsWith('=') ? undefined : pair;
      }
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.cookie ? { cookie: this.cookie } : {}), ...extra };
  }

  async query(procedure: string, input?: unknown): Promise<CallResult> {
    const encoded =
      input === undefined
        ? ''
        : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
    const response = await this.transport({
      method: 'GET',
      url: `/trpc/${procedure}${encoded}`,
      headers: this.headers(),
    });
    this.keepCookie(response);
    return parseResult(response);
  }

  async mutation(procedure: string, input?: unknown): Promise<CallResult> {
    return this.mutationRaw(procedure, JSON.stringify(superjson.serialize(input)));
  }

  /** Sends `body` as it is: the fuzz test writes bodies superjson would never produce. */
  async mutationRaw(procedure: string, body: string): Promise<CallResult> {
    const response = await this.transport({
      method: 'POST',
      url: `/trpc/${procedure}`,
      headers: this.headers({ 'content-type': 'application/json' }),
      body,
    });
    this.keepCookie(response);
    return parseResult(response);
  }

  async login(username: string, password = TEST_PASSWORD): Promise<void> {
    const result = await this.mutation('auth.login', { username, password });
    if (!result.ok) throw new Error(`sign-in as ${username} failed: ${JSON.stringify(result)}`);
    if (!this.cookie) throw new Error(`sign-in as ${username} set no session cookie`);
  }
}

/** Unwraps a successful call, or fails the test with what the server said. */
export function expectOk<T>(result: CallResult): T {
  if (!result.ok) throw new Error(`expected success, got ${result.status}: ${result.body}`);
  return result.data as T;
}

// A small ward ----------------------------------------------------------------------------------

export interface Fixture {
  readonly wardId: number;
  readonly patientIds: readonly number[];
  /** Usernames by role; every password is TEST_PASSWORD. */
  readonly users: Readonly<Record<Role, string>>;
}

export const ADMITTED_AT = '2026-01-05T10:00:00.000Z';

/** One ward, one user per role (all on that ward), and `patients` admitted patients. */
export async function makeFixture(
  db: OssiwatchDb,
  { patients = 3, prefix = 'rel' }: { patients?: number; prefix?: string } = {},
): Promise<Fixture> {
  const { wardId, bedIds } = makeWard(db, `${prefix} ward`, patients + 1);
  const roles: Role[] = ['nurse', 'therapist', 'physician', 'manager', 'admin'];
  const users = {} as Record<Role, string>;
  for (const role of roles) {
    users[role] = `${prefix}-${role}`;
    await makeUser(db, [role], [wardId], users[role]);
  }
  const nurse = await makeUser(db, ['nurse'], [wardId], `${prefix}-admitting-nurse`);
  const caller = callerAs(db, nurse);
  const patientIds: number[] = [];
  for (let i = 0; i < patients; i += 1) {
    const admitted = await caller.patient.admit({
      mrn: `${prefix.toUpperCase()}-${1000 + i}`,
      name: `${prefix} patient ${i + 1}`,
      dateOfBirth: '1980-04-02',
      sex: i % 2 === 0 ? 'female' : 'male',
      wardId,
      bedId: bedIds[i] ?? null,
      admittedAt: ADMITTED_AT,
      injury: {
        type: 'tbi',
        occurredAt: '2026-01-01T12:00:00.000Z',
        lowestGcs: 6,
        comaDays: 20,
        ventilationDays: null,
        diffuseAxonalInjury: true,
        autonomicDysregulation: true,
        aisGrade: null,
        surgicalFractures: [],
      },
    });
    patientIds.push(admitted.patientId);
  }
  return { wardId, patientIds, users };
}

// Therapy sessions ------------------------------------------------------------------------------

const ALL_READINGS = JOINT_CATALOG.flatMap((spec) =>
  SIDES.flatMap((side) => ROM_MODES.map((mode) => ({ spec, side, mode }))),
);

/** A plausible goniometry session of `count` distinct readings (seeded by `seed`). */
export function romSession(patientId: number, count: number, seed: number, takenAt = new Date()) {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const pool = [...ALL_READINGS];
  const readings = [];
  for (let i = 0; i < count && pool.length > 0; i += 1) {
    const [picked] = pool.splice(Math.floor(next() * pool.length), 1);
    if (!picked) break;
    const { spec, side, mode } = picked;
    const low = Math.max(spec.plausibleMin, 0);
    const high = Math.min(spec.plausibleMax, spec.normalDegrees || spec.plausibleMax);
    readings.push({
      site: spec.site,
      side,
      movement: spec.movement,
      mode,
      degrees: Math.round(low + next() * Math.max(0, high - low)),
    });
  }
  return { patientId, takenAt: takenAt.toISOString(), readings };
}

// Database checks -------------------------------------------------------------------------------

/** SHA-256 of every row of every table (but those excluded), by table. */
export function tableChecksums(
  sqlite: Database.Database,
  exclude: readonly string[],
): Record<string, string> {
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  const sums: Record<string, string> = {};
  for (const table of tables) {
    if (exclude.includes(table)) continue;
    const rows = sqlite
      .prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`)
      .raw()
      .all()
      .map((row) => JSON.stringify(row))
      .sort();
    sums[table] = createHash('sha256').update(rows.join('\n')).digest('hex');
  }
  return sums;
}

export function integrityCheck(sqlite: Database.Database): string {
  return (sqlite.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ');
}

// The real server, as a child process -----------------------------------------------------------

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far. */
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `src/main.ts` under Node with tsx's loader (not the tsx CLI, which would put a second process
 * between the test and the server and swallow SIGKILL), on a free port; resolves once /healthz is ok.
 */
export async function startServer(
  env: Record<string, string>,
  { timeoutMs = 180_000 }: { timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (Date.now() < deadline) {
    if (exitedEarly) throw new Error(`the server exited while starting:\n${output}`);
    url ??= /running at (http:\/\/[^\s]+) /.exec(output)?.[1];
    if (url) {
      try {
        const health = await fetch(`${url}/healthz`);
        if (health.ok) return { child, url, output: () => output, exited };
      } catch {
        // Not listening yet.
      }
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not become healthy within ${timeoutMs} ms:\n${output}`);
}

/** Runs `pnpm ossiwatch <args>` (the CLI under tsx's loader); resolves with its exit code and output. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve({ code, output }));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
