/**
 * One timeline of what happened to a patient: complications (onset and resolution), imaging and
 * interventions, newest first, each as a sentence.
 */
import {
  PRESSURE_INJURY_STAGE_LABELS,
  type Complication,
  type ImagingStudy,
  type Intervention,
} from '@ossiwatch/domain';
import { siteName } from '../../lib/labels.ts';

export type TimelineKind = 'complication' | 'imaging' | 'intervention';

export interface TimelineEvent {
  readonly at: string;
  readonly kind: TimelineKind;
  readonly text: string;
}

const COMPLICATION_WORDS: Record<Complication['kind'], string> = {
  pressure_injury: 'Pressure injury',
  pneumonia: 'Pneumonia',
  uti: 'Urinary tract infection',
  dvt: 'Deep vein thrombosis',
};

const MODALITY_WORDS: Record<ImagingStudy['modality'], string> = {
  xray: 'X-ray',
  bone_scan: 'Three-phase bone scan',
  ultrasound: 'Ultrasound',
  ct: 'CT',
  mri: 'MRI',
};

function complicationName(c: Complication): string {
  switch (c.kind) {
    case 'pressure_injury':
      return `${COMPLICATION_WORDS[c.kind]} (${c.bodySite}, ${PRESSURE_INJURY_STAGE_LABELS[c.stage]}${c.deviceRelated ? ', device-related' : ''})`;
    case 'dvt':
      return c.site && c.side
        ? `${COMPLICATION_WORDS[c.kind]} (${siteName(c.side, c.site)})`
        : COMPLICATION_WORDS[c.kind];
    case 'pneumonia':
    case 'uti':
      return COMPLICATION_WORDS[c.kind];
  }
}

function imagingText(study: ImagingStudy): string {
  const grade = study.grade
    ? study.grade.system === 'brooker'
      ? `, Brooker ${study.grade.grade}`
      : study.grade.system === 'hastings_graham'
        ? `, Hastings & Graham ${study.grade.grade}`
        : `, ${study.grade.text}`
    : '';
  return `${MODALITY_WORDS[study.modality]} of ${siteName(study.side, study.site)}: ${study.result}${grade}`;
}

function interventionEvents(item: Intervention): TimelineEvent[] {
  switch (item.kind) {
    case 'nsaid':
      return [
        {
          at: item.startedAt,
          kind: 'intervention',
          text: `NSAID prophylaxis started: ${item.drug} ${item.doseMg} mg`,
        },
        ...(item.stoppedAt
          ? [
              {
                at: item.stoppedAt,
                kind: 'intervention' as const,
                text: `NSAID prophylaxis stopped (${item.drug})`,
              },
            ]
          : []),
      ];
    case 'etidronate':
      return [
        {
          at: item.startedAt,
          kind: 'intervention',
          text: `Etidronate started: ${item.doseMgPerKgDay} mg/kg/day`,
        },
        ...(item.stoppedAt
          ? [{ at: item.stoppedAt, kind: 'intervention' as const, text: 'Etidronate stopped' }]
          : []),
      ];
    case 'radiation':
      return [
        {
          at: item.givenAt,
          kind: 'intervention',
          text: `Radiation ${item.doseGy} Gy to ${siteName(item.side, item.site)}`,
        },
      ];
    case 'excision':
      return [
        {
          at: item.performedAt,
          kind: 'intervention',
          text: `Surgical excision of HO: ${siteName(item.side, item.site)}`,
        },
      ];
    case 'physiotherapy':
      return [
        { at: item.startedAt, kind: 'intervention', text: 'Physiotherapy started' },
        ...(item.stoppedAt
          ? [{ at: item.stoppedAt, kind: 'intervention' as const, text: 'Physiotherapy stopped' }]
          : []),
      ];
  }
}

export function buildTimeline(input: {
  complications: readonly Complication[];
  imaging: readonly ImagingStudy[];
  interventions: readonly Intervention[];
}): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const c of input.complications) {
    const name = complicationName(c);
    events.push({
      at: c.onsetAt,
      kind: 'complication',
      text: `${name} began${c.presentOnAdmission ? ' (present on admission)' : ''}`,
    });
    if (c.resolvedAt)
      events.push({ at: c.resolvedAt, kind: 'complication', text: `${name} resolved` });
  }
  for (const study of input.imaging) {
    events.push({ at: study.takenAt, kind: 'imaging', text: imagingText(study) });
  }
  for (const item of input.interventions) events.push(...interventionEvents(item));
  return events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
