import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';
import {
  BLEEDING_FLAGS,
  BLEEDING_WORDS,
  LAB_KINDS,
  LABS,
  NO_BLEEDING_FLAGS,
  bleedingRiskText,
  labText,
  latestLabs,
  localZone,
  parseLabValue,
  type BleedingFlag,
  type BleedingFlags,
  type LabKind,
  type VitalRow,
} from '../records.utils.ts';
import { FormOutcome, TimeField, useFormState } from './form-parts.tsx';

/** CRP, ALP or CK, with its unit and the time taken (CR §2.2). */
export function LabsForm({
  patientId,
  vitals,
}: {
  patientId: number;
  vitals: readonly VitalRow[];
}): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const record = useMutation(trpc.nursing.recordVital.mutationOptions());
  const [kind, setKind] = useState<LabKind>('crp');
  const [value, setValue] = useState('');
  const lab = LABS[kind];

  function submit(event: FormEvent): void {
    event.preventDefault();
    const takenAt = state.instantOrProblem('Time taken');
    if (!takenAt) return;
    const parsed = parseLabValue(kind, value);
    if ('problem' in parsed) {
      state.fail(new Error(parsed.problem));
      return;
    }
    record.mutate(
      { patientId, takenAt, kind, value: parsed.value },
      {
        onSuccess: () => {
          state.succeed(`${lab.name} ${parsed.value} ${lab.unit} saved.`);
          setValue('');
        },
        onError: state.fail,
      },
    );
  }

  return (
    <form className="clinical-form" aria-labelledby="labs-heading" onSubmit={submit} noValidate>
      <h3 id="labs-heading">Labs</h3>
      <ul aria-label="Latest labs">
        {latestLabs(vitals).map(({ kind: k, row }) => (
          <li key={k}>{labText(k, row)}</li>
        ))}
      </ul>
      <div className="form-row">
        <div className="field">
          <label htmlFor="labs-kind">Lab test</label>
          <select
            id="labs-kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as LabKind)}
          >
            {LAB_KINDS.map((k) => (
              <option key={k} value={k}>
                {LABS[k].name} ({LABS[k].unit})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="labs-value">
            {lab.name} ({lab.unit})
          </label>
          <input
            id="labs-value"
            inputMode="decimal"
            value={value}
            aria-describedby="labs-unit-note"
            onChange={(event) => setValue(event.target.value)}
            style={{ width: '8rem' }}
          />
        </div>
        <TimeField
          id="labs-time"
          label={`Time taken (${localZone()})`}
          value={state.time}
          onChange={state.setTime}
        />
      </div>
      <p id="labs-unit-note" className="muted">
        CRP in mg/L (1 mg/dL = 10 mg/L); ALP and CK in U/L. A normal value does not rule out HO:
        consider imaging if the joint signs persist (CR §2.2).
      </p>
      <button type="submit" className="primary" disabled={record.isPending}>
        Save lab value
      </button>
      <FormOutcome state={state} />
    </form>
  );
}

export interface CurrentBleedingRisk extends BleedingFlags {
  readonly updatedAt: string;
  readonly version: number;
}

/** The physician's record of a known bleeding risk; it drives the NSAID caution (CR §6.1). */
export function BleedingRiskForm({
  patientId,
  current,
}: {
  patientId: number;
  current: CurrentBleedingRisk | null;
}): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const set = useMutation(trpc.bleedingRisk.set.mutationOptions());
  const [flags, setFlags] = useState<BleedingFlags>(() =>
    current
      ? {
          gastrointestinalBleed: current.gastrointestinalBleed,
          intracranialBleed: current.intracranialBleed,
          renalImpairment: current.renalImpairment,
          anticoagulated: current.anticoagulated,
        }
      : NO_BLEEDING_FLAGS,
  );
  const anyRisk = BLEEDING_FLAGS.some((flag) => flags[flag]);

  function submit(event: FormEvent): void {
    event.preventDefault();
    state.reset();
    set.mutate(
      { patientId, expectedVersion: current?.version ?? null, ...flags },
      {
        onSuccess: () => {
          const present = BLEEDING_FLAGS.filter((flag) => flags[flag]).map(
            (flag) => BLEEDING_WORDS[flag],
          );
          state.succeed(
            `Bleeding risk saved: ${present.length === 0 ? 'none of the listed risks' : present.join(', ')}.`,
          );
        },
        // A CONFLICT (someone else saved first) is explained by the shared outcome: reload, check.
        onError: state.fail,
      },
    );
  }

  function toggle(flag: BleedingFlag, checked: boolean): void {
    setFlags((previous) => ({ ...previous, [flag]: checked }));
  }

  return (
    <form className="clinical-form" aria-labelledby="bleeding-heading" onSubmit={submit} noValidate>
      <h3 id="bleeding-heading">Bleeding risk</h3>
      <p>{bleedingRiskText(current)}</p>
      <fieldset>
        <legend>Tick each risk known to be present</legend>
        {BLEEDING_FLAGS.map((flag) => (
          <label key={flag} className="check">
            <input
              type="checkbox"
              checked={flags[flag]}
              onChange={(event) => toggle(flag, event.target.checked)}
            />
            {BLEEDING_WORDS[flag]}
          </label>
        ))}
      </fieldset>
      {anyRisk && (
        <p className="muted">
          With a bleeding risk, consider whether NSAID prophylaxis is appropriate: in HIPAID major
          bleeding was about twice as common on ibuprofen (CR §6.1).
        </p>
      )}
      <button type="submit" className="primary" disabled={set.isPending}>
        Save bleeding risk
      </button>
      <FormOutcome state={state} />
    </form>
  );
}

export interface CurrentStay {
  readonly admittedAt: string;
  readonly dischargedAt: string | null;
  readonly version: number;
}

/** Discharge from the current stay; the stay's version guards against a discharge made elsewhere. */
export function DischargeForm({
  patientId,
  patientName,
  stay,
}: {
  patientId: number;
  patientName: string;
  stay: CurrentStay | null;
}): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const discharge = useMutation(trpc.patient.discharge.mutationOptions());
  const [confirmed, setConfirmed] = useState(false);

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!stay) return;
    const dischargedAt = state.instantOrProblem('Time of discharge');
    if (!dischargedAt) return;
    // A discharge ends the stay and cannot be undone here: one deliberate tick, not a stray keypress.
    if (!confirmed) {
      state.fail(new Error(`Confirm: tick that ${patientName} leaves the ward`));
      return;
    }
    discharge.mutate(
      { patientId, dischargedAt, expectedVersion: stay.version },
      {
        onSuccess: () =>
          state.succeed(`${patientName} discharged at ${formatDateTime(dischargedAt)}.`),
        onError: state.fail,
      },
    );
  }

  return (
    <form
      className="clinical-form"
      aria-labelledby="discharge-heading"
      onSubmit={submit}
      noValidate
    >
      <h3 id="discharge-heading">Discharge</h3>
      {stay === null ? (
        <p>This patient has no stay on a ward.</p>
      ) : stay.dischargedAt !== null ? (
        <p>Discharged {formatDateTime(stay.dischargedAt)}; nothing more can be recorded.</p>
      ) : (
        <>
          <p className="muted">
            Admitted {formatDateTime(stay.admittedAt)}. A urinary catheter still recorded as in
            place is closed at the time of discharge.
          </p>
          <div className="form-row">
            <TimeField
              id="discharge-time"
              label={`Time of discharge (${localZone()})`}
              value={state.time}
              onChange={state.setTime}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={confirmed}
                onChange={(event) => setConfirmed(event.target.checked)}
              />
              {patientName} leaves the ward
            </label>
          </div>
          <button type="submit" className="primary" disabled={discharge.isPending}>
            Discharge {patientName}
          </button>
        </>
      )}
      <FormOutcome state={state} />
    </form>
  );
}
