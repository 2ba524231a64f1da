/**
 * Live updates: every committed write on a patient publishes one event on its ward; ward boards
 * subscribed over SSE refetch what changed. A bounded ring buffer keeps the latest events so a board
 * that reconnects with its last event id receives what it missed; when that id has left the buffer (or
 * the server restarted) the board is told to reload everything.
 */
import { randomBytes } from 'node:crypto';
import type { OssiwatchDb } from './db/client.ts';

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

export class EventBus {
  /** Ids carry a per-process prefix: an id from before a restart is recognised as unknown. */
  private readonly epoch = randomBytes(4).toString('hex');
  private sequence = 0;
  private readonly buffer: WardEvent[] = [];
  private readonly listeners = new Set<Listener>();
  /** In-process subscribers (caches), kept apart so `listenerCount` still counts boards only. */
  private readonly subscribers = new Set<Listener>();

  constructor(private readonly capacity = 2000) {}

  publish(event: Omit<WardEvent, 'eventId'>): WardEvent {
    this.sequence += 1;
    const full: WardEvent = { ...event, eventId: `${this.epoch}-${this.sequence}` };
    this.buffer.push(full);
    if (this.buffer.length > this.capacity) this.buffer.shift();
    for (const subscriber of this.subscribers) subscriber(full);
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
   * The ward's buffered events after `lastEventId`, or undefined when that id is no longer known
   * (evicted from the buffer, or from before a restart).
   */
  missedSince(wardId: number, lastEventId: string): WardEvent[] | undefined {
    if (lastEventId === this.latestEventId) return [];
    const index = this.buffer.findIndex((event) => event.eventId === lastEventId);
    if (index === -1) return undefined;
    return this.buffer.slice(index + 1).filter((event) => event.wardId === wardId);
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

  /** The id of the latest event published (or of none yet, in this process). */
  get latestEventId(): string {
    return `${this.epoch}-${this.sequence}`;
  }

  /** How many boards are listening (for tests and the health page). */
  get listenerCount(): number {
    return this.listeners.size;
  }
}

const busByDb = new WeakMap<OssiwatchDb, EventBus>();

/** One bus per database: the HTTP server and in-process callers publish and listen on the same one. */
export function eventBusFor(db: OssiwatchDb): EventBus {
  let bus = busByDb.get(db);
  if (!bus) {
    bus = new EventBus();
    busByDb.set(db, bus);
  }
  return bus;
}
