/** The API's result types, inferred from the server's router (types only; no server code is bundled). */
import type { AppRouter } from '@ossiwatch/server';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
