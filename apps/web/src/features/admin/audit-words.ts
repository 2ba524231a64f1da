/**
 * The audit log in words: "Therapist Tina Ng recorded a ROM session for patient no. 7 on Ward 2"
 * instead of `rom.recordSession` and ids. The raw action stays beside the sentence for auditors; an
 * action without words here is shown as its raw name, never hidden.
 *
 * Administrators see which patient by number only (HIPAA minimum necessary: the audit trail names
 * the patient id, not the person; server/src/security/audit-export.ts).
 */

export type AuditRole = 'nurse' | 'therapist' | 'physician' | 'manager' | 'admin';

export interface ActionWords {
  /** The verb as infinitive and past: ['record', 'recorded']. */
  readonly verb: readonly [string, string];
  /** What follows the verb; `{patient}`, `{ward}` and `{account}` are filled in from the entry. */
  readonly object: string;
  /** The role this action is done in, to name the actor by it when they hold several. */
  readonly role?: AuditRole;
}

const words = (infinitive: string, past: string, object: string, role?: AuditRole): ActionWords =>
  role ? { verb: [infinitive, past], object, role } : { verb: [infinitive, past], object };

/** Every action the server audits (grep `action` in apps/server/src), in words. */
export const ACTION_WORDS: Readonly<Record<string, ActionWords>> = {
  'auth.login': words('sign in', 'signed in', ''),
  'auth.logout': words('sign out', 'signed out', ''),
  'auth.timeout': words('be signed out', 'was signed out', 'after 15 minutes idle'),
  'access.emergency': words('open', 'opened', 'emergency access to {patient}'),
  'access.emergency.use': words('read', 'read', 'the record of {patient} under emergency access'),
  'access.emergencyList': words('list', 'listed', 'the emergency access grants', 'admin'),
  'access.emergencyReview': words('review', 'reviewed', 'an emergency access grant', 'admin'),
  'patient.get': words('open', 'opened', 'the record of {patient}'),
  'patient.timeline': words('view', 'viewed', 'the timeline of {patient}'),
  'patient.admit': words('admit', 'admitted', '{patient}', 'nurse'),
  'patient.discharge': words('discharge', 'discharged', '{patient}', 'nurse'),
  'patient.transfer': words('transfer', 'transferred', '{patient}', 'nurse'),
  'patient.updateInjury': words('update', 'updated', 'the injury details of {patient}'),
  'rom.list': words('view', 'viewed', 'the range-of-motion readings of {patient}'),
  'rom.recordSession': words('record', 'recorded', 'a ROM session for {patient}', 'therapist'),
  'rom.enterInError': words(
    'mark',
    'marked',
    'a ROM session of {patient} as entered in error',
    'therapist',
  ),
  'therapy.recordScales': words(
    'record',
    'recorded',
    'function scales (FAC, JH-HLM, MAS) for {patient}',
    'therapist',
  ),
  'nursing.recordJointSigns': words('record', 'recorded', 'joint signs for {patient}', 'nurse'),
  'nursing.recordVital': words('record', 'recorded', 'a vital sign for {patient}', 'nurse'),
  'nursing.recordBraden': words('record', 'recorded', 'a Braden score for {patient}', 'nurse'),
  'nursing.insertCatheter': words(
    'record',
    'recorded',
    'a urinary catheter put in for {patient}',
    'nurse',
  ),
  'nursing.removeCatheter': words(
    'record',
    'recorded',
    'a urinary catheter taken out for {patient}',
    'nurse',
  ),
  'complication.start': words('record', 'recorded', 'a complication of {patient}'),
  'complication.update': words('update', 'updated', 'a complication of {patient}'),
  'complication.resolve': words('record', 'recorded', 'a complication of {patient} as resolved'),
  'imaging.record': words('record', 'recorded', 'an imaging result for {patient}', 'physician'),
  'diagnosis.record': words('record', 'recorded', 'an HO diagnosis for {patient}', 'physician'),
  'intervention.start': words('start', 'started', 'a treatment for {patient}', 'physician'),
  'intervention.stop': words('stop', 'stopped', 'a treatment of {patient}', 'physician'),
  'bleedingRisk.set': words('record', 'recorded', 'the bleeding risk of {patient}', 'physician'),
  'records.amend': words('correct', 'corrected', 'a record of {patient}'),
  'records.enterInError': words('mark', 'marked', 'a record of {patient} as entered in error'),
  'records.versions': words('view', 'viewed', 'earlier versions of a record of {patient}'),
  'ward.board': words('view', 'viewed', 'the board of {ward}'),
  'ward.seen': words('mark', 'marked', 'the board of {ward} as seen'),
  'ward.freeBeds': words('list', 'listed', 'the free beds of {ward}'),
  'ward.onChange': words('follow', 'followed', 'live changes on {ward}'),
  'ward.acknowledge': words('acknowledge', 'acknowledged', 'an alert for {patient}'),
  'rates.summary': words('view', 'viewed', 'the complication rates', 'manager'),
  'rates.overview': words('view', 'viewed', 'the rates overview of all wards', 'manager'),
  'rates.setTarget': words('set', 'set', 'a rate target', 'manager'),
  'admin.users.create': words('create', 'created', '{account}', 'admin'),
  'admin.users.disable': words('disable', 'disabled', '{account}', 'admin'),
  'admin.users.enable': words('enable', 'enabled', '{account}', 'admin'),
  'admin.users.resetPassword': words('reset', 'reset', 'the password of {account}', 'admin'),
  'admin.users.setRoles': words('change', 'changed', 'the roles of {account}', 'admin'),
  'admin.users.setWards': words('change', 'changed', 'the wards of {account}', 'admin'),
  'admin.changes.confirm': words(
    'confirm',
    'confirmed',
    "another administrator's access change for {account}",
    'admin',
  ),
  'admin.changes.reject': words('reject', 'rejected', 'an access change for {account}', 'admin'),
  'admin.wards.create': words('create', 'created', 'the ward {ward}', 'admin'),
  'admin.wards.rename': words('rename', 'renamed', 'a ward, now {ward}', 'admin'),
  'admin.beds.add': words('add', 'added', 'a bed on {ward}', 'admin'),
  'admin.beds.deactivate': words('take', 'took', 'a bed of {ward} out of use', 'admin'),
  'admin.tokens.create': words('issue', 'issued', 'a system token', 'admin'),
  'admin.tokens.revoke': words('revoke', 'revoked', 'a system token', 'admin'),
  'admin.settings.update': words('change', 'changed', 'the HO watch settings', 'admin'),
  'audit.list': words('read', 'read', 'the audit log', 'admin'),
  'audit.export': words('export', 'exported', 'audit values for a privacy review'),
  'cli.user:create': words('create', 'created', '{account} from the command line'),
  seed: words('load', 'loaded', 'the demo hospital'),
  'fhir.$export': words('start', 'started', 'a FHIR bulk export of the patients in scope'),
  'fhir.Group.$export': words('start', 'started', 'a FHIR bulk export of a ward'),
  'fhir.$export.status': words('check', 'checked', 'the progress of a FHIR bulk export'),
  'fhir.$export.delete': words('cancel', 'cancelled', 'a FHIR bulk export'),
  'fhir.$export.file': words('download', 'downloaded', 'a file of a FHIR bulk export'),
  'hl7.queue': words('view', 'viewed', 'the held hospital-interface messages', 'admin'),
  'hl7.location.map': words('map', 'mapped', 'a hospital location to a bed', 'admin'),
  'hl7.location.unmap': words('remove', 'removed', 'a hospital location mapping', 'admin'),
  'hl7.dismiss': words('dismiss', 'dismissed', 'a held hospital-interface message', 'admin'),
  'hl7.ADT^A01': words('apply', 'applied', 'an admission message for {patient}'),
  'hl7.ADT^A02': words('apply', 'applied', 'a transfer message for {patient}'),
  'hl7.ADT^A03': words('apply', 'applied', 'a discharge message for {patient}'),
  'hl7.ADT^A08': words('apply', 'applied', 'a patient update message for {patient}'),
  'hl7.ORU^R01': words('apply', 'applied', 'a results message for {patient}'),
};

