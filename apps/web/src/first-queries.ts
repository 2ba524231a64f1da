/**
 * The first questions the app asks the server, sent as soon as the app's script runs, together,
 * rather than one after another as screens render: who is signed in, and (on a board's address) the
 * ward's board. The board needs both before its rows can show (PRODUCT §9: interactive ≤ 1 s).
 */
import type { QueryClient } from '@tanstack/react-query';
import type { TRPCClient } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@ossiwatch/server';
import { boardWardOf, forgetEarlyResponses } from './boot.ts';

/**
 * Starts `auth.me` and, on a board's address, `ward.board` at once; the screens find the answers in
 * the query cache. Settles (never rejects) once both have answered, whatever the answers. Their HTTP requests were usually sent already by boot.ts, whose answers the
 * client's links take (trpc.ts). A board refused for want of a session is not taken for an ended
 * session (see `onCallError` in trpc.ts): the answer to `auth.me` routes the visitor to sign-in.
 */
export function startFirstQueries(
  queryClient: QueryClient,
  trpcClient: TRPCClient<AppRouter>,
  pathname: string,
): Promise<void> {
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  const first = [queryClient.prefetchQuery({ ...trpc.auth.me.queryOptions(), retry: false })];
  const wardId = boardWardOf(pathname);
  if (wardId !== null)
    first.push(queryClient.prefetchQuery(trpc.ward.board.queryOptions({ wardId })));
  // Once these have their answers, any early answer left over is stale for whoever asks next.
  return Promise.allSettled(first).then(forgetEarlyResponses);
}
