import { expect, test } from '@playwright/test';
import { expectAccessible, openFirstBoard, signIn, openPatientOnBoard } from './support.ts';

test('a physician reads the advisories, records imaging and a diagnosis, and sees them on the timeline', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'physician');
  await openFirstBoard(page);
  // The first row is the most urgent patient.
  await openPatientOnBoard(page, 0);
  await expect(page.getByRole('region', { name: 'Risk' })).toContainText('Reasons');

  const imaging = page.getByRole('form', { name: 'Imaging' });
  await imaging.getByLabel('Modality').selectOption('xray');
  await imaging.getByLabel('Side').selectOption('left');
  await imaging.getByLabel('Joint').selectOption('hip');
  await imaging.getByLabel('Result').selectOption('negative');
  // An X-ray is often negative early: the form says what to consider instead.
  await expect(imaging).toContainText('consider ultrasound or a three-phase bone scan');
  await imaging.getByRole('button', { name: 'Save imaging' }).click();
  await expect(imaging.getByRole('status')).toContainText('X-ray of the left hip saved: negative');

  const diagnosis = page.getByRole('form', { name: 'HO diagnosis' });
  await diagnosis.getByLabel('Joint').selectOption('knee');
  await diagnosis.getByLabel('Finding').selectOption('ho_ruled_out');
  await diagnosis.getByLabel('Note').fill('ultrasound clear');
  await diagnosis.getByRole('button', { name: 'Save diagnosis' }).click();
  await expect(diagnosis.getByRole('status')).toContainText('HO ruled out at the left knee');

  const timeline = page.getByRole('list', { name: /Complications, imaging and treatments/ });
  await expect(timeline).toContainText('X-ray of Left hip: negative');
  await expect(timeline).toContainText('HO ruled out at Left knee');

  // A treatment without a dose is refused, naming the field, and nothing is recorded.
  const treatments = page.getByRole('form', { name: 'Treatments' });
  await treatments.getByLabel('Treatment', { exact: true }).selectOption('nsaid');
  await treatments.getByRole('button', { name: 'Record treatment' }).click();
  await expect(treatments.getByRole('alert')).toContainText('Dose');
  await expectAccessible(page);
});

test('a nurse records joint signs, a temperature and a Braden assessment', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'nurse');
  await openFirstBoard(page);
  await openPatientOnBoard(page, 1);

  const signs = page.getByRole('form', { name: 'Joint signs' });
  await signs.getByLabel('Side').selectOption('right');
  await signs.getByLabel('Joint').selectOption('knee');
  await signs.getByLabel('Swelling').selectOption('yes');
  await signs.getByLabel('Warmth').selectOption('no');
  await signs.getByRole('button', { name: 'Save joint signs' }).click();
  await expect(signs.getByRole('status')).toContainText('Joint signs saved for the right knee');

  const temperature = page.getByRole('form', { name: 'Temperature' });
  await temperature.getByLabel('Temperature (°C)').fill('52');
  await temperature.getByRole('button', { name: 'Save temperature' }).click();
  await expect(temperature.getByRole('alert')).toContainText('outside the plausible range');
  await temperature.getByLabel('Temperature (°C)').fill('38.4');
  await temperature.getByRole('button', { name: 'Save temperature' }).click();
  await expect(temperature.getByRole('status')).toContainText('Temperature 38.4 °C saved');

  const braden = page.getByRole('form', { name: 'Braden assessment' });
  for (const [label, score] of [
    ['Sensory perception', '2'],
    ['Moisture', '3'],
    ['Activity', '1'],
    ['Mobility', '2'],
    ['Nutrition', '3'],
    ['Friction and shear', '2'],
  ] as const) {
    await braden.getByLabel(label, { exact: true }).selectOption(score);
  }
  await expect(braden).toContainText('Total: 13 (Moderate risk)');
  await braden.getByRole('button', { name: 'Save Braden' }).click();
  await expect(braden.getByRole('status')).toContainText('Braden 13 (Moderate risk) saved');
  await expectAccessible(page);
});
