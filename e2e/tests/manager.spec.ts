import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { expectAccessible, screenshot, signIn } from './support.ts';

test.describe('manager', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'manager');
  });

  test('reads complication rates per ward and month, and exports exactly the table on screen', async ({
    page,
  }) => {
    await page.getByRole('link', { name: 'Rates' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Complication rates' })).toBeVisible();
    await page.getByRole('link', { name: 'Rates by ward and month' }).click();
    const table = page
      .getByRole('table')
      .filter({ has: page.getByRole('columnheader', { name: 'Ward' }) });
    await expect(table.getByRole('columnheader', { name: 'Patient-days' })).toBeVisible();
    await expect(table.getByRole('columnheader', { name: /95% CI/ }).first()).toBeVisible();
    const rowCount = await table.locator('tbody tr').count();
    expect(rowCount).toBeGreaterThan(1);
    await expect(page.getByRole('img', { name: /centre line/ }).first()).toBeVisible();

    // Narrow to one ward: the table and the export follow.
    await page.getByRole('checkbox', { name: 'Neurorehabilitation B' }).uncheck();
    await page.getByRole('checkbox', { name: 'Spinal Injuries Unit' }).uncheck();
    await expect(page).toHaveURL(/wards=/);
    const wardsShown = new Set(await table.locator('tbody th').allInnerTexts());
    expect([...wardsShown]).toEqual(['Neurorehabilitation A']);

    await expectAccessible(page);
    await screenshot(page, 'rates');

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    // UTF-8 with a byte-order mark, so a spreadsheet reads "–" and "°" as written.
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(
      /^Ward,Month,Total,Numerator,Denominator,"Rate \(per [^)]+\)",Lower 95% limit,Upper 95% limit$/,
    );
    // Only what is on screen: one line per row of the table, all of the one ward shown.
    expect(lines).toHaveLength((await table.locator('tbody tr').count()) + 1);
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(cells).toHaveLength(8);
      expect(cells[0]).toBe('Neurorehabilitation A');
      // One number per cell: counts, then the rate and its limits (empty when unknown).
      expect(cells[3]).toMatch(/^\d+$/);
      expect(cells[4]).toMatch(/^\d+$/);
      for (const cell of cells.slice(5)) expect(cell).toMatch(/^(\d+(\.\d+)?)?$/);
    }
  });

  test('sees no patient identities: a patient page is refused with an explanation', async ({
    page,
  }) => {
    await expect(page.getByRole('link', { name: 'Wards' })).toHaveCount(0);
    await page.goto('/patients/1');
    await expect(page.getByRole('alert')).toContainText('no access to this patient');
  });
});
