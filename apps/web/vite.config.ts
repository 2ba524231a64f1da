import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm dev`: the server runs on :3000 in watch mode; Vite serves the app with hot reload and
// forwards API calls to it.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/trpc': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/healthz': 'http://127.0.0.1:3000',
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    rolldownOptions: {
      treeshake: {
        // packages/domain is pure by rule (its lint refuses I/O), so a module of it whose exports the
        // app does not use may be dropped whole. Without this, the settings schema's top-level zod calls
        // keep zod and the rate statistics in the ward board's bundle (PRODUCT §9: ≤ 150 KB gzip).
        moduleSideEffects: (id: string) => !id.includes('/packages/domain/'),
      },
    },
  },
});
