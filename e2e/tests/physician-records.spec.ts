import { expect, test } from '@playwright/test';
import { expectAccessible, openFirstBoard, signIn, openPatientOnBoard } from './support.ts';

test('a physician records a CRP and a bleeding risk, sees them on the patient page, and discharges the patient', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'physician');
  await openFirstBoard(page);
  // The third row: the other journeys work on the first, second and last patients.
  const name = await openPatientOnBoard(page, 2);

  const labs = page.getByRole('form', { name: 'Labs' });
  await labs.getByLabel('Lab test', { exact: true }).selectOption('crp');
  // The unit is part of the field's name, and the time names its zone.
  await labs.getByLabel('CRP (mg/L)').fill('2000');
  await expect(labs.getByLabel(/^Time taken \(.+\)$/)).toBeVisible();
  await labs.getByRole('button', { name: 'Save lab value' }).click();
  await expect(labs.getByRole('alert')).toContainText(
    'CRP (mg/L): 2000 mg/L is outside the plausible range',
  );
  await labs.getByLabel('CRP (mg/L)').fill('12,5');
  await labs.getByRole('button', { name: 'Save lab value' }).click();
  await expect(labs.getByRole('status')).toContainText('CRP 12.5 mg/L saved.');
  await expect(labs.getByRole('list', { name: 'Latest labs' })).toContainText('CRP: 12.5 mg/L');
  // Every lab is listed with its unit, or in words when it was never measured (never as 0); which
  // of the two depends on the synthetic patient's history.
  for (const lab of [/ALP: (not recorded|[\d.]+ U\/L)/, /CK: (not recorded|[\d.]+ U\/L)/]) {
    await expect(labs.getByRole('list', { name: 'Latest labs' })).toContainText(lab);
  }

  const bleeding = page.getByRole('form', { name: 'Bleeding risk' });
  // The synthetic patient may already have flags recorded (a head injury's intracranial bleed): the
  // physician sets each of the four explicitly.
  for (const flag of [
    'Previous gastrointestinal bleed',
    'Intracranial bleed',
    'Renal impairment',
  ]) {
    await bleeding.getByLabel(flag).uncheck();
  }
  await bleeding.getByLabel('Anticoagulated').check();
  await expect(bleeding).toContainText('consider whether NSAID prophylaxis is appropriate');
  await bleeding.getByRole('button', { name: 'Save bleeding risk' }).click();
  await expect(bleeding.getByRole('status')).toContainText('Bleeding risk saved: Anticoagulated.');
  await expect(bleeding).toContainText(/Bleeding risk recorded .+: Anticoagulated\./);
  // Saved again from the version just read: no conflict.
  await bleeding.getByLabel('Renal impairment').check();
  await bleeding.getByRole('button', { name: 'Save bleeding risk' }).click();
  await expect(bleeding).toContainText(
    /Bleeding risk recorded .+: Renal impairment, Anticoagulated\./,
  );
  await expectAccessible(page);

  const discharge = page.getByRole('form', { name: 'Discharge' });
  // Not without the deliberate tick, which the refusal names.
  await discharge.getByRole('button', { name: `Discharge ${name}` }).click();
  await expect(discharge.getByRole('alert')).toContainText(`Confirm: tick that ${name} leaves`);
  await discharge.getByLabel(`${name} leaves the ward`).check();
  await discharge.getByRole('button', { name: `Discharge ${name}` }).click();
  await expect(discharge.getByRole('status')).toContainText(`${name} discharged at`);
  await expect(discharge).toContainText('nothing more can be recorded');
  await expectAccessible(page);
});
