/**
 * The ward boards' live streams (`ward.onChange` over server-sent events) without tRPC's stream
 * machinery, for the common case.
 *
 * Every nurse station, wall screen and phone keeps its ward's board open all shift: hundreds to a
 * thousand open streams in a 40-ward hospital. Through tRPC's adapter each one holds a Fetch
 * `Request`, a chain of async generators and web streams (about 77 KB of heap per stream, measured),
 * and each event is serialised again and written in five pieces for every board that receives it.
 * Here a stream is one small record on its ward's list; an event is serialised once and the same
 * bytes are written to every board of the ward; pings and session re-checks run on one timer for all.
 * Events published in one turn of the event loop (a group commit's writes) are written to each
 * board together, once the turn ends: one write per board rather than one per event. Before they are
 * written, the sessions of all the ward's boards are checked in one statement; a board reconnecting with the same last id as others of its ward (a restart brings them all back at
 * once) is sent the same replay, read once.
 *
 * Only the plain success is served: an unbatched GET whose `input` is just the procedure's input, of
 * a live session of a clinician (CLINICAL_ROLES) assigned to the ward. It checks what the procedure
 * checks (`resumeSession`, the input schema, the role, the ward) and writes what tRPC would write:
 * the `connected` event with the client options, each event with its `tracked()` id, what was missed
 * since `lastEventId` (or `Last-Event-ID`) or a `resync`, pings, and the tRPC error when the session
 * ends (session-streams.ts's reasons, checked before every event and on a timer). Anything else
 * returns false and tRPC answers, with its usual refusal and audit row.
 */
import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { resumeSession } from '../../auth/sessions.ts';
import type { OssiwatchDb } from '../../db/client.ts';
import type { EventBus, WardEvent } from '../../events.ts';
import { appRouter } from '../../router.ts';
import { wardChangeInput } from '../../routers/ward.ts';
import {
  endError,
  SESSION_RECHECK_MS,
  sessionEndReasons,
  type SessionEndReason,
} from '../../security/session-streams.ts';
import { transformer } from '../../transformer.ts';
import { CLINICAL_ROLES } from '../../trpc.ts';
import type { SessionUser } from '../../users.ts';
import { superjsonQueryInput } from '../../query-input.ts';

const config = appRouter._def._config;
const PING_MS = config.sse?.ping?.intervalMs ?? 15_000;
const CONNECTED = `event: connected\ndata: ${JSON.stringify(config.sse?.client ?? {})}\n\n`;
const PING = 'event: ping\ndata: \n\n';
/**
 * The headers tRPC sends with a stream, and `connection: close`: a connection whose stream has ended
 * is not kept for another request (a board opens a new one anyway), so an idle keep-alive connection
 * cannot hold a shutdown until its keep-alive time runs out.
 */
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'close',
} as const;

interface Stream {
  readonly out: PassThrough;
  readonly res: ServerResponse;
  readonly wardId: number;
  readonly sessionId: string;
  readonly user: SessionUser;
  closed: boolean;
}

function frameOf(event: WardEvent): string {
  const data = JSON.stringify(
    transformer.serialize({ patientId: event.patientId, kind: event.kind }),
  );
  return `data: ${data}\nid: ${event.eventId}\n\n`;
}

/** `{ wardId, lastEventId? }` when the query is exactly `?input=<superjson of it>`, else null. */
function inputOf(query: unknown): { wardId: number; lastEventId?: string | null } | null {
  const parsed = wardChangeInput.safeParse(superjsonQueryInput(query, 300));
  return parsed.success ? parsed.data : null;
}

export interface WardStreamsOptions {
  readonly db: OssiwatchDb;
  readonly events: EventBus;
  readonly now: () => Date;
  readonly cookieName: string;
}

export class WardStreams {
  private readonly byWard = new Map<number, Set<Stream>>();
  /**
   * What was missed since an id, by ward and id, as the frames to send: boards of one ward coming
   * back together share one read. Forgotten at the next event, which would belong at its end.
   */
  private readonly replays = new Map<string, string>();
  /** Frames of this turn's events, by ward, not yet written to its boards. */
  private readonly pending = new Map<number, string>();
  private flushing: NodeJS.Immediate | undefined;
  private readonly timers: NodeJS.Timeout[];
  private readonly unsubscribe: () => void;

  constructor(private readonly options: WardStreamsOptions) {
    this.unsubscribe = options.events.subscribeBoards((event) => this.deliver(event));
    this.timers = [
      setInterval(() => this.everyStream((stream) => this.write(stream, PING)), PING_MS),
      setInterval(() => {
        for (const streams of [...this.byWard.values()]) this.holding(streams);
      }, SESSION_RECHECK_MS),
    ];
    for (const timer of this.timers) timer.unref();
  }

  /** How many boards are listening here. */
  get count(): number {
    let total = 0;
    for (const streams of this.byWard.values()) total += streams.size;
    return total;
  }

