import { expect, test, type Page } from '@playwright/test';
import {
  expectAccessible,
  openFirstBoard,
  screenshot,
  signIn,
  openPatientOnBoard,
} from './support.ts';

/** Opens the entry grid of the first patient on the therapist's board; returns the patient's name. */
async function openEntryGrid(page: Page): Promise<string> {
  await openFirstBoard(page);
  const name = await openPatientOnBoard(page, 'last');
  await page.getByRole('button', { name: 'Record session' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: `Record session: ${name}` }),
  ).toBeVisible();
  return name;
}

test.describe('therapist', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, 'therapist');
  });

  test('records a session from the keyboard, seeing each value against the last and the other side', async ({
    page,
  }) => {
    const name = await openEntryGrid(page);
    const leftHip = page.getByLabel('Left hip flexion (passive)');
    await leftHip.focus();
    await page.keyboard.type('101');
    // Tab moves along the row: left active next.
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Left hip flexion (active)')).toBeFocused();
    await page.keyboard.type('95');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Right hip flexion (passive)')).toBeFocused();
    await page.keyboard.type('104');
    // The other side's value typed a moment ago shows next to the left hip.
    await expect(page.locator('#left\\:hip\\:flexion\\:passive-hint')).toContainText(
      'other side 104°',
    );

    await page.getByLabel('Left hip MAS').selectOption('1+');
    await page.getByLabel(/^JH-HLM/).selectOption('4');

    await expectAccessible(page);
    await page.getByLabel('Left hip flexion (passive)').focus();
    await screenshot(page, 'entry-grid');

    await page.getByRole('button', { name: 'Save session' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'saved' })).toContainText(
      `Session saved: 3 readings and 2 scale items for ${name}`,
    );
    // The grid is cleared and the saved value is now the last one.
    await expect(leftHip).toHaveValue('');
    await expect(page.locator('#left\\:hip\\:flexion\\:passive-hint')).toContainText('last 101°');
  });

  test('a bad reading is refused with a message naming it, and nothing is saved', async ({
    page,
  }) => {
    await openEntryGrid(page);
    const hint = page.locator('#left\\:knee\\:flexion\\:passive-hint');
    const before = await hint.innerText();

    await page.getByLabel('Left knee flexion (passive)').fill('90');
    await page.getByLabel('Left hip flexion (passive)').fill('400');
    await expect(page.getByLabel('Left hip flexion (passive)')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await expect(page.getByRole('alert').first()).toContainText(
      'Left hip flexion (passive): hip flexion of 400° is outside the plausible range 0° to 150°',
    );

    await page.getByRole('button', { name: 'Save session' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await expect(refusal).toContainText('Left hip flexion (passive)');
    await expect(page.getByLabel('Left hip flexion (passive)')).toBeFocused();
    await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveCount(0);

    // Nothing from the session was stored: after a reload the knee's last value is what it was.
    await page.reload();
    await expect(page.locator('#left\\:knee\\:flexion\\:passive-hint')).toHaveText(before);
  });
});
