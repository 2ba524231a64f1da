import { authRouter } from './routers/auth.ts';
import { wardRouter } from './routers/ward.ts';
import { createTRPCRouter } from './trpc.ts';

export const appRouter = createTRPCRouter({
  auth: authRouter,
  ward: wardRouter,
});

/** The API's type, imported (as a type only) by the web app. */
export type AppRouter = typeof appRouter;
