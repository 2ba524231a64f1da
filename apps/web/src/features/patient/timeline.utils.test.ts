import { describe, expect, it } from 'vitest';
import { buildTimeline } from './timeline.utils.ts';

describe('buildTimeline', () => {
  it('merges complications, imaging, diagnoses, treatments and catheters, newest first, in words', () => {
    const events = buildTimeline({
      complications: [
        {
          kind: 'pneumonia',
          onsetAt: '2026-03-02T10:00:00Z',
          resolvedAt: '2026-03-12T10:00:00Z',
          presentOnAdmission: false,
        },
      ],
      imaging: [
        {
          modality: 'xray',
          site: 'hip',
          side: 'left',
          result: 'positive',
          grade: { system: 'brooker', grade: 'III' },
          takenAt: '2026-03-20T10:00:00Z',
        },
      ],
      diagnoses: [
        {
          site: 'hip',
          side: 'left',
          finding: 'ho_confirmed',
          grade: null,
          note: null,
          diagnosedAt: '2026-03-21T10:00:00Z',
        },
      ],
      interventions: [
        {
          kind: 'nsaid',
          drug: 'indomethacin',
          doseMg: 75,
          startedAt: '2026-03-05T10:00:00Z',
          stoppedAt: null,
        },
      ],
      catheterEpisodes: [{ insertedAt: '2026-03-01T10:00:00Z', removedAt: null }],
    });
    expect(events.map((e) => e.text)).toEqual([
      'HO confirmed at Left hip',
      'X-ray of Left hip: positive, Brooker III',
      'Pneumonia resolved',
      'NSAID prophylaxis started: indomethacin 75 mg',
      'Pneumonia began',
      'Urinary catheter inserted',
    ]);
  });

  it('says when a complication was present on admission, with the pressure injury stage in words', () => {
    const [event] = buildTimeline({
      complications: [
        {
          kind: 'pressure_injury',
          bodySite: 'sacrum',
          stage: '2',
          deviceRelated: false,
          onsetAt: '2026-03-02T10:00:00Z',
          resolvedAt: null,
          presentOnAdmission: true,
        },
      ],
    });
    expect(event!.text).toMatch(/^Pressure injury \(sacrum, .+\) began \(present on admission\)$/);
  });

  it('is empty for a patient with nothing recorded', () => {
    expect(buildTimeline({})).toEqual([]);
  });
});
