/**
 * Bad input of any shape (PRODUCT §8), sent over HTTP to every mutation the API has: wrong types, huge
 * and tiny numbers, NaN-like strings, unicode, deep nesting, `__proto__` keys, missing and extra
 * fields, superjson metadata that turns values into NaN, undefined or dates, and bodies that are not
 * JSON at all. Every answer must be a 4xx with a message that names the problem, never a 5xx, and
 * the ward's record must be exactly as before (checksums of every table but two).
 *
 * The two tables left out: `audit_log`, because a refused request is itself audited (a role refusal,
 * a failed sign-in), and `sessions`, whose last-seen time moves as the signed-in clients call.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { Role } from '../../src/db/schema.ts';
import { appRouter } from '../../src/router.ts';
import { migratedMemoryDb, testConfig } from '../../src/test-support.ts';
import {
  ApiClient,
  injectTransport,
  makeFixture,
  romSession,
  tableChecksums,
  type CallResult,
} from './support.ts';

const EXCLUDED_TABLES = ['audit_log', 'sessions'];
/** Runs per mutation; `FUZZ_RUNS=2000` for a longer search than CI does. */
const RUNS_PER_MUTATION = Number(process.env.FUZZ_RUNS ?? 40);

// Generated bodies ------------------------------------------------------------------------------

/** A JSON value as text, so that keys such as `__proto__` survive into the request body as written. */
type Value =
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'array'; readonly items: readonly Value[] }
  | { readonly kind: 'object'; readonly pairs: readonly (readonly [string, Value])[] };

