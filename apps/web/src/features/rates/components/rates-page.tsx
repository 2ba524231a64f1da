import { PROPORTION_KEYS, RATE_KEYS, RATE_LABELS, type RateKey } from '@ossiwatch/domain';
import { ScrollRegion } from '../../../components/scroll-region.tsx';
import { useQuery } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useMemo } from 'react';
import { Link, useLocation, useSearchParams } from '../../../lib/router.tsx';
import { errorCode, useTRPC } from '../../../trpc.ts';
import {
  complianceNote,
  monthOf,
  monthSpan,
  rateUnit,
  ratesTable,
  ratesCsv,
  uChartRows,
} from '../rates.utils.ts';

import { RatesOverview, RatesReport } from './rates-overview.tsx';
import { datePresets } from '../overview.utils.ts';

const UChart = lazy(() => import('./u-chart.tsx'));

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The manager's monthly view: rates per ward with their denominators, intervals and u-charts. */
export default function RatesPage(): React.JSX.Element {
  const trpc = useTRPC();
  const [search, setSearch] = useSearchParams();
  const { pathname } = useLocation();
  // The page opens on the overview (where to look); the month-by-month table is one link away.
  const viewParam = search.get('view');
  const view = viewParam === 'table' || viewParam === 'report' ? viewParam : 'overview';
  const now = new Date();
  const fromParam = search.get('from') ?? '';
  const toParam = search.get('to') ?? '';
  const fromMonth = MONTH.test(fromParam) ? fromParam : monthOf(now, -11);
  const toMonth = MONTH.test(toParam) ? toParam : monthOf(now);
  const rateParam = search.get('rate') ?? '';
  const rate: RateKey = (RATE_KEYS as readonly string[]).includes(rateParam)
    ? (rateParam as RateKey)
    : 'pneumonia';
  const wardParam = search.get('wards');
  const chosenWards = wardParam ? wardParam.split(',').map(Number).filter(Number.isInteger) : null;

  const span = monthSpan(
    fromMonth <= toMonth ? fromMonth : toMonth,
    fromMonth <= toMonth ? toMonth : fromMonth,
  );
  // Every ward the user may see is fetched once; ticking wards filters on screen without a refetch.
  const summary = useQuery({
    ...trpc.rates.summary.queryOptions(span),
    enabled: view === 'table',
  });
  const allWards = useMemo(() => {
    const seen = new Map<number, string>();
    for (const row of summary.data?.rows ?? []) {
      if (row.wardId !== null) seen.set(row.wardId, row.wardName);
    }
    return [...seen.entries()].map(([id, name]) => ({ id, name }));
  }, [summary.data]);
  const table = useMemo(
    () => (summary.data ? ratesTable(summary.data, rate, chosenWards) : null),
    [summary.data, rate, chosenWards],
  );
  const complianceUnknown = summary.data ? complianceNote(summary.data, span.from) : null;
  const chartWards = useMemo(
    (): { id: number | null; name: string }[] =>
      chosenWards ? allWards.filter((w) => chosenWards.includes(w.id)) : allWards,
    [allWards, chosenWards],
  );

  useEffect(() => {
    document.title = 'Complication rates · OssiWatch';
  }, []);

  function toggleWard(id: number, on: boolean): void {
    const all = allWards.map((w) => w.id);
    const current = chosenWards ?? all;
    const next = on ? [...new Set([...current, id])] : current.filter((w) => w !== id);
    setSearch({ wards: next.length === all.length ? null : next.join(',') || String(-1) });
  }

  return (
    <main id="main">
      <h1>Complication rates</h1>
      <nav aria-label="Rates views" className="no-print">
        <ul className="sub-nav">
          <li>
            <Link href={pathname} aria-current={view === 'overview' ? 'page' : undefined}>
              Overview
            </Link>
          </li>
          <li>
            <Link
              href={`${pathname}?view=table`}
              aria-current={view === 'table' ? 'page' : undefined}
            >
              Rates by ward and month
            </Link>
          </li>
          <li>
            <Link
              href={`${pathname}?view=report`}
              aria-current={view === 'report' ? 'page' : undefined}
            >
              Monthly report
            </Link>
          </li>
        </ul>
      </nav>
      {view === 'overview' ? (
        <RatesOverview />
      ) : view === 'report' ? (
        <RatesReport />
      ) : (
        <>
          <p className="muted">
            Events count on the ward where the patient was on the day of onset; present-on-admission
            events are excluded from hospital-acquired rates. Rates have exact Poisson 95% intervals
            and u-charts; proportions (stays with a new pressure injury, HO per 100 admissions, ROM
            compliance) have exact binomial (Clopper–Pearson) intervals and p-charts, limits within
            0–100%. Chart limits are 3-sigma for each month&apos;s own denominator.
          </p>
          <form
            className="board-filters"
            aria-label="Choose wards, months and rate"
            onSubmit={(e) => e.preventDefault()}
          >
            <fieldset>
              <legend>Wards</legend>
              {allWards.length === 0 && <span className="muted">Loading wards…</span>}
              {allWards.map((ward) => (
                <label key={ward.id} className="check">
                  <input
                    type="checkbox"
                    checked={chosenWards === null || chosenWards.includes(ward.id)}
                    onChange={(event) => toggleWard(ward.id, event.target.checked)}
                  />
                  {ward.name}
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="from-month">From month</label>
              <input
                id="from-month"
                type="month"
                value={fromMonth}
                onChange={(event) => setSearch({ from: event.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="to-month">To month</label>
              <input
                id="to-month"
                type="month"
                value={toMonth}
                onChange={(event) => setSearch({ to: event.target.value })}
              />
            </div>
            <fieldset>
              <legend>Presets</legend>
              {datePresets(now).map((preset) => (
                <button
                  key={preset.label}
                  type="button"
                  aria-pressed={fromMonth === preset.from && toMonth === preset.to}
                  onClick={() => setSearch({ from: preset.from, to: preset.to })}
                >
                  {preset.label}
                </button>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="rate">Rate</label>
              <select
                id="rate"
                value={rate}
                onChange={(event) => setSearch({ rate: event.target.value })}
              >
                {RATE_KEYS.map((key) => (
                  <option key={key} value={key}>
                    {RATE_LABELS[key]}
                  </option>
                ))}
              </select>
            </div>
          </form>
          {summary.isPending && <p role="status">Calculating rates…</p>}
          {summary.isError && (
            <p role="alert">
              {errorCode(summary.error) === 'FORBIDDEN'
                ? 'Rates are for managers and administrators. Ask an administrator for the manager role.'
                : `The rates could not be calculated: ${summary.error.message}`}
            </p>
          )}
          {summary.data && table && (
            <>
              <h2>
                {PROPORTION_KEYS.has(rate) ? 'p-charts' : 'u-charts'}: {RATE_LABELS[rate]}
              </h2>
              <Suspense fallback={<p role="status">Loading charts…</p>}>
                <div className="chart-grid">
                  {[
                    ...chartWards,
                    ...(chartWards.length > 1 ? [{ id: null, name: 'All wards' }] : []),
                  ].map((ward) => (
                    <UChart
                      key={ward.id ?? 'all'}
                      title={ward.name}
                      unit={rateUnit(rate)}
                      rows={uChartRows(summary.data, rate, ward.id)}
                    />
                  ))}
                </div>
              </Suspense>
              <div className="page-head" style={{ marginTop: '1rem' }}>
                <h2>Rates by ward and month</h2>
                <button
                  type="button"
                  onClick={() =>
                    download(
                      `ossiwatch-rates-${rate}-${span.from}-to-${span.to}.csv`,
                      ratesCsv(summary.data, rate, chosenWards),
                    )
                  }
                >
                  Export CSV
                </button>
              </div>
              <ScrollRegion label="Rates table, scrollable">
                <table>
                  <caption>
                    {RATE_LABELS[rate]}, {span.from} to {span.to} ({summary.data.timeZone})
                  </caption>
                  <thead>
                    <tr>
                      {table.headers.map((header) => (
                        <th key={header} scope="col">
                          {header}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {table.rows.map((row, index) => (
                      <tr key={index}>
                        {row.map((cell, column) =>
                          column === 0 ? (
                            <th key={column} scope="row">
                              {cell}
                            </th>
                          ) : (
                            <td
                              key={column}
                              className={column >= 2 && column <= 6 ? 'num' : undefined}
                            >
                              {cell}
                            </td>
                          ),
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
              {table.rows.length === 0 && <p>No ward chosen: tick at least one ward.</p>}
              {complianceUnknown && <p>{complianceUnknown}</p>}
            </>
          )}
        </>
      )}
    </main>
  );
}
