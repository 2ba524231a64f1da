import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBeds } from './bed-order.ts';

const collator = new Intl.Collator('en', { numeric: true });
const sign = (n: number): number => Math.sign(n);

describe('compareBeds', () => {
  it('walks the beds in number order, then by letter', () => {
    const beds = ['SIU-10', 'SIU-2', 'b 1', 'SIU-1', '2B', '10', '2a', 'SIU-02', 'A'];
    expect([...beds].sort(compareBeds)).toEqual([
      '2a',
      '2B',
      '10',
      'A',
      'b 1',
      'SIU-1',
      'SIU-2',
      'SIU-02',
      'SIU-10',
    ]);
  });

  it('orders labels of letters, digits, hyphens and spaces exactly as the server’s collator', () => {
    const label = fc.stringMatching(/^[0-9A-Za-z -]{0,8}$/);
    const near = fc.stringMatching(/^[0aAbB1 -]{0,6}$/);
    fc.assert(
      fc.property(fc.oneof(label, near), fc.oneof(label, near), (a, b) => {
        expect(sign(compareBeds(a, b))).toBe(sign(collator.compare(a, b)));
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves any other label to the collator', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        expect(sign(compareBeds(a, b))).toBe(sign(collator.compare(a, b)));
      }),
    );
    expect(sign(compareBeds('Bett Ä', 'Bett B'))).toBe(-1);
  });
});
