import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  COALESCE_MS,
  reconnectDelayMs,
  startLiveFeed,
  type LiveConnection,
  type LiveState,
} from './use-live-ward.utils.ts';

describe('reconnectDelayMs', () => {
  it('waits a random share of a window that doubles from 0.5 s up to 4 s', () => {
    const windows = [0, 1, 2, 3, 4, 10].map((attempt) => reconnectDelayMs(attempt, () => 0.999999));
    expect(windows.map((ms) => Math.round(ms))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect(reconnectDelayMs(3, () => 0)).toBe(0);
    expect(reconnectDelayMs(1, () => 0.25)).toBe(250);
  });

  it('spreads a thousand boards dropped at once over the window instead of one instant', () => {
    const delays = Array.from({ length: 1000 }, () => reconnectDelayMs(0));
    // Every tenth of the 0.5 s window gets some of them, none gets most of them.
    const buckets = new Array<number>(10).fill(0);
    for (const ms of delays) {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(500);
      buckets[Math.floor(ms / 50)]! += 1;
    }
    for (const count of buckets) {
      expect(count).toBeGreaterThan(40);
      expect(count).toBeLessThan(200);
    }
  });
});

/** A fake server side: each `subscribe` is one connection the test drives. */
function harness(random: () => number = () => 1) {
  const connections: { lastEventId: string | null; on: LiveConnection; closed: boolean }[] = [];
  const states: LiveState[] = [];
  const refetch = vi.fn();
  const firstStart = vi.fn();
  const stop = startLiveFeed({
    subscribe: (lastEventId, on) => {
      const connection = { lastEventId, on, closed: false };
      connections.push(connection);
      return {
        unsubscribe: () => {
          connection.closed = true;
        },
      };
    },
    refetch,
    firstStart,
    setState: (state) => states.push(state),
    random,
  });
  const latest = () => connections.at(-1)!;
  return { connections, states, refetch, firstStart, stop, latest };
}

describe('startLiveFeed', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('after a drop, reconnects with the last event id and refetches once for what was missed', () => {
    const feed = harness();
    feed.latest().on.started();
    expect(feed.firstStart).toHaveBeenCalledTimes(1);
    feed.latest().on.data('a1b2-7');
    vi.advanceTimersByTime(COALESCE_MS);
    expect(feed.refetch).toHaveBeenCalledTimes(1);

    feed.latest().on.dropped();
    expect(feed.states.at(-1)).toBe('reconnecting');
    expect(feed.connections[0]!.closed).toBe(true);
    vi.advanceTimersByTime(500);
    expect(feed.connections).toHaveLength(2);
    expect(feed.latest().lastEventId).toBe('a1b2-7');

    // The restarted server replays three events at once: one refetch shows all three changes.
    feed.latest().on.started();
    expect(feed.states.at(-1)).toBe('live');
    feed.latest().on.data('c3d4-1');
    feed.latest().on.data('c3d4-2');
    feed.latest().on.data('c3d4-3');
    vi.advanceTimersByTime(COALESCE_MS);
    expect(feed.refetch).toHaveBeenCalledTimes(2);
    expect(feed.firstStart).toHaveBeenCalledTimes(1);

    // The next reconnection resumes from the newest of them.
    feed.latest().on.dropped();
    vi.advanceTimersByTime(500);
    expect(feed.latest().lastEventId).toBe('c3d4-3');
    feed.stop();
  });

  it('does not refetch when nothing changed while it was away', () => {
    const feed = harness();
    feed.latest().on.started();
    feed.latest().on.data('a1b2-1');
    vi.advanceTimersByTime(COALESCE_MS);
    feed.refetch.mockClear();
    feed.latest().on.dropped();
    vi.advanceTimersByTime(500);
    feed.latest().on.started();
    vi.advanceTimersByTime(10_000);
    expect(feed.refetch).not.toHaveBeenCalled();
    feed.stop();
  });

  it('refetches once when it comes back without an id to resume from', () => {
    const feed = harness();
    feed.latest().on.started();
    feed.latest().on.dropped();
    vi.advanceTimersByTime(500);
    expect(feed.latest().lastEventId).toBeNull();
    feed.latest().on.started();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(feed.refetch).toHaveBeenCalledTimes(1);
    feed.stop();
  });

  it('backs off longer after each failed attempt, up to 4 s, and starts again at 0.5 s once live', () => {
    const feed = harness(() => 0.999);
    feed.latest().on.dropped();
    const waits: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const before = feed.connections.length;
      let waited = 0;
      while (feed.connections.length === before) {
        vi.advanceTimersByTime(10);
        waited += 10;
      }
      waits.push(waited);
      feed.latest().on.dropped();
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 4000]);
    vi.advanceTimersByTime(4000);
    feed.latest().on.started();
    feed.latest().on.dropped();
    vi.advanceTimersByTime(490);
    const count = feed.connections.length;
    vi.advanceTimersByTime(10);
    expect(feed.connections).toHaveLength(count + 1);
    feed.stop();
  });

  it('ignores a connection it gave up on and reconnects only once for a drop reported twice', () => {
    const feed = harness();
    const first = feed.latest();
    first.on.started();
    first.on.dropped();
    first.on.dropped();
    vi.advanceTimersByTime(500);
    expect(feed.connections).toHaveLength(2);
    first.on.data('late-1');
    vi.advanceTimersByTime(COALESCE_MS);
    expect(feed.refetch).not.toHaveBeenCalled();
    feed.latest().on.dropped();
    vi.advanceTimersByTime(1000);
    expect(feed.latest().lastEventId).toBeNull();
    feed.stop();
  });

  it('stops asking when refused, and stops everything when the board closes', () => {
    const refused = harness();
    refused.latest().on.refused();
    expect(refused.states.at(-1)).toBe('off');
    vi.advanceTimersByTime(60_000);
    expect(refused.connections).toHaveLength(1);

    const closed = harness();
    closed.latest().on.started();
    closed.latest().on.dropped();
    closed.stop();
    vi.advanceTimersByTime(60_000);
    expect(closed.connections).toHaveLength(1);
  });
});
