/**
 * The live phase (`pnpm bench --only live`): ward boards' live streams held open by client processes
 * while therapy saves and nurse writes arrive at stated rates (Poisson); how fast each write reaches
 * every board of its ward, what the streams cost the server, and a restart with every board
 * reconnecting at once. See docs/benchmarks.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sessionCookieName } from '../src/app.ts';
import { startSession } from '../src/auth/sessions.ts';
import { openDatabase } from '../src/db/client.ts';
import type { RunDatabase } from './hospital.ts';
import type { FromClient, StreamLog, StreamSpec, ToClient } from './live-client.ts';
import { wallNow } from './live-client.ts';
import { runLoad, type LoadResult } from './load.ts';
import { runPaced } from './paced.ts';
import type { BenchProfile } from './profiles.ts';
import { queryPath, signIn, startServer, type RunningServer } from './server.ts';
import { round, summarise } from './stats.ts';
import { nurseVital, therapySave, writeBuilder } from './writes.ts';

const CLIENT = path.join(import.meta.dirname, 'live-client.ts');
const LOOP_PROBE = path.join(import.meta.dirname, 'loop-probe.ts');

export type LiveSpec = BenchProfile['live'];

interface Ack {
  readonly patientId: number;
  readonly wardId: number;
  readonly at: number;
}

/** One client process and its replies, one at a time. */
class Client {
  private readonly waiting: ((message: FromClient) => void)[] = [];
  constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromClient) => this.waiting.shift()?.(message));
  }
  static start(): Client {
    return new Client(
      fork(CLIENT, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }
  ask<T extends FromClient['type']>(
    message: ToClient,
    reply: T,
  ): Promise<Extract<FromClient, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting.push((answer) => {
        if (answer.type === reply) resolve(answer as Extract<FromClient, { type: T }>);
        else reject(new Error(`client answered ${answer.type}, not ${reply}`));
      });
      this.child.send(message);
    });
  }
  stop(): void {
    if (this.child.connected) this.child.send({ type: 'close' } satisfies ToClient);
    setTimeout(() => this.child.kill(), 2000).unref();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server's event-loop delay since the last call (loop-probe.ts, via SIGUSR2). */
async function loopDelay(server: RunningServer, file: string) {
  fs.rmSync(file, { force: true });
  process.kill(server.pid, 'SIGUSR2');
  for (let i = 0; i < 50 && !fs.existsSync(file); i += 1) await sleep(20);
  await sleep(20);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
  } catch {
    return null;
  }
}

interface Delivered {
  /** Per write: the time until the last board of its ward had it (ms after the acknowledgement). */
  readonly everyBoard: number[];
  /** Per write and board. */
  readonly perBoard: number[];
  readonly missed: number;
  readonly duplicated: number;
  readonly resyncs: number;
  readonly unexpected: number;
  readonly writes: number;
  /** Board-events whose write was acknowledged while that board had no stream (see `away`). */
  readonly writtenWhileAway: number;
  /** Of those, how many the board never received. */
  readonly missedWhileAway: number;
}

/**
 * Pairs each stream's events with the acknowledged writes on its ward: the writes' events carry the
 * patient, and one patient's events arrive in the order of its writes, so the n-th event about a
 * patient on a board is the n-th acknowledged write on that patient.
 */
