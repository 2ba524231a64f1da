/**
 * The first check on every API request, before tRPC parses anything (PRODUCT §7, OWASP ASVS V4.2/V13):
 *
 * - cross-site requests are refused (403): a foreign `Origin`, or `Sec-Fetch-Site: cross-site`. This
 *   covers queries and SSE GETs too, so another site's page can neither change nor read a ward's data
 *   with the nurse's cookie (SameSite=Strict already keeps the cookie off; this is the second wall);
 * - a POST must be `application/json` (415): an HTML form cannot send that type without CORS, so a
 *   form-based CSRF never reaches a procedure;
 * - a batch naming more procedures than the cap is refused (400) by counting commas in the path, before
 *   the path is decoded or any input is parsed;
 * - an input holding a `__proto__` key is refused (400): superjson drops such a key silently, so a
 *   procedure could not refuse it by name itself, and no input ever needs one.
 *
 * Which requests are API requests is decided on the path fastify routes, not the raw one: the router
 * decodes percent-escapes, so `/%74rpc/patient.get` reaches the same procedure as `/trpc/patient.get`
 * and must meet the same checks (and get the same `no-store`, headers.ts).
 */
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const API_PREFIX = '/trpc';
/** FHIR R4 (integration/fhir): patient data too, so the same guard and `no-store`. */
export const FHIR_PREFIX = '/fhir';
/** The most procedures one batched request may name; the web client's httpBatchLink uses maxItems 10. */
export const MAX_BATCH_SIZE = 10;

export interface RequestGuardOptions {
  /** Extra origins allowed besides the server's own, e.g. the Vite dev server `http://localhost:5173`. */
  readonly allowedOrigins: readonly string[];
  /** Host names the server answers for (OSSIWATCH_ALLOWED_HOSTS); empty: any. */
  readonly allowedHosts?: readonly string[];
}

/**
 * `OSSIWATCH_ALLOWED_ORIGINS`: a comma-separated list of origins (`scheme://host[:port]`). Anything that
 * is not an exact origin (a path, a wildcard) is refused at start-up rather than silently ignored.
 */
/**
 * The reverse proxies whose `X-Forwarded-For` names the real client (OSSIWATCH_TRUSTED_PROXIES: a
 * comma-separated list of addresses, CIDR ranges, or `loopback` / `linklocal` / `uniquelocal`).
 * Without it the client address is the TCP peer and the header is ignored, so nobody can choose the
 * address the sign-in limit and the audit trail see by sending the header themselves.
 */
export function trustedProxiesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const entries = (env.OSSIWATCH_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(entry);
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk =
      bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits && family !== 0);
    if (!named && (family === 0 || !bitsOk || rest.length > 0)) {
      throw new Error(
        `OSSIWATCH_TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`,
      );
    }
  }
  return entries;
}

/**
 * `OSSIWATCH_ALLOWED_HOSTS`: the names this server is reached by (comma-separated `host` or
 * `host:port`; an entry without a port allows any port). Required in production (main.ts): the
 * cross-site check compares `Origin` with `Host`, so a page on a DNS-rebound name would otherwise be
 * "same-origin" with itself; with the list such a request is refused before anything reads it.
 */
export function allowedHostsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.OSSIWATCH_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      if (
        !/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/.test(
          entry,
        )
      ) {
        throw new Error(
          `OSSIWATCH_ALLOWED_HOSTS: "${entry}" is not a host name or host:port like ward.example.org`,
        );
      }
      return entry;
    });
}

/** True when the Host header names one of the allowed hosts (any port for an entry without one). */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (!host) return false;
  const name = host.trim().toLowerCase();
  const withoutPort = name.replace(/:\d+$/, '');
  return allowed.some((entry) => entry === name || entry === withoutPort);
}

export function allowedOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const text = env.OSSIWATCH_ALLOWED_ORIGINS ?? '';
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      let origin: string;
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = 'null';
      }
      if (origin === 'null' || origin !== entry.replace(/\/$/, '')) {
        throw new Error(
          `OSSIWATCH_ALLOWED_ORIGINS: "${entry}" is not an origin like http://localhost:5173`,
        );
      }
      return origin;
    });
}

/** The origin this request was addressed to, as the browser sees it: scheme and Host header. */
function ownOrigin(request: FastifyRequest): string | undefined {
  const host = request.headers.host;
  if (!host) return undefined;
  try {
    return new URL(`${request.protocol}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/** Why a request is refused as cross-site, or undefined when it may proceed. */
export function crossSiteRefusal(
  request: FastifyRequest,
  allowed: ReadonlySet<string>,
): string | undefined {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') return 'Cross-site request refused';
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  let requestOrigin: string;
  try {
    requestOrigin = new URL(origin).origin;
  } catch {
    return 'Cross-origin request refused';
  }
  // "null" (sandboxed frames, file: pages) parses to the opaque origin "null": never ours.
  if (requestOrigin === 'null') return 'Cross-origin request refused';
  if (requestOrigin === ownOrigin(request) || allowed.has(requestOrigin)) return undefined;
  return 'Cross-origin request refused';
}

function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

function startsWithApiPrefix(path: string): boolean {
  return [API_PREFIX, FHIR_PREFIX].some(
    (prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`),
  );
}

