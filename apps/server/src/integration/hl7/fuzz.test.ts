import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OssiwatchDb } from '../../db/client.ts';
import { hl7Locations, patients, stays, vitalsLabs } from '../../db/schema.ts';
import { makeWard, migratedMemoryDb } from '../../test-support.ts';
import { parseAllowList, startMllpListener, type MllpListener } from './listener.ts';
import { openMllp } from './mllp-client.ts';

let db: OssiwatchDb;
let listener: MllpListener;
let sequence = 0;

beforeAll(async () => {
  db = migratedMemoryDb();
  const { wardId } = makeWard(db, 'West');
  db.insert(hl7Locations).values({ code: '4WEST', wardId }).run();
  listener = await startMllpListener(db, {
    port: 0,
    host: '127.0.0.1',
    allow: parseAllowList(undefined),
  });
});

afterAll(async () => {
  await listener.close();
  db.$client.close();
});

function counts() {
  return {
    patients: db.select().from(patients).all().length,
    stays: db.select().from(stays).all().length,
    labs: db.select().from(vitalsLabs).all().length,
  };
}

const VALID = [
  'MSH|^~\\&|ADT|HOSP|OSSI|HOSP|202601011200||ADT^A01|X|P|2.5.1',
  'EVN|A01|202601011200',
  'PID|1||FUZZ1^^^HOSP^MR||Doe^Jane||19800115|F',
  'PV1|1|I|4WEST^^01',
];

/** A frame's text: a valid admission with segments dropped, mangled or replaced by noise. */
const mangledMessage = fc
  .tuple(
    fc.array(fc.nat({ max: VALID.length - 1 }), { maxLength: 6 }),
    fc.array(fc.string({ unit: 'binary', maxLength: 80 }), { maxLength: 4 }),
    fc.boolean(),
  )
  .map(([picks, noise, withHeader]) => {
    const segments = picks.map((i) => (VALID[i] ?? '').replace('|X|', `|F${++sequence}|`));
    // The time fields are dropped or broken, so no mangled admission can be valid and applied.
    const broken = segments.map((s) => s.replace(/20260101\d*/g, 'notatime'));
    return [...(withHeader ? [] : ['XYZ']), ...broken, ...noise].join('\r');
  });

it('answers AR or closes the connection for malformed input of any shape, and changes nothing', async () => {
  const before = counts();
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        mangledMessage.map((text) => ({ framed: true, bytes: Buffer.from(text, 'utf8') })),
        fc
          .uint8Array({ maxLength: 300 })
          .map((bytes) => ({ framed: true, bytes: Buffer.from(bytes) })),
        // Bytes that do not start a frame (a frame begun and not finished is simply waited for).
        fc
          .uint8Array({ minLength: 1, maxLength: 300 })
          .filter((bytes) => bytes[0] !== 0x0b)
          .map((bytes) => ({ framed: false, bytes: Buffer.from(bytes) })),
      ),
      async ({ framed, bytes }) => {
        const client = await openMllp('127.0.0.1', listener.port);
        try {
          const payload = framed
            ? Buffer.concat([
                Buffer.from([0x0b]),
                bytes.filter((b) => b !== 0x1c),
                Buffer.from([0x1c, 0x0d]),
              ])
            : bytes;
          const answer = await client.sendRaw(payload, 1_000);
          if (answer === null) {
            // No answer: only because the listener closed the connection, never a silent hang.
            await new Promise((resolve) => setTimeout(resolve, 50));
            expect(client.socket.destroyed || client.socket.readableEnded).toBe(true);
          } else {
            const msa = answer.split('\r').find((s) => s.startsWith('MSA|'));
            expect(msa?.split('|')[1]).toBe('AR');
          }
        } finally {
          client.close();
        }
      },
    ),
    { numRuns: 60, seed: 17 },
  );
  expect(counts()).toEqual(before);
}, 120_000);

it('closes the connection on a 1 MB message without applying any of it', async () => {
  const client = await openMllp('127.0.0.1', listener.port);
  const big = `${VALID.join('\r').replace('|X|', '|BIG|')}\rNTE|1||${'x'.repeat(1024 * 1024)}`;
  const answer = await client.sendRaw(`\x0b${big}\x1c\r`, 2_000);
  expect(answer).toBeNull();
  expect(client.socket.destroyed || client.socket.readableEnded).toBe(true);
  client.close();
  expect(counts().patients).toBe(0);
});
