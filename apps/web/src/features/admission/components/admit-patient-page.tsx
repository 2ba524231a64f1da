import {
  AIS_GRADES,
  INJURY_TYPES,
  LIMBS,
  SEXES,
  type AisGrade,
  type InjuryType,
  type Limb,
  type Sex,
} from '@ossiwatch/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { SessionUser } from '../../auth/hooks/use-session.ts';
import { INJURY_TYPE_WORDS, LIMB_WORDS, SEX_WORDS } from '../../../lib/labels.ts';
import { Link } from '../../../lib/router.tsx';
import { SavedStatus } from '../../../components/saved-status.tsx';
import { useTRPC } from '../../../trpc.ts';
import type { TriState } from '../../clinical/clinical-forms.utils.ts';
import { FieldProblem, TimeField } from '../../clinical/components/form-parts.tsx';
import { canAdmit } from '../can-admit.ts';
import {
  admitProblems,
  buildAdmitInput,
  emptyAdmitForm,
  fractureField,
  type AdmitForm,
  type AdmitInput,
  type FieldProblems,
} from '../admission.utils.ts';
import { WARD_FORBIDDEN_TEXT } from '../../wards/ward-access.ts';

/** The control each field's problem belongs to, in the order the form shows them. */
const FIELD_IDS: readonly (readonly [string, string])[] = [
  ['mrn', 'admit-mrn'],
  ['name', 'admit-name'],
  ['dateOfBirth', 'admit-dob'],
  ['sex', 'admit-sex'],
  ['emergencyReason', 'admit-emergency-reason'],
  ['bedId', 'admit-bed'],
  ['admittedAt', 'admit-admitted-at'],
  ['injury.type', 'admit-injury-type'],
  ['injury.occurredAt', 'admit-injury-at'],
  ['injury.lowestGcs', 'admit-gcs'],
  ['injury.comaDays', 'admit-coma'],
  ['injury.ventilationDays', 'admit-ventilation'],
  ['injury.diffuseAxonalInjury', 'admit-dai'],
  ['injury.autonomicDysregulation', 'admit-psh'],
  ['injury.aisGrade', 'admit-ais'],
  ...LIMBS.map((limb) => [fractureField(limb), `admit-fracture-${limb}-at`] as const),
];

const AIS_WORDS: Record<AisGrade, string> = {
  A: 'A (complete)',
  B: 'B',
  C: 'C',
  D: 'D',
  E: 'E',
};

/** A labelled control with its problem under it (`aria-describedby`, `aria-invalid`). */
function Field({
  id,
  label,
  problem,
  hint,
  children,
}: {
  id: string;
  label: string;
  problem: string | undefined;
  hint?: string;
  children: (props: {
    id: string;
    'aria-invalid': true | undefined;
    'aria-describedby': string | undefined;
  }) => React.ReactNode;
}): React.JSX.Element {
  const described = [hint ? `${id}-hint` : null, problem ? `${id}-problem` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="muted">
          {hint}
        </span>
      )}
      {children({
        id,
        'aria-invalid': problem ? true : undefined,
        'aria-describedby': described || undefined,
      })}
      {problem && <FieldProblem id={`${id}-problem`} text={problem} />}
    </div>
  );
}

function TriStateSelect({
  id,
  label,
  value,
  problem,
  onChange,
}: {
  id: string;
  label: string;
  value: TriState;
  problem: string | undefined;
  onChange: (value: TriState) => void;
}): React.JSX.Element {
  return (
    <Field id={id} label={label} problem={problem}>
      {(props) => (
        <select
          {...props}
          value={value}
          onChange={(event) => onChange(event.target.value as TriState)}
        >
          <option value="">not known</option>
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      )}
    </Field>
  );
}

