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
  },
});
