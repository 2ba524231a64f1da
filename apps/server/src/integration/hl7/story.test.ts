/**
 * The interface's "done when" (issue 17), checked from outside as a hospital's interface engine and
 * a nurse would see it: the real server over HTTP, the real MLLP listener over a TCP socket, and the
 * messages written as raw ER7 text, framed and read here with nothing of OssiWatch's HL7 code (nor
 * @medplum/hl7): an ACK is read by splitting its segments and fields by hand.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import superjson from 'superjson';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type OssiwatchDb } from '../../db/client.ts';
import { makeUser, makeWard } from '../../test-support.ts';
import { signIn, testServer, type TestServer } from '../../../test/security/support.ts';
import { hl7Commands } from './commands.ts';
import { parseAllowList, startMllpListener, type MllpListener } from './listener.ts';

const VT = '\x0b';
const FS = '\x1c';

/** One MLLP connection: send a message, wait for its ACK (no pipelining, as MLLP requires). */
async function mllpSocket(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve).once('error', reject);
  });
  socket.setEncoding('utf8');
  let buffered = '';
  const waiting: ((frame: string) => void)[] = [];
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf(`${FS}\r`); end !== -1; end = buffered.indexOf(`${FS}\r`)) {
      const frame = buffered.slice(buffered.indexOf(VT) + 1, end);
      buffered = buffered.slice(end + 2);
      waiting.shift()?.(frame);
    }
  });
  return {
    send: (segments: readonly string[]) =>
      new Promise<{ code: string; controlId: string; err: string | null }>((resolve) => {
        waiting.push((frame) => {
          const lines = frame.split('\r').map((line) => line.split('|'));
          const msa = lines.find((fields) => fields[0] === 'MSA') ?? [];
          const err = lines.find((fields) => fields[0] === 'ERR');
          resolve({ code: msa[1] ?? '', controlId: msa[2] ?? '', err: err ? err.join('|') : null });
        });
        socket.write(`${VT}${segments.join('\r')}\r${FS}\r`);
      }),
    close: () => socket.destroy(),
  };
}

const hl7Time = (date: Date): string =>
  `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
const hoursAgo = (hours: number): string => hl7Time(new Date(Date.now() - hours * 3600_000));

let control = 0;
/** An ADT message as an interface engine writes it (HL7 v2.5.1, ER7). */
function adt(
  event: string,
  mrn: string,
  where: string,
  at: string,
  controlId = `STORY-${++control}`,
): string[] {
  const pv1 = ['PV1', '1', 'I', where];
  while (pv1.length < 46) pv1.push('');
  if (event === 'A01') pv1[44] = at;
  if (event === 'A03') pv1[45] = at;
  return [
    `MSH|^~\\&|EPIC|GENHOSP|OSSIWATCH|GENHOSP|${hoursAgo(0)}||ADT^${event}^ADT_A01|${controlId}|P|2.5.1`,
    `EVN|${event}|${hoursAgo(0)}|||nurse01|${at}`,
    `PID|1||${mrn}^^^GENHOSP^MR||Story^Ada^M||19640212|F`,
    pv1.join('|'),
  ];
}

let dir: string;
let db: OssiwatchDb;
let server: TestServer;
let address: string;
let listener: MllpListener;
let engine: Awaited<ReturnType<typeof mllpSocket>>;
let nurseCookie: string;
let adminCookie: string;
let west: number;
let east: number;

/** A tRPC query over HTTP as the signed-in user, decoded. */
async function get<T>(cookie: string, procedure: string, input: unknown): Promise<T> {
  const encoded = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  const response = await fetch(`${address}/trpc/${procedure}?input=${encoded}`, {
    headers: { cookie },
  });
  const body = (await response.json()) as {
    result?: { data: Parameters<typeof superjson.deserialize>[0] };
  };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return superjson.deserialize<T>(body.result!.data);
}

async function post<T>(cookie: string, procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${address}/trpc/${procedure}`, {
    method: 'POST',
    headers: { cookie, origin: address, 'content-type': 'application/json' },
    body: JSON.stringify(superjson.serialize(input)),
  });
  const body = (await response.json()) as {
    result?: { data: Parameters<typeof superjson.deserialize>[0] };
  };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return superjson.deserialize<T>(body.result!.data);
}

