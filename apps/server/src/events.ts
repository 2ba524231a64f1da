/**
 * Live updates: every committed write on a patient publishes one event on its ward; ward boards
 * subscribed over SSE refetch what changed. A bounded ring buffer keeps the latest events so a board
 * that reconnects with its last event id receives what it missed. The events are also kept in the
 * database (`live_events`, written in the same transaction as a patient write), so a board that
 * reconnects to a restarted server is sent what it missed too, rather than every board of the
 * hospital reloading at once; only when the id is unknown there as well is the board told to reload.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { OssiwatchDb, OssiwatchTx } from './db/client.ts';
import { commitWrite } from './group-commit.ts';

export const WARD_EVENT_KINDS = [
  'rom',
  'therapy',
  'nursing',
  'braden',
  'catheter',
  'complication',
  'imaging',
  'diagnosis',
  'intervention',
  'bleeding_risk',
  'injury',
  'stay',
  'assessment',
  /** A clinician acknowledged a row of the board (no change to the record). */
  'acknowledgement',
  /** The subscriber missed events it cannot be given: reload the whole board. */
  'resync',
] as const;
export type WardEventKind = (typeof WARD_EVENT_KINDS)[number];

export interface WardEvent {
  readonly eventId: string;
  readonly wardId: number;
  readonly patientId: number | null;
  readonly kind: WardEventKind;
}

type Listener = (event: WardEvent) => void;

/** How many events the database keeps for boards reconnecting after a restart (minutes of them). */
const KEPT_EVENTS = 20_000;

/** The `live_events` table's statements, on the connection every write uses. */
class EventStore {
  private readonly insert: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly anchor: Database.Statement;
  private readonly after: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.insert = sqlite.prepare(
      'INSERT INTO live_events (epoch, seq, ward_id, patient_id, kind) VALUES (?, ?, ?, ?, ?)',
    );
    this.prune = sqlite.prepare('DELETE FROM live_events WHERE id <= ?');
    this.anchor = sqlite.prepare('SELECT id FROM live_events WHERE epoch = ? AND seq = ?').pluck();
    this.after = sqlite.prepare(
      'SELECT epoch, seq, ward_id AS wardId, patient_id AS patientId, kind FROM live_events WHERE ward_id = ? AND id > ? ORDER BY id',
    );
  }

  /** Within the caller's transaction. */
  save(epoch: string, seq: number, event: Omit<WardEvent, 'eventId'>): void {
    const { lastInsertRowid } = this.insert.run(
      epoch,
      seq,
      event.wardId,
      event.patientId,
      event.kind,
    );
    if (seq % 1000 === 0) this.prune.run(Number(lastInsertRowid) - KEPT_EVENTS);
  }

  /** The ward's events after `epoch-seq`, oldest first, or undefined when that event is not kept. */
  since(wardId: number, epoch: string, seq: number): WardEvent[] | undefined {
    const anchor = this.anchor.get(epoch, seq) as number | undefined;
    if (anchor === undefined) return undefined;
    const rows = this.after.all(wardId, anchor) as {
      epoch: string;
      seq: number;
      wardId: number;
      patientId: number | null;
      kind: WardEventKind;
    }[];
    return rows.map((row) => ({
      eventId: `${row.epoch}-${row.seq}`,
      wardId: row.wardId,
      patientId: row.patientId,
      kind: row.kind,
    }));
  }
}

export class EventBus {
  /** Ids carry a per-process prefix: an id from before a restart is recognised as unknown. */
  private readonly epoch = randomBytes(4).toString('hex');
  private sequence = 0;
  private readonly buffer: WardEvent[] = [];
  private readonly listeners = new Set<Listener>();
  /** In-process subscribers (caches), kept apart so `listenerCount` still counts boards only. */
  private readonly subscribers = new Set<Listener>();
  /** Boards' in-process fan-out (features/live/ward-streams.ts): told in the boards' order. */
  private readonly boardSubscribers = new Set<Listener>();

  private readonly store: EventStore | undefined;

  constructor(
    private readonly capacity = 2000,
    private readonly db?: OssiwatchDb,
  ) {
    this.store = db ? new EventStore(db.$client) : undefined;
  }

  /**
   * Keeps the event in the database within the write's own transaction `tx` (so it is on the disk
   * exactly when the write is) and returns the function that publishes it once that has committed.
   */
  stage(_tx: OssiwatchTx, event: Omit<WardEvent, 'eventId'>): () => WardEvent {
    // The statement runs on the connection `_tx` belongs to, inside its open transaction.
    this.sequence += 1;
    const seq = this.sequence;
    this.store?.save(this.epoch, seq, event);
    return () => this.deliver({ ...event, eventId: `${this.epoch}-${seq}` });
  }

