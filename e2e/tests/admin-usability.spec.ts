import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { openFirstBoard, openPatientOnBoard, signIn, signedInPage } from './support.ts';

// PRODUCT §5 and issue 16: an administrator finds an account among many, is asked before disabling
// it or resetting its password, reads the settings with their units and sources, and reads the audit
// log in words; every admin screen reflows on a phone and passes axe in light and dark.

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };
const MANY = 64;
const PASSWORD = 'a long enough passphrase 42';
const RUN = Date.now().toString(36).slice(-5);

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/** Accounts made through the API the admin screen itself calls, as the signed-in administrator. */
async function createAccounts(
  page: Page,
  accounts: { username: string; displayName: string; roles: string[] }[],
): Promise<void> {
  const failures = await page.evaluate(
    async ({ accounts, password }) => {
      const failed: string[] = [];
      for (const account of accounts) {
        const response = await fetch('/trpc/admin.users.create', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ json: { ...account, password, wardIds: [] } }),
        });
        if (!response.ok) failed.push(`${account.username}: ${response.status}`);
      }
      return failed;
    },
    { accounts, password: PASSWORD },
  );
  expect(failures).toEqual([]);
}

/** Signs in as a created account in a fresh context; true when the password was accepted. */
async function canSignIn(browser: Browser, username: string, password: string): Promise<boolean> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const signedIn = page.getByRole('link', { name: 'Sign out' });
  const refused = page.getByRole('alert');
  await expect(signedIn.or(refused)).toBeVisible();
  const ok = await signedIn.isVisible();
  await context.close();
  return ok;
}

test('an administrator finds one account among many by part of a name, and hears how many match', async ({
  page,
}) => {
  await page.setViewportSize(DESK);
  await signIn(page, 'admin');
  await page.goto('/admin');
  const accounts = page.getByRole('table', { name: 'Accounts' });
  await expect(accounts).toBeVisible();
  await createAccounts(page, [
    ...Array.from({ length: MANY - 1 }, (_, i) => ({
      username: `staff${RUN}${String(i).padStart(2, '0')}`,
      displayName: `Staff Member ${i}`,
      roles: ['manager'],
    })),
    { username: `twatanabe${RUN}`, displayName: 'Tomoko Watanabe', roles: ['manager'] },
  ]);
  await page.reload();
  await expect(accounts.getByRole('rowheader', { name: `twatanabe${RUN}` })).toBeVisible();
  const total = await accounts.locator('tbody tr').count();
  expect(total).toBeGreaterThanOrEqual(MANY + 6);

  const search = page.getByRole('searchbox', { name: 'Find an account' });
  const count = page
    .getByRole('status')
    .filter({ hasText: /account/ })
    .first();
  await expect(count).toHaveText(`${total} accounts`);
  // The keyboard reaches the search box, and typing filters at once.
  await search.focus();
  await page.keyboard.type('WATAN');
  await expect(count).toHaveText(`1 of ${total} accounts matches “WATAN”`);
  await expect(accounts.locator('tbody tr')).toHaveCount(1);
  await expect(accounts.getByRole('rowheader')).toHaveText(`twatanabe${RUN}`);
  // Every word must match: a role and a part of a name.
  await search.fill('manager tomo');
  await expect(accounts.locator('tbody tr')).toHaveCount(1);
  await search.fill('nurse');
  await expect(accounts.getByRole('rowheader', { name: 'nurse', exact: true })).toBeVisible();
  await search.fill('zzzz-nobody');
  await expect(count).toHaveText(`No account matches “zzzz-nobody” (of ${total})`);
  await expect(accounts).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(accounts.locator('tbody tr')).toHaveCount(total);
});

