import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../../src/router.ts';
import { procedureInputs, unboundedInputs } from '../../src/security/input-bounds.ts';

/**
 * Inputs passed on as `unknown` to a stricter parser inside the procedure, each with that parser: the
 * list stays short and every entry is a decision someone can check.
 */
const CHECKED_INSIDE: Record<string, string> = {
  'admin.settings.update.settings{} (unknown: unchecked)':
    "parseHoWatchSettings (@ossiwatch/domain): a strict schema, unknown keys refused, each value's type and range checked",
};

describe('input bounds', () => {
  it('every string and array in every procedure input has a maximum length', () => {
    const procedures = procedureInputs(appRouter);
    expect(procedures.length).toBeGreaterThan(3);
    const unbounded = procedures.flatMap(({ path, inputs }) =>
      inputs.flatMap((schema) => unboundedInputs(schema, path)),
    );
    expect(unbounded.filter((finding) => !(finding in CHECKED_INSIDE))).toEqual([]);
  });

  it('finds what is unbounded, however deeply it is nested', () => {
    const schema = z.object({
      id: z.number().int(),
      name: z.string().min(1),
      note: z.string().max(200).nullish(),
      tags: z.array(z.string().max(20)),
      readings: z
        .array(z.object({ site: z.enum(['hip']), comment: z.string().optional() }))
        .max(50),
      when: z.union([z.date(), z.iso.datetime()]),
      code: z.string().length(4),
      trimmed: z
        .string()
        .trim()
        .max(10)
        .transform((s) => s.toUpperCase()),
      extra: z.record(z.string().max(8), z.unknown()),
    });
    expect(unboundedInputs(schema)).toEqual([
      'input.name (string without max)',
      'input.tags (array without max)',
      'input.readings[].comment (string without max)',
      'input.when (string without max)',
      'input.extra{} (unknown: unchecked)',
    ]);
  });
});
