import { expect, test } from '@playwright/test';

test('the home page names OssiWatch and lists the demo wards', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/OssiWatch/);
  await expect(page.getByRole('heading', { level: 1, name: 'OssiWatch' })).toBeVisible();
  const wards = page.getByRole('list', { name: 'Wards' });
  await expect(wards.getByRole('listitem')).toHaveCount(3);
  await expect(wards).toContainText('Neurorehabilitation A');
});

test('the health check answers once the database is open', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});
