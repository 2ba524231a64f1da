import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@ossiwatch/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { onSessionEnded } from './features/auth/session-events.ts';
import { boardWardOf, firstRequestUrls, startEarlyRequests, takeEarlyResponse } from './boot.ts';
import { startFirstQueries } from './first-queries.ts';
import { makeQueryClient, makeTrpcClient } from './trpc.ts';

const USER = { id: 7, username: 'nurse', displayName: null, roles: ['nurse'], wardIds: [3] };
const BOARD = { ward: { id: 3, name: 'Spinal Injuries Unit' }, patients: [] };
const REFUSED = {
  message: 'Sign in first',
  code: -32001,
  data: { code: 'UNAUTHORIZED', httpStatus: 401 },
};

/**
 * A server on `fetch`: answers tRPC's GETs as tRPC would, and records each address asked for. With
 * `holdUntil`, no answer leaves before that many requests have arrived: a client that waited for one
 * answer before its next request would never finish.
 */
function fakeServer(signedIn: boolean, holdUntil = 0): string[] {
  const asked: string[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  vi.stubGlobal('fetch', async (url: string) => {
    const response = answer(url, signedIn, asked);
    if (asked.length >= holdUntil) release();
    await released;
    return response;
  });
  return asked;
}

function answer(url: string, signedIn: boolean, asked: string[]): Promise<Response> {
  asked.push(url);
  const path = url.split('?', 1)[0] ?? '';
  const result = (data: unknown): unknown =>
    signedIn ? { result: { data: { json: data } } } : { error: { json: REFUSED } };
  const body = path.endsWith('/auth.me')
    ? [result(USER)]
    : path.endsWith('/ward.board')
      ? result(BOARD)
      : { error: { json: { ...REFUSED, data: { code: 'NOT_FOUND', httpStatus: 404 } } } };
  return Promise.resolve(
    new Response(JSON.stringify(body), {
      status: signedIn ? 200 : 401,
      headers: { 'content-type': 'application/json' },
    }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('boardWardOf', () => {
  it('reads the ward of a board address and nothing else', () => {
    expect(boardWardOf('/wards/3')).toBe(3);
    expect(boardWardOf('/wards/12/')).toBe(12);
    expect(boardWardOf('/wards')).toBeNull();
    expect(boardWardOf('/wards/abc')).toBeNull();
    expect(boardWardOf('/wards/0')).toBeNull();
    expect(boardWardOf('/patients/3')).toBeNull();
    expect(boardWardOf('/')).toBeNull();
  });
});

describe('startFirstQueries', () => {
  it('asks for the session and the board together, the board alone at its own address', async () => {
    const asked = fakeServer(true, 2);
    const queryClient = makeQueryClient();
    const trpcClient = makeTrpcClient();
    await startFirstQueries(queryClient, trpcClient, '/wards/3');
    const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

    await vi.waitFor(() => {
      expect(queryClient.getQueryData(trpc.ward.board.queryKey({ wardId: 3 }))).toEqual(BOARD);
      expect(queryClient.getQueryData(trpc.auth.me.queryKey())).toEqual(USER);
    });
    expect(asked).toHaveLength(2);
    expect(asked).toContain(
      `/trpc/ward.board?input=${encodeURIComponent(JSON.stringify({ json: { wardId: 3 } }))}`,
    );
    expect(asked.find((url) => url.startsWith('/trpc/auth.me?batch=1'))).toBeDefined();
    // boot.ts sends the very same requests before the app has loaded.
    expect([...asked].sort()).toEqual([...firstRequestUrls('/wards/3')].sort());
  });

  it("uses the answers boot.ts already asked for, and asks again only after they're used", async () => {
    const early: string[] = [];
    startEarlyRequests('/wards/3', (url) => answer(url, true, early));
    const asked = fakeServer(true);
    const queryClient = makeQueryClient();
    const trpcClient = makeTrpcClient();
    const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
    await startFirstQueries(queryClient, trpcClient, '/wards/3');
    await vi.waitFor(() => {
      expect(queryClient.getQueryData(trpc.ward.board.queryKey({ wardId: 3 }))).toEqual(BOARD);
      expect(queryClient.getQueryData(trpc.auth.me.queryKey())).toEqual(USER);
    });
    expect(early).toHaveLength(2);
    expect(asked).toEqual([]);
    // A later board (a refetch after a change) is a new request, never the first answer again.
    await queryClient.refetchQueries({ queryKey: trpc.ward.board.queryKey({ wardId: 3 }) });
    expect(asked).toHaveLength(1);
  });

  it('drops an early answer nobody took, so it cannot be served later', async () => {
    const early: string[] = [];
    startEarlyRequests('/wards/5', (url) => answer(url, true, early));
    fakeServer(true);
    const queryClient = makeQueryClient();
    const trpcClient = makeTrpcClient();
    const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
    await startFirstQueries(queryClient, trpcClient, '/wards/3');
    await vi.waitFor(() => {
      expect(queryClient.getQueryData(trpc.ward.board.queryKey({ wardId: 3 }))).toEqual(BOARD);
      expect(queryClient.getQueryData(trpc.auth.me.queryKey())).toEqual(USER);
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(takeEarlyResponse(firstRequestUrls('/wards/5')[1] ?? '')).toBeUndefined();
  });

  it('asks only for the session on any other screen', async () => {
    const asked = fakeServer(true);
    const queryClient = makeQueryClient();
    await startFirstQueries(queryClient, makeTrpcClient(), '/patients/4');
    await vi.waitFor(() => {
      expect(asked).toHaveLength(1);
    });
    expect(asked[0]).toMatch(/^\/trpc\/auth\.me\?/);
  });

  it('does not tell a visitor who never signed in that their session ended', async () => {
    fakeServer(false);
    const ended = vi.fn();
    const stop = onSessionEnded(ended);
    try {
      const queryClient = makeQueryClient();
      const trpcClient = makeTrpcClient();
      const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
      await startFirstQueries(queryClient, trpcClient, '/wards/3');
      await vi.waitFor(() => {
        expect(queryClient.getQueryState(trpc.ward.board.queryKey({ wardId: 3 }))?.status).toBe(
          'error',
        );
        expect(queryClient.getQueryState(trpc.auth.me.queryKey())?.status).toBe('error');
      });
      expect(ended).not.toHaveBeenCalled();
    } finally {
      stop();
    }
  });

  it('still ends a signed-in session that the server refuses', async () => {
    fakeServer(true);
    const ended = vi.fn();
    const stop = onSessionEnded(ended);
    try {
      const queryClient = makeQueryClient();
      const trpcClient = makeTrpcClient();
      const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
      await startFirstQueries(queryClient, trpcClient, '/wards/3');
      await vi.waitFor(() => {
        expect(queryClient.getQueryData(trpc.auth.me.queryKey())).toEqual(USER);
      });
      fakeServer(false);
      await queryClient
        .fetchQuery(trpc.ward.board.queryOptions({ wardId: 3 }, { staleTime: 0 }))
        .catch(() => undefined);
      expect(ended).toHaveBeenCalledWith('expired');
    } finally {
      stop();
    }
  });
});
