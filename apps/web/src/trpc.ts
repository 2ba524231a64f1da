import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import {
  TRPCClientError,
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@ossiwatch/server';
import superjson from 'superjson';
import { takeEarlyResponse } from './boot.ts';
import { reportSessionEnded } from './features/auth/session-events.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The tRPC error code of a failed call (`UNAUTHORIZED`, `FORBIDDEN`, …), or undefined. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    if (data && typeof data === 'object' && 'code' in data && typeof data.code === 'string') {
      return data.code;
    }
  }
  return undefined;
}

/**
 * Any call that finds the session gone sends the user back to sign-in with the reason. `auth.me` is
 * the exception: it is how the app learns nobody is signed in yet, which is not an expiry. Nor is a
 * refusal while nobody is known to be signed in: the board is asked for at the same time as `auth.me`
 * on a first visit, and a visitor who never signed in has no session to lose.
 */
function onCallError(
  queryClient: QueryClient,
  error: unknown,
  queryKey?: readonly unknown[],
): void {
  const path = Array.isArray(queryKey?.[0]) ? (queryKey[0] as unknown[]).join('.') : '';
  if (path === 'auth.me') return;
  if (errorCode(error) !== 'UNAUTHORIZED') return;
  const signedIn = queryClient
    .getQueriesData({ queryKey: [['auth', 'me']] })
    .some(([, user]) => user !== undefined);
  if (!signedIn) return;
  reportSessionEnded('expired');
}

export function makeQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => onCallError(queryClient, error, query.queryKey),
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        // A refused sign-in is answered on the sign-in form itself.
        if (mutation.options.mutationKey?.flat().join('.').startsWith('auth.login')) return;
        onCallError(queryClient, error);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A refusal will not change by asking again; a network blip might.
        retry: (failureCount, error) =>
          failureCount < 1 &&
          !['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST'].includes(
            errorCode(error) ?? '',
          ),
      },
    },
  });
  return queryClient;
}

/** `fetch`, except that an answer boot.ts already asked for is used instead of asking again. */
const fetchOrTakeEarly: typeof fetch = (input, init) =>
  (typeof input === 'string' ? takeEarlyResponse(input) : undefined) ?? fetch(input, init);

export function makeTrpcClient(): ReturnType<typeof createTRPCClient<AppRouter>> {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Server-sent events; tRPC reconnects by itself and resumes from the last tracked id.
        true: httpSubscriptionLink({ url: '/trpc', transformer: superjson }),
        false: splitLink({
          // The board goes alone as `GET /trpc/ward.board?input=…`: the server answers that address
          // on a fast path, and the board need not wait for a batch's slowest member.
          condition: (op) => op.path === 'ward.board',
          true: httpLink({ url: '/trpc', transformer: superjson, fetch: fetchOrTakeEarly }),
          false: httpBatchLink({
            url: '/trpc',
            transformer: superjson,
            maxItems: 10,
            fetch: fetchOrTakeEarly,
          }),
        }),
      }),
    ],
  });
}
