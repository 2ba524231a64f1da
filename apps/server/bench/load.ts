/** Closed-loop load with autocannon, keeping every response's latency (autocannon's own histogram has no p95). */
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { summarise, type LatencySummary } from './stats.ts';

export interface LoadOptions {
  readonly origin: string;
  readonly cookie: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly requests: AutocannonRequest[];
}

export interface LoadResult extends LatencySummary {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rps: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Record<string, number>;
  /** CPU the load generator itself used, in % of one core: near 100, it is the bottleneck. */
  readonly clientCpuPercent: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let okLatencies = 0;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.origin,
        connections: options.connections,
        pipelining: 1,
        duration: options.durationSeconds,
        timeout: 30,
        // What a browser sends with every request: its session cookie and the encodings it reads.
        headers: { cookie: options.cookie, 'accept-encoding': 'gzip, deflate, br' },
        requests: options.requests,
      },
      (error, finished) => {
        if (error) reject(error);
        else resolve(finished);
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(responseTime);
        okLatencies += 1;
      }
    });
  });
  const cpu = process.cpuUsage(cpuBefore);
  const clientCpuPercent = Math.round(
    ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100,
  );
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]),
  );
  return {
    ...summarise(latencies),
    connections: options.connections,
    durationSeconds: result.duration,
    rps: Math.round((okLatencies / result.duration) * 10) / 10,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    clientCpuPercent,
  };
}
