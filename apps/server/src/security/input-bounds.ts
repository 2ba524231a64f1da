/**
 * Every string and array a procedure accepts must have a maximum length (PRODUCT §7 "input sizes
 * bounded", OWASP ASVS V5.1.4): the body limit caps one request at 1 MB, but a 1 MB string still costs
 * parsing, storage and audit space, and an unbounded array multiplies the work per element. This walks
 * a zod 4 schema and names every place without a bound; a test runs it over every procedure.
 */
import type { z } from 'zod';

type Schema = z.core.$ZodType;

interface CheckDef {
  readonly check?: string;
  readonly maximum?: number;
}

function checksOf(schema: Schema): CheckDef[] {
  const checks = (schema._zod.def as { checks?: readonly z.core.$ZodCheck[] }).checks ?? [];
  return checks.map((check) => check._zod.def as CheckDef);
}

function hasMaxLength(schema: Schema): boolean {
  return checksOf(schema).some(
    (check) => check.check === 'max_length' || check.check === 'length_equals',
  );
}

/** String formats whose anchored pattern admits only short strings (`z.iso.date()` is 10 characters). */
const FIXED_LENGTH_FORMATS = new Set(['date', 'uuid', 'guid', 'ipv4']);

/** The paths (e.g. `readings[].site`) of strings and arrays with no maximum length, and of any/unknown. */
export function unboundedInputs(
  schema: Schema,
  path = 'input',
  seen = new Set<Schema>(),
): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  const inner = (child: unknown, at: string): string[] =>
    unboundedInputs(child as Schema, at, seen);
  switch (def.type) {
    case 'string':
      return hasMaxLength(schema) || FIXED_LENGTH_FORMATS.has(String(def.format))
        ? []
        : [`${path} (string without max)`];
    case 'array': {
      const own = hasMaxLength(schema) ? [] : [`${path} (array without max)`];
      return [...own, ...inner(def.element, `${path}[]`)];
    }
    case 'set':
    case 'map':
      return [`${path} (${def.type}: use a bounded array)`];
    case 'any':
    case 'unknown':
      return [`${path} (${def.type}: unchecked)`];
    case 'object': {
      const shape = def.shape as Record<string, Schema>;
      const fields = Object.entries(shape).flatMap(([key, child]) =>
        inner(child, `${path}.${key}`),
      );
      const catchall = def.catchall as Schema | undefined;
      const rest =
        catchall && catchall._zod.def.type !== 'never' ? inner(catchall, `${path}.*`) : [];
      return [...fields, ...rest];
    }
    case 'record':
      return [...inner(def.keyType, `${path}{key}`), ...inner(def.valueType, `${path}{}`)];
    case 'tuple':
      return (def.items as Schema[]).flatMap((item, i) => inner(item, `${path}[${i}]`));
    case 'union':
      return (def.options as Schema[]).flatMap((option) => inner(option, path));
    case 'intersection':
      return [...inner(def.left, path), ...inner(def.right, path)];
    case 'pipe':
      // What the client sends is checked by the input side; the output side only sees its result.
      return inner(def.in, path);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return inner(def.innerType, path);
    case 'lazy':
      return inner((def.getter as () => Schema)(), path);
    default:
      // number, int, boolean, date, enum, literal, null, undefined, never, void, bigint, nan, …:
      // fixed-size values.
      return [];
  }
}

/** Every procedure of a router with its input schemas (a procedure may chain several `.input()`). */
export function procedureInputs(router: {
  _def: { procedures: Record<string, unknown> };
}): Array<{ path: string; inputs: Schema[] }> {
  return Object.entries(router._def.procedures).map(([path, procedure]) => {
    const def = (procedure as { _def: { inputs?: unknown[] } })._def;
    return { path, inputs: (def.inputs ?? []) as Schema[] };
  });
}
