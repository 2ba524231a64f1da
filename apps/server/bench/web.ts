/**
 * The web figures: the board's JavaScript as the browser downloads it (gzip), and the time until the
 * board's patient rows are on screen in Debian's headless Chromium, on the local server.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type CDPSession } from 'playwright-core';
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
  /** Where each sample's time went (ms since navigation start, from the page's own timing). */
  readonly steps: readonly PageSteps[];
  /** The median of each step over the samples. */
  readonly stepMedians: PageSteps;
}

/**
 * One page load, step by step, in ms since navigation start (the browser's Navigation and Resource
 * Timing): when the document's first and last bytes arrived, when each script finished arriving,
 * when the first two API answers (the session and the board) were asked for and answered, when the
 * page had run its deferred scripts (DOMContentLoaded), and when the rows were on screen. `longTasks`
 * is the main thread's busy time in tasks over 50 ms before the rows appeared.
 */
export interface PageSteps {
  readonly [step: string]: number | null;
}

/** The page's own record of when the rows appeared (see `watchBoard`). */
const ROWS_PROMISE = 'globalThis.__ossiwatchBenchRows';

/**
 * Opens /wards/<id> in a fresh, signed-in context (no cache) `samples` times, and records the time
 * from navigation start until the board's rows are on screen.
 *
 * The rows are watched from inside the page, by a small script the browser runs before the page's
 * own (`watchBoard`, at every animation frame), and the benchmark asks for its answer through one
 * DevTools call. Playwright's `waitForFunction` would do the same watching, but first evaluates its
 * own injected script (about 330 KB) on the page's main thread, in the middle of the page load it is
 * timing: 100–200 ms of main-thread work that no user's browser does (measured with DevTools'
 * Performance metrics). `OSSIWATCH_BENCH_WEB_POLLER=playwright` measures the old way, for comparison.
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
  const playwrightPoller = process.env.OSSIWATCH_BENCH_WEB_POLLER === 'playwright';
  const samples: number[] = [];
  const steps: PageSteps[] = [];
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
      // Runs at the document's start, before the page's scripts: a DevTools-injected script, which
      // the page's Content-Security-Policy does not govern.
      await context.addInitScript(watchBoard, options.expectedRows);
      const page = await context.newPage();
      const devtools = await context.newCDPSession(page);
      await devtools.send('Performance.enable');
      await page.goto(`${options.origin}/wards/${options.wardId}`, { waitUntil: 'commit' });
      let rowsAt: number;
      try {
        if (playwrightPoller) {
          // A function, not a string: the app's Content-Security-Policy forbids eval in the page.
          const found = await page.waitForFunction(rowsReady, options.expectedRows, {
            timeout: 60_000,
            polling: 'raf',
          });
          rowsAt = Number(await found.jsonValue());
        } else {
          rowsAt = await rowsSeenByPage(devtools, 60_000);
        }
      } catch (error) {
        const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300);
        throw new Error(`the board's rows never appeared (page shows: ${text})`, { cause: error });
      }
      const { metrics } = await devtools.send('Performance.getMetrics');
      const metric = (name: string) => {
        const value = metrics.find((m) => m.name === name)?.value;
        return value === undefined ? null : round(value * 1000, 1);
      };
      samples.push(round(rowsAt));
      steps.push({
        ...(await page.evaluate(pageSteps)),
        rows: round(rowsAt),
        mainThreadMs: metric('TaskDuration'),
        scriptMs: metric('ScriptDuration'),
        layoutMs: metric('LayoutDuration'),
        styleMs: metric('RecalcStyleDuration'),
        devtoolsMs: metric('DevToolsCommandDuration'),
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const stepMedians = medianSteps(steps);
  process.stderr.write(
    `board page, median of ${steps.length} (ms since navigation): ${Object.entries(stepMedians)
      .map(([name, value]) => `${name} ${String(value)}`)
      .join(', ')}\n`,
  );
  const stepsFile = process.env.OSSIWATCH_BENCH_WEB_STEPS;
  if (stepsFile)
    fs.writeFileSync(stepsFile, JSON.stringify({ samples, steps, stepMedians }, null, 2));
  return { samples, summary: summarise(samples), rows: options.expectedRows, steps, stepMedians };
}

/** `performance.now()` at the first animation frame that saw the rows, as the page recorded it. */
async function rowsSeenByPage(devtools: CDPSession, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Awaits the page's promise; undefined only in the instant before the new document's
    // context exists, when the call reaches the one being left.
    const answer = await devtools.send('Runtime.evaluate', {
      expression: ROWS_PROMISE,
      awaitPromise: true,
      returnByValue: true,
      timeout: timeoutMs,
    });
    const value: unknown = answer.result.value;
    if (typeof value === 'number') return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no rows within ${timeoutMs} ms`);
}

function medianSteps(all: readonly PageSteps[]): PageSteps {
  const names = [...new Set(all.flatMap((one) => Object.keys(one)))];
  return Object.fromEntries(
    names.map((name) => {
      const values = all
        .map((one) => one[name])
        .filter((value): value is number => typeof value === 'number');
      return [name, values.length === 0 ? null : summarise(values).p50_ms];
    }),
  );
}

/**
 * Runs in the page before its own scripts: sums the main thread's long tasks, and resolves
 * `__ossiwatchBenchRows` with `performance.now()` at the first animation frame at which the table
 * named "Patients" has `expected` body rows (so at most one frame late).
 */
function watchBoard(expected: number): void {
  // tsx compiles this file keeping function names, through a helper `__name` that the page lacks.
  (globalThis as unknown as { __name?: unknown }).__name ??= (fn: unknown) => fn;
  const page = globalThis as unknown as {
    __longTasks?: { count: number; ms: number };
    __ossiwatchBenchRows?: Promise<number>;
    document: PageElement;
    performance: { now(): number };
    requestAnimationFrame(callback: () => void): void;
    PerformanceObserver?: new (callback: (list: { getEntries(): PerfEntry[] }) => void) => {
      observe(options: { type: string; buffered: boolean }): void;
    };
  };
  const sum = { count: 0, ms: 0 };
  page.__longTasks = sum;
  try {
    new (page.PerformanceObserver as NonNullable<typeof page.PerformanceObserver>)((list) => {
      for (const entry of list.getEntries()) {
        sum.count += 1;
        sum.ms += entry.duration;
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: the figures stay at zero.
  }
  page.__ossiwatchBenchRows = new Promise<number>((resolve) => {
    // The test of `rowsReady`, repeated: only this function's own text is sent to the page.
    const check = (): void => {
      for (const table of page.document.querySelectorAll('table')) {
        const name =
          table.querySelector('caption')?.textContent ?? table.getAttribute('aria-label');
        if (name?.trim() === 'Patients' && table.querySelectorAll('tbody tr').length >= expected) {
          resolve(page.performance.now());
          return;
        }
      }
      page.requestAnimationFrame(check);
    };
    page.requestAnimationFrame(check);
  });
}

interface PerfEntry {
  readonly name: string;
  readonly startTime: number;
  readonly duration: number;
  readonly requestStart?: number;
  readonly responseStart?: number;
  readonly responseEnd?: number;
  readonly domInteractive?: number;
  readonly domContentLoadedEventEnd?: number;
  readonly transferSize?: number;
}

/** Runs in the page once the rows are there: the steps of `PageSteps`. */
function pageSteps(): PageSteps {
  const page = globalThis as unknown as {
    performance: { getEntriesByType(type: string): PerfEntry[] };
    __longTasks?: { count: number; ms: number };
  };
  const nav = page.performance.getEntriesByType('navigation')[0];
  const resources = page.performance.getEntriesByType('resource');
  const find = (test: (name: string) => boolean) =>
    resources.find((entry) => test(new URL(entry.name).pathname + new URL(entry.name).search));
  const at = (value: number | undefined) =>
    value === undefined ? null : Math.round(value * 10) / 10;
  const boot = find((name) => /\/assets\/boot-[^/]*\.js$/.test(name));
  const entry = find((name) => /\/assets\/index-[^/]*\.js$/.test(name));
  const css = find((name) => /\.css$/.test(name));
  const me = find((name) => name.startsWith('/trpc/auth.me'));
  const board = find((name) => name.startsWith('/trpc/ward.board'));
  const paint = page.performance
    .getEntriesByType('paint')
    .find((p) => p.name === 'first-contentful-paint');
  return {
    htmlFirstByte: at(nav?.responseStart),
    htmlDone: at(nav?.responseEnd),
    bootJsDone: at(boot?.responseEnd),
    entryJsStart: at(entry?.startTime),
    entryJsDone: at(entry?.responseEnd),
    cssDone: at(css?.responseEnd),
    domInteractive: at(nav?.domInteractive),
    domContentLoaded: at(nav?.domContentLoadedEventEnd),
    meAsked: at(me?.startTime),
    meFirstByte: at(me?.responseStart),
    meDone: at(me?.responseEnd),
    boardAsked: at(board?.startTime),
    boardFirstByte: at(board?.responseStart),
    boardDone: at(board?.responseEnd),
    boardKb: board?.transferSize === undefined ? null : Math.round(board.transferSize / 102.4) / 10,
    firstContentfulPaint: at(paint?.startTime),
    longTasks: page.__longTasks?.count ?? null,
    longTasksMs: at(page.__longTasks?.ms),
    apiRequests: resources.filter((r) => new URL(r.name).pathname.startsWith('/trpc/')).length,
  };
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
