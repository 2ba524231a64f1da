import { describe, expect, it } from 'vitest';
import { storedTheme } from './theme.ts';

describe('storedTheme', () => {
  it('reads a remembered light or dark choice', () => {
    expect(storedTheme({ getItem: () => 'dark' })).toBe('dark');
    expect(storedTheme({ getItem: () => 'light' })).toBe('light');
  });
  it('follows the system when nothing, or something unknown, is stored', () => {
    expect(storedTheme({ getItem: () => null })).toBe('system');
    expect(storedTheme({ getItem: () => 'purple' })).toBe('system');
    expect(storedTheme(undefined)).toBe('system');
  });
  it('follows the system when storage refuses', () => {
    expect(
      storedTheme({
        getItem: () => {
          throw new Error('denied');
        },
      }),
    ).toBe('system');
  });
});
