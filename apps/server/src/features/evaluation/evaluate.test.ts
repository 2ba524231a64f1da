import { describe, expect, it } from 'vitest';
import { TIERS } from '@ossiwatch/domain';
import { evaluateSeed } from './command.ts';
import { formatEvaluation } from './evaluate.ts';

describe('evaluate: the alarm burden on a labelled cohort (PRODUCT §3)', () => {
  // A small cohort keeps the test quick; the command runs whole hospitals.
  const evaluation = evaluateSeed(11, 60);

  it('counts every patient-day once, under one tier', () => {
    expect(evaluation.patients).toBe(60);
    const total = TIERS.reduce((sum, tier) => sum + evaluation.tierDays[tier], 0);
    expect(total).toBe(evaluation.patientDays);
    expect(evaluation.patientDays).toBeGreaterThan(60 * 20);
  });

  it('scores suspicion against the ground truth', () => {
    expect(evaluation.patientsWithHo).toBeGreaterThan(0);
    expect(evaluation.truePositiveSites).toBeLessThanOrEqual(evaluation.suspectedSites);
    expect(evaluation.detectedSites).toBeLessThanOrEqual(evaluation.hoSites);
    expect(evaluation.leadDays.n).toBe(evaluation.detectedSites);
    expect(evaluation.patientsEverAlert.withHo).toBeLessThanOrEqual(evaluation.patientsWithHo);
  });

  it('keeps the ward from turning red: alert on at most a tenth of patient-days', () => {
    expect(evaluation.alertShare).toBeLessThanOrEqual(0.1);
  });

  it('says in words whether each target is met', () => {
    const text = formatEvaluation(evaluation, 'seed 11');
    expect(text).toMatch(/^seed 11: 60 patients/);
    expect(text).toMatch(/alert share of patient-days [\d.]+% \(target ≤ 10.0%\): (meets|MISSES)/);
    expect(text).toMatch(/PPV of suspected sites/);
    expect(text).toMatch(/lead time median/);
  });
});
