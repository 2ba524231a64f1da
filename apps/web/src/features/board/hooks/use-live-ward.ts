import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../../../trpc.ts';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'off';

/**
 * Listens to the ward's change feed (server-sent events) and refetches the board when a patient on it
 * changes. tRPC reconnects on its own and, with tracked ids, replays what was missed.
 */
export function useLiveWard(wardId: number): LiveState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.ward.onChange.subscriptionOptions(
      { wardId },
      {
        onData: () => {
          void queryClient.invalidateQueries({ queryKey: trpc.ward.board.queryKey({ wardId }) });
        },
        onStarted: () => {
          // Anything that happened while disconnected is picked up by one refetch. A board still on
          // its way (the page's first, usually) is let arrive and shown, then asked for again,
          // rather than cancelled, which would keep the rows off the screen for another round trip.
          const queryKey = trpc.ward.board.queryKey({ wardId });
          const arriving =
            queryClient.isFetching({ queryKey }) > 0
              ? queryClient.refetchQueries({ queryKey }, { cancelRefetch: false })
              : Promise.resolve();
          void arriving.then(() => queryClient.invalidateQueries({ queryKey }));
        },
      },
    ),
  );
  switch (subscription.status) {
    case 'idle':
      return 'off';
    case 'connecting':
      return subscription.error ? 'reconnecting' : 'connecting';
    case 'pending':
      return 'live';
    case 'error':
      return 'off';
  }
}
