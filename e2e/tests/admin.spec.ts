import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, signedInPage } from './support.ts';

test('an administrator reviews accounts, wards, settings and the audit log', async ({
  page,
  browser,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();

  const accounts = page.getByRole('table', { name: 'Accounts' });
  await expect(accounts.getByRole('rowheader', { name: 'nurse', exact: true })).toBeVisible();
  await expectAccessible(page);

  // A new account: a short password is refused with the reason, then a good one is accepted.
  const form = page.getByRole('form', { name: 'New account' });
  await form.getByLabel('New username').fill('pt.jones');
  await form.getByLabel('Full name').fill('Pat Jones');
  await form.getByLabel(/Initial password/).fill('short');
  await form.getByRole('checkbox', { name: 'therapist' }).check();
  await form.getByRole('checkbox', { name: 'Neurorehabilitation A' }).check();
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('password');
  await form.getByLabel(/Initial password/).fill('a long enough passphrase 7');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'created' })).toContainText(
    'second administrator',
  );
  await expect(accounts.getByRole('rowheader', { name: 'pt.jones' })).toBeVisible();

  // The therapist role and the ward wait for a second administrator: the one who asked cannot
  // confirm them; the second one does.
  const pending = page.getByRole('table', { name: 'Access changes to confirm' });
  await expect(pending.getByRole('row', { name: /pt\.jones/ })).toContainText('Asked by you');
  await expect(pending.getByRole('button', { name: /^Confirm/ })).toHaveCount(0);
  await expectAccessible(page);
  const second = await signedInPage(browser, 'admin2');
  await second.getByRole('link', { name: 'Admin' }).click();
  const theirs = second.getByRole('table', { name: 'Access changes to confirm' });
  await theirs.getByRole('button', { name: 'Confirm the change for pt.jones' }).click();
  await expect(second.getByRole('status').filter({ hasText: 'confirmed' })).toBeVisible();
  await expectAccessible(second);
  await second.context().close();
  await page.reload();
  const row = accounts.getByRole('row', { name: /pt\.jones/ });
  await expect(row.getByRole('cell').nth(1)).toHaveText('therapist');

  // Editing the account: a clinical role added waits for confirmation; the ward taken away is
  // taken at once.
  await accounts.getByRole('button', { name: 'Edit pt.jones' }).click();
  const access = page.getByRole('form', { name: 'Roles and wards of pt.jones' });
  await access.getByRole('checkbox', { name: 'physician' }).check();
  await access.getByRole('checkbox', { name: 'Neurorehabilitation A' }).uncheck();
  await access.getByRole('button', { name: 'Save roles and wards' }).click();
  await expect(access.getByRole('status')).toContainText('second administrator');
  await expect(row.getByRole('cell').nth(1)).toHaveText('therapist');
  await expect(row.getByRole('cell').nth(2)).toHaveText('none');
  const reset = page.getByRole('form', { name: 'New password for pt.jones' });
  await reset.getByLabel(/New password/).fill('short');
  await reset.getByRole('button', { name: 'Reset password' }).click();
  await expect(reset.getByRole('alert')).toContainText('password: must be at least 12 characters');
  await reset.getByLabel(/New password/).fill('another long passphrase 9');
  await reset.getByRole('button', { name: 'Reset password' }).click();
  await page
    .getByRole('alertdialog', { name: /Reset the password of .*pt\.jones/ })
    .getByRole('button', { name: 'Reset the password of pt.jones' })
    .click();
  await expect(reset.getByRole('status')).toContainText('reset');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Wards and beds' }).click();
  await expect(page.getByRole('table', { name: 'Wards' })).toContainText('Neurorehabilitation A');
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'HO watch settings' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Audit log' }).click();
  const log = page.getByRole('table', { name: /Audit entries/ });
  await expect(log).toContainText('admin.users.create');
  await page.getByLabel('User', { exact: true }).fill('admin');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(log.locator('tbody tr').first()).toContainText('admin');
  // The account column, beside the sentence in words.
  const users = new Set(await log.locator('tbody tr td:nth-child(6)').allInnerTexts());
  expect([...users]).toEqual(['admin']);
  await page.getByRole('button', { name: /^Time/ }).click();
  await expect(page.getByRole('columnheader', { name: /^Time/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expectAccessible(page);
});
