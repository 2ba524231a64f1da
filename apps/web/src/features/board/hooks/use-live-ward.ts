import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorCode, useTRPC, useTRPCClient } from '../../../trpc.ts';

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
const COALESCE_MS = 50;

/**
 * Listens to the ward's change feed (server-sent events) and refetches the board when a patient on it
 * changes. When the stream drops (a restart, a network blip) it reconnects itself after a jittered
 * back-off with the id of the last event it had, and the server sends what changed meanwhile: the
 * board refetches once if anything did, and not at all if nothing did.
 */
export function useLiveWard(wardId: number): LiveState {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const queryKey = trpc.ward.board.queryKey({ wardId });
    let lastEventId: string | null = null;
    let attempt = 0;
    let started = false;
    let stopped = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe: () => void } | undefined;
    /** Which connection is current: callbacks of one given up (its ending included) are ignored. */
    let generation = 0;
    setState('connecting');

    const refetchSoon = (): void => {
      if (refetchTimer !== undefined) return;
      refetchTimer = setTimeout(() => {
        refetchTimer = undefined;
        void queryClient.invalidateQueries({ queryKey });
      }, COALESCE_MS);
    };

    const reconnect = (): void => {
      generation += 1;
      const dropped = subscription;
      subscription = undefined;
      dropped?.unsubscribe();
      if (stopped || retryTimer !== undefined) return;
      setState('reconnecting');
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        connect();
      }, reconnectDelayMs(attempt));
      attempt += 1;
    };

    const connect = (): void => {
      if (stopped) return;
      const mine = ++generation;
      const current = (): boolean => mine === generation && !stopped;
      subscription = client.ward.onChange.subscribe(
        { wardId, lastEventId },
        {
          onStarted: () => {
            if (!current()) return;
            attempt = 0;
            setState('live');
            if (!started) {
              started = true;
              // Anything that happened between the board's first answer and the stream's start is
              // picked up by one refetch. A board still on its way is let arrive and shown, then
              // asked for again, rather than cancelled, which would keep its rows off the screen.
              const arriving =
                queryClient.isFetching({ queryKey }) > 0
                  ? queryClient.refetchQueries({ queryKey }, { cancelRefetch: false })
                  : Promise.resolve();
              void arriving.then(() => queryClient.invalidateQueries({ queryKey }));
            } else if (lastEventId === null) {
              // Back after a drop with no event id to resume from: what changed is unknown.
              refetchSoon();
            }
          },
          onData: (event) => {
            if (!current()) return;
            // Every event (a `resync` included) means the board changed.
            lastEventId = event.id;
            refetchSoon();
          },
          onConnectionStateChange: (connection) => {
            if (!current()) return;
            // The stream dropped: reconnect on this hook's schedule, not the browser's.
            if (connection.state === 'connecting' && connection.error) reconnect();
          },
          onError: (error) => {
            if (!current()) return;
            // A refusal will not change by asking again (the session ended, the ward was taken).
            if (['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST'].includes(errorCode(error) ?? '')) {
              subscription = undefined;
              setState('off');
              return;
            }
            reconnect();
          },
          onComplete: () => {
            if (current()) reconnect();
          },
        },
      );
    };

    connect();
    return () => {
      stopped = true;
      generation += 1;
      clearTimeout(retryTimer);
      clearTimeout(refetchTimer);
      subscription?.unsubscribe();
    };
  }, [client, queryClient, trpc, wardId]);

  return state;
}
