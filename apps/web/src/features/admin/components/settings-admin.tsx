import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { formatDateTime } from '../../../lib/format.ts';
import { useTRPC } from '../../../trpc.ts';
import { problemText } from '../../clinical/components/form-parts.tsx';
import {
  MOVEMENT_CHOICES,
  MOVEMENT_MDC_KEY,
  MOVEMENT_MDC_RANGE,
  movementLabel,
  numberProblem,
  overrideRows,
  parseHours,
  parseMovementOverrides,
  rangeText,
  SETTING_GROUPS,
  SETTING_INFO,
  settingsProblemInWords,
  type MovementOverrideProblem,
  type MovementOverrideRow,
  type SettingInfo,
} from '../settings-catalog.ts';

type Draft = Record<string, string | boolean | readonly string[]>;

function unitWords(unit: string): string {
  return unit === '°' ? 'degrees' : unit;
}

/** The unit after a number: "3 days", "15°", "20%"; nothing for a yes/no or a list. */
function unitSuffix(info: SettingInfo): string {
  if (info.kind !== 'number') return '';
  return info.unit === '°' || info.unit === '%' ? info.unit : ` ${info.unit}`;
}

function sourceWords(source: string | undefined): string {
  if (!source) return '';
  return source === 'local' ? 'local choice, no published source' : source;
}

/** A value as the screen shows it: "7, 15, 23", "A, B", "yes". */
function shown(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}

/**
 * The HO watch thresholds, each with its label, unit, clinical source and valid range; bad input is
 * named by field before anything is sent. Each change is audited and versioned, and every patient is
 * reassessed under the new values.
 */
