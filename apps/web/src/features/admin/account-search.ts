/**
 * Finding an account among many (a hospital has hundreds): by name, username, role or ward, partial
 * and case-insensitive. Every word typed must match somewhere, so "nurse ward 2" narrows to the
 * nurses of Ward 2.
 */

export interface SearchableAccount {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly wardIds: readonly number[];
  readonly disabled: boolean;
}

/** Lower case without accents, so "jose" finds "José". */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const ROLE_WORDS: Readonly<Record<string, string>> = {
  admin: 'admin administrator',
  manager: 'manager',
  nurse: 'nurse',
  therapist: 'therapist',
  physician: 'physician doctor',
};

/** The accounts every typed word finds (in name, username, a role or a ward name); order kept. */
export function searchAccounts<T extends SearchableAccount>(
  accounts: readonly T[],
  query: string,
  wardName: (wardId: number) => string,
): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...accounts];
  return accounts.filter((account) => {
    const haystack = fold(
      [
        account.displayName,
        account.username,
        ...account.roles.map((role) => ROLE_WORDS[role] ?? role),
        ...account.wardIds.map(wardName),
        account.disabled ? 'disabled' : 'active',
      ].join(' \u0000 '),
    );
    return words.every((word) => haystack.includes(word));
  });
}

/** What a screen reader hears after each keystroke: how many accounts the search finds. */
export function matchCountText(found: number, total: number, query: string): string {
  if (query.trim() === '') return `${total} ${total === 1 ? 'account' : 'accounts'}`;
  if (found === 0) return `No account matches “${query.trim()}” (of ${total})`;
  return `${found} of ${total} ${total === 1 ? 'account' : 'accounts'} ${found === 1 ? 'matches' : 'match'} “${query.trim()}”`;
}
