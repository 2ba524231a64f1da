/**
 * The web figures: the board's JavaScript as the browser downloads it (gzip), and the time until the
 * board's patient rows are on screen in Debian's headless Chromium, on the local server.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from './hospital.ts';
import { round, summarise, type LatencySummary } from './stats.ts';

const WEB_DIR = path.join(REPO_ROOT, 'apps/web');
const DIST_DIR = path.join(WEB_DIR, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds apps/web when dist/ is missing or older than its sources. Returns a note when the build
 * failed and an older dist/ is measured instead.
 */
export function ensureWebBuild(log: (line: string) => void, force: boolean): string | null {
  const index = path.join(DIST_DIR, 'index.html');
  const stale =
    !fs.existsSync(index) ||
    fs.statSync(index).mtimeMs < newestMtime(path.join(WEB_DIR, 'src')) ||
    fs.statSync(index).mtimeMs < fs.statSync(path.join(WEB_DIR, 'index.html')).mtimeMs;
  if (!stale && !force) return null;
  log('building apps/web (vite build)');
  const build = spawnSync('pnpm', ['--filter', '@ossiwatch/web', 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (build.status === 0) return null;
  if (!fs.existsSync(index)) {
    throw new Error(`apps/web does not build:\n${build.stdout}\n${build.stderr}`);
  }
  log('  the build failed; measuring the previous dist/');
  return 'apps/web did not build at bench time; the previous build was measured';
}

export interface BoardBundle {
  /** The entry script and everything it imports statically: what the board needs before it runs. */
  readonly files: readonly {
    readonly file: string;
    readonly bytes: number;
    readonly gzipBytes: number;
  }[];
  readonly gzipKb: number;
  readonly rawKb: number;
  /** Chunks loaded later (dynamic import), e.g. the charts. */
  readonly lazyFiles: readonly string[];
}

const STATIC_IMPORT = /import\s*(?:[\w$*{}\s,]+?from\s*)?["'`]([^"'`]+\.js)["'`]/g;
const DYNAMIC_IMPORT = /import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g;

/** The entry chunk named by dist/index.html and its static imports, each gzipped at level 9. */
export function boardBundle(): BoardBundle {
  const html = fs.readFileSync(path.join(DIST_DIR, 'index.html'), 'utf8');
  const entries = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((match) => match[1] ?? '');
  const seen = new Set<string>();
  const lazy = new Set<string>();
  const queue = entries.map((src) => path.join(DIST_DIR, src.replace(/^\//, '')));
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    const code = fs.readFileSync(file, 'utf8');
    const withoutDynamic = code.replace(DYNAMIC_IMPORT, (_all, target: string) => {
      lazy.add(path.resolve(path.dirname(file), target));
      return '';
    });
    for (const match of withoutDynamic.matchAll(STATIC_IMPORT)) {
      const target = match[1];
      if (target) queue.push(path.resolve(path.dirname(file), target));
    }
  }
  const files = [...seen].map((file) => {
    const content = fs.readFileSync(file);
    return {
      file: path.relative(DIST_DIR, file),
      bytes: content.length,
      gzipBytes: gzipSync(content, { level: 9 }).length,
    };
  });
  return {
    files,
    gzipKb: round(files.reduce((sum, f) => sum + f.gzipBytes, 0) / 1024, 1),
    rawKb: round(files.reduce((sum, f) => sum + f.bytes, 0) / 1024, 1),
    lazyFiles: [...lazy]
      .filter((file) => !seen.has(file))
      .map((file) => path.relative(DIST_DIR, file)),
  };
}

export interface BoardTiming {
  /** From navigation start to the board's rows in the DOM, per fresh browser context. */
  readonly samples: readonly number[];
  readonly summary: LatencySummary;
  readonly rows: number;
}

/**
 * Opens /wards/<id> in a fresh, signed-in context (no cache) `samples` times, and records the time
 * from navigation start until the board's rows are on screen.
 */
export async function boardInteractive(options: {
  readonly origin: string;
  readonly username: string;
  readonly password: string;
  readonly wardId: number;
  readonly expectedRows: number;
  readonly samples: number;
}): Promise<BoardTiming> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.samples; i += 1) {
      const context = await browser.newContext();
      // Signs in over HTTP from the context itself, so the browser holds the session cookie exactly
      // as after the sign-in page (the production cookie is Secure and __Host-, which CDP refuses to set
      // for an http:// origin, while the browser accepts it from localhost).
      const login = await context.request.post(`${options.origin}/trpc/auth.login`, {
        headers: { 'content-type': 'application/json' },
        data: { json: { username: options.username, password: options.password } },
      });
      if (!login.ok()) throw new Error(`sign-in refused in the browser (${login.status()})`);
      const page = await context.newPage();
      await page.goto(`${options.origin}/wards/${options.wardId}`, { waitUntil: 'commit' });
      let rowsAt: number;
      try {
        // Checked at every animation frame: the figure is at most one frame late.
        // A function, not a string: the app's Content-Security-Policy forbids eval in the page.
        const found = await page.waitForFunction(rowsReady, options.expectedRows, {
          timeout: 60_000,
          polling: 'raf',
        });
        rowsAt = Number(await found.jsonValue());
      } catch (error) {
        const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300);
        throw new Error(`the board's rows never appeared (page shows: ${text})`, { cause: error });
      }
      samples.push(round(rowsAt));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { samples, summary: summarise(samples), rows: options.expectedRows };
}

/** The DOM as far as `rowsReady` reads it (this package has no DOM types). */
interface PageElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}

/**
 * Runs in the page: `performance.now()` (ms since navigation start) once the table named "Patients"
 * (caption or aria-label) has `expected` body rows, false before.
 */
function rowsReady(expected: number): number | false {
  const page = globalThis as unknown as {
    document: PageElement;
    performance: { now(): number };
  };
  for (const table of page.document.querySelectorAll('table')) {
    const name = table.querySelector('caption')?.textContent ?? table.getAttribute('aria-label');
    if (name?.trim() === 'Patients' && table.querySelectorAll('tbody tr').length >= expected) {
      return page.performance.now();
    }
  }
  return false;
}
