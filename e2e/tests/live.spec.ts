import { expect, test } from '@playwright/test';
import {
  boardRow,
  localDateTime,
  openFirstBoard,
  saveSessionConfirmingLargeChanges,
  signedInPage,
} from './support.ts';

test("a therapist's falling readings turn a patient to Alert on a nurse's open board, without a reload", async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const nurse = await signedInPage(browser, 'nurse');
  await openFirstBoard(nurse);
  await expect(nurse.getByRole('status').filter({ hasText: 'Live: changes appear' })).toBeVisible();

  // A patient who is not on Alert now.
  const calmRow = nurse
    .getByRole('table', { name: 'Patients' })
    .locator('tbody tr')
    .filter({ has: nurse.locator('.tier', { hasText: /^(Low|Elevated|High)$/ }) })
    .last();
  const link = calmRow.getByRole('link');
  const name = await link.innerText();
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/patients\/\d+$/);
  await expect(boardRow(nurse, name).locator('.tier')).not.toHaveText('Alert');
  // Marks this page load: a reload would lose it.
  await nurse.evaluate(() => {
    (window as unknown as { loadMarker: string }).loadMarker = 'still the same page';
  });

  const therapist = await signedInPage(browser, 'therapist');
  await therapist.goto(`${href}/record`);
  // Flexion and abduction fall together at two sittings: the joint, not one number (PRODUCT §3).
  const sessions: [minutesAgo: number, flexion: string, abduction: string][] = [
    [120, '120', '45'],
    [60, '70', '20'],
    [1, '68', '18'],
  ];
  for (const [minutesAgo, flexion, abduction] of sessions) {
    await therapist.getByLabel('Time of session').fill(localDateTime(minutesAgo));
    await therapist.getByLabel('Left hip flexion (passive)').fill(flexion);
    await therapist.getByLabel('Left hip abduction (passive)').fill(abduction);
    await saveSessionConfirmingLargeChanges(therapist);
  }

  await expect(boardRow(nurse, name).locator('.tier')).toHaveText('Alert', { timeout: 15_000 });
  expect(
    await nurse.evaluate(() => (window as unknown as { loadMarker?: string }).loadMarker),
  ).toBe('still the same page');
  // The row leads with the finding itself.
  // Flexion and abduction fell together; the row leads with whichever fell further.
  await expect(boardRow(nurse, name).locator('.finding')).toContainText(
    /Left hip (flexion|abduction) \(passive\)/,
  );
});
