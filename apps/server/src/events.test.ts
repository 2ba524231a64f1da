import { describe, expect, it } from 'vitest';
import { EventBus } from './events.ts';
import { commitWrite } from './group-commit.ts';
import { admitPatient, callerAs, makeUser, makeWard, migratedMemoryDb } from './test-support.ts';

async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('EventBus', () => {
  it("delivers a ward's events to its listeners only", async () => {
    const bus = new EventBus();
    const controller = new AbortController();
    const wardOne = bus.listen(1, undefined, controller.signal);
    const first = wardOne.next();
    bus.publish({ wardId: 2, patientId: 20, kind: 'rom' });
    bus.publish({ wardId: 1, patientId: 10, kind: 'braden' });
    expect((await first).value).toMatchObject({ wardId: 1, patientId: 10, kind: 'braden' });
    controller.abort();
    expect((await wardOne.next()).done).toBe(true);
    expect(bus.listenerCount).toBe(0);
  });

  it('replays what a reconnecting board missed, in order', async () => {
    const bus = new EventBus();
    const seen = bus.publish({ wardId: 1, patientId: 1, kind: 'rom' });
    bus.publish({ wardId: 1, patientId: 2, kind: 'nursing' });
    bus.publish({ wardId: 2, patientId: 3, kind: 'rom' });
    bus.publish({ wardId: 1, patientId: 4, kind: 'catheter' });
    const controller = new AbortController();
    const missed = await take(bus.listen(1, seen.eventId, controller.signal), 2);
    expect(missed.map((e) => e.patientId)).toEqual([2, 4]);
    controller.abort();
  });

  it('asks for a reload when the last id fell out of the buffer or is from before a restart', async () => {
    const bus = new EventBus(3);
    const old = bus.publish({ wardId: 1, patientId: 1, kind: 'rom' });
    for (let i = 0; i < 5; i += 1) bus.publish({ wardId: 1, patientId: 2, kind: 'rom' });
    const controller = new AbortController();
    const [evicted] = await take(bus.listen(1, old.eventId, controller.signal), 1);
    expect(evicted).toMatchObject({ kind: 'resync', eventId: bus.latestEventId });
    const [foreign] = await take(bus.listen(1, 'cafebabe-7', controller.signal), 1);
    expect(foreign?.kind).toBe('resync');
    controller.abort();
  });
});

describe('ward.onChange', () => {
  it('tells the boards of the ward (not others) what changed, with tracked ids', async () => {
    const db = migratedMemoryDb();
    const a = makeWard(db, 'A');
    const b = makeWard(db, 'B');
    const patientId = admitPatient(db, { wardId: a.wardId });
    admitPatient(db, { wardId: b.wardId });
    const now = () => new Date('2026-02-10T10:00:00Z');
    const nurse = callerAs(db, await makeUser(db, ['nurse'], [a.wardId, b.wardId]), now);
    const streamA = (await nurse.ward.onChange({ wardId: a.wardId }))[Symbol.asyncIterator]();
    const streamB = (await nurse.ward.onChange({ wardId: b.wardId }))[Symbol.asyncIterator]();
    const nextA = streamA.next();
    let bGotSomething = false;
    void streamB.next().then((r) => {
      bGotSomething = !r.done;
    });
    await nurse.nursing.recordVital({
      patientId,
      takenAt: '2026-02-10T09:00:00Z',
      kind: 'temperature',
      value: 38.6,
    });
    // In process, a tracked event is the envelope [id, data]; over SSE the id is the event's id.
    const [eventId, data] = (await nextA).value as unknown as [string, unknown];
    expect(data).toEqual({ patientId, kind: 'nursing' });
    expect(eventId).toMatch(/^[0-9a-f]+-\d+$/);
    expect(bGotSomething).toBe(false);

    // A board that reconnects with that id gets only what came after it.
    await nurse.nursing.recordVital({
      patientId,
      takenAt: '2026-02-10T09:05:00Z',
      kind: 'temperature',
      value: 38.2,
    });
    const resumed = (await nurse.ward.onChange({ wardId: a.wardId, lastEventId: eventId }))[
      Symbol.asyncIterator
    ]();
    const [replayId, replayData] = (await resumed.next()).value as unknown as [string, unknown];
    expect(replayId).not.toBe(eventId);
    expect(replayData).toEqual({ patientId, kind: 'nursing' });
    await Promise.all([streamA.return?.(undefined), resumed.return?.(undefined)]);
    // B's next() is still waiting for an event; over HTTP the client's disconnect aborts it.
    void streamB.return?.(undefined);
  });

  it('tells boards events in the order of their rows, so a replay after a restart skips none', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'Ward A');
    const bus = new EventBus(2000, db);
    const received: string[] = [];
    bus.subscribeBoards((event) => received.push(event.eventId));
    const cacheHeard: string[] = [];
    bus.subscribe((event) => cacheHeard.push(event.eventId));
    // A write's event staged in a group commit still open, and an acknowledgement published meanwhile.
    const write = commitWrite(db, (tx) => bus.stage(tx, { wardId, patientId: 1, kind: 'rom' }));
    const acknowledged = bus.publish({ wardId, patientId: 2, kind: 'acknowledgement' });
    // Caches forget at once; boards hear it only with its row.
    expect(cacheHeard).toEqual([acknowledged.eventId]);
    expect(received).toEqual([]);
    const announce = await write;
    const written = announce();
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([written.eventId, acknowledged.eventId]);
    // Whichever event a board last had before the server stopped, the restarted server (a new bus on
    // the same database) replays exactly the rest.
    const restarted = new EventBus(2000, db);
    expect(restarted.missedSince(wardId, received[0]!)?.map((e) => e.eventId)).toEqual([
      received[1],
    ]);
    expect(restarted.missedSince(wardId, received[1]!)).toEqual([]);
  });
});