function matchDeliveries(
  acks: readonly Ack[],
  logs: readonly StreamLog[],
  away: (log: StreamLog, at: number) => boolean = () => false,
): Delivered {
  const acksByPatient = new Map<number, Ack[]>();
  for (const ack of acks) {
    const list = acksByPatient.get(ack.patientId) ?? [];
    list.push(ack);
    acksByPatient.set(ack.patientId, list);
  }
  for (const list of acksByPatient.values()) list.sort((a, b) => a.at - b.at);
  const latestPerAck = new Map<Ack, number>();
  const perBoard: number[] = [];
  let missed = 0;
  let unexpected = 0;
  let duplicated = 0;
  let resyncs = 0;
  let writtenWhileAway = 0;
  let missedWhileAway = 0;
  const streamsPerWard = new Map<number, number>();
  for (const log of logs) {
    streamsPerWard.set(log.wardId, (streamsPerWard.get(log.wardId) ?? 0) + 1);
    duplicated += log.duplicates;
    resyncs += log.resyncs;
    const arrivals = new Map<number, number[]>();
    for (const [, patientId, kind, at] of log.deliveries) {
      if (patientId === null || kind === 'resync') continue;
      const list = arrivals.get(patientId) ?? [];
      list.push(at);
      arrivals.set(patientId, list);
    }
    const wardPatients = new Set<number>();
    for (const ack of acks) if (ack.wardId === log.wardId) wardPatients.add(ack.patientId);
    for (const patientId of wardPatients) {
      const expected = acksByPatient.get(patientId) ?? [];
      const got = arrivals.get(patientId) ?? [];
      missed += Math.max(0, expected.length - got.length);
      expected.forEach((ack, i) => {
        const at = got[i];
        const wasAway = away(log, ack.at);
        if (wasAway) writtenWhileAway += 1;
        if (at === undefined) {
          if (wasAway) missedWhileAway += 1;
          return;
        }
        const latency = at - ack.at;
        perBoard.push(latency);
        latestPerAck.set(ack, Math.max(latestPerAck.get(ack) ?? -Infinity, latency));
      });
    }
    for (const [patientId, got] of arrivals) {
      unexpected += Math.max(0, got.length - (acksByPatient.get(patientId)?.length ?? 0));
    }
  }
  const everyBoard = acks
    .filter((ack) => (streamsPerWard.get(ack.wardId) ?? 0) > 0)
    .map((ack) => latestPerAck.get(ack) ?? Number.POSITIVE_INFINITY)
    .filter(Number.isFinite);
  return {
    everyBoard,
    perBoard,
    missed,
    duplicated,
    resyncs,
    unexpected,
    writes: acks.length,
    writtenWhileAway,
    missedWhileAway,
  };
}

/** Delays below zero (the event came before the answer to its write) count as 0. */
function latencyFigures(values: readonly number[]) {
  return summarise(values.map((value) => Math.max(0, value)));
}

/**
 * One session per board, as a ward's browsers each have their own: started in the database as a
 * sign-in would (argon2 a thousand times over would take minutes of the run's CPU, and the sign-in
 * throttle would refuse it). Returns the cookies.
 */
function boardSessions(file: string, userId: number, count: number): string[] {
  const db = openDatabase(file);
  const name = sessionCookieName('production');
  const now = new Date();
  try {
    return db.$client.transaction(() =>
      Array.from(
        { length: count },
        () => `${name}=${startSession(db, userId, now, '127.0.0.1').token}`,
      ),
    )();
  } finally {
    db.$client.close();
  }
}

export interface LiveOptions {
  readonly run: RunDatabase;
  readonly spec: LiveSpec;
  readonly seed: number;
  readonly username: string;
  readonly password: string;
  readonly log: (line: string) => void;
}

