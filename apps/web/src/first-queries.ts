/**
 * The first questions the app asks the server, sent as soon as the app's script runs, together,
 * rather than one after another as screens render: who is signed in, and (on a board's address) the
 * ward's board. The board needs both before its rows can show (PRODUCT §9: interactive ≤ 1 s).
 */
import type { QueryClient } from '@tanstack/react-query';
import type { TRPCClient } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@ossiwatch/server';
import { matchPath } from './lib/router.tsx';

/** The ward whose board `pathname` opens (`/wards/3` → 3), or null for any other screen. */
export function boardWardOf(pathname: string): number | null {
  const match = matchPath('/wards/:wardId', pathname);
  if (!match) return null;
  const wardId = Number(match.wardId);
  return Number.isSafeInteger(wardId) && wardId > 0 ? wardId : null;
}

/**
 * Starts `auth.me` and, on a board's address, `ward.board` at once; the screens find the answers in
 * the query cache. A board refused for want of a session is not taken for an ended session
 * (see `onCallError` in trpc.ts): the answer to `auth.me` routes the visitor to sign-in.
 */
export function startFirstQueries(
  queryClient: QueryClient,
  trpcClient: TRPCClient<AppRouter>,
  pathname: string,
): void {
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  void queryClient.prefetchQuery({ ...trpc.auth.me.queryOptions(), retry: false });
  const wardId = boardWardOf(pathname);
  if (wardId !== null) void queryClient.prefetchQuery(trpc.ward.board.queryOptions({ wardId }));
}