/** The words for an action, including the families built from a type (FHIR reads, HL7 messages). */
export function actionWords(action: string): ActionWords | undefined {
  const known = ACTION_WORDS[action];
  if (known) return known;
  const fhir = /^fhir\.([A-Za-z]+)\.(read|search|\$everything)$/.exec(action);
  if (fhir) {
    const [, type = '', interaction] = fhir;
    if (interaction === '$everything')
      return words('export', 'exported', 'everything about {patient} (FHIR)');
    return interaction === 'read'
      ? words('read', 'read', `a FHIR ${type} of {patient}`)
      : words('search', 'searched', `FHIR ${type} resources of {patient}`);
  }
  const hl7 = /^hl7\.([A-Z0-9]{3}\^[A-Z0-9]{2,3})$/.exec(action);
  if (hl7)
    return words('apply', 'applied', `a hospital-interface ${hl7[1] ?? ''} message for {patient}`);
  return undefined;
}

const ROLE_TITLES: Readonly<Record<AuditRole, string>> = {
  nurse: 'Nurse',
  therapist: 'Therapist',
  physician: 'Physician',
  manager: 'Manager',
  admin: 'Administrator',
};

export interface AuditEntryWordsInput {
  readonly action: string;
  readonly username: string | null;
  readonly patientId: number | null;
  readonly outcome: string;
  readonly wardName: string | null;
  readonly actor: { readonly displayName: string; readonly roles: readonly string[] } | null;
  /** The account an administration entry acted on. */
  readonly account?: string | null;
}