export async function measureLive(options: LiveOptions) {
  const { run, spec, log } = options;
  const loopFile = path.join(os.tmpdir(), `ossiwatch-bench-loop-${process.pid}.json`);
  const serverOptions = {
    imports: [LOOP_PROBE],
    env: { OSSIWATCH_BENCH_LOOP_FILE: loopFile },
  };
  const boardCookies = boardSessions(run.file, run.benchUserId, Math.max(...spec.streams));
  let server = await startServer(run.file, null, serverOptions);
  const port = Number(new URL(server.origin).port);
  const wardOf = new Map(run.currentPatients.map((p) => [p.patientId, p.wardId]));
  const clients = Array.from({ length: spec.clientProcesses }, () => Client.start());
  const opened: StreamSpec[] = [];
  try {
    const writerCookie = await signIn(server.origin, options.username, options.password);

    const therapy = writeBuilder(writerCookie, run.currentPatients, therapySave(20));
    const nurse = writeBuilder(writerCookie, run.currentPatients, nurseVital());
    // Warm-up: the first writes compile the code paths and statements they use.
    for (let i = 0; i < 30; i += 1) {
      for (const build of i < 10 ? [therapy, nurse] : [therapy]) {
        const { path: writePath, patientId: _patient, onAnswer: _onAnswer, ...init } = build();
        const response = await fetch(`${server.origin}${writePath}`, init);
        if (!response.ok) {
          throw new Error(`${writePath} refused (${response.status}): ${await response.text()}`);
        }
      }
    }

    /** Therapy saves and nurse writes at their rates for `seconds`; every acknowledged write kept. */
    const writes = async (seconds: number, seed: number) => {
      const acks: Ack[] = [];
      const tagged = (build: typeof therapy) => () => {
        const request = build();
        return {
          ...request,
          onAnswer: (status: number, at: number) => {
            if (status >= 200 && status < 300) {
              acks.push({
                patientId: request.patientId,
                wardId: wardOf.get(request.patientId) ?? 0,
                at,
              });
            }
          },
        };
      };
      // The server whose CPU is counted: the one running now (a restart in between replaces it).
      const counted = server;
      const cpuBefore = counted.cpuMs();
      const started = wallNow();
      const [saves, nurseWrites] = await Promise.all([
        runPaced({
          origin: server.origin,
          connections: spec.saveConnections,
          ratePerSecond: spec.therapyRatePerSecond,
          durationSeconds: seconds,
          seed,
          request: tagged(therapy),
        }),
        runPaced({
          origin: server.origin,
          connections: 2,
          ratePerSecond: spec.nurseRatePerSecond,
          durationSeconds: seconds,
          seed: seed + 1000,
          request: tagged(nurse),
        }),
      ]);
      const wallS = (wallNow() - started) / 1000;
      let serverCpuMsPerS = Number.NaN;
      try {
        if (counted === server) serverCpuMsPerS = (counted.cpuMs() - cpuBefore) / wallS;
      } catch {
        // The server stopped meanwhile (the restart storm): no CPU figure for this run of writes.
      }
      return { saves, nurseWrites, acks, serverCpuMsPerS };
    };

    const board = async (): Promise<LoadResult> =>
      runLoad({
        origin: server.origin,
        cookie: writerCookie,
        connections: 32,
        durationSeconds: spec.boardSeconds,
        requests: [{ method: 'GET', path: queryPath('ward.board', { wardId: run.ward.id }) }],
      });

    const collect = async () =>
      (await Promise.all(clients.map((client) => client.ask({ type: 'collect' }, 'logs')))).flatMap(
        (reply) => reply.logs,
      );

    const status = async (since?: number) => {
      const replies = await Promise.all(
        clients.map((client) => client.ask({ type: 'status', since }, 'status')),
      );
      return {
        total: replies.reduce((sum, reply) => sum + reply.total, 0),
        connectedSince: replies.reduce((sum, reply) => sum + reply.connectedSince, 0),
        lastConnectedSince: Math.max(...replies.map((reply) => reply.lastConnectedSince)),
        /** The client processes' CPU time so far, all together. */
        cpuMs: replies.reduce((sum, reply) => sum + reply.cpuMs, 0),
      };
    };

    /** Opens streams up to `count`, spread evenly over the wards, shared among the client processes. */
    const openStreams = async (count: number) => {
      const perClient = new Map<Client, StreamSpec[]>();
      for (let id = opened.length; id < count; id += 1) {
        const clientIndex = id % clients.length;
        const client = clients[clientIndex];
        if (!client) continue;
        const stream: StreamSpec = {
          id,
          wardId: run.wardIds[id % run.wardIds.length] ?? 0,
          cookie: boardCookies[id] ?? writerCookie,
        };
        opened.push(stream);
        perClient.set(client, [...(perClient.get(client) ?? []), stream]);
      }
      await Promise.all(
        [...perClient].map(([client, streams]) =>
          client.ask({ type: 'open', origin: server.origin, streams }, 'opened'),
        ),
      );
    };

    // What the open streams hold, on the server before the write phases have grown and freed its
    // heap (RSS barely moves later, memory freed by them being reused): memory after a full
    // collection with no stream open, then with each count open; then the boards leave again.
    const memory: { streams: number; rss_kb: number; heap_kb: number }[] = [];
    const held = async (streams: number) => {
      await sleep(1500);
      const probe = await loopDelay(server, loopFile);
      memory.push({
        streams,
        rss_kb: probe?.rss_kb ?? Number.NaN,
        heap_kb: (probe?.heap_used_kb ?? Number.NaN) + (probe?.external_kb ?? Number.NaN),
      });
    };
    log(`  memory: ${spec.streams.join(', ')} streams opened on the warmed-up server`);
    await held(0);
    for (const count of spec.streams) {
      await openStreams(count);
      await held(count);
    }
    await Promise.all(clients.map((client) => client.ask({ type: 'leave' }, 'left')));
    opened.length = 0;
    const [none] = memory;
    const memoryGrowth = memory.slice(1).map((point) => ({
      streams: point.streams,
      rss_per_stream_kb: round((point.rss_kb - (none?.rss_kb ?? Number.NaN)) / point.streams, 1),
      heap_per_stream_kb: round((point.heap_kb - (none?.heap_kb ?? Number.NaN)) / point.streams, 1),
    }));
    const memoryAtMost = memoryGrowth.at(-1);
    log(
      `    per stream: ${memoryGrowth.map((point) => `${point.streams}: ${point.rss_per_stream_kb} KB RSS, ${point.heap_per_stream_kb} KB heap`).join('; ')}`,
    );
    await sleep(1000);

    // Without streams: the board and the writes as the other phases measure them.
    log(`  without streams: ward.board, 32 clients for ${spec.boardSeconds} s`);
    const boardWithout = await board();
    await sleep(1000);
    log(
      `  without streams: ${spec.therapyRatePerSecond} saves/s and ${spec.nurseRatePerSecond} nurse writes/s for ${spec.writeSeconds} s`,
    );
    await loopDelay(server, loopFile);
    const writesWithout = await writes(spec.writeSeconds, options.seed);
    const loopWithout = await loopDelay(server, loopFile);
    const rssWithoutMb = server.rssMb();

    const growth: Record<string, unknown>[] = [];
    let lastPoint: {
      streams: number;
      delivered: Delivered;
      cpuPerStream: number;
      loop: Record<string, number> | null;
      writes: Awaited<ReturnType<typeof writes>>;
    } | null = null;
    for (const count of spec.streams) {
      log(`  opening streams up to ${count}`);
      await sleep(1000);
      const openStarted = wallNow();
      await openStreams(count);
      const openSeconds = (wallNow() - openStarted) / 1000;
      await sleep(2000);
      await collect();
      const rssKb = server.rssMb() * 1024;
      log(
        `  ${count} streams: writes for ${spec.writeSeconds} s (RSS ${Math.round(rssKb / 1024)} MB)`,
      );
      await loopDelay(server, loopFile);
      const clientCpuBefore = (await status()).cpuMs;
      const benchCpuBefore = process.cpuUsage();
      const measuredFrom = wallNow();
      const measured = await writes(spec.writeSeconds, options.seed + count);
      const measuredS = (wallNow() - measuredFrom) / 1000;
      const benchCpu = process.cpuUsage(benchCpuBefore);
      const clientCpuMsPerS = ((await status()).cpuMs - clientCpuBefore) / measuredS;
      const loop = await loopDelay(server, loopFile);
      await sleep(2000);
      const delivered = matchDeliveries(measured.acks, await collect());
      const figures = latencyFigures(delivered.everyBoard);
      const point = {
        streams: count,
        open_s: round(openSeconds),
        delivery_p50_ms: figures.p50_ms,
        delivery_p95_ms: figures.p95_ms,
        delivery_p99_ms: figures.p99_ms,
        delivery_max_ms: figures.max_ms,
        missed: delivered.missed,
        duplicated: delivered.duplicated,
        writes: delivered.writes,
        deliveries: delivered.perBoard.length,
        rss_mb: round(rssKb / 1024, 1),
        ...memoryGrowth.find((point) => point.streams === count),
        server_cpu_ms_per_s: round(measured.serverCpuMsPerS),
        // Where the machine's two cores went meanwhile: the boards' processes parse every event of
        // every board, the benchmark's own process sends the writes.
        client_processes_cpu_ms_per_s: round(clientCpuMsPerS),
        bench_process_cpu_ms_per_s: round((benchCpu.user + benchCpu.system) / 1000 / measuredS),
        load_average_1min: round(os.loadavg()[0] ?? Number.NaN, 1),
        save_p95_ms: measured.saves.p95_ms,
        event_loop_delay_p99_ms: loop?.p99_ms ?? null,
      };
      log(
        `    delivery p50/p95/p99 ${point.delivery_p50_ms}/${point.delivery_p95_ms}/${point.delivery_p99_ms} ms, missed ${point.missed}, dup ${point.duplicated}, save p95 ${point.save_p95_ms} ms; CPU ms/s server ${point.server_cpu_ms_per_s}, boards ${point.client_processes_cpu_ms_per_s}, writer ${point.bench_process_cpu_ms_per_s}; load ${point.load_average_1min}`,
      );
      growth.push(point);
      lastPoint = {
        streams: count,
        delivered,
        cpuPerStream: round((measured.serverCpuMsPerS - writesWithout.serverCpuMsPerS) / count, 3),
        loop,
        writes: measured,
      };
    }
    if (!lastPoint) throw new Error('no stream counts to measure');

    log(`  ${lastPoint.streams} streams open: ward.board, 32 clients for ${spec.boardSeconds} s`);
    const boardWith = await board();
    await sleep(1000);
    await collect();

    // The restart storm: writes go on while the server stops (SIGTERM) and starts again on the same
    // port; every stream reconnects with its last id and must receive what was written meanwhile.
    log(
      `  restart storm: ${lastPoint.streams} streams, writes for ${spec.stormSeconds} s, SIGTERM after 3 s`,
    );
    const stormWrites = writes(spec.stormSeconds, options.seed + 7);
    await sleep(3000);
    const loadAtStorm = round(os.loadavg()[0] ?? Number.NaN, 1);
    const sigterm = wallNow();
    await server.stop();
    const stopped = wallNow();
    server = await startServer(run.file, null, { ...serverOptions, port });
    const listening = wallNow();
    // Settled when every stream has had its `connected` event from the new server (any after the old
    // one exited), read from the boards' own arrival times rather than from when this loop looked.
    let back = await status(stopped);
    while (back.connectedSince < back.total && wallNow() - listening < 60_000) {
      await sleep(100);
      back = await status(stopped);
    }
    const settled = back.connectedSince === back.total ? back.lastConnectedSince : null;
    const storm = await stormWrites;
    await sleep(3000);
    const stormLogs = await collect();
    // Away: from a stream's drop by the stopping server to its first `connected` after that server
    // exited. A write acknowledged then reached that board only through its last id.
    const awayWindows = new Map(
      stormLogs.map((stream) => [
        stream,
        {
          from: stream.droppedAt.find((at) => at >= sigterm) ?? sigterm,
          to: stream.connectedAt.find((at) => at > stopped) ?? Number.POSITIVE_INFINITY,
        },
      ]),
    );
    const stormDelivered = matchDeliveries(storm.acks, stormLogs, (stream, at) => {
      const window = awayWindows.get(stream);
      return window !== undefined && at >= window.from && at < window.to;
    });
    // For looking into a storm's figures afterwards: every acknowledged write and what each board got.
    const dump = process.env.OSSIWATCH_BENCH_LIVE_STORM_FILE;
    if (dump) {
      fs.writeFileSync(
        dump,
        JSON.stringify({ sigterm, stopped, listening, acks: storm.acks, logs: stormLogs }),
      );
    }
    const stormFigures = latencyFigures(stormDelivered.everyBoard);
    const loadAfterStorm = round(os.loadavg()[0] ?? Number.NaN, 1);
    const seconds = (from: number, to: number | null) =>
      to === null ? null : round(Math.max(0, to - from) / 1000);
    log(
      `    stopped in ${seconds(sigterm, stopped)} s, listening ${seconds(stopped, listening)} s later; every stream live ${seconds(listening, settled) ?? 'never'} s after that; ${stormDelivered.writtenWhileAway} board-events written while away, ${stormDelivered.missedWhileAway} of them missed; missed ${stormDelivered.missed}, resyncs ${stormDelivered.resyncs}; load ${loadAtStorm} → ${loadAfterStorm}`,
    );

    // Without streams once more, now on a server that has run for a while (the first time was on a
    // just-started one, its database file perhaps not yet in the page cache): the comparison is made
    // with whichever of the two was faster, so a slow first measurement cannot flatter the streams.
    log(`  streams closed: ward.board and the writes without them again`);
    await Promise.all(clients.map((client) => client.ask({ type: 'leave' }, 'left')));
    await sleep(1000);
    const boardWithoutAfter = await board();
    await sleep(1000);
    const writesWithoutAfter = await writes(spec.writeSeconds, options.seed);
    const faster = (a: number, b: number) => (Number.isFinite(b) && b < a ? b : a);

    const main = latencyFigures(lastPoint.delivered.everyBoard);
    const perBoard = latencyFigures(lastPoint.delivered.perBoard);
    return {
      results: {
        streams: lastPoint.streams,
        delivery_p50_ms: main.p50_ms,
        delivery_p95_ms: main.p95_ms,
        delivery_p99_ms: main.p99_ms,
        missed: lastPoint.delivered.missed,
        duplicated: lastPoint.delivered.duplicated,
        rss_per_stream_kb: memoryAtMost?.rss_per_stream_kb ?? null,
        heap_per_stream_kb: memoryAtMost?.heap_per_stream_kb ?? null,
        cpu_per_stream: lastPoint.cpuPerStream,
        event_loop_delay_p99_ms: lastPoint.loop?.p99_ms ?? null,
        event_loop_delay_p99_ms_without: loopWithout?.p99_ms ?? null,
        board_p95_ms: boardWith.p95_ms,
        board_p95_ms_without: faster(boardWithout.p95_ms, boardWithoutAfter.p95_ms),
        save_p95_ms: lastPoint.writes.saves.p95_ms,
        save_p95_ms_without: faster(writesWithout.saves.p95_ms, writesWithoutAfter.saves.p95_ms),
        storm_settle_s: seconds(listening, settled),
        storm_missed: stormDelivered.missed,
        storm_duplicated: stormDelivered.duplicated,
        storm_resyncs: stormDelivered.resyncs,
      },
      details: {
        client_processes: spec.clientProcesses,
        sessions: 'one per stream',
        wards: run.wardIds.length,
        rates_per_s: { therapy: spec.therapyRatePerSecond, nurse: spec.nurseRatePerSecond },
        write_seconds: spec.writeSeconds,
        delivery_per_board: perBoard,
        delivery_every_board: main,
        writes: lastPoint.delivered.writes,
        deliveries: lastPoint.delivered.perBoard.length,
        unexpected_events: lastPoint.delivered.unexpected,
        resyncs: lastPoint.delivered.resyncs,
        server_cpu_ms_per_s: {
          without: round(writesWithout.serverCpuMsPerS),
          with: round(lastPoint.writes.serverCpuMsPerS),
        },
        cpu_per_stream_unit: 'ms of server CPU per second per open stream, while the writes run',
        event_loop_delay: { without: loopWithout, with: lastPoint.loop },
        rss_mb: { without_streams: rssWithoutMb },
        memory_per_stream: memoryGrowth,
        memory_unit:
          'KB per open stream: the server after a full collection with that many open, less with none, on the warmed-up server before the write phases',
        board: {
          without: pick(boardWithout),
          without_after_the_storm: pick(boardWithoutAfter),
          with: pick(boardWith),
        },
        save: {
          without: pick(writesWithout.saves),
          without_after_the_storm: pick(writesWithoutAfter.saves),
          with: pick(lastPoint.writes.saves),
        },
        nurse_write: {
          without: pick(writesWithout.nurseWrites),
          with: pick(lastPoint.writes.nurseWrites),
        },
        growth,
        storm: {
          streams: lastPoint.streams,
          settle_unit:
            "s from the new server's listening to the last stream's `connected` event from it",
          old_server_stopped_after_sigterm_s: seconds(sigterm, stopped),
          new_server_listening_after_stop_s: seconds(stopped, listening),
          settled_after_listening_s: seconds(listening, settled),
          settled_after_sigterm_s: seconds(sigterm, settled),
          streams_back: back.connectedSince,
          load_average_1min: { at_sigterm: loadAtStorm, after: loadAfterStorm },
          writes: stormDelivered.writes,
          board_events_written_while_away: stormDelivered.writtenWhileAway,
          board_events_missed_while_away: stormDelivered.missedWhileAway,
          refused_or_failed_writes:
            storm.saves.errors +
            storm.saves.non2xx +
            storm.nurseWrites.errors +
            storm.nurseWrites.non2xx,
          missed: stormDelivered.missed,
          duplicated: stormDelivered.duplicated,
          resyncs: stormDelivered.resyncs,
          unexpected_events: stormDelivered.unexpected,
          delivery: stormFigures,
        },
      },
    };
  } finally {
    for (const client of clients) client.stop();
    await server.stop();
    fs.rmSync(loopFile, { force: true });
  }
}

function pick(load: LoadResult) {
  return {
    p50_ms: load.p50_ms,
    p95_ms: load.p95_ms,
    p99_ms: load.p99_ms,
    rps: load.rps,
    count: load.count,
    non2xx: load.non2xx,
    errors: load.errors,
  };
}
