/**
 * A second load generator for `ward.board`: wrk (Debian's `wrk` package), when it is installed.
 *
 * autocannon runs in JavaScript on one thread and parses every answer with a JavaScript HTTP parser;
 * on a 2-core machine it saturates its core before the server does, and its own queue then shows in
 * the latencies it reports. wrk, written in C, needs a fraction of that, so the same load through it
 * shows what the server itself answers. Both are reported; neither replaces the other.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface WrkResult {
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly p99_ms: number;
  readonly rps: number;
  readonly requests: number;
  readonly non2xx: number;
}

const REPORT = `done = function(summary, latency, requests)
  io.write(string.format("WRK %.3f %.3f %.3f %d %.3f %d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6, summary.errors.status))
end
`;

/** The wrk on PATH, or null. */
export function findWrk(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** `connections` keep-alive clients on one wrk thread for `durationSeconds`, GETting `url`. */
export async function runWrk(
  wrk: string,
  options: {
    readonly url: string;
    readonly headers: Record<string, string>;
    readonly connections: number;
    readonly durationSeconds: number;
  },
): Promise<WrkResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossiwatch-wrk-'));
  const script = path.join(dir, 'report.lua');
  fs.writeFileSync(script, REPORT);
  const args = ['-t', '1', '-c', String(options.connections), '-d', `${options.durationSeconds}s`];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}: ${value}`);
  args.push('-s', script, options.url);
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`)),
      );
    });
    const line = output.split('\n').find((l) => l.startsWith('WRK '));
    if (!line) throw new Error(`wrk printed no figures: ${output}`);
    const [p50, p95, p99, requests, seconds, non2xx] = line.slice(4).split(' ').map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      p50_ms: round(p50),
      p95_ms: round(p95),
      p99_ms: round(p99),
      rps: Math.round((requests / seconds) * 10) / 10,
      requests,
      non2xx,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
