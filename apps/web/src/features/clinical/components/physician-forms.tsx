import {
  BROOKER_CLASSES,
  HASTINGS_GRAHAM_CLASSES,
  IMAGING_MODALITIES,
  IMAGING_RESULTS,
  NSAID_DRUGS,
  type ImagingModality,
  type ImagingResult,
  type JointSite,
  type NsaidDrug,
  type Side,
} from '@ossiwatch/domain';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDate } from '../../../lib/format.ts';
import { siteName } from '../../../lib/labels.ts';
import { useTRPC } from '../../../trpc.ts';
import { gradeSystemFor, instantFromLocal, localInputNow } from '../clinical-forms.utils.ts';
import {
  ActiveItems,
  FormOutcome,
  SiteSideFields,
  TimeField,
  useFormState,
} from './form-parts.tsx';

const MODALITY_WORDS: Record<ImagingModality, string> = {
  xray: 'X-ray',
  bone_scan: 'Three-phase bone scan',
  ultrasound: 'Ultrasound',
  ct: 'CT',
  mri: 'MRI',
};

export function ImagingForm({ patientId }: { patientId: number }): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const record = useMutation(trpc.imaging.record.mutationOptions());
  const [modality, setModality] = useState<ImagingModality>('ultrasound');
  const [site, setSite] = useState<JointSite>('hip');
  const [side, setSide] = useState<Side>('left');
  const [result, setResult] = useState<ImagingResult>('negative');
  const [grade, setGrade] = useState('');
  const system = gradeSystemFor(site);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const takenAt = state.instantOrProblem('Date of imaging');
    if (!takenAt) return;
    const text = grade.trim();
    const gradeValue =
      text === ''
        ? null
        : system === 'brooker'
          ? { system, grade: text as (typeof BROOKER_CLASSES)[number] }
          : system === 'hastings_graham'
            ? { system, grade: text as (typeof HASTINGS_GRAHAM_CLASSES)[number] }
            : { system, text };
    record.mutate(
      { patientId, takenAt, modality, site, side, result, grade: gradeValue },
      {
        onSuccess: () => {
          state.succeed(
            `${MODALITY_WORDS[modality]} of the ${siteName(side, site).toLowerCase()} saved: ${result}.`,
          );
          setGrade('');
        },
        onError: state.fail,
      },
    );
  }

  return (
    <form className="clinical-form" aria-labelledby="imaging-heading" onSubmit={submit} noValidate>
      <h3 id="imaging-heading">Imaging</h3>
      <div className="form-row">
        <div className="field">
          <label htmlFor="imaging-modality">Modality</label>
          <select
            id="imaging-modality"
            value={modality}
            onChange={(event) => setModality(event.target.value as ImagingModality)}
          >
            {IMAGING_MODALITIES.map((m) => (
              <option key={m} value={m}>
                {MODALITY_WORDS[m]}
              </option>
            ))}
          </select>
        </div>
        <SiteSideFields
          idPrefix="imaging"
          site={site}
          side={side}
          onSite={(next) => {
            setSite(next);
            setGrade('');
          }}
          onSide={setSide}
        />
        <div className="field">
          <label htmlFor="imaging-result">Result</label>
          <select
            id="imaging-result"
            value={result}
            onChange={(event) => setResult(event.target.value as ImagingResult)}
          >
            {IMAGING_RESULTS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="imaging-grade">
            {system === 'brooker'
              ? 'Brooker class'
              : system === 'hastings_graham'
                ? 'Hastings & Graham class'
                : 'Grade (free text)'}
          </label>
          {system === 'free_text' ? (
            <input
              id="imaging-grade"
              value={grade}
              onChange={(event) => setGrade(event.target.value)}
            />
          ) : (
            <select
              id="imaging-grade"
              value={grade}
              onChange={(event) => setGrade(event.target.value)}
            >
              <option value="">not graded</option>
              {(system === 'brooker' ? BROOKER_CLASSES : HASTINGS_GRAHAM_CLASSES).map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          )}
        </div>
        <TimeField
          id="imaging-time"
          label="Date of imaging"
          value={state.time}
          onChange={state.setTime}
        />
      </div>
      {modality === 'xray' && result === 'negative' && (
        <p className="muted">
          An X-ray may stay negative for 3–4 weeks after HO begins: consider ultrasound or a
          three-phase bone scan if the joint keeps losing motion (CR §2.3).
        </p>
      )}
      <button type="submit" className="primary" disabled={record.isPending}>
        Save imaging
      </button>
      <FormOutcome state={state} />
    </form>
  );
}

export function DiagnosisForm({ patientId }: { patientId: number }): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const record = useMutation(trpc.diagnosis.record.mutationOptions());
  const [site, setSite] = useState<JointSite>('hip');
  const [side, setSide] = useState<Side>('left');
  const [finding, setFinding] = useState<'ho_confirmed' | 'ho_ruled_out'>('ho_confirmed');
  const [grade, setGrade] = useState('');
  const [note, setNote] = useState('');

  function submit(event: FormEvent): void {
    event.preventDefault();
    const diagnosedAt = state.instantOrProblem('Date of diagnosis');
    if (!diagnosedAt) return;
    record.mutate(
      {
        patientId,
        diagnosedAt,
        site,
        side,
        finding,
        grade: grade.trim() === '' ? null : grade.trim(),
        note: note.trim() === '' ? null : note.trim(),
      },
      {
        onSuccess: () => {
          state.succeed(
            `${finding === 'ho_confirmed' ? 'HO confirmed' : 'HO ruled out'} at the ${siteName(side, site).toLowerCase()}.`,
          );
          setGrade('');
          setNote('');
        },
        onError: state.fail,
      },
    );
  }

  return (
    <form
      className="clinical-form"
      aria-labelledby="diagnosis-heading"
      onSubmit={submit}
      noValidate
    >
      <h3 id="diagnosis-heading">HO diagnosis</h3>
      <div className="form-row">
        <SiteSideFields
          idPrefix="diagnosis"
          site={site}
          side={side}
          onSite={setSite}
          onSide={setSide}
        />
        <div className="field">
          <label htmlFor="diagnosis-finding">Finding</label>
          <select
            id="diagnosis-finding"
            value={finding}
            onChange={(event) => setFinding(event.target.value as 'ho_confirmed' | 'ho_ruled_out')}
          >
            <option value="ho_confirmed">HO confirmed</option>
            <option value="ho_ruled_out">HO ruled out</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="diagnosis-grade">Grade</label>
          <input
            id="diagnosis-grade"
            value={grade}
            onChange={(event) => setGrade(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="diagnosis-note">Note</label>
          <input
            id="diagnosis-note"
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        </div>
        <TimeField
          id="diagnosis-time"
          label="Date of diagnosis"
          value={state.time}
          onChange={state.setTime}
        />
      </div>
      <button type="submit" className="primary" disabled={record.isPending}>
        Save diagnosis
      </button>
      <FormOutcome state={state} />
    </form>
  );
}

type InterventionKind = 'nsaid' | 'etidronate' | 'radiation' | 'excision' | 'physiotherapy';
const INTERVENTION_WORDS: Record<InterventionKind, string> = {
  nsaid: 'NSAID prophylaxis',
  etidronate: 'Etidronate',
  radiation: 'Radiation (single dose)',
  excision: 'Surgical excision',
  physiotherapy: 'Physiotherapy',
};

export interface RunningIntervention {
  readonly id: number;
  readonly kind: string;
  readonly drug: string | null;
  readonly startedAt: string;
  readonly version: number;
}

export function InterventionForms({
  patientId,
  running,
  cautions,
}: {
  patientId: number;
  running: readonly RunningIntervention[];
  /** The patient's current cautions (NSAID after fixation, bleeding risk), worded by the HO watch. */
  cautions: readonly string[];
}): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const start = useMutation(trpc.intervention.start.mutationOptions());
  const stop = useMutation(trpc.intervention.stop.mutationOptions());
  const [kind, setKind] = useState<InterventionKind>('nsaid');
  const [drug, setDrug] = useState<NsaidDrug>('indomethacin');
  const [dose, setDose] = useState('');
  const [site, setSite] = useState<JointSite>('hip');
  const [side, setSide] = useState<Side>('left');

  function submit(event: FormEvent): void {
    event.preventDefault();
    const startedAt = state.instantOrProblem('Start');
    if (!startedAt) return;
    const amount = Number(dose.replace(',', '.'));
    const needsDose = kind === 'nsaid' || kind === 'etidronate' || kind === 'radiation';
    if (needsDose && (dose.trim() === '' || !Number.isFinite(amount) || amount <= 0)) {
      state.fail(new Error('Dose: enter a positive number'));
      return;
    }
    const intervention =
      kind === 'nsaid'
        ? { kind, drug, doseMg: amount }
        : kind === 'etidronate'
          ? { kind, doseMgPerKgDay: amount }
          : kind === 'radiation'
            ? { kind, doseGy: amount, site, side }
            : kind === 'excision'
              ? { kind, site, side }
              : { kind };
    start.mutate(
      { patientId, startedAt, intervention },
      {
        onSuccess: () => {
          state.succeed(`${INTERVENTION_WORDS[kind]} recorded.`);
          setDose('');
        },
        onError: state.fail,
      },
    );
  }

  function stopOne(item: RunningIntervention): void {
    const stoppedAt = instantFromLocal(localInputNow());
    if ('problem' in stoppedAt) return;
    stop.mutate(
      {
        patientId,
        interventionId: item.id,
        stoppedAt: stoppedAt.instant,
        expectedVersion: item.version,
      },
      { onSuccess: () => state.succeed('Treatment stopped.'), onError: state.fail },
    );
  }

  const doseLabel =
    kind === 'nsaid'
      ? 'Dose (mg)'
      : kind === 'etidronate'
        ? 'Dose (mg/kg/day)'
        : kind === 'radiation'
          ? 'Dose (Gy)'
          : null;

  return (
    <form
      className="clinical-form"
      aria-labelledby="intervention-heading"
      onSubmit={submit}
      noValidate
    >
      <h3 id="intervention-heading">Treatments</h3>
      {cautions.length > 0 && (
        <div className="notice" role="note" aria-label="Cautions">
          <strong>Cautions for this patient</strong>
          <ul>
            {cautions.map((caution) => (
              <li key={caution}>{caution}</li>
            ))}
          </ul>
        </div>
      )}
      <ActiveItems
        label="Running treatments"
        items={running}
        nameOf={(item) => INTERVENTION_WORDS[item.kind as InterventionKind] ?? item.kind}
        detailOf={(item) =>
          `${item.drug ? ` (${item.drug})` : ''} since ${formatDate(item.startedAt)}`
        }
        action="Stop now"
        onAction={stopOne}
        busy={stop.isPending}
      />
      <div className="form-row">
        <div className="field">
          <label htmlFor="intervention-kind">Treatment</label>
          <select
            id="intervention-kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as InterventionKind)}
          >
            {Object.entries(INTERVENTION_WORDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {kind === 'nsaid' && (
          <div className="field">
            <label htmlFor="intervention-drug">Drug</label>
            <select
              id="intervention-drug"
              value={drug}
              onChange={(event) => setDrug(event.target.value as NsaidDrug)}
            >
              {NSAID_DRUGS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </div>
        )}
        {doseLabel && (
          <div className="field">
            <label htmlFor="intervention-dose">{doseLabel}</label>
            <input
              id="intervention-dose"
              inputMode="decimal"
              value={dose}
              onChange={(event) => setDose(event.target.value)}
              style={{ width: '7rem' }}
            />
          </div>
        )}
        {(kind === 'radiation' || kind === 'excision') && (
          <SiteSideFields
            idPrefix="intervention"
            site={site}
            side={side}
            onSite={setSite}
            onSide={setSide}
          />
        )}
        <TimeField
          id="intervention-time"
          label="Start"
          value={state.time}
          onChange={state.setTime}
        />
      </div>
      <button type="submit" className="primary" disabled={start.isPending}>
        Record treatment
      </button>
      <FormOutcome state={state} />
    </form>
  );
}
