/** The real server as a child process (production mode, loopback), signed in over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import superjson from 'superjson';
import { REPO_ROOT } from './hospital.ts';

export interface RunningServer {
  readonly origin: string;
  readonly pid: number;
  /** The port of the HL7 v2 (MLLP) listener. */
  readonly mllpPort: number;
  /** Resident memory of the server process now, in MB (VmRSS). */
  rssMb(): number;
  /** CPU time the server process has used so far (user + system), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const MAIN = path.join(REPO_ROOT, 'apps/server/src/main.ts');

/**
 * Starts `src/main.ts` the way `tsx apps/server/src/main.ts` does (node with tsx's loader), but as
 * the direct child, so the pid whose memory is read is the server's own and not a wrapper's.
 */
export async function startServer(
  databaseFile: string,
  cpuProfileDir: string | null = null,
  options: {
    /** A fixed port (a restarted server where its clients expect it); a free one when not given. */
    readonly port?: number;
    /** Modules the server process loads first (`--import`), e.g. the event-loop probe. */
    readonly imports?: readonly string[];
    readonly env?: Record<string, string>;
  } = {},
): Promise<RunningServer> {
  const profiling = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const imports = (options.imports ?? []).flatMap((file) => ['--import', file]);
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', ...imports, MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      OSSIWATCH_MODE: 'production',
      HOST: '127.0.0.1',
      OSSIWATCH_ALLOWED_HOSTS: '127.0.0.1,localhost',
      PORT: String(options.port ?? 0),
      DATABASE_PATH: databaseFile,
      OSSIWATCH_MLLP_PORT: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server did not start');
  let mllpPort = 0;
  const origin = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`the server did not report its address within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /running at (http:\/\/[^\s]+)/.exec(output);
      const mllp = /MLLP\) listening on [^\s]+:(\d+)/.exec(output);
      if (match?.[1] && mllp?.[1]) {
        mllpPort = Number(mllp[1]);
        clearTimeout(timer);
        // Stop collecting: the request log that follows would otherwise be appended and searched
        // again at every chunk, and that grows to keep the benchmark's own core busy.
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        output = '';
        resolve(match[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${String(code)}:\n${output}`));
    });
  });
  // Keep draining its output so a chatty logger never blocks the server on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    origin,
    pid,
    mllpPort,
    rssMb: () => rssMbOf(pid),
    cpuMs: () => cpuMsOf(pid),
    stop: () => stopChild(child),
  };
}

function rssMbOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match?.[1] ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, after the parenthesised command name). */
function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Samples the server's RSS while `work` runs; resolves to work's result, the peak in MB and the CPU
 * time the server spent meanwhile (a figure that a busy machine disturbs less than latency).
 */
export async function withRssPeak<T>(
  server: RunningServer,
  work: () => Promise<T>,
): Promise<{ result: T; peakRssMb: number; serverCpuMs: number }> {
  const cpuBefore = server.cpuMs();
  let peak = server.rssMb();
  const timer = setInterval(() => {
    peak = Math.max(peak, server.rssMb());
  }, 200);
  try {
    const result = await work();
    peak = Math.max(peak, server.rssMb());
    return { result, peakRssMb: peak, serverCpuMs: server.cpuMs() - cpuBefore };
  } finally {
    clearInterval(timer);
  }
}

/** `input=` for a tRPC GET: the superjson encoding the web client sends. */
export function queryPath(procedure: string, input: unknown): string {
  return `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
}

/** The JSON body of a tRPC POST. */
export function mutationBody(input: unknown): string {
  return JSON.stringify(superjson.serialize(input));
}

/** Signs in through `auth.login` and returns the session cookie (`name=value`). */
export async function signIn(origin: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${origin}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: mutationBody({ username, password }),
  });
  if (!response.ok) {
    throw new Error(`sign-in refused (${response.status}): ${await response.text()}`);
  }
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.includes('ossiwatch_session='));
  if (!cookie) throw new Error('sign-in answered without a session cookie');
  return cookie;
}

/** One tRPC call with the cookie; throws on an error status. Returns the decoded result. */
export async function call<T>(
  origin: string,
  cookie: string,
  procedure: string,
  kind: 'query' | 'mutation',
  input: unknown,
): Promise<T> {
  const response =
    kind === 'query'
      ? await fetch(`${origin}${queryPath(procedure, input)}`, { headers: { cookie } })
      : await fetch(`${origin}/trpc/${procedure}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: mutationBody(input),
        });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${procedure} failed (${response.status}): ${text.slice(0, 500)}`);
  const envelope = JSON.parse(text) as {
    result: { data: Parameters<typeof superjson.deserialize>[0] };
  };
  return superjson.deserialize<T>(envelope.result.data);
}
