/**
 * Open-loop load at a stated rate: requests arrive as a Poisson process (random, independent gaps
 * with the stated mean, from a seeded generator, so bursts happen as they would on a ward), each on
 * one of `connections` kept-alive connections, or waiting for a free one. A request's latency is
 * counted from the moment it was due, not from when a connection was free, so a server that falls
 * behind shows it (no coordinated omission).
 *
 * autocannon's own rate option is not used for this: it lets each connection send its whole quota at
 * the start of every second and then pause, which measures bursts at saturation, not a steady rate.
 */
import http from 'node:http';
import type { LoadResult } from './load.ts';
import { round, summarise } from './stats.ts';

export interface PacedRequest {
  readonly method: 'POST' | 'GET';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Told each answer's status and when it arrived (ms since the epoch, as `wallNow` reads it). */
  readonly onAnswer?: (status: number, at: number) => void;
}

export interface PacedOptions {
  readonly origin: string;
  readonly connections: number;
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly seed: number;
  readonly request: () => PacedRequest;
}

/** A small seeded generator (mulberry32): the same arrivals for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runPaced(options: PacedOptions): Promise<LoadResult> {
  const url = new URL(options.origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const random = seededRandom(options.seed);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const end = start + options.durationSeconds * 1000;
  const inFlight: Promise<void>[] = [];

  const send = (due: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const spec = options.request();
      const request = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path: spec.path,
          headers: {
            ...spec.headers,
            ...(spec.body === undefined ? {} : { 'content-length': Buffer.byteLength(spec.body) }),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const code = String(response.statusCode ?? 0);
            statusCodes[code] = (statusCodes[code] ?? 0) + 1;
            const status = response.statusCode ?? 0;
            spec.onAnswer?.(status, performance.timeOrigin + performance.now());
            if (status >= 200 && status < 300) latencies.push(performance.now() - due);
            resolve();
          });
        },
      );
      request.on('error', () => {
        spec.onAnswer?.(0, performance.timeOrigin + performance.now());
        errors += 1;
        resolve();
      });
      request.end(spec.body);
    });

  let due = start;
  for (;;) {
    // Exponential gaps: a Poisson process with the stated mean rate.
    due += (-Math.log(1 - random()) / options.ratePerSecond) * 1000;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const ok = latencies.length;
  const sent = inFlight.length;
  return {
    ...summarise(latencies),
    connections: options.connections,
    durationSeconds: round(wallMs / 1000),
    rps: round(ok / (wallMs / 1000), 1),
    non2xx: sent - ok - errors,
    errors,
    statusCodes,
    clientCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
  };
}
