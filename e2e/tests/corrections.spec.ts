import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, openFirstBoard, openPatientOnBoard, signIn } from './support.ts';

/**
 * PRODUCT §5 "Corrections": a value far from the last reading asks "Are you sure?"; a reading saved
 * anyway can be marked entered in error from the patient page and stays, struck through with the
 * reason; typed values are never lost silently (a question before leaving, a draft after an idle
 * sign-out).
 */

const LEFT_HIP = 'Left hip flexion (passive)';
const LEFT_HIP_HINT = '#left\\:hip\\:flexion\\:passive-hint';

/** Opens the entry grid of the last patient on the therapist's board; returns the patient's name. */
async function openEntryGrid(page: Page): Promise<string> {
  await openFirstBoard(page);
  const name = await openPatientOnBoard(page, 'last');
  await page.getByRole('button', { name: 'Record session' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: `Record session: ${name}` }),
  ).toBeVisible();
  return name;
}

/** The left hip's last passive flexion as the grid shows it, or null when there is none. */
async function lastLeftHip(page: Page): Promise<number | null> {
  const hint = await page.locator(LEFT_HIP_HINT).innerText();
  const match = /last (-?\d+(?:\.\d+)?)°/.exec(hint);
  return match ? Number(match[1]) : null;
}

test.describe('corrections', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('a 60° change asks "Are you sure?" naming the reading; saved anyway, it is marked entered in error and shown struck through with the reason', async ({
    page,
  }) => {
    await signIn(page, 'therapist');
    const name = await openEntryGrid(page);
    let last = await lastLeftHip(page);
    if (last === null) {
      // No earlier reading: save one first, so the next value has something to differ from.
      await page.getByLabel(LEFT_HIP).fill('100');
      await page.getByRole('button', { name: 'Save session' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'saved' })).toContainText(
        'Session saved',
      );
      last = 100;
    }
    // 60° away, inside the plausible 0–150° so only the size of the change is in question.
    const typo = last >= 60 ? last - 60 : last + 60;
    await page.getByLabel(LEFT_HIP).fill(String(typo));
    await page.getByRole('button', { name: 'Save session' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Are you sure?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(
      `${LEFT_HIP}: ${typo}° typed, the last reading was ${last}°`,
    );
    await expect(dialog.getByRole('button', { name: 'Go back and check' })).toBeFocused();
    await expectAccessible(page);
    // Going back saves nothing and puts the therapist on the value in question.
    await dialog.getByRole('button', { name: 'Go back and check' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByLabel(LEFT_HIP)).toBeFocused();
    await expect(page.getByLabel(LEFT_HIP)).toHaveValue(String(typo));
    await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveCount(0);

    // Saved anyway (as a typo slipping through would be), then withdrawn from the patient page.
    await page.getByRole('button', { name: 'Save session' }).click();
    await dialog.getByRole('button', { name: 'Save anyway' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'saved' })).toContainText(
      `Session saved: 1 reading for ${name}`,
    );
    await page.getByRole('link', { name: `Back to ${name}` }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    const reading = `Left hip flexion (passive): ${typo}°`;
    await page
      .getByRole('button', { name: `Mark ${reading} entered in error` })
      .first()
      .click();
    const mark = page.getByRole('dialog', { name: 'Mark entered in error' });
    await expect(mark).toBeVisible();
    await expectAccessible(page);
    // A reason is required.
    await mark.getByRole('button', { name: 'Mark entered in error' }).click();
    await expect(mark.getByRole('alert')).toContainText('Reason');
    await mark.getByLabel('Reason (required)').fill(`typo: ${typo} for ${last}`);
    await mark.getByRole('button', { name: 'Mark entered in error' }).click();
    await expect(mark).toBeHidden();
    const struck = page
      .locator('li.entered-in-error')
      .filter({ hasText: `typo: ${typo} for ${last}` });
    await expect(struck.first()).toBeVisible();
    await expect(struck.first().locator('del')).toHaveText(reading);
    await expect(struck.first()).toContainText('Entered in error by');
    await expectAccessible(page);

    // The grid's "last" value no longer comes from the withdrawn reading.
    await page.getByRole('button', { name: 'Record session' }).click();
    await expect(page.locator(LEFT_HIP_HINT)).toContainText(`last ${last}°`);
  });

  test('leaving the grid with unsaved values asks first, by a link and by the browser Back button', async ({
    page,
  }) => {
    await signIn(page, 'therapist');
    const name = await openEntryGrid(page);
    const gridUrl = page.url();
    await page.getByLabel('Left knee flexion (passive)').fill('95');

    const questions: string[] = [];
    page.on('dialog', (question) => {
      questions.push(question.message());
      void (questions.length < 3 ? question.dismiss() : question.accept());
    });
    // An in-app link: asked, and staying keeps the value.
    await page.getByRole('link', { name: `Back to ${name}` }).click();
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toContain('1 value typed');
    expect(page.url()).toBe(gridUrl);
    await expect(page.getByLabel('Left knee flexion (passive)')).toHaveValue('95');

    // The browser's Back button: asked too, and staying keeps the screen and its address.
    await page.goBack({ waitUntil: 'commit' }).catch(() => null);
    await expect.poll(() => questions.length).toBe(2);
    await expect.poll(() => page.url()).toBe(gridUrl);
    await expect(page.getByLabel('Left knee flexion (passive)')).toHaveValue('95');

    // Leaving on purpose: the patient's page, and the draft is gone with the entries.
    await page.getByRole('link', { name: `Back to ${name}` }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await page.getByRole('button', { name: 'Record session' }).click();
    await expect(page.getByLabel('Left knee flexion (passive)')).toHaveValue('');
    await expect(page.getByRole('heading', { name: /unsaved/ })).toHaveCount(0);
  });

  test('typed values survive an idle sign-out and are offered back after signing in again', async ({
    page,
  }) => {
    await page.clock.install();
    await signIn(page, 'therapist');
    await openEntryGrid(page);
    const gridUrl = page.url();
    await page.getByLabel('Left knee flexion (passive)').fill('96');
    await page.getByLabel('Right knee flexion (passive)').fill('98');
    const typedAt = await page.evaluate(() => {
      const d = new Date();
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    });

    // 15 minutes with nobody at the screen: signed out.
    await page.clock.fastForward('14:00');
    await expect(page.getByRole('alertdialog', { name: 'Still there?' })).toBeVisible();
    await page.clock.runFor('01:01');
    await expect(
      page.getByRole('heading', { level: 1, name: 'Sign in to OssiWatch' }),
    ).toBeVisible();

    await signIn(page, 'therapist');
    await page.goto(gridUrl);
    const offer = page.getByRole('region', { name: /Restore 2 unsaved readings from/ });
    await expect(offer).toBeVisible();
    await expect(offer).toContainText(`Restore 2 unsaved readings from ${typedAt}?`);
    await expectAccessible(page);
    await offer.getByRole('button', { name: 'Restore' }).click();
    await expect(page.getByLabel('Left knee flexion (passive)')).toHaveValue('96');
    await expect(page.getByLabel('Right knee flexion (passive)')).toHaveValue('98');
    await expect(offer).toHaveCount(0);
  });

  test("a nurse's half-filled form asks before leaving, and is offered back after an idle sign-out", async ({
    page,
  }) => {
    await page.clock.install();
    await signIn(page, 'nurse');
    await openFirstBoard(page);
    const name = await openPatientOnBoard(page, 0);
    const patientUrl = page.url();
    await page.getByLabel('Temperature (°C)').fill('38.4');

    const questions: string[] = [];
    page.on('dialog', (question) => {
      questions.push(question.message());
      void question.dismiss();
    });
    await page.getByRole('link', { name: 'Wards' }).click();
    await expect.poll(() => questions.length).toBe(1);
    expect(questions[0]).toContain(`A form for ${name} is filled in but not saved`);
    expect(page.url()).toBe(patientUrl);

    await page.clock.fastForward('14:00');
    await expect(page.getByRole('alertdialog', { name: 'Still there?' })).toBeVisible();
    await page.clock.runFor('01:01');
    await expect(
      page.getByRole('heading', { level: 1, name: 'Sign in to OssiWatch' }),
    ).toBeVisible();

    await signIn(page, 'nurse');
    await page.goto(patientUrl);
    const offer = page.getByRole('region', { name: /Restore 1 unsaved form from/ });
    await expect(offer).toBeVisible();
    await offer.getByRole('button', { name: 'Restore' }).click();
    await expect(page.getByLabel('Temperature (°C)')).toHaveValue('38.4');
    await expect(offer).toHaveCount(0);
    // Restored into the form's own state, not only onto the screen: the save sends it, and the page
    // can be left without a question afterwards.
    await page.getByRole('button', { name: 'Save temperature' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'saved' })).toContainText(
      'Temperature 38.4 °C saved.',
    );
    await page.getByRole('link', { name: 'Wards' }).click();
    await expect(page.getByRole('list', { name: 'Wards' })).toBeVisible();
    expect(questions).toHaveLength(1);
  });
});