test('disabling an account and resetting its password ask first; Cancel changes nothing', async ({
  page,
  browser,
}) => {
  await page.setViewportSize(DESK);
  await signIn(page, 'admin');
  await page.goto('/admin');
  const username = `kdiallo${RUN}`;
  await createAccounts(page, [{ username, displayName: 'Kadiatou Diallo', roles: ['manager'] }]);
  await page.reload();
  await page.getByRole('searchbox', { name: 'Find an account' }).fill('diallo');
  const accounts = page.getByRole('table', { name: 'Accounts' });
  const row = accounts.getByRole('row', { name: new RegExp(username) });
  await expect(row.getByRole('cell').nth(3)).toHaveText('active');

  // Disable: a modal dialog names the account and what follows; focus starts on Cancel.
  const disable = row.getByRole('button', { name: `Disable ${username}` });
  await disable.click();
  const dialog = page.getByRole('alertdialog', { name: `Disable Kadiatou Diallo (${username})?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAccessibleDescription(/signed out at once.*cannot sign in/);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(disable).toBeFocused();
  // Escape is a Cancel too.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await page.reload();
  await page.getByRole('searchbox', { name: 'Find an account' }).fill(username);
  await expect(row.getByRole('cell').nth(3)).toHaveText('active');
  expect(await canSignIn(browser, username, PASSWORD)).toBe(true);

  // Reset password: asked first; Cancel leaves the old password working.
  await row.getByRole('button', { name: `Edit ${username}` }).click();
  const reset = page.getByRole('form', { name: `New password for ${username}` });
  await reset.getByLabel(/New password/).fill('a brand new passphrase 77');
  await reset.getByRole('button', { name: 'Reset password' }).click();
  const resetDialog = page.getByRole('alertdialog', {
    name: `Reset the password of Kadiatou Diallo (${username})?`,
  });
  await expect(resetDialog).toHaveAccessibleDescription(/current password stops working/);
  await resetDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(resetDialog).toHaveCount(0);
  await expect(reset.getByRole('status')).toHaveText('');
  expect(await canSignIn(browser, username, PASSWORD)).toBe(true);
  expect(await canSignIn(browser, username, 'a brand new passphrase 77')).toBe(false);

  // Confirmed, it happens.
  await row.getByRole('button', { name: `Disable ${username}` }).click();
  await dialog.getByRole('button', { name: `Disable ${username}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${username} disabled` })).toBeVisible();
  await expect(row.getByRole('cell').nth(3)).toHaveText('disabled');
  await expect(row.getByRole('button', { name: `Enable ${username}` })).toBeFocused();
  expect(await canSignIn(browser, username, PASSWORD)).toBe(false);

  // The audit log has the one disable (after the Cancels, none), in words.
  await page.goto('/admin/audit');
  await page.getByLabel('What happened').selectOption({ label: 'Disabled an account' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const log = page.getByRole('table', { name: /Audit entries/ });
  await expect(log.locator('tbody tr')).toHaveCount(1);
  await expect(log.locator('tbody tr').first()).toContainText(
    `Administrator Demo Administrator disabled account “${username}”.`,
  );
  await expect(log.locator('tbody tr').first()).toContainText('admin.users.disable');
});

test('settings show each threshold with its label, unit, source and range; bad input is named by field', async ({
  page,
}) => {
  await page.setViewportSize(DESK);
  await signIn(page, 'admin');
  await page.goto('/admin/settings');
  await expect(page.getByRole('heading', { name: 'HO watch settings' })).toBeVisible();
  await expect(page.getByText(/Jh hlm/i)).toHaveCount(0);

  const mobility = page.getByRole('textbox', { name: 'Low mobility: JH-HLM level at or below' });
  await expect(mobility).toHaveValue('3');
  await expect(mobility).toHaveAccessibleDescription(
    /JH-HLM level.*Range 1 to 8 JH-HLM level, whole numbers.*Default 3 JH-HLM level.*Source: CR §4\.3/,
  );
  const fever = page.getByRole('textbox', { name: 'Fever: temperature above' });
  await expect(fever).toHaveAccessibleDescription(/°C.*Range 35 to 42 °C.*CR §5\.4/);
  await expect(
    page.getByRole('textbox', { name: 'Knee flexion needed to rise from a chair' }),
  ).toHaveAccessibleDescription(/^degrees Range 0 to 360°.*CR §3\.2/);
  await expect(
    page.getByRole('textbox', { name: 'Catheter: "review need" after it has been in for' }),
  ).toHaveAccessibleDescription(/^hours Range 1 to 720 hours/);
  await expect(
    page.getByRole('textbox', { name: 'Coma counts when it lasted more than' }),
  ).toHaveAccessibleDescription(/^days /);
  await expect(page.getByRole('checkbox', { name: /deep tissue pressure injury/ })).toBeChecked();

  // Out of range and not a number: refused here, each named by its field, focus on the first.
  await mobility.fill('9');
  await fever.fill('warm');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Not saved: 2 values need correcting.');
  await expect(alert).toContainText('Low mobility: JH-HLM level at or below: must be at most 8');
  await expect(alert).toContainText('Fever: temperature above: enter a number');
  await expect(mobility).toBeFocused();
  await expect(mobility).toHaveAttribute('aria-invalid', 'true');
  await expect(mobility).toHaveAccessibleDescription(/must be at most 8/);

  // A limit between two settings is the server's; its refusal comes back in words too.
  await mobility.fill('3');
  await fever.fill('38');
  await page.getByRole('textbox', { name: 'Vigilance window: first day' }).fill('200');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(alert).toContainText(
    'Vigilance window: last day: must be after Vigilance window: first day (200)',
  );
  await expect(page.getByRole('textbox', { name: 'Vigilance window: last day' })).toBeFocused();
  // Nothing was saved.
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Vigilance window: first day' })).toHaveValue(
    '14',
  );

  // The minimal detectable change of one movement (CR §2.6): added from the joint catalog, refused
  // out of range before anything is sent, saved with the rest, there after a reload, then removed.
  const overrides = page.getByRole('region', {
    name: 'Minimal detectable change for single movements',
  });
  const none = 'None: the smallest fall above applies to every movement.';
  await expect(overrides).toContainText(none);
  await overrides.getByLabel('Movement to add').selectOption({ label: 'Knee extension' });
  await overrides.getByRole('button', { name: 'Add an override for Knee extension' }).click();
  const knee = overrides.getByRole('spinbutton', {
    name: 'Minimal detectable change for Knee extension',
  });
  await expect(knee).toHaveAccessibleDescription(/^degrees .*Range more than 0 to 360°/);
  await knee.fill('400');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(alert).toContainText(
    'Minimal detectable change for Knee extension: must be at most 360',
  );
  await expect(knee).toBeFocused();
  await expect(knee).toHaveAttribute('aria-invalid', 'true');
  expect(await axeViolations(page)).toEqual([]);
  await knee.fill('8');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();
  await page.reload();
  await expect(knee).toHaveValue('8');
  await overrides.getByRole('button', { name: 'Remove the override for Knee extension' }).click();
  await expect(knee).toHaveCount(0);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();
  await page.reload();
  await expect(overrides).toContainText(none);
});

test('the audit log reads in words, keeps the raw action beside them, and filters by what happened', async ({
  page,
  browser,
}) => {
  // A therapist opens a patient: the trail's entry for that read.
  const therapist = await signedInPage(browser, 'therapist');
  await openFirstBoard(therapist);
  const wardName = (await therapist.getByRole('heading', { level: 1 }).innerText()).trim();
  await openPatientOnBoard(therapist, 0);
  await therapist.context().close();

  await page.setViewportSize(DESK);
  await signIn(page, 'admin');
  await page.goto('/admin/audit');
  const filter = page.getByLabel('What happened');
  await filter.selectOption({ label: 'Opened the record of a patient' });
  await page.getByLabel('User', { exact: true }).fill('therapist');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const log = page.getByRole('table', { name: /Audit entries/ });
  const first = log.locator('tbody tr').first();
  await expect(first.getByRole('cell').first()).toHaveText(
    /^Therapist Demo Therapist opened the record of patient no\. \d+ on .+\.$/,
  );
  // The ward is the one whose board the therapist opened.
  const sentence = await first.getByRole('cell').first().innerText();
  expect(wardName).toContain(/ on (.+)\.$/.exec(sentence)?.[1] ?? 'no ward in the sentence');
  await expect(first).toContainText('patient.get');
  const raw = new Set(await log.locator('tbody tr td:nth-child(4)').allInnerTexts());
  expect([...raw]).toEqual(['patient.get']);

  // A whole family, in words: everything about signing in.
  await page.getByLabel('User', { exact: true }).fill('');
  await filter.selectOption({ label: 'Everything in “Signing in”' });
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(log.locator('tbody tr').first().getByRole('cell').first()).toHaveText(
    /(signed in|sign in|signed out)/,
  );
  for (const action of await log.locator('tbody tr td:nth-child(4)').allInnerTexts()) {
    expect(action).toMatch(/^auth\./);
  }
  await expect(log).not.toContainText('“auth.');
});

test('a nurse who opens the admin page is told at once it is not for her role', async ({
  page,
}) => {
  await signIn(page, 'nurse');
  await page.goto('/admin');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Administration: not for your role' }),
  ).toBeVisible();
  await expect(page.getByRole('form', { name: 'New account' })).toHaveCount(0);
});

test('the admin screens reflow on a phone and pass axe in light and dark', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, 'admin');
  const problems: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const size of [PHONE, DESK]) {
      await page.setViewportSize(size);
      for (const path of ['/admin', '/admin/settings', '/admin/audit']) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
        await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
        const where = `${path} ${colorScheme} ${size.width}px`;
        if (path === '/admin') {
          await page.getByRole('searchbox', { name: 'Find an account' }).fill('demo');
          await expect(page.getByRole('status').filter({ hasText: /match/ })).toBeVisible();
        }
        if (path === '/admin/settings') {
          // The refusal state too: invalid fields and the alert.
          await page.getByRole('textbox', { name: /JH-HLM level/ }).fill('99');
          await page.getByRole('button', { name: 'Save settings' }).click();
          await expect(page.getByRole('alert')).toBeVisible();
        }
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > size.width) problems.push(`${where}: ${width} px wide`);
        for (const violation of await axeViolations(page)) problems.push(`${where}: ${violation}`);
        if (path === '/admin') {
          // The confirmation dialog, on this screen size and theme.
          await page
            .getByRole('table', { name: 'Accounts' })
            .getByRole('button', { name: 'Disable nurse' })
            .click();
          await expect(page.getByRole('alertdialog')).toBeVisible();
          const dialogWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          if (dialogWidth > size.width) problems.push(`${where} dialog: ${dialogWidth} px wide`);
          for (const violation of await axeViolations(page)) {
            problems.push(`${where} dialog: ${violation}`);
          }
          await page.getByRole('button', { name: 'Cancel' }).click();
        }
      }
    }
  }
  expect(problems).toEqual([]);
});
