/**
 * The ward board's common case without tRPC's request machinery.
 *
 * Every nurse's and therapist's screen asks for its ward's board, and asks again at each change, so
 * `GET /trpc/ward.board?input=…` is the busiest request OssiWatch serves (PRODUCT §9: 32 clients on a
 * 30-bed ward at p95 ≤ 25 ms). tRPC's adapter turns each request into a Fetch `Request` and its answer
 * into a `Response` stream; for a board already built (board-cache.ts) that conversion, and writing
 * the same 40–60 KB of JSON again for every reader, were most of the request's cost.
 *
 * This path answers only the plain success: an unbatched GET with a superjson input of just
 * `{ wardId }`, a live session of a clinician (CLINICAL_ROLES) assigned to that ward, and a ward
 * that exists. It uses the same session check (`resumeSession`), the same input schema, the same
 * cached board and the same audit row as the procedure, and answers with the bytes tRPC would send.
 * Anything else, from a missing cookie to a foreign ward, returns `null` and the request goes to
 * tRPC, which refuses it with its usual error and audit row.
 */
import type { FastifyRequest } from 'fastify';
import { gzipSync } from 'node:zlib';
import { resumeSession } from './auth/sessions.ts';
import type { WardBoard } from './board.ts';
import { cachedWardBoard } from './board-cache.ts';
import type { OssiwatchDb } from './db/client.ts';
import { auditBoardRead, wardBoardInput } from './routers/ward.ts';
import { transformer } from './transformer.ts';
import { CLINICAL_ROLES } from './trpc.ts';
import { superjsonQueryInput } from './query-input.ts';

/**
 * The response body tRPC sends for a board, `{"result":{"data":<serialized>}}`, kept per board as
 * UTF-8 bytes (a string would be encoded again at every write to the socket), and gzipped once for
 * the browsers that accept it: a 30-bed board of 40–60 KB goes out in about a seventh of that.
 */
interface BoardBody {
  readonly identity: Buffer;
  gzip?: Buffer;
}
const bodies = new WeakMap<WardBoard, BoardBody>();

export interface BoardAnswer {
  readonly body: Buffer;
  readonly gzipped: boolean;
}

function answerOf(board: WardBoard, acceptsGzip: boolean): BoardAnswer {
  let body = bodies.get(board);
  if (body === undefined) {
    const text = JSON.stringify({ result: { data: transformer.serialize(board) } });
    body = { identity: Buffer.from(text, 'utf8') };
    bodies.set(board, body);
  }
  if (!acceptsGzip) return { body: body.identity, gzipped: false };
  body.gzip ??= gzipSync(body.identity);
  return { body: body.gzip, gzipped: true };
}

/** True when `Accept-Encoding` lists gzip (or `*`) without refusing it with `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** The ward id of `?input=` when it is exactly superjson's `{"json":{"wardId":n}}`, else null. */
function wardIdOf(query: unknown): number | null {
  const parsed = wardBoardInput.safeParse(superjsonQueryInput(query, 200));
  return parsed.success ? parsed.data.wardId : null;
}

export interface FastBoardOptions {
  readonly db: OssiwatchDb;
  readonly now: () => Date;
  readonly cookieName: string;
}

/** A successful board answer, with its audit row queued; or null: let tRPC answer. */
export function fastBoardAnswer(
  request: FastifyRequest,
  options: FastBoardOptions,
): BoardAnswer | null {
  if (request.headers['trpc-accept'] !== undefined) return null;
  const wardId = wardIdOf(request.query);
  if (wardId === null) return null;
  const token = request.cookies[options.cookieName];
  if (!token) return null;
  const now = options.now();
  const session = resumeSession(options.db, token, now);
  if (!session) return null;
  const { user } = session;
  if (!user.roles.some((role) => (CLINICAL_ROLES as readonly string[]).includes(role))) {
    return null;
  }
  if (!user.wardIds.includes(wardId)) return null;
  const board = cachedWardBoard(options.db, wardId, now);
  if (!board) return null;
  auditBoardRead(options.db, now, user, request.ip, board);
  return answerOf(board, acceptsGzip(request.headers['accept-encoding']));
}
