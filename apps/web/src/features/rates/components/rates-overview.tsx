import {
  MEASURES,
  MEASURE_KEYS,
  isMeasureKey,
  type Assurance,
  type MeasureKey,
  type MeasureSeries,
  type Variation,
} from '@ossiwatch/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from '../../../lib/router.tsx';
import { errorCode, useTRPC } from '../../../trpc.ts';
import { problemText } from '../../clinical/components/form-parts.tsx';
import { cellWords, chartSummary, controlChartRows } from '../overview.utils.ts';
import { monthLabel } from '../rates.utils.ts';

const ControlChart = lazy(() => import('./control-chart.tsx'));

/** MDC's icons as shapes with a letter (never colour alone); the words sit beside them. */
const VARIATION_GLYPH: Record<Variation, string> = {
  special_cause_concerning: '!',
  special_cause_improving: '+',
  common_cause: '~',
};
const ASSURANCE_GLYPH: Record<Assurance, string> = { met: 'P', missed: 'F', hit_and_miss: '?' };

function VariationIcon({ variation, words }: { variation: Variation; words: string }) {
  return (
    <span className={`spc-icon variation-${variation}`}>
      <span className="spc-glyph" aria-hidden="true">
        {VARIATION_GLYPH[variation]}
      </span>
      {words}
    </span>
  );
}

function AssuranceIcon({ assurance, words }: { assurance: Assurance | null; words: string }) {
  return (
    <span className={`spc-icon assurance-${assurance ?? 'none'}`}>
      {assurance && (
        <span className="spc-glyph" aria-hidden="true">
          {ASSURANCE_GLYPH[assurance]}
        </span>
      )}
      {words}
    </span>
  );
}

type Overview = NonNullable<ReturnType<typeof useOverview>['data']>;

function useOverview() {
  const trpc = useTRPC();
  return useQuery(trpc.rates.overview.queryOptions());
}

/**
 * The rates page's first view: where to look. Wards (rows) × measures (columns), each cell the
 * latest complete month with its interval, variation and assurance in words; a cell opens its chart.
 */
export function RatesOverview(): React.JSX.Element {
  const overview = useOverview();
  const [search, setSearch] = useSearchParams();
  const wardParam = search.get('ward');
  const measureParam = search.get('measure') ?? '';
  const chosen =
    overview.data && wardParam && isMeasureKey(measureParam)
      ? overview.data.series.find(
          (s) =>
            s.measure === measureParam &&
            (wardParam === 'all' ? s.wardId === null : s.wardId === Number(wardParam)),
        )
      : undefined;

  if (overview.isPending) return <p role="status">Calculating the overview…</p>;
  if (overview.isError) {
    return (
      <p role="alert">
        {errorCode(overview.error) === 'FORBIDDEN'
          ? 'Rates are for managers and administrators. Ask an administrator for the manager role.'
          : `The overview could not be calculated: ${overview.error.message}`}
      </p>
    );
  }
  const data = overview.data;
  const scopes = scopesOf(data);
  const latestMonth = data.series.find((s) => s.latest)?.latest?.month;
  return (
    <>
      <p className="muted">
        Each cell is the latest complete month{latestMonth ? ` (${monthLabel(latestMonth)})` : ''}{' '}
        with its 95% interval (lead time: its interquartile range). <strong>Variation</strong> says
        whether that month shows special cause on its control chart (a point outside the 3-sigma
        limits, a run of 7 on one side of the centre line, a trend of 7 rising or falling, or two of
        three beyond 2 sigma); <strong>assurance</strong> says whether the process will meet a
        target set by a manager. After NHS England&apos;s <i>Making Data Count</i>. Choose a cell
        for its chart.
      </p>
      <OverviewTable
        data={data}
        scopes={scopes}
        chosen={chosen}
        onOpen={(wardId, measure) =>
          setSearch({ ward: wardId === null ? 'all' : String(wardId), measure })
        }
      />
      {chosen && (
        <SeriesDetail
          key={`${chosen.wardId ?? 'all'}-${chosen.measure}`}
          series={chosen}
          wardName={scopes.find((w) => w.id === chosen.wardId)?.name ?? 'All wards'}
          overview={data}
          onClose={() => setSearch({ ward: null, measure: null })}
        />
      )}
    </>
  );
}

type Scope = { readonly id: number | null; readonly name: string };

/** A cell opens its chart on screen; on the printed report it is plain text. */
function CellBody({
  open,
  onOpen,
  children,
}: {
  open: boolean;
  onOpen: (() => void) | undefined;
  children: React.ReactNode;
}): React.JSX.Element {
  if (!onOpen) return <div className="spc-cell-button">{children}</div>;
  return (
    <button type="button" className="spc-cell-button" aria-pressed={open} onClick={onOpen}>
      {children}
    </button>
  );
}

