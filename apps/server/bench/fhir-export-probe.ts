/**
 * How a whole-hospital FHIR bulk `$export` (integration/fhir/bulk-export.ts) affects the requests
 * answered meanwhile: a client reads one Patient every 50 ms, first for 15 s with no export (the
 * baseline), then while an export of every ward runs, polling its status. Prints both latency sets,
 * the server's event-loop delay in each phase, the export's duration, counts and size.
 *
 *   cd apps/server && pnpm exec tsx bench/fhir-export-probe.ts
 *
 * Uses the cached hospital of the benchmark (seed 1, scale 1, 12 months); record `uptime` beside it.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../src/app.ts';
import { openDatabase } from '../src/db/client.ts';
import { testConfig } from '../src/test-support.ts';
import { BENCH_PASSWORD, BENCH_USERNAME, cachedHospital, prepareRunDatabase } from './hospital.ts';

interface Manifest {
  output: { type: string; url: string; count: number }[];
}

const load = (): string =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const ms = (ns: number): string => (ns / 1e6).toFixed(1);

function summary(label: string, latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) =>
    (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(1);
  return `${label}: n=${sorted.length} p50=${at(0.5)} ms p95=${at(0.95)} ms max=${(sorted.at(-1) ?? 0).toFixed(1)} ms`;
}

const hospital = await cachedHospital({ seed: 1, scale: 1, historyMonths: 12 }, console.log);
const run = await prepareRunDatabase(hospital, 'fhir-export');
const db = openDatabase(run.file);
const app = await buildApp({
  db,
  config: { ...testConfig, databasePath: run.file },
  now: () => new Date(),
  allowedOrigins: [],
  trustedProxies: [],
  allowedHosts: [],
});
const origin = await app.listen({ port: 0, host: '127.0.0.1' });
const login = await fetch(`${origin}/trpc/auth.login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ json: { username: BENCH_USERNAME, password: BENCH_PASSWORD } }),
});
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const patient = (
  db.$client
    .prepare('SELECT patient_id AS id FROM stays WHERE discharged_at IS NULL LIMIT 1')
    .get() as {
    id: number;
  }
).id;
console.log(`load before: ${load()}`);

async function readOnce(latencies: number[]): Promise<void> {
  const started = performance.now();
  await (
    await fetch(`${origin}/fhir/R4/Patient/${patient}`, { headers: { cookie } })
  ).arrayBuffer();
  latencies.push(performance.now() - started);
}
const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

const loop = monitorEventLoopDelay({ resolution: 5 });
const baseline: number[] = [];
loop.enable();
const until = performance.now() + 15_000;
while (performance.now() < until) {
  await readOnce(baseline);
  await pause();
}
loop.disable();
console.log(summary('reads, no export', baseline));
console.log(
  `event-loop delay, no export: p50=${ms(loop.percentile(50))} p99=${ms(loop.percentile(99))} max=${ms(loop.max)} ms`,
);
loop.reset();

const started = performance.now();
const kick = await fetch(`${origin}/fhir/R4/$export`, {
  headers: { cookie, prefer: 'respond-async' },
});
const status = kick.headers.get('content-location') ?? '';
loop.enable();
const during: number[] = [];
let manifest: Manifest | undefined;
while (!manifest) {
  await readOnce(during);
  const poll = await fetch(status, { headers: { cookie } });
  if (poll.status === 200) manifest = (await poll.json()) as Manifest;
  else await poll.arrayBuffer();
  await pause();
}
loop.disable();
console.log(`export of every ward: ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(manifest.output.map((file) => `${file.type} ${file.count}`).join(', '));
console.log(summary('reads during the export', during));
console.log(
  `event-loop delay, exporting: p50=${ms(loop.percentile(50))} p99=${ms(loop.percentile(99))} max=${ms(loop.max)} ms`,
);
let bytes = 0;
for (const file of manifest.output) {
  bytes += (await (await fetch(file.url, { headers: { cookie } })).arrayBuffer()).byteLength;
}
console.log(`files: ${(bytes / 1e6).toFixed(1)} MB; load after: ${load()}`);
await app.close();
run.remove();
