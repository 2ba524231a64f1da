/**
 * The order of bed labels on the board: natural ("SIU-2" before "SIU-10"), the order of the server's
 * board (`bedOrder` in apps/server/src/board.ts, an English numeric collator), so a row merged by a
 * live update lands where the server would have put it, whatever the browser's language.
 *
 * Bed labels are nearly always letters, digits, hyphens and spaces. For those the order is computed
 * here, the way the collator orders them (property-tested against it in bed-order.test.ts): the page
 * then sorts its first board without building an `Intl.Collator`, whose first construction in a
 * fresh page (loading the collation data) cost some 35 ms of the main thread before the rows could
 * show (PRODUCT §9: board interactive ≤ 1 s). Any other label is left to the collator itself.
 */

const SIMPLE_LABEL = /^[0-9A-Za-z -]*$/;

let collator: Intl.Collator | undefined;

/** The weight class of a character at the collator's first level: space, hyphen, digit, letter. */
function classOf(code: number): number {
  if (code === 32) return 0;
  if (code === 45) return 1;
  if (code >= 48 && code <= 57) return 2;
  return 3;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The end of the run of digits starting at `start`. */
function digitsEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && isDigit(text.charCodeAt(end))) end += 1;
  return end;
}

/** Compares two runs of digits by their value (leading zeros do not count, as in the collator). */
function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Lower case folded to upper: letters compared without their case. */
function folded(code: number): number {
  return code >= 97 && code <= 122 ? code - 32 : code;
}

function compareSimple(a: string, b: string): number {
  // First level: the characters without their case, each run of digits as one number.
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      const endA = digitsEnd(a, i);
      const endB = digitsEnd(b, j);
      const byValue = compareNumbers(a.slice(i, endA), b.slice(j, endB));
      if (byValue !== 0) return byValue;
      i = endA;
      j = endB;
      continue;
    }
    const byClass = classOf(x) - classOf(y);
    if (byClass !== 0) return byClass < 0 ? -1 : 1;
    const byLetter = folded(x) - folded(y);
    if (byLetter !== 0) return byLetter < 0 ? -1 : 1;
    i += 1;
    j += 1;
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  // Equal but for case (or leading zeros): the first letter whose case differs decides, lower first.
  i = 0;
  j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (isDigit(x) && isDigit(y)) {
      i = digitsEnd(a, i);
      j = digitsEnd(b, j);
      continue;
    }
    if (x !== y) return x > y ? -1 : 1;
    i += 1;
    j += 1;
  }
  return 0;
}

/** Negative when bed `a` comes before bed `b`, positive after, 0 when they sort together. */
export function compareBeds(a: string, b: string): number {
  if (SIMPLE_LABEL.test(a) && SIMPLE_LABEL.test(b)) return compareSimple(a, b);
  collator ??= new Intl.Collator('en', { numeric: true });
  return collator.compare(a, b);
}
