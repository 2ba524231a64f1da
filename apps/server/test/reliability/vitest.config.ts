import { defineConfig } from 'vitest/config';

/**
 * The reliability drills: the real server as a child process, killed, stopped, backed up and restored.
 * They take a minute or two (the demo hospital is seeded once, by the real server, then copied), so
 * they run as their own task: `pnpm --filter @ossiwatch/server test:reliability`.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/reliability/**/*.drill.ts'],
    globalSetup: ['test/reliability/demo-template.ts'],
    // Each drill starts servers and runs writers against them; two at once would compete for the CPU.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
