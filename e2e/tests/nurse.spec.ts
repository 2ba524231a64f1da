import { expect, test } from '@playwright/test';
import {
  expectAccessible,
  openFirstBoard,
  screenshot,
  signIn,
  openPatientOnBoard,
} from './support.ts';

test.describe('nurse', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'nurse');
  });

  test('sees who needs attention, and why, on the ward board', async ({ page }) => {
    await openFirstBoard(page);
    const table = page.getByRole('table', { name: 'Patients' });
    const rows = table.getByRole('row');
    // A header row and at least one patient.
    expect(await rows.count()).toBeGreaterThan(1);
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

    // Tiers are words, highest first.
    const tiers = await table.locator('tbody tr td .tier').allInnerTexts();
    expect(tiers.length).toBeGreaterThan(0);
    const order = ['Alert', 'High', 'Elevated', 'Low'];
    const ranks = tiers.map((tier) => order.indexOf(tier));
    expect(ranks.every((rank) => rank >= 0)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);

    // The reasons are one click away.
    const firstReasons = table.locator('tbody tr').first().locator('details').first();
    await firstReasons.locator('summary').click();
    await expect(firstReasons.getByRole('listitem').first()).toBeVisible();
    await expect(firstReasons).toContainText('CR §');

    await expectAccessible(page);
  });

  test('keeps filters in the address, so a reload shows the same board', async ({ page }) => {
    await openFirstBoard(page);
    await page.getByRole('checkbox', { name: /^Alert/ }).check();
    await expect(page).toHaveURL(/tier=alert/);
    const table = page.getByRole('table', { name: 'Patients' });
    await expect(table.locator('tbody .tier').first()).toHaveText('Alert');
    const tiers = new Set(await table.locator('tbody .tier').allInnerTexts());
    expect([...tiers]).toEqual(['Alert']);

    await page.reload();
    await expect(page.getByRole('checkbox', { name: /^Alert/ })).toBeChecked();
    expect(new Set(await table.locator('tbody .tier').allInnerTexts())).toEqual(new Set(['Alert']));

    await page.getByLabel('Search name or bed').fill('zzzz-nobody');
    await expect(page.getByText('No patient matches these filters.')).toBeVisible();
    await expect(page).toHaveURL(/q=zzzz-nobody/);
  });

  test('wall mode shows initials and beds in large type, no names', async ({ page }) => {
    await openFirstBoard(page);
    const firstName = await page
      .getByRole('table', { name: 'Patients' })
      .locator('tbody tr')
      .first()
      .getByRole('link')
      .innerText();
    await page.getByRole('button', { name: 'Wall mode' }).click();
    await expect(page).toHaveURL(/wall=1/);
    const table = page.getByRole('table', { name: 'Patients' });
    await expect(table).toBeVisible();
    await expect(table.getByRole('link')).toHaveCount(0);
    await expect(table).not.toContainText(firstName);
    await expect(page.getByRole('link', { name: 'Sign out' })).toHaveCount(0);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Leave wall mode' }).click();
    await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  });

  test('opens a patient: risk with evidence, a named body map, charts with tables', async ({
    page,
  }) => {
    await openFirstBoard(page);
    await openPatientOnBoard(page, 0);
    const risk = page.getByRole('region', { name: 'Risk' });
    await expect(risk).toBeVisible();
    await expect(risk).toContainText(/Alert|High|Elevated|Low/);
    await expect(page.getByRole('img', { name: 'Body map', exact: true })).toBeVisible();
    await expect(page.getByRole('figure', { name: 'Body map' })).toContainText('Left hip:');

    // Every chart has its table one click away.
    const firstToggle = page.getByRole('button', { name: /^Show table/ }).first();
    await expect(firstToggle).toBeVisible();
    await firstToggle.click();
    await expect(page.getByRole('button', { name: /^Hide table/ }).first()).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    await expect(page.locator('table.chart-table').first()).toBeVisible();

    // Nurses do not record goniometry.
    await expect(page.getByRole('button', { name: 'Record session' })).toHaveCount(0);
    await expectAccessible(page);
    await screenshot(page, 'patient');

    // The print view is headed Confidential.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByText('Confidential', { exact: false }).first()).toBeVisible();
    await page.emulateMedia({ media: 'screen' });
  });

  test('is told why a ward outside her assignment cannot be opened', async ({ page }) => {
    await page.goto('/wards/2');
    await expect(page.getByRole('alert')).toContainText('no access to this ward');
  });
});
