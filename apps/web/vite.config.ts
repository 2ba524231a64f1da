import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
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

/**
 * Writes `file.br` and `file.gz` beside each built script, style sheet and page, compressed once at
 * the highest levels, for the server to send to browsers that accept them (@fastify/static's
 * `preCompressed`): a hospital network carries a seventh of the bytes, and nothing is compressed per
 * request. A compressed copy that is not smaller is not written.
 */
function precompress(): Plugin {
  return {
    name: 'ossiwatch-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? path.resolve(import.meta.dirname, 'dist');
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(fileName)) continue;
        const file = path.join(dir, fileName);
        const raw = fs.readFileSync(file);
        const brotli = brotliCompressSync(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
        });
        const gzip = gzipSync(raw, { level: 9 });
        if (brotli.length < raw.length) fs.writeFileSync(`${file}.br`, brotli);
        if (gzip.length < raw.length) fs.writeFileSync(`${file}.gz`, gzip);
      }
    },
  };
}

// `pnpm dev`: the server runs on :3000 in watch mode; Vite serves the app with hot reload and
// forwards API calls to it.
export default defineConfig({
  plugins: [react(), bootScript(), precompress()],
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
