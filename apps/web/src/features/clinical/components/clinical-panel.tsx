import { useRef } from 'react';
import type { RouterOutputs } from '../../../lib/api-types.ts';
import { draftKey } from '../../../lib/drafts.ts';
import { formatClockTime } from '../../../lib/format.ts';
import { FormDraftContext, useFormDrafts } from '../form-drafts.tsx';
import {
  BradenForm,
  CatheterForm,
  ComplicationForms,
  JointSignsForm,
  TemperatureForm,
} from './nurse-forms.tsx';
import { DiagnosisForm, ImagingForm, InterventionForms } from './physician-forms.tsx';
import { BleedingRiskForm, DischargeForm, LabsForm } from './record-forms.tsx';
import { TransferForm } from './transfer-dialog.tsx';

/** Courses that run until stopped; radiation and excision are single events. */
const RUNNING_KINDS = ['nsaid', 'etidronate', 'physiotherapy'];

/**
 * The nurse's and physician's entry forms for one patient, each under its own heading, with the
 * patient's cautions next to the treatments they concern. Loaded on demand with the patient page.
 */
export default function ClinicalPanel({
  patientId,
  userId,
  roles,
  patient,
  record,
}: {
  patientId: number;
  userId: number;
  roles: readonly string[];
  patient: RouterOutputs['patient']['get'];
  record: RouterOutputs['patient']['timeline'] | undefined;
}): React.JSX.Element | null {
  const nurse = roles.includes('nurse');
  const physician = roles.includes('physician');
  const panel = useRef<HTMLElement>(null);
  const drafts = useFormDrafts(
    draftKey(userId, patientId, 'clinical-forms'),
    () => panel.current,
    patient.patient.name,
  );
  if (!nurse && !physician) return null;
  // A record entered in error can no longer be resolved or stopped.
  const activeComplications = (record?.complications ?? []).filter(
    (c) => c.resolvedAt === null && c.status !== 'entered-in-error',
  );
  const running = (record?.interventions ?? []).filter(
    (i) =>
      i.stoppedAt === null && RUNNING_KINDS.includes(i.kind) && i.status !== 'entered-in-error',
  );
  const cautions = (patient.assessment?.advisories ?? [])
    .filter((advisory) => advisory.rule.startsWith('caution_'))
    .map((advisory) => `${advisory.text} (${advisory.evidence.section})`);

  return (
    <section
      className="panel no-print"
      aria-labelledby="record-heading"
      ref={panel}
      onChange={drafts.onChange}
    >
      <h2 id="record-heading">Record</h2>
      {drafts.offer && (
        <section className="draft-offer" aria-labelledby="forms-draft-title">
          <h3 id="forms-draft-title">
            Restore {Object.keys(drafts.offer.data).length} unsaved{' '}
            {Object.keys(drafts.offer.data).length === 1 ? 'form' : 'forms'} from{' '}
            {formatClockTime(drafts.offer.savedAt)}?
          </h3>
          <button type="button" className="primary" onClick={drafts.restore}>
            Restore
          </button>{' '}
          <button type="button" onClick={drafts.discard}>
            Discard
          </button>
        </section>
      )}
      <FormDraftContext.Provider value={{ saved: drafts.saved }}>
        {nurse && (
          <>
            <JointSignsForm patientId={patientId} />
            <TemperatureForm patientId={patientId} />
            <BradenForm patientId={patientId} />
            <CatheterForm patientId={patientId} openCatheter={patient.openCatheter} />
          </>
        )}
        {!nurse && physician && <TemperatureForm patientId={patientId} />}
        <LabsForm patientId={patientId} vitals={record?.vitals ?? []} />
        <ComplicationForms patientId={patientId} active={activeComplications} />
        {physician && (
          <>
            <ImagingForm patientId={patientId} />
            <DiagnosisForm patientId={patientId} />
            <BleedingRiskForm patientId={patientId} current={patient.bleedingRisk} />
            <InterventionForms patientId={patientId} running={running} cautions={cautions} />
          </>
        )}
        <TransferForm
          patientId={patientId}
          patientName={patient.patient.name}
          stay={patient.stay}
        />
        <DischargeForm
          patientId={patientId}
          patientName={patient.patient.name}
          stay={patient.stay}
        />
      </FormDraftContext.Provider>
    </section>
  );
}