interface BoardRow {
  readonly patientId: number;
  readonly mrn?: string;
  readonly name: string;
  readonly bed: string | null;
}

async function board(wardId: number): Promise<BoardRow[]> {
  return (await get<{ patients: BoardRow[] }>(nurseCookie, 'ward.board', { wardId })).patients;
}

/** The ward's live stream (SSE), as the board subscribes to it; resolves with the next event. */
async function liveStream(wardId: number) {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ wardId })));
  const controller = new AbortController();
  const response = await fetch(`${address}/trpc/ward.onChange?input=${input}`, {
    headers: { cookie: nurseCookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  const nextFrame = async (): Promise<{ event: string; data: string }> => {
    for (;;) {
      const end = pending.indexOf('\n\n');
      if (end !== -1) {
        const frame = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const field = (name: string) =>
          /^(.*)$/m
            .exec(frame.split('\n').find((line) => line.startsWith(`${name}:`)) ?? '')?.[1]
            ?.slice(name.length + 1)
            .trim() ?? '';
        return { event: field('event') || 'message', data: field('data') };
      }
      const chunk = await reader.read();
      if (chunk.done) throw new Error('the stream ended');
      pending += chunk.value;
    }
  };
  expect((await nextFrame()).event).toBe('connected');
  return {
    /** The next ward event (pings skipped). */
    next: async () => {
      for (;;) {
        const frame = await nextFrame();
        if (frame.event !== 'message') continue;
        return superjson.deserialize<{ patientId: number | null; kind: string }>(
          JSON.parse(frame.data) as Parameters<typeof superjson.deserialize>[0],
        );
      }
    },
    close: () => controller.abort(),
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-hl7-story-'));
  const file = path.join(dir, 'ossiwatch.db');
  process.env.DATABASE_PATH = file;
  db = openDatabase(file);
  applyMigrations(db);
  west = makeWard(db, 'Neurorehab West').wardId;
  east = makeWard(db, 'Spinal East').wardId;
  const nurse = await makeUser(db, ['nurse'], [west, east]);
  const admin = await makeUser(db, ['admin'], []);
  // The administrator maps the hospital's points of care from the command line.
  expect(await hl7Commands['location:map'].run(['--code', '4WEST', '--ward', String(west)])).toBe(
    0,
  );
  expect(await hl7Commands['location:map'].run(['--code', '5EAST', '--ward', String(east)])).toBe(
    0,
  );
  server = await testServer({ db });
  // The feed stamps messages with the real time: the server's clock agrees with it.
  server.clock.advance(Date.now() - server.clock.now().getTime());
  address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  listener = await startMllpListener(db, {
    port: 0,
    host: '127.0.0.1',
    allow: parseAllowList(undefined),
  });
  engine = await mllpSocket(listener.port);
  nurseCookie = await signIn(server, nurse.username);
  adminCookie = await signIn(server, admin.username);
});

afterAll(async () => {
  engine.close();
  await listener.close();
  await server.app.close();
  db.$client.close();
  delete process.env.DATABASE_PATH;
  fs.rmSync(dir, { recursive: true, force: true });
});

it('admits, moves, discharges and cancels from the ADT feed; queues what it cannot place; shows an ALP result', async () => {
  // A01 for a new MRN: on the mapped ward's board, live.
  const westLive = await liveStream(west);
  const admit = adt('A01', 'GH-1001', '4WEST^^02', hoursAgo(20), 'STORY-A01');
  expect(await engine.send(admit)).toEqual({ code: 'AA', controlId: 'STORY-A01', err: null });
  const admitted = await westLive.next();
  expect(admitted.kind).toBe('stay');
  const onWest = (await board(west)).find((row) => row.patientId === admitted.patientId);
  expect(onWest).toMatchObject({ name: 'Ada M Story', bed: '02' });

  // The same message again: acknowledged again, applied once.
  expect(await engine.send(admit)).toMatchObject({ code: 'AA', controlId: 'STORY-A01' });
  expect((await board(west)).filter((row) => row.patientId === admitted.patientId)).toHaveLength(1);
  const timeline = await get<{ vitals: unknown[] }>(nurseCookie, 'patient.timeline', {
    patientId: admitted.patientId,
  });
  expect(timeline.vitals).toEqual([]);

  // A02 moves them: off West, onto East, both boards told.
  const eastLive = await liveStream(east);
  expect((await engine.send(adt('A02', 'GH-1001', '5EAST^^01', hoursAgo(10)))).code).toBe('AA');
  expect(await westLive.next()).toMatchObject({ patientId: admitted.patientId, kind: 'stay' });
  expect(await eastLive.next()).toMatchObject({ patientId: admitted.patientId, kind: 'stay' });
  expect((await board(west)).map((row) => row.patientId)).not.toContain(admitted.patientId);
  expect((await board(east)).find((row) => row.patientId === admitted.patientId)).toMatchObject({
    bed: '01',
  });

  // An ORU with ALP (LOINC 6768-6) shows on the patient page.
  const oru = [
    `MSH|^~\\&|LAB|GENHOSP|OSSIWATCH|GENHOSP|${hoursAgo(0)}||ORU^R01^ORU_R01|STORY-ORU|P|2.5.1`,
    'PID|1||GH-1001^^^GENHOSP^MR||Story^Ada^M||19640212|F',
    `OBR|1||LAB-77|6768-6^Alkaline phosphatase^LN|||${hoursAgo(5)}`,
    `OBX|1|NM|6768-6^Alkaline phosphatase^LN||212|U/L|40-130|H|||F|||${hoursAgo(5)}`,
  ];
  expect(await engine.send(oru)).toMatchObject({ code: 'AA', controlId: 'STORY-ORU' });
  expect(await eastLive.next()).toMatchObject({ patientId: admitted.patientId });
  const page = await get<{ vitals: { kind: string; value: number; unit: string }[] }>(
    nurseCookie,
    'patient.timeline',
    { patientId: admitted.patientId },
  );
  expect(page.vitals).toEqual([expect.objectContaining({ kind: 'alp', value: 212, unit: 'U/L' })]);

  // A03 discharges them.
  expect((await engine.send(adt('A03', 'GH-1001', '5EAST^^01', hoursAgo(1)))).code).toBe('AA');
  expect(await eastLive.next()).toMatchObject({ patientId: admitted.patientId, kind: 'stay' });
  expect((await board(east)).map((row) => row.patientId)).not.toContain(admitted.patientId);

  // A11 undoes an admission.
  expect((await engine.send(adt('A01', 'GH-1002', '4WEST^^03', hoursAgo(3)))).code).toBe('AA');
  const second = await westLive.next();
  expect((await board(west)).map((row) => row.patientId)).toContain(second.patientId);
  expect((await engine.send(adt('A11', 'GH-1002', '4WEST^^03', hoursAgo(2)))).code).toBe('AA');
  expect(await westLive.next()).toMatchObject({ patientId: second.patientId, kind: 'stay' });
  expect((await board(west)).map((row) => row.patientId)).not.toContain(second.patientId);

  // An unmapped location answers AE and waits in the queue; mapped and replayed, it applies.
  const unmapped = await engine.send(adt('A01', 'GH-1003', '6NORTH^^01', hoursAgo(4), 'STORY-Q'));
  expect(unmapped).toMatchObject({ code: 'AE', controlId: 'STORY-Q' });
  expect(unmapped.err).toContain('6NORTH');
  const queue = await get<{ waiting: { id: number; controlId: string; note: string | null }[] }>(
    adminCookie,
    'hl7.queue',
    undefined,
  );
  const waiting = queue.waiting.find((message) => message.controlId === 'STORY-Q');
  expect(waiting?.note).toContain('6NORTH');
  expect(await hl7Commands['location:map'].run(['--code', '6NORTH', '--ward', String(west)])).toBe(
    0,
  );
  expect(
    await post<{ ackCode: string }>(adminCookie, 'hl7.replay', { messageId: waiting?.id }),
  ).toMatchObject({ ackCode: 'AA' });
  const third = await westLive.next();
  expect((await board(west)).find((row) => row.patientId === third.patientId)).toMatchObject({
    name: 'Ada M Story',
    bed: '01',
  });
  const after = await get<{ waiting: { controlId: string }[] }>(
    adminCookie,
    'hl7.queue',
    undefined,
  );
  expect(after.waiting.map((message) => message.controlId)).not.toContain('STORY-Q');

  westLive.close();
  eastLive.close();
});
