import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountChanges, adminProblemText, parseBedLabels, problemField } from './admin.utils.ts';

describe('adminProblemText', () => {
  it('tells a taken name as a refusal naming the field, not as a concurrent edit', () => {
    expect(adminProblemText('CONFLICT', 'name: "Ward C" exists')).toBe(
      'Not saved: name: "Ward C" exists',
    );
  });

  it('asks to reload on a version conflict', () => {
    expect(
      adminProblemText(
        'CONFLICT',
        'user was changed by someone else (now version 3); reload it and try again',
      ),
    ).toMatch(/^Someone else changed this record/);
  });

  it('keeps the server reason for a bad password', () => {
    expect(adminProblemText('BAD_REQUEST', 'password: must be at least 12 characters')).toBe(
      'Not saved: password: must be at least 12 characters',
    );
  });
});

describe('problemField', () => {
  it('finds the field a refusal names', () => {
    expect(problemField('password: must be at least 12 characters')).toBe('password');
    expect(problemField('bedId: bed 3 is occupied; move the patient first')).toBe('bedId');
    expect(problemField('No such ward.')).toBeUndefined();
  });
});

describe('parseBedLabels', () => {
  it('trims and drops blanks', () => {
    expect(parseBedLabels(' 1, 2 ,, 3A ,')).toEqual(['1', '2', '3A']);
    expect(parseBedLabels('   ')).toEqual([]);
  });
});

describe('accountChanges', () => {
  it('ignores order and sees an added or removed value', () => {
    expect(accountChanges(['nurse', 'admin'], ['admin', 'nurse'])).toBe(false);
    expect(accountChanges([1, 2], [1])).toBe(true);
    expect(accountChanges([1], [1, 3])).toBe(true);
  });

  it('a list never differs from itself reordered, and always from itself plus a new value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 })), (values) => {
        expect(accountChanges(values, [...values].reverse())).toBe(false);
        expect(accountChanges(values, [...values, -1])).toBe(true);
      }),
    );
  });
});
