/**
 * A client process of the live benchmark (forked by live.ts): holds its share of the ward boards' live
 * streams the way the web app opens them (`GET /trpc/ward.onChange?input=…`, server-sent events, the
 * session cookie, the `tracked()` id of the last event passed back as `lastEventId` on reconnecting),
 * and notes when each event arrived on the host's one wall clock (performance.timeOrigin + now()), so
 * that the writer's acknowledgement times in another process compare with them.
 */
import http from 'node:http';
import superjson from 'superjson';

export interface StreamSpec {
  readonly id: number;
  readonly wardId: number;
  readonly cookie: string;
}

export type ToClient =
  | { readonly type: 'open'; readonly origin: string; readonly streams: readonly StreamSpec[] }
  | {
      readonly type: 'status';
      /** Count the streams whose `connected` event came after this time (ms since the epoch). */
      readonly since?: number;
    }
  | { readonly type: 'collect' }
  /** Ends every stream (the boards leave) and forgets them; the process stays for the next ones. */
  | { readonly type: 'leave' }
  | { readonly type: 'close' };

/** One delivered event: [event id, patient id (or null), kind, arrival time in ms since the epoch]. */
export type Delivery = [string, number | null, string, number];

export interface StreamLog {
  readonly id: number;
  readonly wardId: number;
  readonly deliveries: Delivery[];
  /** Events received a second time with an id this stream had already seen. */
  duplicates: number;
  /** `resync` events: the server could not replay what was missed. */
  resyncs: number;
  /** When the stream was (re)connected: the `connected` event's arrival times. */
  readonly connectedAt: number[];
  /** When a connected stream was seen to end (the server closed it, or the connection broke). */
  readonly droppedAt: number[];
  /** Connection attempts that failed (refused, reset, an error status). */
  failedAttempts: number;
}

export type FromClient =
  | { readonly type: 'opened'; readonly streams: number }
  | {
      readonly type: 'status';
      readonly connected: number;
      readonly total: number;
      /** Streams connected again after `since`, and when the last of them did (its first time). */
      readonly connectedSince: number;
      readonly lastConnectedSince: number;
      /** This process's CPU time so far (user + system), in ms. */
      readonly cpuMs: number;
    }
  | { readonly type: 'logs'; readonly logs: StreamLog[] }
  | { readonly type: 'left' };

/** The host's wall clock in ms with sub-millisecond resolution, comparable between processes. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/**
 * Reconnection after a dropped stream, as the web app does it: full jitter over an exponential
 * back-off (0–0.5 s, 0–1 s, 0–2 s, then 0–4 s), so a thousand boards do not knock at once.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(4000, 500 * 2 ** attempt);
}

class LiveStream {
  readonly log: StreamLog;
  private readonly seen = new Set<string>();
  private lastEventId: string | null = null;
  private request: http.ClientRequest | null = null;
  private attempt = 0;
  connected = false;
  private closing = false;

  constructor(
    private readonly origin: URL,
    private readonly spec: StreamSpec,
    private readonly onConnected: () => void,
  ) {
    this.log = {
      id: spec.id,
      wardId: spec.wardId,
      deliveries: [],
      duplicates: 0,
      resyncs: 0,
      connectedAt: [],
      droppedAt: [],
      failedAttempts: 0,
    };
  }

  open(): void {
    const input = superjson.serialize({
      wardId: this.spec.wardId,
      ...(this.lastEventId ? { lastEventId: this.lastEventId } : {}),
    });
    const request = http.request({
      host: this.origin.hostname,
      port: this.origin.port,
      method: 'GET',
      path: `/trpc/ward.onChange?input=${encodeURIComponent(JSON.stringify(input))}`,
      headers: { cookie: this.spec.cookie, accept: 'text/event-stream' },
      agent: false,
    });
    this.request = request;
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        this.dropped(true);
        return;
      }
      response.setEncoding('utf8');
      let pending = '';
      response.on('data', (chunk: string) => {
        pending += chunk;
        let end = pending.indexOf('\n\n');
        while (end !== -1) {
          this.message(pending.slice(0, end));
          pending = pending.slice(end + 2);
          end = pending.indexOf('\n\n');
        }
      });
      response.on('end', () => this.dropped(false));
      response.on('error', () => this.dropped(false));
    });
    request.on('error', () => this.dropped(true));
    request.end();
  }

  private message(text: string): void {
    let event = 'message';
    let id: string | null = null;
    let data = '';
    for (const line of text.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data += value;
    }
    const at = wallNow();
    if (event === 'connected') {
      this.connected = true;
      this.attempt = 0;
      this.log.connectedAt.push(at);
      this.onConnected();
      return;
    }
    if (event !== 'message' || id === null) return;
    this.lastEventId = id;
    if (this.seen.has(id)) {
      this.log.duplicates += 1;
      return;
    }
    this.seen.add(id);
    const parsed = JSON.parse(data) as { json?: { patientId: number | null; kind: string } };
    const value = (parsed.json ?? parsed) as { patientId: number | null; kind: string };
    if (value.kind === 'resync') this.log.resyncs += 1;
    this.log.deliveries.push([id, value.patientId, value.kind, at]);
  }

  private dropped(failedAttempt: boolean): void {
    if (this.request === null) return;
    this.request.destroy();
    this.request = null;
    if (this.connected) this.log.droppedAt.push(wallNow());
    this.connected = false;
    if (failedAttempt) this.log.failedAttempts += 1;
    if (this.closing) return;
    const delay = reconnectDelayMs(this.attempt);
    this.attempt += 1;
    setTimeout(() => this.open(), delay);
  }

  reset(): void {
    this.log.deliveries.length = 0;
    this.log.connectedAt.length = 0;
    this.log.droppedAt.length = 0;
    this.log.duplicates = 0;
    this.log.resyncs = 0;
    this.log.failedAttempts = 0;
  }

  close(): void {
    this.closing = true;
    this.request?.destroy();
    this.request = null;
  }
}

const streams: LiveStream[] = [];
let waitingForOpen = 0;

function send(message: FromClient): void {
  process.send?.(message);
}

process.on('message', (message: ToClient) => {
  switch (message.type) {
    case 'open': {
      const origin = new URL(message.origin);
      waitingForOpen = message.streams.length;
      for (const spec of message.streams) {
        let first = true;
        const stream = new LiveStream(origin, spec, () => {
          if (!first) return;
          first = false;
          waitingForOpen -= 1;
          if (waitingForOpen === 0) send({ type: 'opened', streams: streams.length });
        });
        streams.push(stream);
        stream.open();
      }
      break;
    }
    case 'status': {
      const since = message.since ?? Number.POSITIVE_INFINITY;
      const firstSince = streams
        .map((stream) => stream.log.connectedAt.find((at) => at > since))
        .filter((at) => at !== undefined);
      const cpu = process.cpuUsage();
      send({
        type: 'status',
        connected: streams.filter((stream) => stream.connected).length,
        total: streams.length,
        connectedSince: firstSince.length,
        lastConnectedSince: Math.max(0, ...firstSince),
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
      break;
    }
    case 'collect':
      // What arrived since the last collection; the next phase starts from empty logs.
      send({ type: 'logs', logs: streams.map((stream) => stream.log) });
      for (const stream of streams) stream.reset();
      break;
    case 'leave':
      for (const stream of streams.splice(0)) stream.close();
      send({ type: 'left' });
      break;
    case 'close':
      for (const stream of streams) stream.close();
      process.disconnect?.();
      break;
  }
});

// The benchmark that forked this process has gone (finished or failed): so do its streams.
process.on('disconnect', () => process.exit(0));
