import { expect, test, type Page } from '@playwright/test';
import { openFirstBoard, screenshot, signIn } from './support.ts';

/** A keyboard that counts every key pressed, characters typed one key each. */
function countingKeyboard(page: Page) {
  let keys = 0;
  return {
    press: async (key: string) => {
      keys += 1;
      await page.keyboard.press(key);
    },
    type: async (text: string) => {
      keys += text.length;
      await page.keyboard.type(text);
    },
    get count() {
      return keys;
    },
  };
}

const focusedLabel = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    return active?.getAttribute('aria-label') ?? active?.id ?? '';
  });

test('a keyboard-only therapist saves six readings from the ward board in at most 45 keys', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, 'therapist');
  await openFirstBoard(page);
  const rows = page.getByRole('table', { name: 'Patients' }).locator('tbody tr');
  const bed = await rows.last().locator('td').first().innerText();
  const name = await rows.last().getByRole('link').first().innerText();
  const keys = countingKeyboard(page);

  // "/" to the search, the bed, Enter opens the one patient found. (Part of a bed finds it too, but
  // "1" would also find NA-10 to NA-19, whichever bed this row is in.)
  await keys.press('/');
  await expect(page.getByLabel('Search name or bed')).toBeFocused();
  await keys.type(bed);
  await keys.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name })).toBeFocused();

  await keys.press('Tab');
  await expect(page.getByRole('button', { name: 'Record session' })).toBeFocused();
  await keys.press('Enter');
  await expect(
    page.getByRole('heading', { level: 1, name: `Record session: ${name}` }),
  ).toBeFocused();

  // Tab to the grid's first cell, then along one movement's row and into the next.
  const firstCell = 'Left shoulder flexion (passive)';
  for (let i = 0; i < 15 && (await focusedLabel(page)) !== firstCell; i++) {
    await keys.press('Tab');
  }
  await expect(page.getByLabel(firstCell)).toBeFocused();
  const values = ['150', '140', '155', '145', '50', '45'];
  for (const [index, value] of values.entries()) {
    if (index > 0) await keys.press('Tab');
    await keys.type(value);
  }
  await expect(page.getByLabel('Left shoulder extension (active)')).toHaveValue('45');

  await keys.press('Control+Enter');
  // A change the grid asks about ("Are you sure?") is confirmed with Enter, one more key.
  const confirm = page.getByRole('dialog');
  const saved = page.getByText(/^Session saved: 6 readings/);
  await expect(saved.or(confirm).first()).toBeVisible();
  if (await confirm.isVisible()) await keys.press('Enter');
  await expect(saved).toBeVisible();
  await expect(saved).toBeFocused();

  console.log(`keys from the ward board to six saved readings: ${keys.count}`);
  expect(keys.count).toBeLessThanOrEqual(45);
});

/** The nurse's ward with the most beds, from the ward list. */
async function biggestWard(page: Page): Promise<string> {
  await page.goto('/');
  const list = page.getByRole('list', { name: 'Wards' });
  await expect(list).toBeVisible();
  const links = list.getByRole('listitem');
  let best = { beds: -1, href: '' };
  for (const item of await links.all()) {
    const beds = Number(/\((\d+) beds\)/.exec(await item.innerText())?.[1] ?? 0);
    const href = (await item.getByRole('link').getAttribute('href')) ?? '';
    if (beds > best.beds) best = { beds, href };
  }
  return best.href;
}

for (const size of [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
]) {
  test(`wall mode shows every patient with no scrolling at ${size.width}×${size.height}, room for 30`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await signIn(page, 'nurse');
    const ward = await biggestWard(page);
    await page.goto(ward);
    const boardRows = page.getByRole('table', { name: 'Patients' }).locator('tbody tr');
    await expect(boardRows.first()).toBeVisible();
    const count = await boardRows.count();
    expect(count).toBeGreaterThan(15);
    await page.goto(`${ward}?wall=1`);
    const rows = page.locator('table.board.wall tbody tr');
    await expect(rows).toHaveCount(count);
    // Dark by default on the wall.
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    const fit = await page.evaluate(() => {
      const all = Array.from(document.querySelectorAll('table.board.wall tbody tr'));
      const bottoms = all.map((row) => row.getBoundingClientRect().bottom);
      const heights = all.map((row) => row.getBoundingClientRect().height);
      const firstTop = all[0]!.getBoundingClientRect().top;
      const beds = Array.from(document.querySelectorAll('table.board.wall td.bed'));
      return {
        scrollHeight: document.documentElement.scrollHeight,
        lowest: Math.max(...bottoms),
        tallestRow: Math.max(...heights),
        firstTop,
        bedsOnOneLine: beds.every((bed) => {
          const text = document.createRange();
          text.selectNodeContents(bed);
          return text.getClientRects().length === 1;
        }),
      };
    });
    console.log(`${size.width}×${size.height}: ${count} patients`, fit);
    expect(fit.scrollHeight).toBeLessThanOrEqual(size.height);
    expect(fit.lowest).toBeLessThanOrEqual(size.height);
    expect(fit.bedsOnOneLine).toBe(true);
    // 30 beds are two columns of 15 rows: they fit below the first row's top at the tallest row's height.
    expect(fit.firstTop + 15 * fit.tallestRow).toBeLessThanOrEqual(size.height);
    if (size.width === 1920) await screenshot(page, 'wall-1080p');
  });
}

test('a phone shows the ward board without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'nurse');
  await openFirstBoard(page);
  await screenshot(page, 'board-phone');
});
