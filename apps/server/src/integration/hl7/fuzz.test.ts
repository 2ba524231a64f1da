import net from 'node:net';
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

/** MSA-1 of every ACK the listener sent back, each read with its own field separator (MSH-1). */
function ackCodes(answer: string): string[] {
  return answer
    .split('\x1c\r')
    .map((frame) => frame.replace('\x0b', ''))
    .filter((frame) => frame.startsWith('MSH'))
    .map((frame) => {
      const separator = frame.charAt(3);
      const msa = frame.split('\r').find((segment) => segment.startsWith(`MSA${separator}`));
      return msa?.split(separator)[1] ?? `no MSA in ${JSON.stringify(frame)}`;
    });
}

/**
 * Sends `chunks` as separate writes; collects what comes back until `frames` answers have arrived,
 * the listener closes, or a second has passed.
 */
async function exchange(
  chunks: readonly Buffer[],
  frames = 1,
): Promise<{ answer: string; closed: boolean }> {
  const socket = net.connect(listener.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve).once('error', reject);
  });
  let answer = '';
  let closed = false;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const timer = setTimeout(settle, 1_000);
  socket.on('data', (data: Buffer) => {
    answer += data.toString('latin1');
    if (answer.split('\x1c\r').length > frames) settle();
  });
  socket.on('close', () => {
    closed = true;
    settle();
  });
  socket.on('error', () => (closed = true));
  for (const chunk of chunks) {
    if (closed) break;
    socket.write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await settled;
  clearTimeout(timer);
  socket.destroy();
  return { answer, closed };
}

const BROKEN = VALID.map((s) => s.replace(/202601011200/g, 'notatime'));

/** The broken admission in another character encoding, with other delimiters, or other segment ends. */
const encodedMessage = fc.oneof(
  fc
    .constantFrom<BufferEncoding>('utf16le', 'latin1', 'ucs2')
    .map((encoding) => Buffer.from(`\ufeff${BROKEN.join('\r')}`, encoding)),
  fc
    .tuple(
      fc.constantFrom('#', '!', '^', '\\', '\r', ''),
      fc.string({ unit: 'binary-ascii', maxLength: 5 }),
    )
    .map(([separator, encoding]) =>
      Buffer.from(
        BROKEN.map((s) => s.replace(/^MSH\|\^~\\&/, `MSH${separator}${encoding}`)).join('\r'),
        'utf8',
      ),
    ),
  fc.constantFrom('\n', '\r\n', '', '\r\r').map((end) => Buffer.from(BROKEN.join(end), 'utf8')),
  // Segments of unusual shape: a repeated header, thousands of fields, components and repeats.
  fc
    .tuple(fc.nat({ max: 5000 }), fc.constantFrom('|', '^', '~', '&', '\\'))
    .map(([count, delimiter]) =>
      Buffer.from([...BROKEN, BROKEN[0] ?? '', `ZZZ${delimiter.repeat(count)}`].join('\r'), 'utf8'),
    ),
);

it('answers only AR, or closes, for other encodings, delimiters and segment shapes, and for frames split or doubled; changes nothing', async () => {
  const before = counts();
  await fc.assert(
    fc.asyncProperty(
      encodedMessage,
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.constantFrom('one', 'doubled', 'stray-start', 'no-cr'),
      async (text, cuts, framing) => {
        const body = text.filter((b) => b !== 0x1c && b !== 0x0b);
        const frame = Buffer.concat([Buffer.from([0x0b]), body, Buffer.from([0x1c, 0x0d])]);
        const stream =
          framing === 'doubled'
            ? Buffer.concat([frame, frame])
            : framing === 'stray-start'
              ? Buffer.concat([frame.subarray(0, 10), Buffer.from([0x0b]), frame.subarray(10)])
              : framing === 'no-cr'
                ? Buffer.concat([Buffer.from([0x0b]), body, Buffer.from([0x1c, 0x0b]), frame])
                : frame;
        const points = [...new Set(cuts.map((cut) => cut % stream.length))].sort((a, b) => a - b);
        const chunks = [0, ...points, stream.length]
          .slice(1)
          .map((end, i, ends) => stream.subarray(i === 0 ? 0 : ends[i - 1], end))
          .filter((chunk) => chunk.length > 0);
        const frames = framing === 'doubled' ? 2 : 1;
        const { answer, closed } = await exchange(chunks, frames);
        const codes = ackCodes(answer);
        for (const code of codes) expect(code).toBe('AR');
        // Each whole frame is answered, or the connection closed. (Where a stray start block or a
        // missing CR leaves a frame unfinished, it is waited for until the idle timeout.)
        if (framing === 'one' || framing === 'doubled') {
          expect(codes.length === frames || closed).toBe(true);
        }
      },
    ),
    { numRuns: 80, seed: 1717 },
  );
  expect(counts()).toEqual(before);
}, 120_000);

it('closes the connection on 1 MB of one segment, or 1 MB sent a byte at a time, without applying any of it', async () => {
  const oneSegment = Buffer.from(`\x0b${BROKEN[0]}${'|'.repeat(1024 * 1024)}\x1c\r`, 'utf8');
  const chunks = Array.from({ length: 64 }, (_, i) =>
    oneSegment.subarray((i * oneSegment.length) / 64, ((i + 1) * oneSegment.length) / 64),
  );
  const { answer, closed } = await exchange(chunks);
  expect(answer).toBe('');
  expect(closed).toBe(true);
  expect(counts().patients).toBe(0);
}, 30_000);