export default function AdmitPatientPage({
  wardId,
  user,
}: {
  wardId: number;
  user: SessionUser;
}): React.JSX.Element {
  const trpc = useTRPC();
  const wards = useQuery(trpc.ward.list.queryOptions());
  const ward = wards.data?.find((w) => w.id === wardId);

  useEffect(() => {
    document.title = `Admit a patient${ward ? ` · ${ward.name}` : ''} · OssiWatch`;
  }, [ward]);

  const back = (
    <p>
      <Link href={`/wards/${wardId}`}>Back to the board</Link>
    </p>
  );
  if (!canAdmit(user)) {
    return (
      <main id="main">
        <h1>Admit a patient</h1>
        <p role="alert">Only a ward&apos;s nurses and physicians admit patients.</p>
        {back}
      </main>
    );
  }
  if (wards.isPending) {
    return (
      <main id="main">
        <h1>Admit a patient</h1>
        <p role="status">Loading the ward…</p>
      </main>
    );
  }
  if (!ward) {
    return (
      <main id="main">
        <h1>Admit a patient</h1>
        <p role="alert">
          {wards.isError
            ? `The ward could not be loaded: ${wards.error.message}`
            : WARD_FORBIDDEN_TEXT}
        </p>
        <p>
          <Link href="/">Back to your wards</Link>
        </p>
      </main>
    );
  }
  return (
    <main id="main">
      {back}
      <h1 id="admit-heading">Admit a patient to {ward.name}</h1>
      <AdmitForm ward={ward} />
    </main>
  );
}

