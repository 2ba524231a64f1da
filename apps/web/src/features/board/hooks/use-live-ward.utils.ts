/**
 * The ward board's live feed without React: when to reconnect, with which event id, and when to
 * refetch the board. `use-live-ward.ts` wires it to tRPC's subscription and TanStack Query.
 */

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'off';

/**
 * Back-off before the next attempt after the stream dropped: a random wait up to 0.5 s, then up to
 * 1, 2 and at most 4 s ("full jitter"). When a server restarts, every board of the hospital loses its
 * stream at the same moment; waiting a random share of the window spreads their return, where the
 * browser's own EventSource retry (a fixed 3 s) would bring them all back in the same instant.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(4000, 500 * 2 ** attempt);
}

/** Events that arrive together (what was missed, replayed on reconnecting) cause one refetch. */
export const COALESCE_MS = 50;

/** What one connection reports; calls from a connection that has been given up are ignored. */
export interface LiveConnection {
  /** The server accepted the stream (tRPC's `connected` event). */
  readonly started: () => void;
  /** An event (a `resync` included), with its `tracked()` id. */
  readonly data: (eventId: string) => void;
  /** The stream ended or failed in a way that asking again may mend (a restart, a network blip). */
  readonly dropped: () => void;
  /** The server refused for good (the session ended, the ward was taken): stop asking. */
  readonly refused: () => void;
}

export interface LiveFeedOptions {
  /** Opens the ward's stream from `lastEventId` (or from now, with null). */
  readonly subscribe: (
    lastEventId: string | null,
    connection: LiveConnection,
  ) => { unsubscribe: () => void };
  /** The board may have changed: fetch it again. */
  readonly refetch: () => void;
  /**
   * The stream started for the first time: whatever changed between the board's first answer and
   * now must be picked up (the hook lets a board already on its way arrive first).
   */
  readonly firstStart: () => void;
  readonly setState: (state: LiveState) => void;
  readonly random?: () => number;
}

/** Starts the feed; returns the function that stops it. */
export function startLiveFeed(options: LiveFeedOptions): () => void {
  const random = options.random ?? Math.random;
  let lastEventId: string | null = null;
  let attempt = 0;
  let started = false;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let refetchTimer: ReturnType<typeof setTimeout> | undefined;
  let subscription: { unsubscribe: () => void } | undefined;
  /** Which connection is current: callbacks of one given up (its ending included) are ignored. */
  let generation = 0;

  const refetchSoon = (): void => {
    if (refetchTimer !== undefined) return;
    refetchTimer = setTimeout(() => {
      refetchTimer = undefined;
      options.refetch();
    }, COALESCE_MS);
  };

  const reconnect = (): void => {
    generation += 1;
    const dropped = subscription;
    subscription = undefined;
    dropped?.unsubscribe();
    if (stopped || retryTimer !== undefined) return;
    options.setState('reconnecting');
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        connect();
      },
      reconnectDelayMs(attempt, random),
    );
    attempt += 1;
  };

  const connect = (): void => {
    if (stopped) return;
    const mine = ++generation;
    const current = (): boolean => mine === generation && !stopped;
    subscription = options.subscribe(lastEventId, {
      started: () => {
        if (!current()) return;
        attempt = 0;
        options.setState('live');
        if (!started) {
          started = true;
          options.firstStart();
        } else if (lastEventId === null) {
          // Back after a drop with no event id to resume from: what changed is unknown.
          refetchSoon();
        }
        // Back with an id: the server sends what was missed, and each of those events refetches.
      },
      data: (eventId) => {
        if (!current()) return;
        lastEventId = eventId;
        refetchSoon();
      },
      dropped: () => {
        if (current()) reconnect();
      },
      refused: () => {
        if (!current()) return;
        generation += 1;
        subscription?.unsubscribe();
        subscription = undefined;
        options.setState('off');
      },
    });
  };

  options.setState('connecting');
  connect();
  return () => {
    stopped = true;
    generation += 1;
    clearTimeout(retryTimer);
    clearTimeout(refetchTimer);
    subscription?.unsubscribe();
  };
}
