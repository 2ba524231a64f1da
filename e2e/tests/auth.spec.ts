import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, expectAccessible } from './support.ts';

test('a nurse signs in with the keyboard alone and signs out again', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to OssiWatch' })).toBeVisible();
  await expectAccessible(page);

  // Tab from the top of the page to the Username field, then type and submit with Enter.
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Username')).toBeFocused();
  await page.keyboard.type('nurse');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');

  await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByText('Signed in as')).toBeVisible();
  // A nurse of one ward lands on its board, with focus on the board's heading.
  await expect(page.getByRole('table', { name: 'Patients' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  await page.getByRole('link', { name: 'Sign out' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('You have signed out');

  // The session really ended: a reload does not bring the nurse back in.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('a wrong password is refused with an explanation', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Username').fill('nurse');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('username or password is not right');
  await expect(page.getByRole('link', { name: 'Sign out' })).toHaveCount(0);
});

test('the health check answers once the database is open', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});
