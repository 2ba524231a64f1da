import {
  PRESSURE_INJURY_STAGE_LABELS,
  PRESSURE_INJURY_STAGES,
  type JointSite,
  type PressureInjuryStage,
  type Side,
} from '@ossiwatch/domain';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { formatDate } from '../../../lib/format.ts';
import { siteName } from '../../../lib/labels.ts';
import { useTRPC } from '../../../trpc.ts';
import {
  bradenSoFar,
  daysSince,
  instantFromLocal,
  localInputNow,
  triStateValue,
  type BradenScores,
  type TriState,
} from '../clinical-forms.utils.ts';
import {
  ActiveItems,
  FormOutcome,
  SiteSideFields,
  TimeField,
  useFormState,
} from './form-parts.tsx';

function SignSelect({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: TriState;
  onChange: (value: TriState) => void;
}): React.JSX.Element {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as TriState)}>
        <option value="">not examined</option>
        <option value="yes">present</option>
        <option value="no">absent</option>
      </select>
    </div>
  );
}

export function JointSignsForm({ patientId }: { patientId: number }): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const record = useMutation(trpc.nursing.recordJointSigns.mutationOptions());
  const [site, setSite] = useState<JointSite>('hip');
  const [side, setSide] = useState<Side>('left');
  const [swelling, setSwelling] = useState<TriState>('');
  const [warmth, setWarmth] = useState<TriState>('');
  const [erythema, setErythema] = useState<TriState>('');
  const [pain, setPain] = useState('');

  function submit(event: FormEvent): void {
    event.preventDefault();
    const takenAt = state.instantOrProblem('Time');
    if (!takenAt) return;
    const painValue = pain.trim() === '' ? null : Number(pain);
    record.mutate(
      {
        patientId,
        takenAt,
        observations: [
          {
            site,
            side,
            swelling: triStateValue(swelling),
            warmth: triStateValue(warmth),
            erythema: triStateValue(erythema),
            pain: painValue,
          },
        ],
      },
      {
        onSuccess: () => {
          state.succeed(`Joint signs saved for the ${siteName(side, site).toLowerCase()}.`);
          setSwelling('');
          setWarmth('');
          setErythema('');
          setPain('');
        },
        onError: state.fail,
      },
    );
  }

  return (
    <form className="clinical-form" aria-labelledby="signs-heading" onSubmit={submit} noValidate>
      <h3 id="signs-heading">Joint signs</h3>
      <div className="form-row">
        <SiteSideFields
          idPrefix="signs"
          site={site}
          side={side}
          onSite={setSite}
          onSide={setSide}
        />
        <SignSelect id="signs-swelling" label="Swelling" value={swelling} onChange={setSwelling} />
        <SignSelect id="signs-warmth" label="Warmth" value={warmth} onChange={setWarmth} />
        <SignSelect
          id="signs-erythema"
          label="Redness (erythema)"
          value={erythema}
          onChange={setErythema}
        />
        <div className="field">
          <label htmlFor="signs-pain">Pain (0–10)</label>
          <input
            id="signs-pain"
            inputMode="numeric"
            value={pain}
            onChange={(event) => setPain(event.target.value)}
            style={{ width: '5rem' }}
          />
        </div>
        <TimeField id="signs-time" label="Time" value={state.time} onChange={state.setTime} />
      </div>
      <button type="submit" className="primary" disabled={record.isPending}>
        Save joint signs
      </button>
      <FormOutcome state={state} />
    </form>
  );
}

export function TemperatureForm({ patientId }: { patientId: number }): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const record = useMutation(trpc.nursing.recordVital.mutationOptions());
  const [value, setValue] = useState('');

  function submit(event: FormEvent): void {
    event.preventDefault();
    const takenAt = state.instantOrProblem('Time');
    if (!takenAt) return;
    const celsius = Number(value.replace(',', '.'));
    if (value.trim() === '' || !Number.isFinite(celsius)) {
      state.fail(new Error('Temperature (°C): enter a number, e.g. 37.8'));
      return;
    }
    record.mutate(
      { patientId, takenAt, kind: 'temperature', value: celsius },
      {
        onSuccess: () => {
          state.succeed(`Temperature ${celsius} °C saved.`);
          setValue('');
        },
        onError: state.fail,
      },
    );
  }

  return (
    <form
      className="clinical-form"
      aria-labelledby="temperature-heading"
      onSubmit={submit}
      noValidate
    >
      <h3 id="temperature-heading">Temperature</h3>
      <div className="form-row">
        <div className="field">
          <label htmlFor="temperature-value">Temperature (°C)</label>
          <input
            id="temperature-value"
            inputMode="decimal"
            value={value}
            onChange={(event) => setValue(event.target.value)}
            style={{ width: '6rem' }}
          />
        </div>
        <TimeField id="temperature-time" label="Time" value={state.time} onChange={state.setTime} />
      </div>
      <button type="submit" className="primary" disabled={record.isPending}>
        Save temperature
      </button>
      <FormOutcome state={state} />
    </form>
  );
}

