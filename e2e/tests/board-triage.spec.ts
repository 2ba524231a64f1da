import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  boardRow,
  expectAccessible,
  localDateTime,
  openFirstBoard,
  screenshot,
  signedInPage,
  signIn,
  saveSessionConfirmingLargeChanges,
} from './support.ts';

const SECOND_NURSE = {
  username: 'nurse.two',
  name: 'Noor Second',
  password: 'a long enough passphrase 8',
};

/**
 * An administrator gives the ward a second nurse (the demo has one); the nurse role and the ward wait
 * for a second administrator's confirmation (two-person rule, docs/security.md).
 */
async function addSecondNurse(browser: Browser): Promise<void> {
  const admin = await signedInPage(browser, 'admin');
  await admin.getByRole('link', { name: 'Admin' }).click();
  const form = admin.getByRole('form', { name: 'New account' });
  await form.getByLabel('New username').fill(SECOND_NURSE.username);
  await form.getByLabel('Full name').fill(SECOND_NURSE.name);
  await form.getByLabel(/Initial password/).fill(SECOND_NURSE.password);
  await form.getByRole('checkbox', { name: 'nurse', exact: true }).check();
  await form.getByRole('checkbox', { name: 'Neurorehabilitation A' }).check();
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'created' })).toContainText(
    SECOND_NURSE.username,
  );
  await admin.context().close();
  const second = await signedInPage(browser, 'admin2');
  await second.getByRole('link', { name: 'Admin' }).click();
  await second
    .getByRole('table', { name: 'Access changes to confirm' })
    .getByRole('button', { name: `Confirm the change for ${SECOND_NURSE.username}` })
    .click();
  await expect(second.getByRole('status').filter({ hasText: 'confirmed' })).toBeVisible();
  await second.context().close();
}

