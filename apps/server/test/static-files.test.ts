import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { migratedMemoryDb, testConfig } from '../src/test-support.ts';

const apps: FastifyInstance[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const PAGE = '<!doctype html><script type="module" src="/assets/index-a1b2c3.js"></script>';
const SCRIPT = `export const board = ${JSON.stringify('x'.repeat(4000))};`;

/** A built web app as the web build leaves it: each file with its `.br` and `.gz` beside it. */
async function appWithWebDist(): Promise<FastifyInstance> {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-dist-'));
  dirs.push(dist);
  fs.mkdirSync(path.join(dist, 'assets'));
  const write = (name: string, text: string): void => {
    const file = path.join(dist, name);
    fs.writeFileSync(file, text);
    fs.writeFileSync(`${file}.br`, brotliCompressSync(Buffer.from(text)));
    fs.writeFileSync(`${file}.gz`, gzipSync(Buffer.from(text)));
  };
  write('index.html', PAGE);
  write('assets/index-a1b2c3.js', SCRIPT);
  const app = await buildApp({
    db: migratedMemoryDb(),
    config: { ...testConfig, webDistDir: dist },
  });
  apps.push(app);
  return app;
}

describe('the web app’s files', () => {
  it('go out pre-compressed to browsers that accept it, and as they are to those that do not', async () => {
    const app = await appWithWebDist();
    const br = await app.inject({
      url: '/assets/index-a1b2c3.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
    expect(br.rawPayload.length).toBeLessThan(SCRIPT.length / 10);

    const gzip = await app.inject({
      url: '/assets/index-a1b2c3.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(SCRIPT);

    const plain = await app.inject({ url: '/assets/index-a1b2c3.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.payload).toBe(SCRIPT);
    expect(String(plain.headers['content-type'])).toMatch(/javascript/);
  });

  it('hashed assets may be kept for good; the page and client routes are checked again each time', async () => {
    const app = await appWithWebDist();
    const asset = await app.inject({ url: '/assets/index-a1b2c3.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/index.html', '/wards/3']) {
      const page = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['cache-control'], url).toBe('no-cache');
      expect(brotliDecompressSync(page.rawPayload).toString(), url).toBe(PAGE);
    }
    // Patient data is never cached, whatever the static files do.
    const api = await app.inject({
      url: '/trpc/auth.me',
      headers: { origin: 'http://localhost:80', host: 'localhost:80' },
    });
    expect(api.headers['cache-control']).toBe('no-store');
  });
});