/**
 * True when the request goes to the API: the route fastify matched is under `/trpc` (the tRPC plugin's
 * `/trpc/:path` or the board's fast path) or `/fhir`, or the decoded path is (a request no route matched, whose
 * 404 must still not be cached). Raw and decoded are both looked at, so no spelling of the prefix
 * escapes the guard.
 */
export function isApiRequest(request: FastifyRequest): boolean {
  const routed = request.routeOptions.url;
  if (routed !== undefined && startsWithApiPrefix(routed)) return true;
  const raw = request.url.split('?', 1)[0] ?? '';
  if (startsWithApiPrefix(raw)) return true;
  if (!raw.includes('%')) return false;
  try {
    return startsWithApiPrefix(decodeURIComponent(raw));
  } catch {
    // A malformed escape is routed nowhere; refuse to guess and treat it as the API.
    return true;
  }
}

/** How many procedures the path names (a batch is `a.b,c.d,…`), counted without decoding it fully. */
function procedureCount(url: string): number {
  // The prefix holds no comma however it is spelt, so the whole raw path can be counted.
  const path = url.split('?', 1)[0] ?? '';
  let count = 1;
  for (let i = 0; i < path.length; i += 1) {
    if (path.charCodeAt(i) === 44 /* , */) count += 1;
  }
  // An encoded comma (%2C) is decoded by the router before tRPC splits on it.
  const encoded = path.match(/%2c/gi);
  return count + (encoded?.length ?? 0);
}

/** True when this JSON text has an object key `__proto__`, however it is escaped. */
export function hasProtoKey(text: string): boolean {
  // An escaped key (`"\u005f_proto__"`) needs a `\u`; without either, there is none to find.
  if (!text.includes('__proto__') && !text.includes('\\u')) return false;
  let found = false;
  try {
    JSON.parse(text, (key: string, value: unknown) => {
      if (key === '__proto__') found = true;
      return value;
    });
  } catch {
    // Malformed JSON: tRPC answers it with its own parse error.
  }
  return found;
}

/** True for the FHIR routes, whose clients expect every error as an OperationOutcome. */
function isFhirRequest(request: FastifyRequest): boolean {
  const raw = request.url.split('?', 1)[0] ?? '';
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape: answered in the tRPC shape, as before.
  }
  return decoded === FHIR_PREFIX || decoded.startsWith(`${FHIR_PREFIX}/`);
}

function refuse(
  reply: FastifyReply,
  status: number,
  message: string,
  request?: FastifyRequest,
): void {
  void reply.code(status).header('cache-control', 'no-store');
  if (request && isFhirRequest(request)) {
    const code = status === 403 ? 'forbidden' : 'invalid';
    void reply.header('content-type', 'application/fhir+json; charset=utf-8').send(
      JSON.stringify({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code, diagnostics: message }],
      }),
    );
    return;
  }
  void reply.send({ error: message });
}

export function registerRequestGuard(app: FastifyInstance, options: RequestGuardOptions): void {
  const allowed = new Set(options.allowedOrigins);
  const hosts = options.allowedHosts ?? [];
  app.addHook('onRequest', (request, reply, done) => {
    // Every path, the web app's pages included; the health check stays reachable by address.
    if (
      hosts.length > 0 &&
      request.url !== '/healthz' &&
      !hostAllowed(request.headers.host, hosts)
    ) {
      refuse(reply, 421, 'This server does not answer for that host name');
      return;
    }
    if (!isApiRequest(request)) {
      done();
      return;
    }
    const url = request.url;
    const crossSite = crossSiteRefusal(request, allowed);
    if (crossSite) {
      refuse(reply, 403, crossSite, request);
      return;
    }
    if (request.method === 'POST' && !isJson(request.headers['content-type'])) {
      refuse(reply, 415, 'API requests must be sent as application/json', request);
      return;
    }
    if (procedureCount(url) > MAX_BATCH_SIZE) {
      refuse(reply, 400, `A batch may name at most ${MAX_BATCH_SIZE} procedures`, request);
      return;
    }
    done();
  });
  app.addHook('preHandler', (request, reply, done) => {
    if (!isApiRequest(request)) {
      done();
      return;
    }
    const body = typeof request.body === 'string' ? request.body : '';
    const input = (request.query as { input?: unknown } | undefined)?.input;
    if (hasProtoKey(body) || (typeof input === 'string' && hasProtoKey(input))) {
      refuse(reply, 400, 'input: a "__proto__" key is not accepted', request);
      return;
    }
    done();
  });
}
