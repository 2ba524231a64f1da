import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorCode, useTRPC, useTRPCClient } from '../../../trpc.ts';
import { startLiveFeed, type LiveState } from './use-live-ward.utils.ts';

export type { LiveState } from './use-live-ward.utils.ts';

/** Refusals that asking again will not change (the session ended, the ward was taken). */
const REFUSALS = ['UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST'];

/**
 * Listens to the ward's change feed (server-sent events) and refetches the board when a patient on it
 * changes. When the stream drops (a restart, a network blip) it reconnects itself after a jittered
 * back-off with the id of the last event it had, and the server sends what changed meanwhile: the
 * board refetches once if anything did, and not at all if nothing did (use-live-ward.utils.ts).
 */
export function useLiveWard(wardId: number): LiveState {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const queryKey = trpc.ward.board.queryKey({ wardId });
    return startLiveFeed({
      setState,
      refetch: () => void queryClient.invalidateQueries({ queryKey }),
      firstStart: () => {
        // A board still on its way is let arrive and shown, then asked for again, rather than
        // cancelled, which would keep its rows off the screen.
        const arriving =
          queryClient.isFetching({ queryKey }) > 0
            ? queryClient.refetchQueries({ queryKey }, { cancelRefetch: false })
            : Promise.resolve();
        void arriving.then(() => queryClient.invalidateQueries({ queryKey }));
      },
      subscribe: (lastEventId, connection) =>
        client.ward.onChange.subscribe(
          { wardId, lastEventId },
          {
            onStarted: connection.started,
            onData: (event) => connection.data(event.id),
            onConnectionStateChange: (change) => {
              // The stream dropped: reconnect on the feed's schedule, not the browser's.
              if (change.state === 'connecting' && change.error) connection.dropped();
            },
            onError: (error) => {
              if (REFUSALS.includes(errorCode(error) ?? '')) connection.refused();
              else connection.dropped();
            },
            onComplete: connection.dropped,
          },
        ),
    });
  }, [client, queryClient, trpc, wardId]);

  return state;
}
