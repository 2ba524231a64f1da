import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from './support.ts';

const VARIATION = /Common cause: no signal|Special cause: concerning|Special cause: improving/;
const ASSURANCE = /Target consistently met|Target consistently missed|Target hit and miss/;

test.describe('manager overview', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'manager');
  });

  test('reads where to look in words, opens a ward × measure chart, and sets a target with its source', async ({
    page,
  }) => {
    await page.getByRole('link', { name: 'Rates' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Complication rates' })).toBeVisible();
    const overview = page.getByRole('table', { name: /Where to look/ });
    await expect(overview).toBeVisible();
    await expect(overview.getByRole('columnheader', { name: /CAUTI/ })).toBeVisible();
    await expect(overview.getByRole('columnheader', { name: /ROM compliance/ })).toBeVisible();

    // Every cell says its variation in words, and that no target is set yet.
    const cell = overview.getByRole('button', { name: /^Pneumonia, Neurorehabilitation A/ });
    await expect(cell).toContainText(VARIATION);
    await expect(cell).toContainText('No target set');
    await expectAccessible(page);
    await screenshot(page, 'rates-overview');

    // By keyboard: the cell opens its chart, and focus lands on the chart's heading.
    await cell.focus();
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', {
      level: 2,
      name: 'Pneumonia: Neurorehabilitation A',
    });
    await expect(heading).toBeFocused();
    await expect(page).toHaveURL(/measure=pneumonia/);
    await expect(page.getByRole('img', { name: /u-chart of \d+ complete months/ })).toBeVisible();
    const months = page.getByRole('table', { name: /Pneumonia, Neurorehabilitation A, by month/ });
    await expect(months.getByRole('rowheader', { name: /\(so far\)$/ })).toHaveCount(1);
    await expect(months.getByRole('row').filter({ hasText: '(so far)' })).toContainText(
      'not judged until the month is over',
    );
    await expectAccessible(page);

    // A target for this ward, with its source: the cell now says how the process meets it.
    await page.getByRole('radio', { name: 'Neurorehabilitation A only' }).check();
    await page.getByLabel('Target (per 1,000 patient-days)').fill('5');
    await page.getByLabel('Source of the target').fill('Trust quality plan 2026');
    await page.getByRole('button', { name: 'Save target' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Target saved' })).toBeVisible();
    await expect(cell).toContainText(ASSURANCE);
    await expect(
      page.getByText(
        /In force here: 5 per 1,000 patient-days, this ward \(source: Trust quality plan 2026\)/,
      ),
    ).toBeVisible();
    await page.getByRole('img', { name: /u-chart/ }).scrollIntoViewIfNeeded();
    await screenshot(page, 'rates-chart');

    // A proportion opens a p-chart.
    await overview.getByRole('button', { name: /^ROM compliance, Neurorehabilitation A/ }).click();
    await expect(page.getByRole('img', { name: /p-chart of \d+ complete months/ })).toBeVisible();
  });

  test('prints a monthly report, and picks the range of the table from a preset kept in the URL', async ({
    page,
  }) => {
    await page.goto('/rates');
    await page.getByRole('link', { name: 'Monthly report' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /^Monthly report/ })).toBeVisible();
    await expect(page.getByRole('table', { name: /Where to look/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Print report' })).toBeVisible();
    await expect(
      page.getByRole('heading', { name: 'Charts with a special-cause signal in the latest month' }),
    ).toBeVisible();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Rates by ward and month' }).click();
    await page.getByRole('button', { name: 'Last quarter' }).click();
    await expect(page).toHaveURL(/from=\d{4}-\d{2}&to=\d{4}-\d{2}|to=\d{4}-\d{2}.*from=/);
    await expect(page.getByRole('button', { name: 'Last quarter' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await page.reload();
    await expect(page.getByRole('button', { name: 'Last quarter' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });
});
