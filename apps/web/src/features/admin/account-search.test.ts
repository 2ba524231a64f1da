import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchCountText, searchAccounts, type SearchableAccount } from './account-search.ts';

const WARDS = new Map([
  [1, 'Neurorehabilitation A'],
  [2, 'Ward 2'],
]);
const wardName = (id: number): string => WARDS.get(id) ?? `ward ${id}`;

const account = (
  username: string,
  displayName: string,
  roles: string[],
  wardIds: number[],
  disabled = false,
): SearchableAccount => ({ username, displayName, roles, wardIds, disabled });

const ACCOUNTS = [
  account('tina.ng', 'Tina Ng', ['therapist'], [2]),
  account('nina', 'Nina Patel', ['nurse'], [1, 2]),
  account('jose', 'José Álvarez', ['physician'], [1]),
  account('root', 'Ada Admin', ['admin'], [], true),
];

const names = (query: string): string[] =>
  searchAccounts(ACCOUNTS, query, wardName).map((a) => a.username);

describe('searchAccounts', () => {
  it('finds a part of a name, in any case', () => {
    expect(names('ng')).toEqual(['tina.ng']);
    expect(names('TIN')).toEqual(['tina.ng']);
    expect(names('pat')).toEqual(['nina']);
  });

  it('finds by username, role, ward name and state', () => {
    expect(names('jose')).toEqual(['jose']);
    expect(names('therap')).toEqual(['tina.ng']);
    expect(names('doctor')).toEqual(['jose']);
    expect(names('neuro')).toEqual(['nina', 'jose']);
    expect(names('disabled')).toEqual(['root']);
  });

  it('ignores accents and needs every word to match', () => {
    expect(names('alvarez')).toEqual(['jose']);
    expect(names('nurse ward 2')).toEqual(['nina']);
    expect(names('nurse neuro tina')).toEqual([]);
  });

  it('finds everything for an empty query and never invents or reorders', () => {
    expect(names('   ')).toEqual(ACCOUNTS.map((a) => a.username));
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), (query) => {
        const found = searchAccounts(ACCOUNTS, query, wardName);
        const order = found.map((a) => ACCOUNTS.indexOf(a));
        expect(order.every((i) => i >= 0)).toBe(true);
        expect(order).toEqual([...order].sort((x, y) => x - y));
      }),
    );
  });

  it('always finds an account by its own username', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACCOUNTS), (a) => {
        expect(searchAccounts(ACCOUNTS, a.username.toUpperCase(), wardName)).toContain(a);
      }),
    );
  });
});

describe('matchCountText', () => {
  it('says how many accounts the search finds', () => {
    expect(matchCountText(64, 64, '')).toBe('64 accounts');
    expect(matchCountText(1, 64, ' ng ')).toBe('1 of 64 accounts matches “ng”');
    expect(matchCountText(3, 64, 'nurse')).toBe('3 of 64 accounts match “nurse”');
    expect(matchCountText(0, 64, 'zz')).toBe('No account matches “zz” (of 64)');
  });
});
