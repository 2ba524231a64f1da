/**
 * One timeline of what happened to a patient: complications (onset and resolution), imaging, HO
 * diagnoses, treatments and catheters, newest first, each as a sentence. Reads the rows of
 * `patient.timeline` as they come from the record.
 */
import { PRESSURE_INJURY_STAGE_LABELS, PRESSURE_INJURY_STAGES } from '@ossiwatch/domain';

export type TimelineKind = 'complication' | 'imaging' | 'diagnosis' | 'treatment' | 'catheter';

/** The record behind an event, for its corrections (ids and status as `patient.timeline` gives them). */
export interface TimelineRecord {
  readonly kind: 'complication' | 'imaging' | 'diagnosis' | 'intervention' | 'catheter';
  readonly id: number;
  readonly version: number;
  /** "Entered in error by …: why", or null while the record counts. */
  readonly withdrawn: string | null;
}

export interface TimelineEvent {
  readonly at: string;
  readonly kind: TimelineKind;
  readonly text: string;
  readonly record?: TimelineRecord;
  /** The event that carries the record's actions (its start), not its end. */
  readonly primary?: boolean;
}

/** Status columns as the server lists them with each record (PRODUCT §5). */
export interface StatusFields {
  readonly id?: number;
  readonly version?: number;
  readonly status?: string;
  readonly statusReason?: string | null;
  readonly statusAt?: string | null;
  readonly statusByName?: string | null;
}

function recordOf(
  kind: TimelineRecord['kind'],
  row: StatusFields,
  withdrawnText: (row: StatusFields) => string,
): TimelineRecord | undefined {
  if (row.id === undefined || row.version === undefined) return undefined;
  return {
    kind,
    id: row.id,
    version: row.version,
    withdrawn: row.status === 'entered-in-error' ? withdrawnText(row) : null,
  };
}

export interface ComplicationRow extends StatusFields {
  readonly kind: string;
  readonly onsetAt: string;
  readonly resolvedAt: string | null;
  readonly presentOnAdmission: boolean;
  readonly bodySite?: string | null;
  readonly stage?: string | null;
  readonly deviceRelated?: boolean | null;
  readonly site?: string | null;
  readonly side?: string | null;
}

export type ImagingGradeLike =
  | { readonly system: 'brooker' | 'hastings_graham'; readonly grade: string }
  | { readonly system: 'free_text'; readonly text: string }
  | null;

export interface ImagingRow extends StatusFields {
  readonly modality: string;
  readonly site: string;
  readonly side: string;
  readonly result: string;
  readonly grade: ImagingGradeLike;
  readonly takenAt: string;
}

export interface DiagnosisRow extends StatusFields {
  readonly site: string;
  readonly side: string;
  readonly finding: string;
  readonly grade?: string | null;
  readonly note?: string | null;
  readonly diagnosedAt: string;
}

export interface InterventionRow extends StatusFields {
  readonly kind: string;
  readonly drug?: string | null;
  readonly doseMg?: number | null;
  readonly doseMgPerKgDay?: number | null;
  readonly doseGy?: number | null;
  readonly site?: string | null;
  readonly side?: string | null;
  readonly startedAt: string;
  readonly stoppedAt?: string | null;
}

export interface CatheterRow extends StatusFields {
  readonly insertedAt: string;
  readonly removedAt: string | null;
}

const COMPLICATION_WORDS: Record<string, string> = {
  pressure_injury: 'Pressure injury',
  pneumonia: 'Pneumonia',
  uti: 'Urinary tract infection',
  dvt: 'Deep vein thrombosis',
};

const MODALITY_WORDS: Record<string, string> = {
  xray: 'X-ray',
  bone_scan: 'Three-phase bone scan',
  ultrasound: 'Ultrasound',
  ct: 'CT',
  mri: 'MRI',
};

const INTERVENTION_WORDS: Record<string, string> = {
  nsaid: 'NSAID prophylaxis',
  etidronate: 'Etidronate',
  radiation: 'Radiation',
  excision: 'Surgical excision of HO',
  physiotherapy: 'Physiotherapy',
};

function where(side: string | null | undefined, site: string | null | undefined): string {
  if (!site) return '';
  return side ? `${side.charAt(0).toUpperCase()}${side.slice(1)} ${site}` : site;
}

function stageWords(stage: string): string {
  return (PRESSURE_INJURY_STAGES as readonly string[]).includes(stage)
    ? PRESSURE_INJURY_STAGE_LABELS[stage as (typeof PRESSURE_INJURY_STAGES)[number]]
    : stage;
}