async function signInSecondNurse(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await page.getByLabel('Username').fill(SECOND_NURSE.username);
  await page.getByLabel('Password').fill(SECOND_NURSE.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  return page;
}

test.describe('board triage', () => {
  test("a patient who turns Alert after my last look is New; my acknowledgement quiets it and shows live on another nurse's board", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    await addSecondNurse(browser);
    const nurse = await signedInPage(browser, 'nurse');
    await nurse.setViewportSize({ width: 1440, height: 900 });
    await openFirstBoard(nurse);
    const wardName = await nurse.getByRole('heading', { level: 1 }).innerText();

    // A patient not on Alert at this look.
    const calm = nurse
      .getByRole('table', { name: 'Patients' })
      .locator('tbody tr')
      .filter({ has: nurse.locator('.tier', { hasText: /^(Low|Elevated|High)$/ }) })
      .last();
    const link = calm.getByRole('link');
    const name = await link.innerText();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/patients\/\d+$/);
    await expect(boardRow(nurse, name)).toContainText('nothing new');

    const other = await signInSecondNurse(browser);
    await openFirstBoard(other);
    await expect(other.getByRole('heading', { level: 1 })).toHaveText(wardName);
    await expect(
      other.getByRole('status').filter({ hasText: 'Live: changes appear' }),
    ).toBeVisible();

    // After the look: a therapist's readings of a falling left hip (flexion and abduction together),
    // confirmed by the next session.
    const therapist = await signedInPage(browser, 'therapist');
    await therapist.goto(`${href}/record`);
    for (const [minutesAgo, flexion, abduction] of [
      [120, '120', '45'],
      [60, '70', '20'],
      [1, '68', '18'],
    ] as const) {
      await therapist.getByLabel('Time of session').fill(localDateTime(minutesAgo));
      await therapist.getByLabel('Left hip flexion (passive)').fill(flexion);
      await therapist.getByLabel('Left hip abduction (passive)').fill(abduction);
      await saveSessionConfirmingLargeChanges(therapist);
    }
    await therapist.context().close();

    // The nurse comes back to the board: the row is Alert and says what is new, in words.
    await nurse.reload();
    const row = boardRow(nurse, name);
    await expect(row.locator('.tier')).toHaveText('Alert');
    await expect(row.getByText('New', { exact: true })).toBeVisible();
    await expect(row).toContainText(/Tier rose from \w+ to Alert/);
    await expect(row).toContainText('Left hip: HO now suspected');
    await nurse.getByRole('checkbox', { name: /^New only/ }).check();
    await expect(nurse).toHaveURL(/new=1/);
    await expect(row).toBeVisible();
    await expect(
      nurse.getByRole('table', { name: 'Patients' }).getByText('nothing new'),
    ).toHaveCount(0);
    await nurse.getByRole('checkbox', { name: /^New only/ }).uncheck();

    // Acknowledged with a note: quieter, in its place, with who, when and the note.
    await row.getByRole('button', { name: `Acknowledge ${name}` }).click();
    const dialog = nurse.getByRole('dialog', { name: `Acknowledge ${name}` });
    await expect(dialog).toBeVisible();
    await expectAccessible(nurse);
    await dialog.getByLabel('Note').fill('Ultrasound of the left hip requested');
    await dialog.getByRole('button', { name: 'Save acknowledgement' }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText(/Acknowledged by .+: Ultrasound of the left hip requested/);
    await expect(row.locator('.tier')).toHaveClass(/tier-quiet/);
    await expect(row.getByRole('button', { name: /^Acknowledge/ })).toHaveCount(0);
    await expect(row.locator('.tier')).toHaveText('Alert');

    // The other nurse's board, open all along, shows it without a reload.
    const otherRow = boardRow(other, name);
    await expect(otherRow).toContainText(
      /Acknowledged by .+: Ultrasound of the left hip requested/,
      {
        timeout: 15_000,
      },
    );
    await expect(otherRow.locator('.tier')).toHaveClass(/tier-quiet/);

    await expectAccessible(nurse);
    // The README's picture: what is new first (the "New" column sorted), from the top of the page.
    await nurse.getByRole('columnheader', { name: /^New/ }).getByRole('button').click();
    await nurse.getByRole('columnheader', { name: /^New/ }).getByRole('button').click();
    await expect(nurse).toHaveURL(/sort=new&dir=desc/);
    await expect(
      nurse.getByRole('table', { name: 'Patients' }).locator('tbody tr').first(),
    ).toContainText(name);
    await nurse.evaluate(() => window.scrollTo(0, 0));
    await screenshot(nurse, 'board');
    await other.context().close();
    await nurse.context().close();
  });

  test('a Braden of 12 or less is a flag of its own; the Braden header sorts, with aria-sort and in the address', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'nurse');
    await openFirstBoard(page);
    const table = page.getByRole('table', { name: 'Patients' });
    const link = table.locator('tbody tr').nth(1).getByRole('link');
    const name = await link.innerText();
    await link.click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

    const braden = page.getByRole('form', { name: 'Braden assessment' });
    for (const label of [
      'Sensory perception',
      'Moisture',
      'Activity',
      'Mobility',
      'Nutrition',
      'Friction and shear',
    ]) {
      await braden.getByLabel(label, { exact: true }).selectOption('1');
    }
    await braden.getByRole('button', { name: 'Save Braden' }).click();
    await expect(braden.getByRole('status')).toContainText('Braden 6 (Very high risk) saved');

    await page.goBack();
    const row = boardRow(page, name);
    await expect(row).toContainText('Pressure-injury risk: Braden 6 (Very high risk)');

    const header = table.getByRole('columnheader', { name: /^Braden/ });
    await expect(header).not.toHaveAttribute('aria-sort');
    await expect(table.getByRole('columnheader', { name: /^Tier/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    await expect(page).toHaveURL(/sort=braden/);
    await expect(table.locator('tbody tr').first()).toContainText(name);
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    await expect(page).toHaveURL(/dir=desc/);
    await expect(table.locator('tbody tr').first()).not.toContainText(name);
    await page.reload();
    await expect(table.getByRole('columnheader', { name: /^Braden/ })).toHaveAttribute(
      'aria-sort',
      'descending',
    );

    await page.getByRole('checkbox', { name: /^Pressure-injury risk/ }).check();
    await expect(page).toHaveURL(/pressure=1/);
    await expect(boardRow(page, name)).toBeVisible();
    for (const text of await table.locator('tbody tr').allInnerTexts()) {
      expect(text).toContain('Pressure-injury risk');
    }
  });

  test('the board has nothing for axe to find in the light and the dark theme; the handover sheet fits two A4 pages', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
    await signIn(page, 'nurse');
    await openFirstBoard(page);
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expectAccessible(page);
    const lightBackground = await page.evaluate(
      () => getComputedStyle(document.documentElement).backgroundColor,
    );

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(
      await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor),
    ).not.toBe(lightBackground);
    // Open folded lists and the dialog too, so axe sees them in the dark.
    await page.locator('table.board details').first().locator('summary').click();
    await expectAccessible(page);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    // The system's dark preference, with no choice of the person's, gives the same theme.
    await toggle.click();
    await page.evaluate(() => localStorage.removeItem('ossiwatch-theme'));
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expectAccessible(page);

    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Handover sheet' }).click();
    await expect(page).toHaveURL(/view=handover/);
    const sheet = page.getByRole('table', { name: /^Handover/ });
    await expect(sheet).toBeVisible();
    await expect(sheet.getByRole('link')).toHaveCount(0);
    await expectAccessible(page);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
  });
});
