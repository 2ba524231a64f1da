import { describe, expect, it } from 'vitest';
import { buildTimeline } from './timeline.utils.ts';

describe('buildTimeline', () => {
  it('merges complications, imaging and interventions, newest first, in words', () => {
    const events = buildTimeline({
      complications: [
        {
          id: 1,
          kind: 'pneumonia',
          onsetAt: '2026-03-02T10:00:00Z',
          resolvedAt: '2026-03-12T10:00:00Z',
          wardId: 1,
          presentOnAdmission: false,
        },
      ],
      imaging: [
        {
          id: 2,
          modality: 'xray',
          site: 'hip',
          side: 'left',
          result: 'positive',
          grade: { system: 'brooker', grade: 'III' },
          takenAt: '2026-03-20T10:00:00Z',
        },
      ],
      interventions: [
        {
          id: 3,
          kind: 'nsaid',
          drug: 'indomethacin',
          doseMg: 75,
          startedAt: '2026-03-05T10:00:00Z',
          stoppedAt: null,
        },
      ],
    });
    expect(events.map((e) => e.text)).toEqual([
      'X-ray of Left hip: positive, Brooker III',
      'Pneumonia resolved',
      'NSAID prophylaxis started: indomethacin 75 mg',
      'Pneumonia began',
    ]);
    expect(events.map((e) => e.kind)).toEqual([
      'imaging',
      'complication',
      'intervention',
      'complication',
    ]);
  });

  it('says when a complication was present on admission', () => {
    const [event] = buildTimeline({
      complications: [
        {
          id: 1,
          kind: 'pressure_injury',
          bodySite: 'sacrum',
          stage: '2',
          deviceRelated: false,
          onsetAt: '2026-03-02T10:00:00Z',
          resolvedAt: null,
          wardId: 1,
          presentOnAdmission: true,
        },
      ],
      imaging: [],
      interventions: [],
    });
    expect(event!.text).toMatch(/^Pressure injury \(sacrum, .*\) began \(present on admission\)$/);
  });
});