/** Wards (rows) × measures (columns): each cell's value, variation and assurance in words. */
function OverviewTable({
  data,
  scopes,
  chosen,
  onOpen,
}: {
  data: Overview;
  scopes: readonly Scope[];
  chosen: MeasureSeries | undefined;
  onOpen: ((wardId: number | null, measure: MeasureKey) => void) | undefined;
}): React.JSX.Element {
  return (
    <div
      className="table-scroll"
      // Without buttons (the printed report) a wide table must still scroll by keyboard.
      {...(onOpen ? {} : { tabIndex: 0, role: 'region', 'aria-label': 'Overview, scrollable' })}
    >
      <table className="spc-overview">
        <caption>
          Where to look: wards by measure, {data.from} to {data.to}
        </caption>
        <thead>
          <tr>
            <th scope="col">Ward</th>
            {MEASURE_KEYS.map((measure) => (
              <th key={measure} scope="col">
                {MEASURES[measure].shortLabel}
                <span className="unit">{MEASURES[measure].unit}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {scopes.map((ward) => (
            <tr key={ward.id ?? 'all'}>
              <th scope="row">{ward.name}</th>
              {MEASURE_KEYS.map((measure) => {
                const series = data.series.find(
                  (s) => s.wardId === ward.id && s.measure === measure,
                );
                if (!series) return <td key={measure}>not counted</td>;
                const words = cellWords(series);
                const open = chosen === series;
                return (
                  <td key={measure} className={`spc-cell variation-${series.variation}`}>
                    <CellBody open={open} onOpen={onOpen && (() => onOpen(ward.id, measure))}>
                      <span className="visually-hidden">
                        {MEASURES[measure].shortLabel}, {ward.name}
                        {words.month ? `, ${words.month}` : ''}:{' '}
                      </span>
                      <span className="spc-value">{words.value}</span>
                      <VariationIcon variation={series.variation} words={words.variation} />
                      <AssuranceIcon assurance={series.assurance} words={words.assurance} />
                    </CellBody>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SeriesDetail({
  series,
  wardName,
  overview,
  onClose,
}: {
  series: MeasureSeries;
  wardName: string;
  overview: Overview;
  onClose: () => void;
}): React.JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  const info = MEASURES[series.measure];
  const words = cellWords(series);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="spc-detail" aria-labelledby="spc-detail-heading">
      <div className="page-head">
        <h2 id="spc-detail-heading" ref={heading} tabIndex={-1}>
          {info.shortLabel}: {wardName}
        </h2>
        <button type="button" onClick={onClose}>
          Close chart
        </button>
      </div>
      <p>
        {info.label}. Latest complete month{words.month ? ` (${words.month})` : ''}: {words.value}{' '}
        {info.unit}. <VariationIcon variation={series.variation} words={words.variation} />{' '}
        <AssuranceIcon assurance={series.assurance} words={words.assurance} />
      </p>
      <SeriesChart series={series} wardName={wardName} />
      <TargetForm series={series} wardName={wardName} overview={overview} />
    </section>
  );
}

/** One series' control chart with its text alternative, and its months in a table below. */
function SeriesChart({
  series,
  wardName,
}: {
  series: MeasureSeries;
  wardName: string;
}): React.JSX.Element {
  const info = MEASURES[series.measure];
  const rows = controlChartRows(series);
  return (
    <>
      <Suspense fallback={<p role="status">Loading the chart…</p>}>
        <ControlChart rows={rows} unit={info.unit} summary={chartSummary(series, wardName)} />
      </Suspense>
      <div
        className="table-scroll"
        tabIndex={0}
        role="region"
        aria-label={`${info.shortLabel}, ${wardName}, by month, scrollable`}
      >
        <table>
          <caption>
            {info.shortLabel}, {wardName}, by month ({info.interval}; limits 3-sigma)
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">{series.measure === 'leadTime' ? 'Sites confirmed' : 'Events'}</th>
              {series.measure !== 'leadTime' && <th scope="col">Denominator</th>}
              <th scope="col">
                Value {info.unit} ({info.interval})
              </th>
              <th scope="col">Lower limit</th>
              <th scope="col">Upper limit</th>
              <th scope="col">Special cause</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.month}>
                <th scope="row">{row.label}</th>
                <td className="num">{row.numerator}</td>
                {series.measure !== 'leadTime' && <td className="num">{row.denominator ?? ''}</td>}
                <td>{row.figure}</td>
                <td className="num">{row.lowerLimit?.toFixed(1) ?? ''}</td>
                <td className="num">{row.upperLimit?.toFixed(1) ?? ''}</td>
                <td>{row.signalWords}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The wards of the overview, then all wards together when the overview has them. */
function scopesOf(data: Overview): Scope[] {
  return [
    ...data.wards,
    ...(data.series.some((s) => s.wardId === null) ? [{ id: null, name: 'All wards' }] : []),
  ];
}

/**
 * The monthly report for the ward's quality meeting, to print: the overview, then the chart and
 * table of every series whose latest complete month carries a special-cause signal.
 */
export function RatesReport(): React.JSX.Element {
  const overview = useOverview();
  if (overview.isPending) return <p role="status">Preparing the report…</p>;
  if (overview.isError) {
    return <p role="alert">The report could not be prepared: {overview.error.message}</p>;
  }
  const data = overview.data;
  const scopes = scopesOf(data);
  const latestMonth = data.series.find((s) => s.latest)?.latest?.month;
  const signalled = data.series.filter((s) => s.variation !== 'common_cause');
  return (
    <section aria-labelledby="report-heading" className="spc-report">
      <div className="page-head">
        <h2 id="report-heading">
          Monthly report{latestMonth ? `: ${monthLabel(latestMonth)}` : ''}
        </h2>
        <button type="button" onClick={() => window.print()}>
          Print report
        </button>
      </div>
      <p className="muted">
        Made on {data.today} for the quality meeting. Aggregates only: no patient is named.
      </p>
      <OverviewTable data={data} scopes={scopes} chosen={undefined} onOpen={undefined} />
      <h2>Charts with a special-cause signal in the latest month</h2>
      {signalled.length === 0 && <p>None: every ward and measure shows common cause variation.</p>}
      {signalled.map((series) => {
        const wardName = scopes.find((w) => w.id === series.wardId)?.name ?? 'All wards';
        return (
          <section key={`${series.wardId ?? 'all'}-${series.measure}`} className="spc-report-chart">
            <h3>
              {MEASURES[series.measure].shortLabel}: {wardName}
            </h3>
            <SeriesChart series={series} wardName={wardName} />
          </section>
        );
      })}
    </section>
  );
}

function TargetForm({
  series,
  wardName,
  overview,
}: {
  series: MeasureSeries;
  wardName: string;
  overview: Overview;
}): React.JSX.Element {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setTarget = useMutation(trpc.rates.setTarget.mutationOptions());
  const info = MEASURES[series.measure];
  const [scope, setScope] = useState<'ward' | 'hospital'>(
    series.wardId !== null && series.target?.wardId === series.wardId ? 'ward' : 'hospital',
  );
  const wardId = scope === 'ward' ? series.wardId : null;
  const existing =
    overview.targets.find((t) => t.measure === series.measure && t.wardId === wardId) ?? null;
  const [value, setValue] = useState(existing ? String(existing.value) : '');
  const [source, setSource] = useState(existing?.source ?? '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function save(newValue: number | null): void {
    setTarget.mutate(
      {
        measure: series.measure,
        wardId,
        value: newValue,
        source,
        expectedVersion: overview.targetsVersion,
      },
      {
        onSuccess: () => {
          setMessage({
            ok: true,
            text:
              newValue === null
                ? 'Target removed.'
                : 'Target saved; the icons now compare with it.',
          });
          void queryClient.invalidateQueries({ queryKey: trpc.rates.overview.queryKey() });
        },
        onError: (error) => setMessage({ ok: false, text: problemText(error) }),
      },
    );
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) {
      setMessage({ ok: false, text: `Target: enter a number in ${info.unit}` });
      return;
    }
    save(number);
  }

  return (
    <form className="clinical-form" onSubmit={submit} aria-labelledby="target-heading" noValidate>
      <h3 id="target-heading">Target for {info.shortLabel}</h3>
      <p className="muted">
        {series.target
          ? `In force here: ${series.target.value} ${info.unit}, ${series.target.wardId === null ? 'hospital-wide' : 'this ward'} (source: ${series.target.source}).`
          : 'No target is set for this measure here yet.'}{' '}
        {info.good === 'lower' ? 'Lower is better.' : 'Higher is better.'}
      </p>
      {series.wardId !== null && (
        <fieldset>
          <legend>Applies to</legend>
          <label className="check">
            <input
              type="radio"
              name="target-scope"
              checked={scope === 'ward'}
              onChange={() => setScope('ward')}
            />
            {wardName} only
          </label>
          <label className="check">
            <input
              type="radio"
              name="target-scope"
              checked={scope === 'hospital'}
              onChange={() => setScope('hospital')}
            />
            Every ward without its own target
          </label>
        </fieldset>
      )}
      <div className="form-row">
        <div className="field">
          <label htmlFor="target-value">Target ({info.unit})</label>
          <input
            id="target-value"
            inputMode="decimal"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            style={{ width: '8rem' }}
          />
        </div>
        <div className="field">
          <label htmlFor="target-source">Source of the target</label>
          <input
            id="target-source"
            value={source}
            maxLength={300}
            onChange={(e) => setSource(e.target.value)}
            style={{ width: '22rem', maxWidth: '100%' }}
          />
        </div>
        <button type="submit" className="primary" disabled={setTarget.isPending}>
          Save target
        </button>
        {existing && (
          <button type="button" disabled={setTarget.isPending} onClick={() => save(null)}>
            Remove target
          </button>
        )}
      </div>
      <div role="status">{message?.ok && <p className="success">{message.text}</p>}</div>
      {message && !message.ok && (
        <p role="alert" className="error">
          {message.text}
        </p>
      )}
    </form>
  );
}
