import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACTION_WORDS,
  actionFilterGroups,
  actionWords,
  describeAuditEntry,
  type AuditEntryWordsInput,
} from './audit-words.ts';

const tina = { displayName: 'Tina Ng', roles: ['therapist'] };

function entry(overrides: Partial<AuditEntryWordsInput>): AuditEntryWordsInput {
  return {
    action: 'rom.recordSession',
    username: 'tina.ng',
    patientId: 7,
    outcome: 'success',
    wardName: 'Ward 2',
    actor: tina,
    ...overrides,
  };
}

/** Every action name written as a string literal in the server's source (tests left out). */
function serverActions(): Set<string> {
  const root = path.resolve(import.meta.dirname, '../../../../server/src');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
  );
  const prefixes =
    'auth|access|patient|rom|therapy|nursing|complication|imaging|diagnosis|intervention|bleedingRisk|records|ward|rates|admin|audit|cli|hl7|fhir';
  // An action ends in a letter; 'admin.users.' is a prefix the server matches on, not an action.
  const literal = new RegExp(`'((?:${prefixes})\\.[A-Za-z.:$]*[A-Za-z])'`, 'g');
  const found = new Set<string>();
  for (const file of files) {
    const source = readFileSync(path.join(root, file), 'utf8');
    for (const match of source.matchAll(literal)) if (match[1]) found.add(match[1]);
  }
  return found;
}

describe('describeAuditEntry', () => {
  it('tells a ROM session as the ward would say it', () => {
    expect(describeAuditEntry(entry({}))).toBe(
      'Therapist Tina Ng recorded a ROM session for patient no. 7 on Ward 2.',
    );
  });

  it('names the role the action is done in when the account holds several', () => {
    const both = { displayName: 'Tina Ng', roles: ['nurse', 'therapist'] };
    expect(describeAuditEntry(entry({ actor: both }))).toMatch(/^Therapist Tina Ng /);
    // Reading a record is done in any clinical role: the name alone, no guessed title.
    expect(describeAuditEntry(entry({ actor: both, action: 'patient.get' }))).toBe(
      'Tina Ng opened the record of patient no. 7 on Ward 2.',
    );
  });

  it('tells refusals and failures apart from what was done', () => {
    expect(describeAuditEntry(entry({ outcome: 'denied', wardName: null }))).toBe(
      'Therapist Tina Ng was refused: tried to record a ROM session for patient no. 7.',
    );
    expect(
      describeAuditEntry(
        entry({
          action: 'auth.login',
          actor: null,
          username: 'bob',
          patientId: null,
          wardName: null,
          outcome: 'failure',
        }),
      ),
    ).toBe('Account “bob” tried to sign in, and it failed.');
  });

  it('puts a ward-level action on its ward, and never says "on" twice', () => {
    expect(describeAuditEntry(entry({ action: 'ward.board', patientId: null }))).toBe(
      'Therapist Tina Ng viewed the board of Ward 2.',
    );
  });

  it('names the hospital interface and the operator when no person acted', () => {
    expect(
      describeAuditEntry(entry({ action: 'hl7.ADT^A01', actor: null, username: 'hl7:PAS' })),
    ).toBe(
      'The hospital interface (PAS) applied an admission message for patient no. 7 on Ward 2.',
    );
    expect(
      describeAuditEntry(
        entry({ action: 'seed', actor: null, username: null, patientId: null, wardName: null }),
      ),
    ).toBe('An operator loaded the demo hospital.');
  });

  it('names the account an administrator acted on, or says "an account" when it is not known', () => {
    const admin = { displayName: 'Ada Lee', roles: ['admin'] };
    const disabled = entry({
      action: 'admin.users.disable',
      actor: admin,
      patientId: null,
      wardName: null,
      account: 'nina',
    });
    expect(describeAuditEntry(disabled)).toBe('Administrator Ada Lee disabled account “nina”.');
    expect(describeAuditEntry({ ...disabled, account: null })).toBe(
      'Administrator Ada Lee disabled an account.',
    );
  });

  it('names a system token that acted', () => {
    expect(
      describeAuditEntry(
        entry({
          action: 'fhir.$export',
          actor: null,
          username: 'token:registry',
          patientId: null,
          wardName: null,
        }),
      ),
    ).toBe('System token “registry” started a FHIR bulk export of the patients in scope.');
  });

  it('falls back to the raw action name for an action it has no words for', () => {
    expect(actionWords('rom.somethingNew')).toBeUndefined();
    expect(describeAuditEntry(entry({ action: 'rom.somethingNew', wardName: null }))).toBe(
      'Therapist Tina Ng did “rom.somethingNew” for patient no. 7.',
    );
  });

  it('words the FHIR and HL7 families built from a type', () => {
    expect(actionWords('fhir.Observation.search')?.object).toBe(
      'FHIR Observation resources of {patient}',
    );
    expect(actionWords('hl7.ADT^A40')?.object).toBe(
      'a hospital-interface ADT^A40 message for {patient}',
    );
  });
});

describe('ACTION_WORDS', () => {
  it('has words for every action the server audits', () => {
    const actions = serverActions();
    // The scan itself must find the actions (a moved source folder would otherwise pass silently).
    expect(actions.size).toBeGreaterThan(40);
    expect([...actions].filter((action) => !actionWords(action)).sort()).toEqual([]);
  });

  it('uses no placeholder it cannot fill in', () => {
    for (const [action, { object }] of Object.entries(ACTION_WORDS)) {
      expect(object.replaceAll(/\{(patient|ward|account)\}/g, ''), action).not.toMatch(/[{}]/);
    }
  });
});

describe('actionFilterGroups', () => {
  it('offers every filterable action once, in words, with values the server accepts', () => {
    const options = actionFilterGroups().flatMap((group) => group.options);
    const values = options.map((option) => option.value);
    expect(new Set(values).size).toBe(values.length);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_.:-]+$/);
    expect(options).toContainEqual({
      value: 'rom.recordSession',
      label: 'Recorded a ROM session for a patient',
    });
    expect(options).toContainEqual({ value: 'auth.', label: 'Everything in “Signing in”' });
    const filterable = Object.keys(ACTION_WORDS).filter((a) => /^[A-Za-z0-9_.:-]+$/.test(a));
    expect(filterable.filter((action) => !values.includes(action))).toEqual([]);
  });
});