function toJson(value: Value): string {
  switch (value.kind) {
    case 'raw':
      return value.text;
    case 'array':
      return `[${value.items.map(toJson).join(',')}]`;
    case 'object':
      return `{${value.pairs.map(([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`).join(',')}}`;
  }
}

const raw = (text: string): Value => ({ kind: 'raw', text });
const json = (value: unknown): Value => raw(JSON.stringify(value));

const hugeAndTinyNumbers = fc.constantFrom(
  1e308,
  -1e308,
  5e-324,
  -5e-324,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e21,
  0.000001,
  -0.5,
);
const nanLikeStrings = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '0x1F',
  '',
  ' ',
  'null',
  'undefined',
  '٣',
  '１２',
  '12abc',
  '2026-13-45T25:61:00Z',
  'not-a-date',
);
const unicodeStrings = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\u202e\u0644\u0627', '👩‍⚕️🦴', '\ud800', "'; DROP TABLE patients; --"),
);
const hugeStrings = fc.constantFrom('x'.repeat(100_000), '🦴'.repeat(20_000));

const leaf: fc.Arbitrary<Value> = fc.oneof(
  hugeAndTinyNumbers.map(json),
  nanLikeStrings.map(json),
  unicodeStrings.map(json),
  hugeStrings.map(json),
  fc.constantFrom(json(true), json(false), json(null), json([]), json({})),
);

/** Field names the API uses, so generated objects reach deep into the validators. */
const FIELD_NAMES = [
  'patientId',
  'wardId',
  'bedId',
  'userId',
  'takenAt',
  'readings',
  'site',
  'side',
  'movement',
  'mode',
  'degrees',
  'expectedVersion',
  'username',
  'password',
  'name',
  'mrn',
  'roles',
  'wardIds',
  'id',
  'complicationId',
  'value',
  'from',
  'to',
  'at',
  'kind',
  'type',
  'injury',
  'settings',
];
const key = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELD_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const { value: nested } = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }).map((items): Value => ({ kind: 'array', items })),
    fc
      .array(fc.tuple(key, tie('value')), { maxLength: 6 })
      .map((pairs): Value => ({ kind: 'object', pairs })),
  ),
}));

/** Arrays or objects nested thousands deep. */
const deepNesting = fc
  .integer({ min: 100, max: 5000 })
  .chain((depth) =>
    fc.constantFrom(
      raw(`${'['.repeat(depth)}${']'.repeat(depth)}`),
      raw(`${'{"patientId":'.repeat(depth)}1${'}'.repeat(depth)}`),
    ),
  );

/** superjson metadata that turns the value at a path into NaN, Infinity, undefined, a Date, a bigint, a Map. */
const superjsonMeta = fc
  .tuple(
    fc.constantFrom(...FIELD_NAMES),
    fc.constantFrom(
      ['number'],
      ['undefined'],
      ['Date'],
      ['bigint'],
      ['map'],
      ['set'],
      ['regexp'],
      ['symbol'],
      ['class'],
      ['custom'],
    ),
  )
  .chain(([field, annotation]) =>
    fc.constantFrom('NaN', 'Infinity', '-Infinity', '99999999999999999999999', 'x').map((text) => ({
      field,
      annotation,
      text,
    })),
  );

/** A request body: usually tRPC's `{ json, meta? }` envelope around generated input, sometimes not. */
const body: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: nested.map((input) => `{"json":${toJson(input)}}`) },
  { weight: 2, arbitrary: deepNesting.map((input) => `{"json":${toJson(input)}}`) },
  {
    weight: 2,
    arbitrary: superjsonMeta.map(
      ({ field, annotation, text }) =>
        `{"json":{"${field}":${JSON.stringify(text)}},"meta":{"values":{"${field}":${JSON.stringify(annotation)}}}}`,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"json":{"__proto__":{"roles":["admin"]},"patientId":1}}',
      '{"json":{"constructor":{"prototype":{"admin":true}}}}',
      '{"json":1,"meta":{"values":["__proto__"]}}',
      '{"json":{"a":1},"meta":{"referentialEqualities":{"a":["__proto__.polluted"]}}}',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: nested.map(toJson) },
);

/** A genuine ROM session with one field broken: a value of the wrong type, or the field missing. */
function brokenRomSession(patientId: number): fc.Arbitrary<string> {
  const wrongForNumber = fc.oneof(
    nanLikeStrings.map(json),
    fc.constantFrom(json(null), json([]), json({}), json(true)),
    fc.constantFrom(json(1e308), json(-1e308)),
  );
  const wrongForString = fc.oneof(
    hugeAndTinyNumbers.map(json),
    fc.constantFrom(json(null), json([]), json({}), json(false), json('elbow '), json('KNEE')),
  );
  const wrongForInstant = fc.oneof(
    nanLikeStrings.map(json),
    hugeAndTinyNumbers.map(json),
    fc.constantFrom(json('2999-01-01T00:00:00Z'), json('1900-01-01T00:00:00Z')),
  );
  return fc
    .record({
      seed: fc.nat(),
      readingIndex: fc.nat({ max: 4 }),
      field: fc.constantFrom(
        'patientId',
        'takenAt',
        'readings',
        'site',
        'side',
        'movement',
        'mode',
        'degrees',
      ),
      missing: fc.boolean(),
      extra: fc.boolean(),
      wrongNumber: wrongForNumber,
      wrongString: wrongForString,
      wrongInstant: wrongForInstant,
    })
    .map(
      ({ seed, readingIndex, field, missing, extra, wrongNumber, wrongString, wrongInstant }) => {
        const session = romSession(patientId, 5, seed);
        const toValue = (input: Record<string, unknown>): Value => ({
          kind: 'object',
          pairs: Object.entries(input).map(([name, item]) => [name, json(item)] as const),
        });
        const replace = (target: Record<string, unknown>, name: string): Value => {
          const wrong =
            name === 'patientId' || name === 'degrees'
              ? wrongNumber
              : name === 'takenAt'
                ? wrongInstant
                : wrongString;
          const pairs = Object.entries(target)
            .filter(([other]) => !(missing && other === name))
            .map(([other, item]) => [other, other === name ? wrong : json(item)] as const);
          return {
            kind: 'object',
            pairs: extra ? [...pairs, ['__proto__', json({ degrees: 1 })] as const] : pairs,
          };
        };
        let top: Value;
        if (field === 'patientId' || field === 'takenAt' || field === 'readings') {
          top = replace(session, field);
        } else {
          const readings = session.readings.map((reading, index) =>
            index === readingIndex ? replace(reading, field) : toValue(reading),
          );
          top = {
            kind: 'object',
            pairs: [
              ['patientId', json(session.patientId)],
              ['takenAt', json(session.takenAt)],
              ['readings', { kind: 'array', items: readings }],
            ],
          };
        }
        return `{"json":${toJson(top)}}`;
      },
    );
}

// The server --------------------------------------------------------------------------------------

const db = migratedMemoryDb();
let app: Awaited<ReturnType<typeof buildApp>>;
let fixture: Awaited<ReturnType<typeof makeFixture>>;
const clients = {} as Record<Role | 'anonymous', ApiClient>;
/** For each mutation, a client allowed to call it (so the input is validated, not the role). */
const callerOf = new Map<string, ApiClient>();
const tookNoInput: string[] = [];

const mutations = Object.entries(appRouter._def.procedures as Record<string, unknown>)
  .filter(([, procedure]) => {
    const def = (procedure as { _def?: { type?: string } })._def;
    return def?.type === 'mutation';
  })
  .map(([path]) => path)
  .sort();

beforeAll(async () => {
  fixture = await makeFixture(db, { patients: 2, prefix: 'fuzz' });
  app = await buildApp({ db, config: testConfig });
  await app.ready();
  clients.anonymous = new ApiClient(injectTransport(app));
  for (const role of ['nurse', 'therapist', 'physician', 'manager', 'admin'] as const) {
    clients[role] = new ApiClient(injectTransport(app));
    await clients[role].login(fixture.users[role]);
  }
  // Who may call what: a body that is surely invalid (a number where every input is an object) gets
  // BAD_REQUEST from a permitted caller and FORBIDDEN from anyone else (roles are checked first).
  for (const path of mutations) {
    if (path === 'auth.logout') {
      callerOf.set(path, clients.anonymous);
      continue;
    }
    for (const who of [
      'anonymous',
      'therapist',
      'nurse',
      'physician',
      'admin',
      'manager',
    ] as const) {
      const probe = await clients[who].mutationRaw(path, '{"json":12345}');
      if (probe.ok) tookNoInput.push(path);
      if (probe.ok || (probe.code !== 'FORBIDDEN' && probe.code !== 'UNAUTHORIZED')) {
        callerOf.set(path, clients[who]);
        break;
      }
    }
  }
});

afterAll(async () => {
  process.stdout.write(
    `fuzz: no input: ${tookNoInput.join(', ') || 'none'}; answers: ${JSON.stringify([...seen])}\n`,
  );
  await app.close();
  db.$client.close();
});

function describeProblem(result: CallResult): string {
  return result.ok ? `accepted: ${JSON.stringify(result.data)}` : `${result.status} ${result.body}`;
}

const seen = new Map<string, number>();
function expectNamedRefusal(path: string, sent: string, result: CallResult): void {
  const label = `${result.status} ${result.ok ? 'ok' : (result.code ?? result.message.slice(0, 60))}`;
  seen.set(label, (seen.get(label) ?? 0) + 1);
  const context = `${path} <- ${sent.slice(0, 300)}\n-> ${describeProblem(result).slice(0, 500)}`;
  if (path === 'auth.logout') {
    // Signing out without a session is harmless either way; it must not fail.
    expect(result.status, context).toBeLessThan(500);
    return;
  }
  expect(result.ok, context).toBe(false);
  if (result.ok) return;
  expect(result.status, context).toBeGreaterThanOrEqual(400);
  expect(result.status, context).toBeLessThan(500);
  expect(result.message.trim().length, context).toBeGreaterThan(0);
  expect(result.message, context).not.toMatch(/could not complete this request/);
  if (result.code === 'BAD_REQUEST' && Array.isArray(result.data.zodIssues)) {
    // "readings.3.degrees: …" or "input: …": the field, then the reason.
    expect(result.message, context).toMatch(/^[\w.$[\]-]*: \S/);
  }
}

describe('bad input to every mutation', () => {
  it('finds the mutations and a caller for each', () => {
    expect(mutations).toContain('rom.recordSession');
    expect(mutations).toContain('auth.login');
    expect(mutations.filter((path) => !callerOf.has(path))).toEqual([]);
  });

  it.each(mutations)('%s: a 4xx naming the problem, and the record unchanged', async (path) => {
    const client = callerOf.get(path) ?? clients.anonymous;
    const before = tableChecksums(db.$client, EXCLUDED_TABLES);
    await fc.assert(
      fc.asyncProperty(body, async (sent) => {
        if (tookNoInput.includes(path)) return;
        expectNamedRefusal(path, sent, await client.mutationRaw(path, sent));
      }),
      { numRuns: RUNS_PER_MUTATION },
    );
    expect(tableChecksums(db.$client, EXCLUDED_TABLES)).toEqual(before);
  });

  it('rom.recordSession: a genuine session with one field broken is refused whole', async () => {
    const patientId = fixture.patientIds[0] ?? 0;
    const before = tableChecksums(db.$client, EXCLUDED_TABLES);
    await fc.assert(
      fc.asyncProperty(brokenRomSession(patientId), async (sent) => {
        expectNamedRefusal(
          'rom.recordSession',
          sent,
          await clients.therapist.mutationRaw('rom.recordSession', sent),
        );
      }),
      { numRuns: 300 },
    );
    expect(tableChecksums(db.$client, EXCLUDED_TABLES)).toEqual(before);
    // The unbroken session is accepted: the refusals above were about the broken field.
    const accepted = await clients.therapist.mutation(
      'rom.recordSession',
      romSession(patientId, 5, 1),
    );
    expect(accepted.ok).toBe(true);
  });
});