/** Braden subscales with their anchors (CR §5.3): each scored 1–4, friction and shear 1–3. */
const BRADEN_SUBSCALES: { key: keyof BradenScores; label: string; anchors: string[] }[] = [
  {
    key: 'sensoryPerception',
    label: 'Sensory perception',
    anchors: ['Completely limited', 'Very limited', 'Slightly limited', 'No impairment'],
  },
  {
    key: 'moisture',
    label: 'Moisture',
    anchors: ['Constantly moist', 'Very moist', 'Occasionally moist', 'Rarely moist'],
  },
  {
    key: 'activity',
    label: 'Activity',
    anchors: ['Bedfast', 'Chairfast', 'Walks occasionally', 'Walks frequently'],
  },
  {
    key: 'mobility',
    label: 'Mobility',
    anchors: ['Completely immobile', 'Very limited', 'Slightly limited', 'No limitation'],
  },
  {
    key: 'nutrition',
    label: 'Nutrition',
    anchors: ['Very poor', 'Probably inadequate', 'Adequate', 'Excellent'],
  },
  {
    key: 'frictionShear',
    label: 'Friction and shear',
    anchors: ['Problem', 'Potential problem', 'No apparent problem'],
  },
];

export function BradenForm({ patientId }: { patientId: number }): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const record = useMutation(trpc.nursing.recordBraden.mutationOptions());
  const [scores, setScores] = useState<Partial<BradenScores>>({});
  const total = bradenSoFar(scores);

  function submit(event: FormEvent): void {
    event.preventDefault();
    const takenAt = state.instantOrProblem('Time');
    if (!takenAt) return;
    const complete = bradenSoFar(scores);
    if (!complete) {
      const missing = BRADEN_SUBSCALES.filter((s) => scores[s.key] === undefined).map(
        (s) => s.label,
      );
      state.fail(new Error(`Braden: score every subscale (missing: ${missing.join(', ')})`));
      return;
    }
    record.mutate(
      { patientId, takenAt, ...(scores as BradenScores) },
      {
        onSuccess: () => {
          state.succeed(`Braden ${complete.total} (${complete.band ?? 'no band'}) saved.`);
          setScores({});
        },
        onError: state.fail,
      },
    );
  }

  return (
    <form className="clinical-form" aria-labelledby="braden-heading" onSubmit={submit} noValidate>
      <h3 id="braden-heading">Braden assessment</h3>
      <div className="form-row">
        {BRADEN_SUBSCALES.map((subscale) => (
          <div className="field" key={subscale.key}>
            <label htmlFor={`braden-${subscale.key}`}>{subscale.label}</label>
            <select
              id={`braden-${subscale.key}`}
              value={scores[subscale.key] ?? ''}
              onChange={(event) =>
                setScores((current) => {
                  const next = { ...current };
                  if (event.target.value === '') delete next[subscale.key];
                  else next[subscale.key] = Number(event.target.value);
                  return next;
                })
              }
            >
              <option value="">not scored</option>
              {subscale.anchors.map((anchor, index) => (
                <option key={anchor} value={index + 1}>
                  {index + 1}: {anchor}
                </option>
              ))}
            </select>
          </div>
        ))}
        <TimeField id="braden-time" label="Time" value={state.time} onChange={state.setTime} />
      </div>
      <p aria-live="polite">
        Total:{' '}
        <strong>{total ? `${total.total} (${total.band ?? 'no band'})` : 'not complete'}</strong>
      </p>
      <button type="submit" className="primary" disabled={record.isPending}>
        Save Braden
      </button>
      <FormOutcome state={state} />
    </form>
  );
}

export function CatheterForm({
  patientId,
  openCatheter,
}: {
  patientId: number;
  openCatheter: { id: number; insertedAt: string; version: number } | null;
}): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const insert = useMutation(trpc.nursing.insertCatheter.mutationOptions());
  const remove = useMutation(trpc.nursing.removeCatheter.mutationOptions());

  function submit(event: FormEvent): void {
    event.preventDefault();
    const at = state.instantOrProblem('Time');
    if (!at) return;
    if (openCatheter) {
      remove.mutate(
        {
          patientId,
          catheterId: openCatheter.id,
          removedAt: at,
          expectedVersion: openCatheter.version,
        },
        { onSuccess: () => state.succeed('Catheter removal saved.'), onError: state.fail },
      );
    } else {
      insert.mutate(
        { patientId, insertedAt: at },
        { onSuccess: () => state.succeed('Catheter insertion saved.'), onError: state.fail },
      );
    }
  }

  return (
    <form className="clinical-form" aria-labelledby="catheter-heading" onSubmit={submit} noValidate>
      <h3 id="catheter-heading">Urinary catheter</h3>
      <p>
        {openCatheter
          ? `In place since ${formatDate(openCatheter.insertedAt)} (${daysSince(openCatheter.insertedAt)} days). Each day counts towards CAUTI risk: consider whether it is still needed.`
          : 'No indwelling catheter in place.'}
      </p>
      <div className="form-row">
        <TimeField id="catheter-time" label="Time" value={state.time} onChange={state.setTime} />
      </div>
      <button type="submit" className="primary" disabled={insert.isPending || remove.isPending}>
        {openCatheter ? 'Record catheter removal' : 'Record catheter insertion'}
      </button>
      <FormOutcome state={state} />
    </form>
  );
}

