import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, openFirstBoard, signIn } from './support.ts';

/**
 * PRODUCT §7: a session ends after 15 minutes idle; the web app warns a minute before and signs out.
 * Playwright's clock moves the browser's time (Date and timers); the server's own idle limit runs on
 * real time and has not passed, so a refused board after the sign-out shows the app really ended the
 * session on the server rather than only hiding the screen.
 */

/** The board as a fresh request with the page's cookies asks for it, bypassing the app's cache. */
async function boardStatus(page: Page, wardId: number): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ json: { wardId } }));
  const response = await page.request.get(`/trpc/ward.board?input=${input}`);
  return response.status();
}

test('an idle nurse is warned in a modal dialog, stays signed in with the keyboard, then is signed out to a focused sign-in form with the board cleared', async ({
  page,
}) => {
  // Fake timers before the app loads, so its idle timer runs on the test's clock.
  await page.clock.install();
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'nurse');
  await openFirstBoard(page);

  const table = page.getByRole('table', { name: 'Patients' });
  const patientName = await table.locator('tbody tr').first().getByRole('link').innerText();
  const wardId = Number(/\/wards\/(\d+)/.exec(page.url())?.[1]);
  expect(wardId).toBeGreaterThan(0);
  expect(await boardStatus(page, wardId)).toBe(200);

  // 14 minutes without a key or a click: the warning, a minute before the sign-out.
  await page.clock.fastForward('14:00');
  const warning = page.getByRole('alertdialog', { name: 'Still there?' });
  await expect(warning).toBeVisible();
  await expect(warning).toHaveAccessibleDescription(/You will be signed out in \d+ seconds/);
  const stay = warning.getByRole('button', { name: 'Stay signed in' });
  // Focus moves to the way out, so a keyboard user (and a screen reader) lands on it at once.
  await expect(stay).toBeFocused();
  // The ticking seconds are on screen, not spoken every second: the warning's live region stays
  // quiet as it opens (the dialog itself is announced) and speaks at 30 and 10 seconds left.
  const reminder = warning.getByRole('status');
  await expect(reminder).toHaveText('');
  await expectAccessible(page);

  await page.keyboard.press('Enter');
  await expect(warning).toBeHidden();
  await expect(table).toBeVisible();
  await expect(table.getByRole('link', { name: patientName, exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();

  // Staying restarted the count: 14 more minutes (28 since the board opened) bring the warning
  // again rather than the sign-in page. The clock stays paused there, so the keys below are all
  // that happens while it is open (any key is activity and would close it at the next tick).
  const patientLink = table.getByRole('link', { name: patientName, exact: true });
  await patientLink.focus();
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 14 * 60_000);
  await expect(warning).toBeVisible();
  await expect(table).toBeVisible();
  // A modal dialog: the board and the header behind it are inert, so neither Tab, Shift+Tab nor
  // a script's focus() can reach them, and Escape is "Stay signed in", handing focus back to the
  // patient's link.
  await expect(warning).toHaveAttribute('aria-modal', 'true');
  await expect(stay).toBeFocused();
  const focusBehind = (): Promise<boolean> =>
    page.evaluate(() => {
      const active = document.activeElement;
      return active !== null && active !== document.body && active.closest('dialog') === null;
    });
  await patientLink.evaluate((link) => link.focus());
  await expect(stay).toBeFocused();
  for (const key of ['Tab', 'Shift+Tab', 'Shift+Tab', 'Tab', 'Tab']) {
    await page.keyboard.press(key);
    expect(await focusBehind(), key).toBe(false);
  }
  await stay.focus();
  await page.keyboard.press('Escape');
  await expect(warning).toBeHidden();
  await expect(patientLink).toBeFocused();
  await page.clock.resume();

  // Escape restarted the count too: the warning comes back after another 14 minutes.
  await page.clock.fastForward('14:00');
  await expect(warning).toBeVisible();
  await expect(table).toBeVisible();

  // The last minute runs out second by second, with nobody at the screen.
  await page.clock.runFor('00:31');
  await expect(reminder).toHaveText('30 seconds or less until you are signed out.');
  await expect(warning).toHaveAccessibleDescription(/You will be signed out in \d+ seconds/);
  await page.clock.runFor('00:30');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to OssiWatch' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(
    'signed out after 15 minutes without activity',
  );
  // Focus lands on the first field, ready to sign in again, and the field carries the reason, so a
  // screen reader says why the user is here as they arrive.
  const username = page.getByLabel('Username');
  await expect(username).toBeFocused();
  await expect(username).toHaveAccessibleDescription(
    /signed out after 15 minutes without activity/,
  );
  await expectAccessible(page);
  // Nothing of the ward is left on the screen.
  await expect(table).toHaveCount(0);
  await expect(page.getByText(patientName)).toHaveCount(0);
  await expect(warning).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Sign out' })).toHaveCount(0);

  // The server session ended too: a fresh request for the board is refused, and a reload of the
  // board's address shows the sign-in page, not the patients.
  expect(await boardStatus(page, wardId)).toBe(401);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // A fresh visit is read from the top, heading first, rather than jumping into the form.
  await expect(username).not.toBeFocused();
  await expect(table).toHaveCount(0);
  await expect(page.getByText(patientName)).toHaveCount(0);
});