/**
 * Who acted, as the ward would say it: their role (the one the action is done in, or their only
 * role) and name; an account name typed at sign-in; the hospital interface; or the system.
 */
export function actorWords(entry: AuditEntryWordsInput, role?: AuditRole): string {
  if (entry.actor) {
    const roles = entry.actor.roles.filter((r): r is AuditRole => r in ROLE_TITLES);
    const title =
      role && roles.includes(role)
        ? ROLE_TITLES[role]
        : roles.length === 1 && roles[0]
          ? ROLE_TITLES[roles[0]]
          : undefined;
    return title ? `${title} ${entry.actor.displayName}` : entry.actor.displayName;
  }
  if (entry.username?.startsWith('token:')) {
    return `System token “${entry.username.slice('token:'.length)}”`;
  }
  if (entry.username?.startsWith('hl7:'))
    return `The hospital interface (${entry.username.slice(4)})`;
  if (entry.username) return `Account “${entry.username}”`;
  if (entry.action.startsWith('cli.') || entry.action === 'seed') return 'An operator';
  return 'The system';
}

/** The entry as one sentence; an unknown action keeps its raw name. */
export function describeAuditEntry(entry: AuditEntryWordsInput): string {
  const found = actionWords(entry.action);
  const actor = actorWords(entry, found?.role);
  const patient = entry.patientId === null ? 'a patient' : `patient no. ${entry.patientId}`;
  const ward = entry.wardName ?? 'a ward';
  const verbOf = (past: boolean): string => {
    if (!found) {
      const target = entry.patientId === null ? '' : ` for ${patient}`;
      return `${past ? 'did' : 'do'} “${entry.action}”${target}`;
    }
    const object = found.object
      .replaceAll('{patient}', patient)
      .replaceAll('{ward}', ward)
      .replaceAll('{account}', entry.account ? `account “${entry.account}”` : 'an account');
    const where =
      entry.wardName !== null && !found.object.includes('{ward}') ? ` on ${entry.wardName}` : '';
    return [found.verb[past ? 1 : 0], object].filter(Boolean).join(' ') + where;
  };
  switch (entry.outcome) {
    case 'success':
      return `${actor} ${verbOf(true)}.`;
    case 'denied':
      return `${actor} was refused: tried to ${verbOf(false)}.`;
    case 'failure':
      return `${actor} tried to ${verbOf(false)}, and it failed.`;
    default:
      return `${actor} ${verbOf(true)} (${entry.outcome}).`;
  }
}

export interface ActionFilterGroup {
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
}

const GROUPS: readonly { prefixes: readonly string[]; label: string }[] = [
  { prefixes: ['auth.'], label: 'Signing in' },
  { prefixes: ['access.'], label: 'Emergency access' },
  { prefixes: ['patient.'], label: 'Patient records' },
  { prefixes: ['records.'], label: 'Corrections' },
  { prefixes: ['rom.', 'therapy.'], label: 'Therapy' },
  { prefixes: ['nursing.', 'complication.'], label: 'Nursing and complications' },
  { prefixes: ['imaging.', 'diagnosis.', 'intervention.', 'bleedingRisk.'], label: 'Physician' },
  { prefixes: ['ward.'], label: 'Ward boards' },
  { prefixes: ['rates.'], label: 'Rates' },
  { prefixes: ['admin.', 'audit.', 'cli.', 'seed'], label: 'Administration' },
  { prefixes: ['hl7.'], label: 'Hospital interface' },
  { prefixes: ['fhir.'], label: 'FHIR interface' },
];

/**
 * The audit filter's choices in words, grouped: each known action as "Recorded a ROM session for a
 * patient", and a whole family (a prefix ending in a dot, which the server matches as a prefix).
 */
export function actionFilterGroups(): ActionFilterGroup[] {
  return GROUPS.map((group) => {
    const actions = Object.keys(ACTION_WORDS).filter((action) =>
      group.prefixes.some((prefix) => action.startsWith(prefix)),
    );
    // A whole family: the server matches a value ending in a dot as a prefix.
    const families = group.prefixes
      .filter((prefix) => prefix.endsWith('.'))
      .map((prefix) => ({ value: prefix, label: `Everything in “${group.label}”` }));
    return {
      label: group.label,
      options: [
        ...(families.length === 1 ? families : []),
        ...actions
          // The server's filter takes letters, digits and . : - _ only.
          .filter((action) => /^[A-Za-z0-9_.:-]+$/.test(action))
          .map((action) => ({ value: action, label: filterLabel(action) })),
      ],
    };
  });
}

function filterLabel(action: string): string {
  const found = ACTION_WORDS[action];
  if (!found) return action;
  const text = [
    found.verb[1],
    found.object
      .replaceAll('{patient}', 'a patient')
      .replaceAll('{ward}', 'a ward')
      .replaceAll('{account}', 'an account'),
  ]
    .filter(Boolean)
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
