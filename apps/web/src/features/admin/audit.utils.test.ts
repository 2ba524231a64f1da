import { describe, expect, it } from 'vitest';
import { auditFilters, sortAuditEntries, type AuditEntryLike } from './audit.utils.ts';

const entries: AuditEntryLike[] = [
  {
    id: 3,
    at: '2026-03-03T10:00:00Z',
    username: 'nurse',
    action: 'patient.get',
    patientId: 7,
    outcome: 'success',
  },
  {
    id: 2,
    at: '2026-03-02T10:00:00Z',
    username: null,
    action: 'auth.login',
    patientId: null,
    outcome: 'failure',
  },
  {
    id: 1,
    at: '2026-03-03T10:00:00Z',
    username: 'admin',
    action: 'admin.users.create',
    patientId: null,
    outcome: 'success',
  },
];

describe('sortAuditEntries', () => {
  it('sorts by time either way, ties in log order', () => {
    expect(sortAuditEntries(entries, 'at', 'ascending').map((e) => e.id)).toEqual([2, 3, 1]);
    expect(sortAuditEntries(entries, 'at', 'descending').map((e) => e.id)).toEqual([3, 1, 2]);
  });

  it('puts entries without a user or patient last', () => {
    expect(sortAuditEntries(entries, 'username', 'ascending').map((e) => e.username)).toEqual([
      'admin',
      'nurse',
      null,
    ]);
    expect(sortAuditEntries(entries, 'patientId', 'descending').map((e) => e.patientId)).toEqual([
      7,
      null,
      null,
    ]);
  });
});

describe('auditFilters', () => {
  it('sends only what was filled in', () => {
    expect(auditFilters({ user: ' nurse ', patient: '', from: '', to: '' })).toEqual({
      filters: { user: 'nurse' },
      problems: [],
    });
  });

  it('passes the chosen action (or family of actions) on as it is', () => {
    expect(
      auditFilters({ user: '', patient: '', from: '', to: '', action: 'ward.' }).filters,
    ).toEqual({ action: 'ward.' });
  });

  it('names a bad patient number and a time range the wrong way round', () => {
    const { problems } = auditFilters({
      user: '',
      patient: 'abc',
      from: '2026-03-05T10:00',
      to: '2026-03-04T10:00',
    });
    expect(problems).toEqual([
      'Patient: enter the patient number (a whole number)',
      'To: must be after From',
    ]);
  });
});
