/**
 * The tRPC transformer: superjson, with a fast path for results that are plain JSON already.
 *
 * superjson walks every value to record Dates, Maps, undefined and the like, building a path for
 * each; on a ward board (≈60 KB of reasons and evidence, none of them Dates) that walk cost more CPU
 * than the board's SQL and its assembly together (the benchmark's profile). A plain-JSON value
 * serialises to `{ json: value }` with no `meta`, which is exactly what superjson itself produces for
 * it, so the browser's `superjson.deserialize` reads both alike. Anything else goes through superjson.
 * (One difference: an object referenced twice in a result arrives as two equal copies, not as one.)
 */
import superjson from 'superjson';

/** True when `value` survives JSON unchanged: null, booleans, finite numbers, strings, arrays, plain objects. */
export function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      // NaN, ±Infinity and -0 need superjson's annotations.
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (!isPlainJson(item, depth + 1)) return false;
        return true;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return false;
      for (const key in value) {
        if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      // undefined, bigint, symbol, function
      return false;
  }
}

export const transformer = {
  serialize(value: unknown): ReturnType<typeof superjson.serialize> {
    if (isPlainJson(value))
      return { json: value as ReturnType<typeof superjson.serialize>['json'] };
    return superjson.serialize(value);
  },
  deserialize<T = unknown>(payload: Parameters<typeof superjson.deserialize>[0]): T {
    return superjson.deserialize<T>(payload);
  },
};
