import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import superjson from 'superjson';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type OssiwatchDb } from '../../db/client.ts';
import { eventBusFor } from '../../events.ts';
import { admitPatient, makeUser, makeWard } from '../../test-support.ts';
import { mutation, signIn, testServer, type TestServer } from '../../../test/security/support.ts';

interface Message {
  readonly event: string;
  readonly id: string | null;
  readonly data: unknown;
}

/** An open `ward.onChange` stream over real HTTP, read frame by frame. */
async function openStream(address: string, cookie: string, wardId: number, lastEventId?: string) {
  const input = superjson.serialize({ wardId, ...(lastEventId ? { lastEventId } : {}) });
  const controller = new AbortController();
  const response = await fetch(
    `${address}/trpc/ward.onChange?input=${encodeURIComponent(JSON.stringify(input))}`,
    { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal },
  );
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  const next = async (): Promise<Message> => {
    for (;;) {
      const end = pending.indexOf('\n\n');
      if (end !== -1) {
        const frame = pending.slice(0, end);
        pending = pending.slice(end + 2).replace(/^\n+/, '');
        const fields = new Map<string, string>();
        for (const line of frame.split('\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        const data = fields.get('data');
        return {
          event: fields.get('event') ?? 'message',
          id: fields.get('id') ?? null,
          data: data
            ? superjson.deserialize(JSON.parse(data) as Parameters<typeof superjson.deserialize>[0])
            : null,
        };
      }
      const chunk = await reader.read();
      if (chunk.done) throw new Error('the stream ended');
      pending += chunk.value;
    }
  };
  /** The next `count` events (pings skipped). */
  const events = async (count: number): Promise<Message[]> => {
    const out: Message[] = [];
    while (out.length < count) {
      const message = await next();
      if (message.event === 'message') out.push(message);
    }
    return out;
  };
  /**
   * Every event up to and including the first one `last` accepts: what came before a live event
   * written after reconnecting is all the board was sent, so a missing replay shows as a short list
   * rather than as a wait for events that never come.
   */
  const eventsUntil = async (last: (message: Message) => boolean): Promise<Message[]> => {
    const out: Message[] = [];
    for (;;) {
      const [message] = await events(1);
      out.push(message!);
      if (last(message!)) return out;
    }
  };
  expect((await next()).event).toBe('connected');
  return { events, eventsUntil, close: () => controller.abort() };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-live-'));
const open: { server: TestServer; db: OssiwatchDb }[] = [];

async function start(file: string): Promise<{ server: TestServer; address: string }> {
  const db = openDatabase(file);
  applyMigrations(db);
  const server = await testServer({ db });
  open.push({ server, db });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return { server, address };
}

async function stop(): Promise<void> {
  for (const { server, db } of open.splice(0)) {
    await server.app.close();
    db.$client.close();
  }
}

afterEach(stop);

/** A nurse's vital sign on the patient, through the server's HTTP API: one event on its ward. */
function writer(cookie: string) {
  return async (server: TestServer, patientId: number): Promise<void> => {
    const response = await mutation(
      server,
      'nursing.recordVital',
      { patientId, takenAt: '2026-03-02T07:00:00Z', kind: 'temperature', value: 37.2 },
      { cookie },
    );
    expect(response.statusCode).toBe(200);
  };
}

describe('a board reconnecting with its last event id', () => {
  it('is sent every event written while it was away, across a server restart, once each', async () => {
    const file = path.join(dir, 'reconnect.db');
    const first = await start(file);
    const { wardId } = makeWard(first.server.db, 'A');
    const { wardId: otherWardId } = makeWard(first.server.db, 'B');
    const patients = [1, 2, 3].map(() =>
      admitPatient(first.server.db, { wardId, admittedAt: '2026-02-20T08:00:00Z' }),
    );
    const elsewhere = admitPatient(first.server.db, {
      wardId: otherWardId,
      admittedAt: '2026-02-20T08:00:00Z',
    });
    await makeUser(first.server.db, ['nurse'], [wardId, otherWardId], 'nurse');
    const cookie = await signIn(first.server, 'nurse');
    const write = writer(cookie);

    const board = await openStream(first.address, cookie, wardId);
    await write(first.server, patients[0]!);
    const [seen] = await board.events(1);
    expect(seen?.data).toEqual({ patientId: patients[0], kind: 'nursing' });
    board.close();

    // Away: two writes on the board's ward (and one elsewhere) before the server stops ...
    await write(first.server, patients[1]!);
    await write(first.server, elsewhere);
    await write(first.server, patients[2]!);
    await stop();
    // ... and one on the restarted server before the board is back.
    const second = await start(file);
    await write(second.server, patients[0]!);

    const back = await openStream(second.address, cookie, wardId, seen!.id!);
    // Then live again: a write made now is the last event; everything before it was the replay.
    await write(second.server, patients[1]!);
    const marker = eventBusFor(second.server.db).latestEventId;
    const received = await back.eventsUntil((m) => m.id === marker);
    expect(received.map((m) => m.data)).toEqual([
      { patientId: patients[1], kind: 'nursing' },
      { patientId: patients[2], kind: 'nursing' },
      { patientId: patients[0], kind: 'nursing' },
      { patientId: patients[1], kind: 'nursing' },
    ]);
    // None twice.
    const ids = [seen, ...received].map((m) => m?.id);
    expect(new Set(ids).size).toBe(ids.length);
    back.close();
  });

  it('is sent the same replay as the other boards of its ward coming back with that id, and a later board also what came since', async () => {
    const file = path.join(dir, 'shared.db');
    const first = await start(file);
    const { wardId } = makeWard(first.server.db, 'A');
    const patients = [1, 2, 3].map(() =>
      admitPatient(first.server.db, { wardId, admittedAt: '2026-02-20T08:00:00Z' }),
    );
    await makeUser(first.server.db, ['nurse'], [wardId], 'nurse');
    const cookie = await signIn(first.server, 'nurse');
    const write = writer(cookie);
    const board = await openStream(first.address, cookie, wardId);
    await write(first.server, patients[0]!);
    const [seen] = await board.events(1);
    board.close();
    await write(first.server, patients[1]!);
    await stop();
    const second = await start(file);
    await write(second.server, patients[2]!);

    // A wall screen, a nurse station and a phone of the ward, all back from the same last event.
    const together = await Promise.all(
      [1, 2, 3].map(() => openStream(second.address, cookie, wardId, seen!.id!)),
    );
    // One more change; then a fourth board comes back from the same id: it is sent that one too.
    await write(second.server, patients[0]!);
    const latecomer = await openStream(second.address, cookie, wardId, seen!.id!);
    await write(second.server, patients[1]!);
    const marker = eventBusFor(second.server.db).latestEventId;

    const expected = [patients[1], patients[2], patients[0], patients[1]].map((patientId) => ({
      patientId,
      kind: 'nursing',
    }));
    for (const back of [...together, latecomer]) {
      const received = await back.eventsUntil((m) => m.id === marker);
      expect(received.map((m) => m.data)).toEqual(expected);
      expect(new Set(received.map((m) => m.id)).size).toBe(received.length);
      back.close();
    }
  });

  it('is told to reload (resync) when its id is not known', async () => {
    const { server, address } = await start(path.join(dir, 'resync.db'));
    const { wardId } = makeWard(server.db, 'A');
    await makeUser(server.db, ['nurse'], [wardId], 'nurse');
    const cookie = await signIn(server, 'nurse');
    const board = await openStream(address, cookie, wardId, 'cafebabe-41');
    const [first] = await board.events(1);
    expect(first?.data).toEqual({ patientId: null, kind: 'resync' });
    board.close();
  });
});