function AdmitForm({
  ward,
}: {
  ward: { readonly id: number; readonly name: string; readonly timeZone: string };
}): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const freeBeds = useQuery(trpc.ward.freeBeds.queryOptions({ wardId: ward.id }));
  const admit = useMutation(trpc.patient.admit.mutationOptions());
  const [form, setForm] = useState<AdmitForm>(() => emptyAdmitForm(ward.timeZone));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saved, setSaved] = useState<{ text: string; patientId: number } | null>(null);
  const zone = ward.timeZone;

  function set<K extends keyof AdmitForm>(key: K, value: AdmitForm[K]): void {
    setForm((current) => ({ ...current, [key]: value }));
  }

  function setFracture(limb: Limb, entry: Partial<AdmitForm['fractures'][Limb]>): void {
    setForm((current) => ({
      ...current,
      fractures: { ...current.fractures, [limb]: { ...current.fractures[limb], ...entry } },
    }));
  }

  function showProblems(fields: FieldProblems, text: string | null): void {
    setProblems(fields);
    setGeneral(text);
    setFocusField(FIELD_IDS.find(([field]) => fields[field] !== undefined)?.[1] ?? null);
  }

  // After the render that shows the problems: the reason field appears only once it is asked for.
  const [focusField, setFocusField] = useState<string | null>(null);
  useEffect(() => {
    if (focusField === null) return;
    document.getElementById(focusField)?.focus();
    setFocusField(null);
  }, [focusField]);
  const askReason = problems.emergencyReason !== undefined || form.emergencyReason !== '';

  function bedLabel(bedId: number | null): string {
    if (bedId === null) return 'no bed';
    const label = freeBeds.data?.find((bed) => bed.id === bedId)?.label;
    return label ? `bed ${label}` : 'the chosen bed';
  }

  function submit(event: React.FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setSaved(null);
    const built = buildAdmitInput(form, ward);
    if ('problems' in built) {
      showProblems(built.problems, 'Not saved: see the fields marked below.');
      return;
    }
    const sent: AdmitInput = built.input;
    admit.mutate(sent, {
      onSuccess: (result) => {
        showProblems({}, null);
        setSaved({
          text: `Patient ${sent.mrn} admitted to ${ward.name}, ${bedLabel(sent.bedId)}. They are on the ward board now.`,
          patientId: result.patientId,
        });
        setForm(emptyAdmitForm(zone));
        void queryClient.invalidateQueries({ queryKey: trpc.ward.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.patient.pathKey() });
      },
      onError: (error) => {
        const found = admitProblems(error, sent);
        showProblems(found.fields, found.general);
        // A bed taken meanwhile: the list of free beds is out of date.
        if (found.fields.bedId) void freeBeds.refetch();
      },
    });
  }

  const timeWords = `ward time, ${zone}`;

  return (
    <>
      <p className="notice" id="admit-readmission">
        If the MRN is already known, the patient is readmitted: a new stay starts and the record and
        injury on file are kept. The name and date of birth must match the ones on file (the sex and
        injury below are then not used); a patient last seen on another ward needs a reason.
      </p>
      <SavedStatus message={saved?.text ?? null}>
        {saved && (
          <>
            {' '}
            <Link href={`/wards/${ward.id}`}>Open the board</Link> or{' '}
            <Link href={`/patients/${saved.patientId}`}>the patient&apos;s record</Link>.
          </>
        )}
      </SavedStatus>
      {general && (
        <p role="alert" className="error">
          {general}
        </p>
      )}
      <form
        className="clinical-form"
        aria-labelledby="admit-heading"
        aria-describedby="admit-readmission"
        onSubmit={submit}
        noValidate
      >
        <fieldset>
          <legend>Patient</legend>
          <div className="form-row">
            <Field id="admit-mrn" label="Medical record number (MRN)" problem={problems.mrn}>
              {(props) => (
                <input
                  {...props}
                  autoComplete="off"
                  value={form.mrn}
                  onChange={(event) => set('mrn', event.target.value)}
                />
              )}
            </Field>
            <Field id="admit-name" label="Full name" problem={problems.name}>
              {(props) => (
                <input
                  {...props}
                  autoComplete="off"
                  value={form.name}
                  onChange={(event) => set('name', event.target.value)}
                />
              )}
            </Field>
            <Field id="admit-dob" label="Date of birth" problem={problems.dateOfBirth}>
              {(props) => (
                <input
                  {...props}
                  type="date"
                  min="1900-01-01"
                  value={form.dateOfBirth}
                  onChange={(event) => set('dateOfBirth', event.target.value)}
                />
              )}
            </Field>
            <Field id="admit-sex" label="Sex" problem={problems.sex}>
              {(props) => (
                <select
                  {...props}
                  value={form.sex}
                  onChange={(event) => set('sex', event.target.value as Sex | '')}
                >
                  <option value="">choose…</option>
                  {SEXES.map((sex) => (
                    <option key={sex} value={sex}>
                      {SEX_WORDS[sex]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          {askReason && (
            <Field
              id="admit-emergency-reason"
              label="Reason for emergency access"
              hint="Audited. At least 10 characters: why this patient is readmitted here."
              problem={problems.emergencyReason}
            >
              {(props) => (
                <textarea
                  {...props}
                  rows={2}
                  value={form.emergencyReason}
                  onChange={(event) => set('emergencyReason', event.target.value)}
                />
              )}
            </Field>
          )}
        </fieldset>

        <fieldset>
          <legend>Stay</legend>
          <div className="form-row">
            <Field
              id="admit-bed"
              label="Bed"
              problem={problems.bedId}
              hint={
                freeBeds.isError
                  ? `The free beds could not be loaded: ${freeBeds.error.message}`
                  : freeBeds.data?.length === 0
                    ? 'No bed is free on this ward now.'
                    : 'The beds in use and free now.'
              }
            >
              {(props) => (
                <select
                  {...props}
                  value={form.bedId}
                  onChange={(event) => set('bedId', event.target.value)}
                >
                  <option value="">no bed</option>
                  {(freeBeds.data ?? []).map((bed) => (
                    <option key={bed.id} value={String(bed.id)}>
                      Bed {bed.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <TimeField
              id="admit-admitted-at"
              label={`Admitted at (${timeWords})`}
              value={form.admittedAt}
              onChange={(value) => set('admittedAt', value)}
              problem={problems.admittedAt}
            />
          </div>
        </fieldset>

        <fieldset>
          <legend>Injury</legend>
          <p className="muted" id="admit-injury-hint">
            A blank number or “not known” stays unknown, never 0. Coma over two weeks, days on a
            ventilator, diffuse axonal injury and autonomic dysregulation are HO risk factors (CR
            §1.2).
          </p>
          <div className="form-row">
            <Field id="admit-injury-type" label="Kind of injury" problem={problems['injury.type']}>
              {(props) => (
                <select
                  {...props}
                  value={form.injuryType}
                  onChange={(event) => set('injuryType', event.target.value as InjuryType | '')}
                >
                  <option value="">choose…</option>
                  {INJURY_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {INJURY_TYPE_WORDS[type]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <TimeField
              id="admit-injury-at"
              label={`Date and time of injury (${timeWords})`}
              value={form.injuryAt}
              onChange={(value) => set('injuryAt', value)}
              problem={problems['injury.occurredAt']}
            />
          </div>
          <div className="form-row">
            <Field
              id="admit-gcs"
              label="Lowest GCS total (3–15)"
              problem={problems['injury.lowestGcs']}
            >
              {(props) => (
                <input
                  {...props}
                  inputMode="numeric"
                  value={form.lowestGcs}
                  style={{ width: '6rem' }}
                  onChange={(event) => set('lowestGcs', event.target.value)}
                />
              )}
            </Field>
            <Field id="admit-coma" label="Days in coma" problem={problems['injury.comaDays']}>
              {(props) => (
                <input
                  {...props}
                  inputMode="numeric"
                  value={form.comaDays}
                  style={{ width: '6rem' }}
                  onChange={(event) => set('comaDays', event.target.value)}
                />
              )}
            </Field>
            <Field
              id="admit-ventilation"
              label="Days on a ventilator"
              problem={problems['injury.ventilationDays']}
            >
              {(props) => (
                <input
                  {...props}
                  inputMode="numeric"
                  value={form.ventilationDays}
                  style={{ width: '6rem' }}
                  onChange={(event) => set('ventilationDays', event.target.value)}
                />
              )}
            </Field>
          </div>
          <div className="form-row">
            <TriStateSelect
              id="admit-dai"
              label="Diffuse axonal injury on imaging"
              value={form.diffuseAxonalInjury}
              problem={problems['injury.diffuseAxonalInjury']}
              onChange={(value) => set('diffuseAxonalInjury', value)}
            />
            <TriStateSelect
              id="admit-psh"
              label="Autonomic dysregulation (paroxysmal sympathetic hyperactivity)"
              value={form.autonomicDysregulation}
              problem={problems['injury.autonomicDysregulation']}
              onChange={(value) => set('autonomicDysregulation', value)}
            />
            {form.injuryType === 'sci' && (
              <Field
                id="admit-ais"
                label="AIS grade (ASIA Impairment Scale)"
                problem={problems['injury.aisGrade']}
              >
                {(props) => (
                  <select
                    {...props}
                    value={form.aisGrade}
                    onChange={(event) => set('aisGrade', event.target.value as AisGrade | '')}
                  >
                    <option value="">not graded</option>
                    {AIS_GRADES.map((grade) => (
                      <option key={grade} value={grade}>
                        {AIS_WORDS[grade]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
          <fieldset>
            <legend>Surgically treated fractures (CR §1.2: a risk factor)</legend>
            {LIMBS.map((limb) => {
              const entry = form.fractures[limb];
              return (
                <div className="form-row" key={limb}>
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={entry.fractured}
                      onChange={(event) => setFracture(limb, { fractured: event.target.checked })}
                    />
                    {LIMB_WORDS[limb]}
                  </label>
                  {entry.fractured && (
                    <TimeField
                      id={`admit-fracture-${limb}-at`}
                      label={`${LIMB_WORDS[limb]}: fixed at (${timeWords}; blank if not known)`}
                      value={entry.fixedAt}
                      onChange={(value) => setFracture(limb, { fixedAt: value })}
                      problem={problems[fractureField(limb)]}
                    />
                  )}
                </div>
              );
            })}
          </fieldset>
        </fieldset>

        <button type="submit" className="primary" disabled={admit.isPending}>
          Admit patient
        </button>
      </form>
    </>
  );
}
