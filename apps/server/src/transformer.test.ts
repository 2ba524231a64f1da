import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { isPlainJson, transformer } from './transformer.ts';

describe('transformer', () => {
  it('gives what superjson gives for any tree of values, Dates and undefined included', () => {
    fc.assert(
      fc.property(
        fc.anything({ withDate: true, withMap: true, withSet: true, withBigInt: true }),
        (value) => {
          let expected: ReturnType<typeof superjson.serialize>;
          try {
            expected = superjson.serialize(value);
          } catch {
            // superjson refuses keys such as `prototype` (prototype-pollution guard); the server's
            // results are built by the server and never carry them, so there is nothing to compare.
            return;
          }
          expect(transformer.serialize(value)).toEqual(expected);
        },
      ),
    );
  });

  it('round-trips a board-like result through the browser side', () => {
    const board = {
      ward: { id: 3, name: 'Spinal Injuries Unit' },
      patients: [
        { patientId: 1, bed: null, reasons: [{ rule: 'rom_loss', evidence: [{ degrees: -5 }] }] },
      ],
    };
    expect(
      superjson.deserialize(
        JSON.parse(JSON.stringify(transformer.serialize(board))) as Parameters<
          typeof superjson.deserialize
        >[0],
      ),
    ).toEqual(board);
  });

  it('sends Dates, undefined, NaN and -0 through superjson', () => {
    for (const value of [new Date(0), { a: undefined }, [Number.NaN], -0, { d: new Date(0) }]) {
      expect(isPlainJson(value)).toBe(false);
    }
    expect(superjson.deserialize(transformer.serialize({ at: new Date(0) }))).toEqual({
      at: new Date(0),
    });
  });
});