export function SettingsAdmin(): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.admin.settings.get.queryOptions());
  const update = useMutation(trpc.admin.settings.update.mutationOptions());
  const [draft, setDraft] = useState<Draft>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // The per-movement overrides as typed; null until the administrator changes one.
  const [overrides, setOverrides] = useState<MovementOverrideRow[] | null>(null);
  const [overrideProblems, setOverrideProblems] = useState<MovementOverrideProblem[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useRef<HTMLFormElement>(null);

  if (settings.isError) return <p role="alert">{settings.error.message}</p>;
  if (!settings.data) return <p role="status">Loading settings…</p>;
  const current = settings.data.settings as unknown as Record<string, unknown>;
  const defaults = settings.data.defaults as unknown as Record<string, unknown>;
  const version = settings.data.version;

  const edit = (key: string, value: Draft[string]): void => {
    setDraft((d) => ({ ...d, [key]: value }));
    if (fieldErrors[key]) {
      setFieldErrors((errors) =>
        Object.fromEntries(Object.entries(errors).filter(([k]) => k !== key)),
      );
    }
  };

  const editOverrides = (rows: MovementOverrideRow[]): void => {
    setOverrides(rows);
    setOverrideProblems([]);
    if (fieldErrors[MOVEMENT_MDC_KEY]) {
      setFieldErrors((errors) =>
        Object.fromEntries(Object.entries(errors).filter(([k]) => k !== MOVEMENT_MDC_KEY)),
      );
    }
  };

  function focusField(key: string): void {
    const field = form.current?.querySelector<HTMLElement>(`[data-setting="${key}"]`);
    field?.focus();
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    const next: Record<string, unknown> = { ...current };
    const problems: Record<string, string> = {};
    for (const [key, value] of Object.entries(draft)) {
      const info = SETTING_INFO.get(key);
      if (!info) continue;
      if (info.kind === 'number') {
        const problem = numberProblem(info, String(value));
        if (problem) problems[key] = problem;
        else next[key] = Number(String(value).trim().replace(',', '.'));
      } else if (info.kind === 'hours') {
        const parsed = parseHours(String(value));
        if ('problem' in parsed) problems[key] = `${info.label}: ${parsed.problem}`;
        else next[key] = parsed.hours;
      } else {
        next[key] = value;
      }
    }
    let rowProblems: MovementOverrideProblem[] = [];
    if (overrides) {
      const parsed = parseMovementOverrides(overrides);
      if ('problems' in parsed) {
        rowProblems = parsed.problems;
        problems[MOVEMENT_MDC_KEY] = parsed.problems.map((p) => p.text).join('; ');
      } else {
        next[MOVEMENT_MDC_KEY] = parsed.value;
      }
    }
    setFieldErrors(problems);
    setOverrideProblems(rowProblems);
    const first = Object.keys(problems)[0];
    if (first) {
      setMessage({
        ok: false,
        text: `Not saved: ${Object.keys(problems).length === 1 ? 'one value needs' : `${Object.keys(problems).length} values need`} correcting.`,
      });
      const firstRow = rowProblems[0];
      if (first === MOVEMENT_MDC_KEY && firstRow) {
        form.current?.querySelector<HTMLElement>(`#mdc-${firstRow.part}-${firstRow.row}`)?.focus();
      } else {
        focusField(first);
      }
      return;
    }
    update.mutate(
      { expectedVersion: version, settings: next },
      {
        onSuccess: () => {
          setDraft({});
          setOverrides(null);
          setMessage({ ok: true, text: 'Settings saved; every patient is reassessed under them.' });
          void queryClient.invalidateQueries({ queryKey: trpc.admin.settings.get.queryKey() });
        },
        onError: (error) => {
          // The server names each field ("settings.vigilanceEndDay: ..."): mark it, in words.
          const raw = error instanceof Error ? error.message : '';
          const named: Record<string, string> = {};
          for (const part of raw.split('; ')) {
            const key = /^settings\.([A-Za-z]+)/.exec(part)?.[1];
            if (key && (SETTING_INFO.has(key) || key === MOVEMENT_MDC_KEY)) {
              named[key] = settingsProblemInWords(part);
            }
          }
          setFieldErrors(named);
          setMessage({ ok: false, text: settingsProblemInWords(problemText(error)) });
          const firstNamed = Object.keys(named)[0];
          if (firstNamed) focusField(firstNamed);
        },
      },
    );
  }

  const offScreen = {
    timeZone: current.timeZone,
    bradenBands: current.bradenBands,
  };
  const edited = Object.keys(draft).length + (overrides ? 1 : 0);

  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">HO watch settings</h2>
      <p className="muted">
        Version {version}
        {settings.data.updatedAt
          ? `, changed ${formatDateTime(settings.data.updatedAt)}`
          : ' (defaults)'}
        . “CR §” is the section of the clinical reference the value comes from; every threshold and
        its source is listed in docs/clinical-rules.md.
      </p>
      <form ref={form} onSubmit={submit} aria-labelledby="settings-heading" noValidate>
        {SETTING_GROUPS.map((group) => (
          <section
            key={group.title}
            className="settings-group"
            aria-labelledby={`settings-${group.title}`}
          >
            <h3 id={`settings-${group.title}`}>{group.title}</h3>
            <ul className="setting-list">
              {group.settings.map((info) => (
                <SettingRow
                  key={info.key}
                  info={info}
                  value={draft[info.key] ?? editable(info, current[info.key])}
                  defaultValue={defaults[info.key]}
                  error={fieldErrors[info.key]}
                  onChange={(value) => edit(info.key, value)}
                />
              ))}
            </ul>
          </section>
        ))}
        <MovementOverrides
          rows={overrides ?? overrideRows(current[MOVEMENT_MDC_KEY])}
          defaultDegrees={shown(current.minimalDetectableChangeDegrees)}
          problems={overrideProblems}
          error={fieldErrors[MOVEMENT_MDC_KEY]}
          onChange={editOverrides}
        />
        <h3>Also in force (not changed on this screen)</h3>
        <dl className="muted">
          <dt>Time zone for counting days</dt>
          <dd>{shown(offScreen.timeZone) || 'UTC'}</dd>
          <dt>Braden risk bands (CR §5.3)</dt>
          <dd>
            {Array.isArray(offScreen.bradenBands)
              ? (offScreen.bradenBands as { label: string; min: number; max: number }[])
                  .map((band) => `${band.label} ${band.min}–${band.max}`)
                  .join('; ')
              : ''}
          </dd>
        </dl>
        <button type="submit" className="primary" disabled={update.isPending || edited === 0}>
          Save settings
        </button>
        <div role="status">{message?.ok && <p className="success">{message.text}</p>}</div>
        {message && !message.ok && (
          <div role="alert" className="error">
            <p>{message.text}</p>
            {Object.keys(fieldErrors).length > 0 && (
              <ul>
                {Object.entries(fieldErrors).map(([key, text]) => (
                  <li key={key}>{text}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
      <h3>History</h3>
      {settings.data.history.length === 0 ? (
        <p>No change yet: the defaults are in force.</p>
      ) : (
        <table>
          <caption>Earlier versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Changed</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {settings.data.history.map((entry) => (
              <tr key={entry.version}>
                <th scope="row">{entry.version}</th>
                <td>{formatDateTime(entry.changedAt)}</td>
                <td>{entry.changedBy ?? 'unknown'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A stored value as its control holds it. */
function editable(info: SettingInfo, value: unknown): Draft[string] {
  switch (info.kind) {
    case 'boolean':
      return value === true;
    case 'grades':
      return Array.isArray(value) ? (value as string[]) : [];
    case 'number':
    case 'choice':
    case 'hours':
      return shown(value);
  }
}

function SettingRow({
  info,
  value,
  defaultValue,
  error,
  onChange,
}: {
  readonly info: SettingInfo;
  readonly value: Draft[string];
  readonly defaultValue: unknown;
  readonly error: string | undefined;
  readonly onChange: (value: Draft[string]) => void;
}): React.JSX.Element {
  const id = `setting-${info.key}`;
  const source = sourceWords(info.source);
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const errorLine = error && (
    <p id={`${id}-error`} className="setting-error error">
      {error}
    </p>
  );
  const hint = (range: string | null): React.JSX.Element => (
    <p id={`${id}-hint`} className="setting-hint">
      {[
        range,
        `Default ${shown(defaultValue)}${unitSuffix(info)}`,
        source ? `Source: ${source}` : null,
      ]
        .filter(Boolean)
        .join(' · ')}
    </p>
  );

  switch (info.kind) {
    case 'number':
    case 'hours':
      return (
        <li className="setting">
          <label htmlFor={id}>{info.label}</label>
          <span className="setting-value">
            <input
              id={id}
              data-setting={info.key}
              inputMode={info.kind === 'hours' ? 'text' : info.integer ? 'numeric' : 'decimal'}
              autoComplete="off"
              value={String(value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-unit ${describedBy}`}
              onChange={(e) => onChange(e.target.value)}
            />
            <span id={`${id}-unit`}>
              {info.kind === 'hours' ? 'hours of the day' : unitWords(info.unit)}
            </span>
          </span>
          {hint(
            info.kind === 'hours'
              ? 'Whole hours 0 to 23, separated by commas'
              : `Range ${rangeText(info)}`,
          )}
          {errorLine}
        </li>
      );
    case 'choice':
      return (
        <li className="setting">
          <label htmlFor={id}>{info.label}</label>
          <span className="setting-value">
            <select
              id={id}
              data-setting={info.key}
              value={String(value)}
              aria-describedby={`${id}-unit ${describedBy}`}
              onChange={(e) => onChange(e.target.value)}
            >
              {info.options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
            <span id={`${id}-unit`}>{info.unit}</span>
          </span>
          {hint(`One of ${info.options.join(', ')}`)}
          {errorLine}
        </li>
      );
    case 'boolean':
      return (
        <li className="setting">
          <label className="check" htmlFor={id}>
            <input
              id={id}
              data-setting={info.key}
              type="checkbox"
              checked={value === true}
              aria-describedby={describedBy}
              onChange={(e) => onChange(e.target.checked)}
            />
            {info.label}
          </label>
          {hint(null)}
          {errorLine}
        </li>
      );
    case 'grades': {
      const chosen = Array.isArray(value) ? (value as readonly string[]) : [];
      return (
        <li className="setting">
          <fieldset aria-describedby={describedBy} data-setting={info.key} tabIndex={-1}>
            <legend>{info.label}</legend>
            {info.options.map((grade) => (
              <label key={grade} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(grade)}
                  onChange={(e) =>
                    onChange(
                      e.target.checked
                        ? info.options.filter((g) => g === grade || chosen.includes(g))
                        : chosen.filter((g) => g !== grade),
                    )
                  }
                />
                AIS {grade}
              </label>
            ))}
          </fieldset>
          {hint(null)}
          {errorLine}
        </li>
      );
    }
  }
}

/**
 * The minimal detectable change of single movements (CR §2.6), each overriding the value for every
 * movement: one row per movement, picked from the joint catalog, with its degrees; rows are added and
 * removed here and saved with the rest of the settings.
 */
function MovementOverrides({
  rows,
  defaultDegrees,
  problems,
  error,
  onChange,
}: {
  readonly rows: readonly MovementOverrideRow[];
  readonly defaultDegrees: string;
  readonly problems: readonly MovementOverrideProblem[];
  readonly error: string | undefined;
  readonly onChange: (rows: MovementOverrideRow[]) => void;
}): React.JSX.Element {
  const unused = MOVEMENT_CHOICES.filter((choice) => !rows.some((r) => r.movement === choice.key));
  const [adding, setAdding] = useState<string>('');
  const toAdd = unused.some((choice) => choice.key === adding) ? adding : (unused[0]?.key ?? '');
  const range = `Range ${rangeText(MOVEMENT_MDC_RANGE)}`;
  const problemOf = (row: number, part: MovementOverrideProblem['part']): string | undefined =>
    problems.find((p) => p.row === row && p.part === part)?.text;
  const change = (index: number, patch: Partial<MovementOverrideRow>): void =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <section
      className="settings-group"
      aria-labelledby="settings-mdc-heading"
      data-setting={MOVEMENT_MDC_KEY}
      tabIndex={-1}
    >
      <h3 id="settings-mdc-heading">Minimal detectable change for single movements</h3>
      <p id="mdc-hint" className="setting-hint muted">
        {`Each replaces the smallest fall that counts for one movement. ${range} · Otherwise ${defaultDegrees}° applies · Source: CR §2.6`}
      </p>
      {rows.length === 0 ? (
        <p>None: the smallest fall above applies to every movement.</p>
      ) : (
        <table className="mdc-table">
          <caption className="visually-hidden">Minimal detectable change by movement</caption>
          <thead>
            <tr>
              <th scope="col">Movement</th>
              <th scope="col">Smallest fall that counts</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const label = movementLabel(row.movement);
              const movementProblem = problemOf(index, 'movement');
              const degreesProblem = problemOf(index, 'degrees');
              return (
                <tr key={index}>
                  <td>
                    <select
                      id={`mdc-movement-${index}`}
                      aria-label={`Movement of override ${index + 1}`}
                      value={row.movement}
                      aria-invalid={movementProblem ? true : undefined}
                      aria-describedby={movementProblem ? `mdc-movement-${index}-error` : undefined}
                      onChange={(e) => change(index, { movement: e.target.value })}
                    >
                      {MOVEMENT_CHOICES.some((choice) => choice.key === row.movement) ? null : (
                        <option value={row.movement}>{label}</option>
                      )}
                      {MOVEMENT_CHOICES.map((choice) => (
                        <option key={choice.key} value={choice.key}>
                          {choice.label}
                        </option>
                      ))}
                    </select>
                    {movementProblem && (
                      <p id={`mdc-movement-${index}-error`} className="setting-error error">
                        {movementProblem}
                      </p>
                    )}
                  </td>
                  <td>
                    <span className="setting-value">
                      <input
                        id={`mdc-degrees-${index}`}
                        type="number"
                        min={0}
                        max={360}
                        step="any"
                        inputMode="decimal"
                        autoComplete="off"
                        aria-label={`Minimal detectable change for ${label}`}
                        value={row.degrees}
                        aria-invalid={degreesProblem ? true : undefined}
                        aria-describedby={[
                          `mdc-degrees-${index}-unit`,
                          'mdc-hint',
                          degreesProblem ? `mdc-degrees-${index}-error` : '',
                        ]
                          .filter(Boolean)
                          .join(' ')}
                        onChange={(e) => change(index, { degrees: e.target.value })}
                      />
                      <span id={`mdc-degrees-${index}-unit`}>
                        <span aria-hidden="true">°</span>
                        <span className="visually-hidden">degrees</span>
                      </span>
                    </span>
                    {degreesProblem && (
                      <p id={`mdc-degrees-${index}-error`} className="setting-error error">
                        {degreesProblem}
                      </p>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      onClick={() => onChange(rows.filter((_, i) => i !== index))}
                    >
                      Remove<span className="visually-hidden"> the override for {label}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {unused.length > 0 && (
        <p className="setting-value mdc-add">
          <label htmlFor="mdc-add-movement">Movement to add</label>
          <select id="mdc-add-movement" value={toAdd} onChange={(e) => setAdding(e.target.value)}>
            {unused.map((choice) => (
              <option key={choice.key} value={choice.key}>
                {choice.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => onChange([...rows, { movement: toAdd, degrees: defaultDegrees }])}
          >
            Add an override for {movementLabel(toAdd)}
          </button>
        </p>
      )}
      {error && problems.length === 0 && <p className="setting-error error">{error}</p>}
    </section>
  );
}
