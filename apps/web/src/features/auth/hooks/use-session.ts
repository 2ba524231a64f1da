import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { errorCode, useTRPC } from '../../../trpc.ts';
import { onSessionEnded, reportSessionEnded, type SessionEndReason } from '../session-events.ts';

export interface SessionUser {
  readonly id: number;
  readonly username: string;
  readonly displayName?: string | null;
  readonly roles: readonly string[];
  readonly wardIds: readonly number[];
}

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed_out'; reason: SessionEndReason | null }
  | { status: 'unavailable'; message: string }
  | { status: 'signed_in'; user: SessionUser };

/** Who is signed in, as the server sees it; and why not, when nobody is. */
export function useSession(): SessionState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState<SessionEndReason | null>(null);
  const wasSignedIn = useRef(false);
  const me = useQuery({
    ...trpc.auth.me.queryOptions(),
    staleTime: 60_000,
    retry: false,
    // The answer was usually asked for before the first render (first-queries.ts): a refusal there
    // is the answer, not something to ask again for as this hook mounts.
    retryOnMount: false,
  });

  useEffect(
    () =>
      onSessionEnded((why) => {
        setReason(why);
        // Forget everything the previous session could see, then ask the server who we are.
        queryClient.removeQueries({
          predicate: (query) =>
            JSON.stringify(query.queryKey) !== JSON.stringify(trpc.auth.me.queryKey()),
        });
        void queryClient.resetQueries({ queryKey: trpc.auth.me.queryKey() });
      }),
    [queryClient, trpc],
  );

  useEffect(() => {
    if (me.data) {
      wasSignedIn.current = true;
      setReason(null);
    }
  }, [me.data]);

  if (me.isPending) return { status: 'checking' };
  if (me.isError) {
    if (errorCode(me.error) === 'UNAUTHORIZED') {
      // Signed in a moment ago and now refused: the server ended the session (idle, 12 h, disabled).
      return { status: 'signed_out', reason: reason ?? (wasSignedIn.current ? 'expired' : null) };
    }
    return { status: 'unavailable', message: me.error.message };
  }
  return { status: 'signed_in', user: me.data };
}

/** Ends the session on the server, then shows the sign-in page with `reason`. */
export function useSignOut(): (reason: SessionEndReason) => void {
  const trpc = useTRPC();
  const logout = useMutation(trpc.auth.logout.mutationOptions());
  return (reason) => {
    logout.mutate(undefined, {
      onSettled: () => reportSessionEnded(reason),
    });
  };
}
