import { useQuery } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useMemo } from 'react';
import type { SessionUser } from '../../auth/hooks/use-session.ts';
import { TierBadge } from '../../../components/tier-badge.tsx';
import { formatDate } from '../../../lib/format.ts';
import { Link, navigate } from '../../../lib/router.tsx';
import { errorCode, useTRPC } from '../../../trpc.ts';
import { BodyMap } from '../../body-map/components/body-map.tsx';
import { toPatientView, type PatientView } from '../patient-view.ts';
import { buildTimeline } from '../timeline.utils.ts';
import { bradenTrend, jhHlmTrend } from '../trend.utils.ts';
import { RiskPanel } from './risk-panel.tsx';
import { RomReadings } from './rom-readings.tsx';
import {
  withdrawnText,
  type RecordStatusLike,
} from '../../corrections/components/correction-dialogs.tsx';
import { Timeline } from './timeline.tsx';

const RomCharts = lazy(() => import('./rom-charts.tsx'));
const TrendChart = lazy(() => import('./trend-chart.tsx'));
const ClinicalPanel = lazy(() => import('../../clinical/components/clinical-panel.tsx'));

const INJURY_WORDS: Record<string, string> = {
  tbi: 'Traumatic brain injury',
  sci: 'Spinal cord injury',
  stroke: 'Stroke',
  anoxic: 'Anoxic brain injury',
  other: 'Other injury',
};

function Header({ view }: { view: PatientView }): React.JSX.Element {
  return (
    <header>
      <p className="print-only confidential">Confidential: patient information</p>
      <div className="patient-head">
        <h1>{view.name}</h1>
        <TierBadge tier={view.risk.tier} />
      </div>
      <dl className="patient-facts">
        <div>
          <dt>MRN</dt>
          <dd>{view.mrn}</dd>
        </div>
        <div>
          <dt>Age</dt>
          <dd>{view.age ?? 'unknown'}</dd>
        </div>
        <div>
          <dt>Sex</dt>
          <dd>{view.sex}</dd>
        </div>
        <div>
          <dt>Ward, bed</dt>
          <dd>
            {view.wardName ?? 'not on a ward'},{' '}
            <span className="bed">bed {view.bed ?? 'unassigned'}</span>
          </dd>
        </div>
        {view.admittedAt && (
          <div>
            <dt>Admitted</dt>
            <dd>{formatDate(view.admittedAt)}</dd>
          </div>
        )}
        <div>
          <dt>Injury</dt>
          <dd>
            {view.injuryType ? (INJURY_WORDS[view.injuryType] ?? view.injuryType) : 'not recorded'}
            {view.daysSinceInjury !== null && `, day ${view.daysSinceInjury}`}
          </dd>
        </div>
      </dl>
    </header>
  );
}

/** Rows that count: entered-in-error ones leave the charts (they stay listed, struck through). */
function current<T extends { status: string }>(rows: readonly T[] | undefined): T[] {
  return (rows ?? []).filter((row) => row.status !== 'entered-in-error');
}

export default function PatientPage({
  patientId,
  user,
}: {
  patientId: number;
  user: SessionUser;
}): React.JSX.Element {
  const trpc = useTRPC();
  const patient = useQuery(trpc.patient.get.queryOptions({ patientId }));
  const rom = useQuery(trpc.rom.list.queryOptions({ patientId }));
  const record = useQuery(trpc.patient.timeline.queryOptions({ patientId }));
  const view = useMemo(() => (patient.data ? toPatientView(patient.data) : null), [patient.data]);
  const timeline = useMemo(
    () =>
      record.data
        ? buildTimeline(record.data, (row) => withdrawnText(row as RecordStatusLike))
        : [],
    [record.data],
  );

  useEffect(() => {
    if (view) document.title = `${view.name} · OssiWatch`;
  }, [view]);

  if (patient.isError) {
    const code = errorCode(patient.error);
    return (
      <main id="main">
        <h1>Patient</h1>
        <p role="alert">
          {code === 'FORBIDDEN'
            ? `You have no access to this patient. ${patient.error.message}`
            : code === 'NOT_FOUND'
              ? 'There is no such patient.'
              : `The patient could not be loaded: ${patient.error.message}`}
        </p>
        <p>
          <Link href="/">Back to your wards</Link>
        </p>
      </main>
    );
  }
  if (!view) {
    return (
      <main id="main">
        <p role="status">Loading the patient…</p>
      </main>
    );
  }

  return (
    <main id="main">
      <Header view={view} />
      <div className="no-print" style={{ display: 'flex', gap: '0.75rem', margin: '0.75rem 0' }}>
        {user.roles.includes('therapist') && (
          <button
            type="button"
            className="primary"
            onClick={() => navigate(`/patients/${patientId}/record`)}
          >
            Record session
          </button>
        )}
        {(user.roles.includes('nurse') || user.roles.includes('physician')) && (
          <a href="#record-heading" className="button-link">
            Record observations
          </a>
        )}
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <div className="panels">
        <RiskPanel risk={view.risk} />
        <section className="panel" aria-label="Joint sites">
          <BodyMap sites={view.sites} />
        </section>
      </div>
      <section className="panel" aria-labelledby="rom-heading">
        <h2 id="rom-heading">Range of motion</h2>
        {rom.isError && (
          <p role="alert">Range of motion could not be loaded: {rom.error.message}</p>
        )}
        {rom.data && (
          <>
            <Suspense fallback={<p role="status">Loading charts…</p>}>
              {/* Readings entered in error leave every chart (PRODUCT §5); the list below keeps them. */}
              <RomCharts
                readings={rom.data.filter((r) => r.status !== 'entered-in-error')}
                alerts={view.romSignals}
              />
            </Suspense>
            <RomReadings
              readings={rom.data}
              canCorrect={user.roles.some((role) => role === 'therapist' || role === 'physician')}
            />
          </>
        )}
      </section>
      <section className="panel" aria-labelledby="trend-heading">
        <h2 id="trend-heading">Mobility and Braden</h2>
        {record.isError && (
          <p role="alert">The record could not be loaded: {record.error.message}</p>
        )}
        <Suspense fallback={<p role="status">Loading charts…</p>}>
          <div className="chart-grid">
            <TrendChart
              title="Mobility (JH-HLM)"
              points={jhHlmTrend(current(record.data?.mobility))}
              domain={[1, 8]}
              note="Johns Hopkins Highest Level of Mobility, 1 (lying in bed) to 8 (walked 250 ft or more) (CR §4.3)."
            />
            <TrendChart
              title="Braden total"
              points={bradenTrend(current(record.data?.braden))}
              domain={[6, 23]}
              note="Braden scale 6–23: the lower the total, the higher the pressure-injury risk (CR §5.3)."
            />
          </div>
        </Suspense>
      </section>
      {patient.data && (user.roles.includes('nurse') || user.roles.includes('physician')) && (
        <Suspense fallback={<p role="status">Loading the forms…</p>}>
          <ClinicalPanel
            patientId={patientId}
            userId={user.id}
            roles={user.roles}
            patient={patient.data}
            record={record.data}
          />
        </Suspense>
      )}
      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Complications, imaging and treatments</h2>
        {record.isPending ? (
          <p role="status">Loading the record…</p>
        ) : (
          <Timeline
            events={timeline}
            canCorrect={user.roles.some((role) => role === 'nurse' || role === 'physician')}
          />
        )}
      </section>
    </main>
  );
}