  /**
   * An event outside a patient write (an acknowledgement, a stay written by its own transaction). The
   * in-process caches hear it at once; the boards hear it once its row is in the database, in the
   * group commit's order, so boards receive events in the order of their rows and a board reconnecting
   * after a restart with its last id is replayed everything after it (delivered at once, a staged
   * write still in the batch could reach a board after this event but have the lower row id: a board
   * that stopped between the two would skip it on replay).
   */
  publish(event: Omit<WardEvent, 'eventId'>): WardEvent {
    this.sequence += 1;
    const seq = this.sequence;
    const full: WardEvent = { ...event, eventId: `${this.epoch}-${seq}` };
    if (!this.db || !this.store) return this.deliver(full);
    const { db, store, epoch } = this;
    for (const subscriber of this.subscribers) subscriber(full);
    // A failed save still reaches the boards now; only a board reconnecting after a restart with
    // exactly this id is told to reload.
    const toBoards = (): void => {
      this.deliver(full, false);
    };
    commitWrite(db, () => store.save(epoch, seq, event)).then(toBoards, toBoards);
    return full;
  }

  private deliver(full: WardEvent, toSubscribers = true): WardEvent {
    this.delivered = full.eventId;
    this.buffer.push(full);
    if (this.buffer.length > this.capacity) this.buffer.shift();
    if (toSubscribers) for (const subscriber of this.subscribers) subscriber(full);
    for (const subscriber of this.boardSubscribers) subscriber(full);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /**
   * Calls `listener` synchronously with every event published from now on (in-process caches that
   * must forget a ward's state the moment it changes); returns the function that stops it.
   */
  subscribe(listener: (event: WardEvent) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /**
   * Calls `listener` with every event as boards are to receive it: a write's event after its commit,
   * and every event in the order of its row in the database (see `publish`).
   */
  subscribeBoards(listener: (event: WardEvent) => void): () => void {
    this.boardSubscribers.add(listener);
    return () => this.boardSubscribers.delete(listener);
  }

  /**
   * The ward's buffered events after `lastEventId`, or undefined when that id is no longer known
   * (evicted from the buffer, or from before a restart).
   */
  missedSince(wardId: number, lastEventId: string): WardEvent[] | undefined {
    if (lastEventId === this.latestEventId) return [];
    const index = this.buffer.findIndex((event) => event.eventId === lastEventId);
    if (index !== -1)
      return this.buffer.slice(index + 1).filter((event) => event.wardId === wardId);
    const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId);
    if (!this.store || !match?.[1] || !match[2]) return undefined;
    const kept = this.store.since(wardId, match[1], Number(match[2]));
    if (!kept) return undefined;
    // Published but not yet in the database (an event outside a patient write, awaiting its commit).
    const known = new Set(kept.map((event) => event.eventId));
    const pending = this.buffer.filter(
      (event) => event.wardId === wardId && !known.has(event.eventId),
    );
    return [...kept, ...pending];
  }

  /**
   * Events of one ward, as an async iterable that ends when `signal` aborts. With `lastEventId`, first
   * what was missed since then, or a `resync` event when that cannot be known. The listener is
   * registered before the buffer is read, with no await in between, so nothing falls in the gap.
   */
  async *listen(
    wardId: number,
    lastEventId: string | null | undefined,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<WardEvent> {
    const queue: WardEvent[] = [];
    let wake: (() => void) | undefined;
    const listener: Listener = (event) => {
      if (event.wardId !== wardId) return;
      queue.push(event);
      wake?.();
    };
    const onAbort = (): void => wake?.();
    this.listeners.add(listener);
    signal?.addEventListener('abort', onAbort);
    if (lastEventId) {
      const missed = this.missedSince(wardId, lastEventId);
      if (missed) {
        queue.unshift(...missed);
      } else {
        // Carries the latest id, so a board that reconnects after reloading resumes from here.
        queue.unshift({
          eventId: this.latestEventId,
          wardId,
          patientId: null,
          kind: 'resync',
        });
      }
    }
    try {
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      this.listeners.delete(listener);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * This bus, except that every `listen` through it also ends when `ended` aborts: a subscription's
   * listener is released when its session ends, not only when the client disconnects.
   */
  boundTo(ended: AbortSignal): EventBus {
    return new Proxy(this, {
      get: (target, property) => {
        if (property === 'listen') {
          return (
            wardId: number,
            lastEventId: string | null | undefined,
            signal: AbortSignal | undefined,
          ) =>
            target.listen(wardId, lastEventId, signal ? AbortSignal.any([signal, ended]) : ended);
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  }

  private delivered: string | undefined;

  /**
   * The id of the latest event delivered to boards (or of none yet, in this process). Not of one
   * staged in a write still committing: a board told to resume from here (a `resync`) is sent that
   * one live when it commits, or replayed it after a restart, as its row comes after this one's.
   */
  get latestEventId(): string {
    return this.delivered ?? `${this.epoch}-0`;
  }

  /** Boards served outside `listen` (features/live/ward-streams.ts), counted with the listeners. */
  private servedBoards = 0;

  countBoard(delta: 1 | -1): void {
    this.servedBoards += delta;
  }

  /** How many boards are listening (for tests and the health page). */
  get listenerCount(): number {
    return this.listeners.size + this.servedBoards;
  }
}

const busByDb = new WeakMap<OssiwatchDb, EventBus>();

/** One bus per database: the HTTP server and in-process callers publish and listen on the same one. */
export function eventBusFor(db: OssiwatchDb): EventBus {
  let bus = busByDb.get(db);
  if (!bus) {
    bus = new EventBus(2000, db);
    busByDb.set(db, bus);
  }
  return bus;
}
