/**
 * Loaded into the benchmarked server (`--import`) when the live phase asks for it: the server's own
 * event-loop delay, which no outside probe can read without adding its own requests to the load. On
 * SIGUSR2 the histogram since the last signal, and the memory held after a full collection, are written to `OSSIWATCH_BENCH_LOOP_FILE` and reset.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

const file = process.env.OSSIWATCH_BENCH_LOOP_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  // A full collection before memory is read, so that what is counted is what the server holds.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    gc();
    const memory = process.memoryUsage();
    fs.writeFileSync(
      file,
      JSON.stringify({
        p50_ms: ms(histogram.percentile(50)),
        p95_ms: ms(histogram.percentile(95)),
        p99_ms: ms(histogram.percentile(99)),
        max_ms: ms(histogram.max),
        mean_ms: ms(histogram.mean),
        heap_used_kb: Math.round(memory.heapUsed / 1024),
        external_kb: Math.round((memory.external + memory.arrayBuffers) / 1024),
        rss_kb: Math.round(memory.rss / 1024),
      }),
    );
    histogram.reset();
  });
}