function complicationName(c: ComplicationRow): string {
  const word = COMPLICATION_WORDS[c.kind] ?? c.kind;
  if (c.kind === 'pressure_injury') {
    const parts = [
      c.bodySite,
      c.stage ? stageWords(c.stage) : null,
      c.deviceRelated ? 'device-related' : null,
    ];
    const detail = parts.filter(Boolean).join(', ');
    return detail ? `${word} (${detail})` : word;
  }
  const place = where(c.side, c.site);
  return place ? `${word} (${place})` : word;
}

function imagingText(study: ImagingRow): string {
  const g = study.grade;
  let grade = '';
  if (g?.system === 'free_text') grade = `, ${g.text}`;
  else if (g?.system === 'brooker') grade = `, Brooker ${g.grade}`;
  else if (g?.system === 'hastings_graham') grade = `, Hastings & Graham ${g.grade}`;
  return `${MODALITY_WORDS[study.modality] ?? study.modality} of ${where(study.side, study.site)}: ${study.result}${grade}`;
}

function interventionText(item: InterventionRow): string {
  const word = INTERVENTION_WORDS[item.kind] ?? item.kind;
  const place = where(item.side, item.site);
  switch (item.kind) {
    case 'nsaid':
      return `${word} started${item.drug ? `: ${item.drug}` : ''}${item.doseMg ? ` ${item.doseMg} mg` : ''}`;
    case 'etidronate':
      return `${word} started${item.doseMgPerKgDay ? `: ${item.doseMgPerKgDay} mg/kg/day` : ''}`;
    case 'radiation':
      return `${word}${item.doseGy ? ` ${item.doseGy} Gy` : ''}${place ? ` to ${place}` : ''}`;
    case 'excision':
      return `${word}${place ? `: ${place}` : ''}`;
    default:
      return `${word} started`;
  }
}

export function buildTimeline(
  input: {
    complications?: readonly ComplicationRow[];
    imaging?: readonly ImagingRow[];
    diagnoses?: readonly DiagnosisRow[];
    interventions?: readonly InterventionRow[];
    catheterEpisodes?: readonly CatheterRow[];
  },
  withdrawnText: (row: StatusFields) => string = (row) =>
    `Entered in error: ${row.statusReason ?? ''}`,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const ref = (kind: TimelineRecord['kind'], row: StatusFields) => {
    const record = recordOf(kind, row, withdrawnText);
    return record ? { record } : {};
  };
  for (const c of input.complications ?? []) {
    const name = complicationName(c);
    events.push({
      at: c.onsetAt,
      kind: 'complication',
      text: `${name} began${c.presentOnAdmission ? ' (present on admission)' : ''}`,
      primary: true,
      ...ref('complication', c),
    });
    if (c.resolvedAt)
      events.push({
        at: c.resolvedAt,
        kind: 'complication',
        text: `${name} resolved`,
        ...ref('complication', c),
      });
  }
  for (const study of input.imaging ?? []) {
    events.push({
      at: study.takenAt,
      kind: 'imaging',
      text: imagingText(study),
      primary: true,
      ...ref('imaging', study),
    });
  }
  for (const d of input.diagnoses ?? []) {
    const finding =
      d.finding === 'ho_confirmed'
        ? 'HO confirmed'
        : d.finding === 'ho_ruled_out'
          ? 'HO ruled out'
          : d.finding;
    events.push({
      at: d.diagnosedAt,
      kind: 'diagnosis',
      text: `${finding} at ${where(d.side, d.site)}${d.grade ? `, grade ${d.grade}` : ''}${d.note ? ` (${d.note})` : ''}`,
      primary: true,
      ...ref('diagnosis', d),
    });
  }
  for (const item of input.interventions ?? []) {
    events.push({
      at: item.startedAt,
      kind: 'treatment',
      text: interventionText(item),
      primary: true,
      ...ref('intervention', item),
    });
    if (item.stoppedAt && item.kind !== 'radiation' && item.kind !== 'excision') {
      events.push({
        at: item.stoppedAt,
        kind: 'treatment',
        text: `${INTERVENTION_WORDS[item.kind] ?? item.kind} stopped`,
        ...ref('intervention', item),
      });
    }
  }
  for (const c of input.catheterEpisodes ?? []) {
    events.push({
      at: c.insertedAt,
      kind: 'catheter',
      text: 'Urinary catheter inserted',
      primary: true,
      ...ref('catheter', c),
    });
    if (c.removedAt)
      events.push({
        at: c.removedAt,
        kind: 'catheter',
        text: 'Urinary catheter removed',
        ...ref('catheter', c),
      });
  }
  return events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
