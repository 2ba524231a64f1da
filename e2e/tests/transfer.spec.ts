import { expect, test } from '@playwright/test';
import {
  boardRow,
  expectAccessible,
  openFirstBoard,
  openPatientOnBoard,
  signIn,
} from './support.ts';

test('a physician transfers a patient to another ward from the patient page, and the boards follow', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'physician');
  await openFirstBoard(page);
  const fromWard = await page.getByRole('heading', { level: 1 }).innerText();
  // The fourth row: the other journeys work on the first three and the last patients.
  const name = await openPatientOnBoard(page, 3);

  const section = page.getByRole('region', { name: 'Transfer' });
  const opener = section.getByRole('button', { name: 'Transfer to another ward' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: `Transfer ${name}` });
  await expect(dialog).toBeVisible();
  // Focus goes into the dialog; the time is "now" on the receiving ward's clock, which names its zone.
  await expect(dialog.getByLabel('To ward')).toBeFocused();
  await expect(dialog.getByLabel(/^Time of transfer \(ward time, .+\)$/)).not.toHaveValue('');
  await expectAccessible(page);
  const toWard = (await dialog.getByLabel('To ward').locator('option:checked').innerText()).trim();
  expect(toWard).not.toBe(fromWard);

  // Escape cancels and gives focus back to the button.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();

  // A time before the patient came to this ward is refused by the server, by name.
  await opener.click();
  const time = dialog.getByLabel(/^Time of transfer/);
  const now = await time.inputValue();
  await time.fill('2001-01-01T10:00');
  await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    'transferredAt: must be after the admission to the current ward',
  );

  const bed = dialog.getByLabel('Bed');
  await expect(bed.locator('option').nth(1), 'the other ward has a free bed').toBeAttached();
  const bedText = (await bed.locator('option').nth(1).innerText()).trim();
  await bed.selectOption({ label: bedText });
  await time.fill(now);
  await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByRole('status')).toContainText(
    `${name} moved to ${toWard}, ${bedText.replace(/^Bed /, 'bed ')} at ${now.replace('T', ' ')} (`,
  );
  await expect(opener).toBeFocused();

  // The receiving ward's board has the patient in that bed; the ward they left no longer does.
  await page.goto('/');
  await page.getByRole('list', { name: 'Wards' }).getByRole('link', { name: toWard }).click();
  await expect(boardRow(page, name)).toContainText(bedText.replace(/^Bed /, ''));
  await page.goto('/');
  await page.getByRole('list', { name: 'Wards' }).getByRole('link', { name: fromWard }).click();
  await expect(page.getByRole('table', { name: 'Patients' })).toBeVisible();
  await expect(boardRow(page, name)).toHaveCount(0);
});