type ComplicationKind = 'pressure_injury' | 'pneumonia' | 'uti' | 'dvt';
const COMPLICATION_WORDS: Record<ComplicationKind, string> = {
  pressure_injury: 'Pressure injury',
  pneumonia: 'Pneumonia',
  uti: 'Urinary tract infection',
  dvt: 'Deep vein thrombosis',
};

export interface ActiveComplication {
  readonly id: number;
  readonly kind: string;
  readonly onsetAt: string;
  readonly version: number;
  readonly stage?: string | null;
}

export function ComplicationForms({
  patientId,
  active,
}: {
  patientId: number;
  active: readonly ActiveComplication[];
}): React.JSX.Element {
  const trpc = useTRPC();
  const state = useFormState();
  const start = useMutation(trpc.complication.start.mutationOptions());
  const resolve = useMutation(trpc.complication.resolve.mutationOptions());
  const [kind, setKind] = useState<ComplicationKind>('pneumonia');
  const [presentOnAdmission, setPresentOnAdmission] = useState(false);
  const [bodySite, setBodySite] = useState('');
  const [stage, setStage] = useState<PressureInjuryStage>('2');
  const [deviceRelated, setDeviceRelated] = useState(false);
  const [site, setSite] = useState<JointSite>('knee');
  const [side, setSide] = useState<Side>('left');

  function submit(event: FormEvent): void {
    event.preventDefault();
    const onsetAt = state.instantOrProblem('Onset');
    if (!onsetAt) return;
    const complication =
      kind === 'pressure_injury'
        ? { kind, bodySite: bodySite.trim(), stage, deviceRelated }
        : kind === 'dvt'
          ? { kind, site, side }
          : { kind };
    start.mutate(
      { patientId, onsetAt, presentOnAdmission, complication },
      {
        onSuccess: () => state.succeed(`${COMPLICATION_WORDS[kind]} recorded.`),
        onError: state.fail,
      },
    );
  }

  function resolveOne(item: ActiveComplication): void {
    const resolvedAt = instantFromLocal(localInputNow());
    if ('problem' in resolvedAt) return;
    resolve.mutate(
      {
        patientId,
        complicationId: item.id,
        resolvedAt: resolvedAt.instant,
        expectedVersion: item.version,
      },
      {
        onSuccess: () =>
          state.succeed(
            `${COMPLICATION_WORDS[item.kind as ComplicationKind] ?? item.kind} marked resolved.`,
          ),
        onError: state.fail,
      },
    );
  }

  return (
    <form
      className="clinical-form"
      aria-labelledby="complication-heading"
      onSubmit={submit}
      noValidate
    >
      <h3 id="complication-heading">Complications</h3>
      <ActiveItems
        label="Active complications"
        items={active}
        nameOf={(item) => COMPLICATION_WORDS[item.kind as ComplicationKind] ?? item.kind}
        detailOf={(item) =>
          `${item.stage ? ` (stage ${item.stage})` : ''} since ${formatDate(item.onsetAt)}`
        }
        action="Resolved now"
        onAction={resolveOne}
        busy={resolve.isPending}
      />
      <div className="form-row">
        <div className="field">
          <label htmlFor="complication-kind">Complication</label>
          <select
            id="complication-kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as ComplicationKind)}
          >
            {Object.entries(COMPLICATION_WORDS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {kind === 'pressure_injury' && (
          <>
            <div className="field">
              <label htmlFor="complication-body-site">Body site</label>
              <input
                id="complication-body-site"
                value={bodySite}
                onChange={(event) => setBodySite(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="complication-stage">Stage (NPIAP)</label>
              <select
                id="complication-stage"
                value={stage}
                onChange={(event) => setStage(event.target.value as PressureInjuryStage)}
              >
                {PRESSURE_INJURY_STAGES.map((s) => (
                  <option key={s} value={s}>
                    {PRESSURE_INJURY_STAGE_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={deviceRelated}
                onChange={(event) => setDeviceRelated(event.target.checked)}
              />
              Device-related
            </label>
          </>
        )}
        {kind === 'dvt' && (
          <SiteSideFields
            idPrefix="dvt"
            site={site}
            side={side}
            onSite={setSite}
            onSide={setSide}
          />
        )}
        <TimeField
          id="complication-onset"
          label="Onset"
          value={state.time}
          onChange={state.setTime}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={presentOnAdmission}
            onChange={(event) => setPresentOnAdmission(event.target.checked)}
          />
          Present on admission
        </label>
      </div>
      {kind === 'uti' && (
        <p className="muted">
          A UTI while a catheter is in place is counted as catheter-associated automatically (CR
          §5.4).
        </p>
      )}
      {kind === 'dvt' && (
        <p className="muted">
          DVT is HO&apos;s main look-alike: a swollen, warm limb needs both considered (CR §6).
        </p>
      )}
      <button type="submit" className="primary" disabled={start.isPending}>
        Record complication
      </button>
      <FormOutcome state={state} />
    </form>
  );
}
