import { expect, test } from '@playwright/test';
import { boardRow, expectAccessible, openFirstBoard, signIn } from './support.ts';

test('a nurse admits a new patient into a free bed from the board and sees them on it', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'nurse');
  await openFirstBoard(page);
  const wardName = await page.getByRole('heading', { level: 1 }).innerText();

  await page.getByRole('link', { name: 'Admit patient' }).click();
  const heading = `Admit a patient to ${wardName}`;
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  const form = page.getByRole('form', { name: heading });
  await expect(page.getByText('the patient is readmitted')).toBeVisible();

  // Sent empty: each problem is named at its field, and the first of them gets the focus.
  await form.getByRole('button', { name: 'Admit patient' }).click();
  await expect(page.getByRole('alert')).toHaveText('Not saved: see the fields marked below.');
  const mrnField = form.getByLabel('Medical record number (MRN)');
  await expect(mrnField).toBeFocused();
  await expect(mrnField).toHaveAccessibleDescription('enter the medical record number');
  await expect(form.getByLabel('Kind of injury')).toHaveAccessibleDescription(
    'choose the kind of injury',
  );
  await expectAccessible(page);

  // A free bed, as the server lists it now (the demo's occupancy depends on when it was generated).
  const bedSelect = form.getByLabel('Bed', { exact: true });
  const bedOptions = bedSelect.locator('option');
  await expect(bedOptions.nth(1), 'the ward has a free bed').toBeAttached();
  const bedText = ((await bedOptions.nth(1).textContent()) ?? '').trim();
  const bedLabel = bedText.replace(/^Bed /, '');

  const stamp = Date.now().toString(36).toUpperCase();
  const mrn = `E2E-${stamp}`;
  const name = `Admitted ${stamp} Test`;
  // Typed from the keyboard: MRN, Tab, name.
  await mrnField.focus();
  await page.keyboard.type(mrn);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Full name')).toBeFocused();
  await page.keyboard.type(name);
  await form.getByLabel('Date of birth').fill('1979-04-12');
  await form.getByLabel('Sex').selectOption({ label: 'Female' });
  await bedSelect.selectOption({ label: bedText });
  // The admission time starts at "now" on the ward's clock, whose zone the label names.
  await expect(form.getByLabel(/^Admitted at \(ward time, .+\)$/)).not.toHaveValue('');
  await form.getByLabel('Kind of injury').selectOption({ label: 'Traumatic brain injury' });
  const injuryDay = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel(/^Date and time of injury/).fill(`${injuryDay}T14:30`);
  await form.getByLabel('Days in coma').fill('18');
  await form.getByLabel('Diffuse axonal injury on imaging').selectOption({ label: 'yes' });
  await form.getByRole('checkbox', { name: 'Left leg' }).check();
  await expect(form.getByLabel(/^Left leg: fixed at/)).toBeVisible();
  const gcs = form.getByLabel('Lowest GCS total (3–15)');
  await gcs.fill('2');
  // Enter in a field submits the form; the out-of-range GCS is named there, nothing is sent.
  await gcs.press('Enter');
  await expect(gcs).toHaveAccessibleDescription('must be from 3 to 15');
  await expect(gcs).toBeFocused();
  await gcs.fill('6');
  await gcs.press('Enter');

  const status = page.getByRole('status').filter({ hasText: 'admitted' });
  await expect(status).toContainText(
    `Patient ${mrn} admitted to ${wardName}, bed ${bedLabel}. They are on the ward board now.`,
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The form is empty again, and the bed just taken is no longer offered.
  await expect(mrnField).toHaveValue('');
  const exactly = new RegExp(`^\\s*${bedText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await expect(bedOptions.filter({ hasText: exactly })).toHaveCount(0);
  await expectAccessible(page);

  // The same MRN again, while the patient is on the ward: the server's refusal is shown at the MRN.
  await mrnField.fill(mrn);
  await form.getByLabel('Full name').fill(name);
  await form.getByLabel('Date of birth').fill('1979-04-12');
  await form.getByLabel('Sex').selectOption({ label: 'Female' });
  await form.getByLabel('Kind of injury').selectOption({ label: 'Traumatic brain injury' });
  await form.getByLabel(/^Date and time of injury/).fill(`${injuryDay}T14:30`);
  await form.getByRole('button', { name: 'Admit patient' }).click();
  await expect(mrnField).toHaveAccessibleDescription('this patient is already admitted');
  await expect(mrnField).toBeFocused();
  await expect(page.getByRole('alert')).toHaveText('Not saved: see the fields marked below.');

  await page.getByRole('link', { name: 'Back to the board' }).click();
  const row = boardRow(page, name);
  await expect(row).toBeVisible();
  await expect(row).toContainText(bedLabel);
});
