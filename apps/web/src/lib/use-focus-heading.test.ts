import { describe, expect, it } from 'vitest';
import { focusIsAdrift } from './use-focus-heading.ts';

/** Just enough of an element for the check: whether it is on the page and whether it sits in the header. */
function element(options: { connected?: boolean; inHeader?: boolean } = {}): Element {
  const { connected = true, inHeader = false } = options;
  return {
    isConnected: connected,
    closest: (selector: string) => (selector === '.app-header' && inHeader ? {} : null),
  } as unknown as Element;
}

describe('focusIsAdrift', () => {
  const body = element();

  it('calls focus lost when it is nowhere, on the body, or on an element the old screen took away', () => {
    expect(focusIsAdrift(null, body, false)).toBe(true);
    expect(focusIsAdrift(body, body, true)).toBe(true);
    expect(focusIsAdrift(element({ connected: false }), body, true)).toBe(true);
  });

  it('moves focus on from the header link that led to the new screen', () => {
    expect(focusIsAdrift(element({ inHeader: true }), body, false)).toBe(true);
  });

  it('leaves focus the person put in the header after the heading had it (Sign out, the theme)', () => {
    expect(focusIsAdrift(element({ inHeader: true }), body, true)).toBe(false);
  });

  it('never takes focus from a field on the new screen', () => {
    expect(focusIsAdrift(element(), body, false)).toBe(false);
    expect(focusIsAdrift(element(), body, true)).toBe(false);
  });
});
