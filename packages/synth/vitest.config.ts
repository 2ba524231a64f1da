import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Whole synthetic hospitals are generated here; on a shared 2-core machine that can take minutes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