  /** Serves the request and returns true, or returns false (nothing sent): let tRPC answer. */
  open(request: FastifyRequest, reply: FastifyReply): boolean {
    if (request.headers['trpc-accept'] !== undefined) return false;
    const input = inputOf(request.query);
    if (input === null) return false;
    const token = request.cookies[this.options.cookieName];
    if (!token) return false;
    const session = resumeSession(this.options.db, token, this.options.now(), false);
    if (!session) return false;
    const { user, sessionId } = session;
    if (!user.roles.some((role) => (CLINICAL_ROLES as readonly string[]).includes(role))) {
      return false;
    }
    if (!user.wardIds.includes(input.wardId)) return false;
    // tRPC takes the browser's own reconnection header over the input's id, and so does this.
    const header = request.headers['last-event-id'];
    const lastEventId = (typeof header === 'string' ? header : null) ?? input.lastEventId ?? null;
    if (lastEventId !== null && (lastEventId.length > 64 || /[\0\n\r]/.test(lastEventId))) {
      return false;
    }

    const out = new PassThrough();
    const stream: Stream = {
      out,
      res: reply.raw,
      wardId: input.wardId,
      sessionId,
      user,
      closed: false,
    };
    // This turn's events go to the boards that were open when they were published; this one is sent
    // them with what it missed, if it asked. Registered before the missed events are read, with
    // nothing in between: none falls in the gap.
    this.flush();
    let streams = this.byWard.get(input.wardId);
    if (!streams) {
      streams = new Set();
      this.byWard.set(input.wardId, streams);
    }
    streams.add(stream);
    this.options.events.countBoard(1);
    const socket = request.raw.socket;
    const close = (): void => {
      this.remove(stream);
      // A board that left half-closes its side; the connection is of no further use, and kept
      // open it would hold a shutdown until its keep-alive time ran out.
      socket.destroy();
    };
    reply.raw.once('close', close);
    out.once('close', close);
    out.write(
      lastEventId === null ? CONNECTED : CONNECTED + this.replay(input.wardId, lastEventId),
    );
    void reply.code(200).headers(SSE_HEADERS).send(out);
    return true;
  }

  /**
   * Ends every stream (shutdown); the boards reconnect to the next server with their last ids, and
   * are sent from there whatever has not reached them yet.
   */
  close(): void {
    this.flush();
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe();
    this.everyStream((stream) => {
      this.remove(stream);
      stream.out.unpipe(stream.res);
      stream.res.end();
    });
  }

  /** The frames a board of the ward coming back with `lastEventId` is sent after `connected`. */
  private replay(wardId: number, lastEventId: string): string {
    const key = `${wardId}|${lastEventId}`;
    let frames = this.replays.get(key);
    if (frames === undefined) {
      const missed = this.options.events.missedSince(wardId, lastEventId) ?? [
        {
          eventId: this.options.events.latestEventId,
          wardId,
          patientId: null,
          kind: 'resync' as const,
        },
      ];
      frames = missed.map(frameOf).join('');
      this.replays.set(key, frames);
    }
    return frames;
  }

  private deliver(event: WardEvent): void {
    this.replays.clear();
    if (!this.byWard.has(event.wardId)) return;
    this.pending.set(event.wardId, (this.pending.get(event.wardId) ?? '') + frameOf(event));
    this.flushing ??= setImmediate(() => this.flush());
  }

  /** Writes this turn's events to the boards of their wards whose sessions still hold. */
  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    for (const [wardId, frames] of this.pending) {
      const streams = this.byWard.get(wardId);
      if (streams) for (const stream of this.holding(streams)) this.write(stream, frames);
    }
    this.pending.clear();
  }

  /**
   * The streams whose sessions still hold; the others are ended with tRPC's error. One check for
   * all of them, made just before the write, so no event leaves after a session ended even between
   * two timer ticks.
   */
  private holding(streams: ReadonlySet<Stream>): Stream[] {
    const open = [...streams].filter((stream) => !stream.closed);
    const reasons = sessionEndReasons(this.options.db, open, this.options.now());
    return open.filter((stream, i) => {
      const reason = reasons[i];
      if (reason === undefined) return true;
      this.end(stream, reason);
      return false;
    });
  }

  private end(stream: Stream, reason: SessionEndReason): void {
    const shape = getErrorShape({
      config,
      error: endError(reason),
      type: 'subscription',
      path: 'ward.onChange',
      input: { wardId: stream.wardId },
      ctx: undefined,
    });
    this.write(
      stream,
      `event: serialized-error\ndata: ${JSON.stringify(transformer.serialize(shape))}\n\n`,
    );
    stream.out.end();
    this.remove(stream);
  }

  private write(stream: Stream, text: string): void {
    if (stream.closed || stream.out.writableEnded) return;
    stream.out.write(text);
  }

  private remove(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    this.options.events.countBoard(-1);
    const streams = this.byWard.get(stream.wardId);
    streams?.delete(stream);
    if (streams?.size === 0) this.byWard.delete(stream.wardId);
  }

  private everyStream(visit: (stream: Stream) => void): void {
    for (const streams of [...this.byWard.values()]) {
      for (const stream of [...streams]) visit(stream);
    }
  }
}
