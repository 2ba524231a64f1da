import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Puts src/boot.ts in index.html as its own small async module script, ahead of the app's entry,
 * so the first API requests start while the app's JavaScript is still loading (see boot.ts).
 */
function bootScript(): Plugin {
  return {
    name: 'ossiwatch-boot-script',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const chunk = Object.values(context.bundle ?? {}).find(
          (output) => output.type === 'chunk' && output.isEntry && output.name === 'boot',
        );
        const src = chunk ? `/${chunk.fileName}` : '/src/boot.ts';
        const charset = '<meta charset="UTF-8" />';
        if (!html.includes(charset))
          throw new Error(`index.html must start its head with ${charset}`);
        return html.replace(
          charset,
          `${charset}\n    <script type="module" async crossorigin src="${src}"></script>`,
        );
      },
    },
  };
}

// `pnpm dev`: the server runs on :3000 in watch mode; Vite serves the app with hot reload and
// forwards API calls to it.
export default defineConfig({
  plugins: [react(), bootScript()],
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
      input: {
        index: path.resolve(import.meta.dirname, 'index.html'),
        boot: path.resolve(import.meta.dirname, 'src/boot.ts'),
      },
      treeshake: {
        // packages/domain is pure by rule (its lint refuses I/O), so a module of it whose exports the
        // app does not use may be dropped whole. Without this, the settings schema's top-level zod calls
        // keep zod and the rate statistics in the ward board's bundle (PRODUCT §9: ≤ 150 KB gzip).
        moduleSideEffects: (id: string) => !id.includes('/packages/domain/'),
      },
    },
  },
});
