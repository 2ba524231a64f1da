import { expect, test, type Locator, type Page } from '@playwright/test';
import { openFirstBoard, openPatientOnBoard, signIn } from './support.ts';

// PRODUCT §5 "Everywhere": long tables keep their column headings in sight, beds never wrap, and the
// therapist's entry grid works on a phone with no sideways scrolling.
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

/**
 * Where a column heading is once the table's last row has been scrolled into view: still on
 * screen, on top (not hidden under the rows), and the first row gone past it.
 */
async function headingAfterScrolling(page: Page, table: Locator, heading: Locator) {
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(10);
  await rows.last().scrollIntoViewIfNeeded();
  await expect(rows.last()).toBeInViewport();
  return heading.evaluate((th) => {
    const box = th.getBoundingClientRect();
    const x = Math.min(box.left + box.width / 2, window.innerWidth - 1);
    const y = box.top + box.height / 2;
    const atPoint = document.elementFromPoint(x, y);
    const firstRow = th.closest('table')!.querySelector('tbody tr')!.getBoundingClientRect();
    return {
      top: box.top,
      bottom: box.bottom,
      viewportHeight: window.innerHeight,
      onTop: atPoint !== null && th.contains(atPoint),
      firstRowPassed: firstRow.bottom <= box.bottom,
    };
  });
}

for (const size of [DESKTOP, PHONE]) {
  test(`the board's column headings stay in sight while its rows scroll, at ${size.width} px`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await signIn(page, 'nurse');
    await openFirstBoard(page);
    const table = page.getByRole('table', { name: 'Patients' });
    const heading = table.getByRole('columnheader', { name: /^Bed/ });
    const at = await headingAfterScrolling(page, table, heading);
    expect(at.top).toBeGreaterThanOrEqual(0);
    expect(at.bottom).toBeLessThanOrEqual(at.viewportHeight);
    expect(at.onTop).toBe(true);
    expect(at.firstRowPassed).toBe(true);

    // Beds never wrap ("NA-" above "07" reads as two beds).
    const wrapped = await table.locator('td.bed').evaluateAll((cells) =>
      cells
        .filter((cell) => {
          const text = document.createRange();
          text.selectNodeContents(cell);
          return text.getClientRects().length > 1;
        })
        .map((cell) => cell.textContent),
    );
    expect(wrapped).toEqual([]);
  });
}

test('the entry grid on a phone: one block per movement, all four fields on screen, no sideways scroll', async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await signIn(page, 'therapist');
  await openFirstBoard(page);
  const name = await openPatientOnBoard(page, 'last');
  await page.getByRole('button', { name: 'Record session' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: `Record session: ${name}` }),
  ).toBeVisible();

  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    PHONE.width,
  );
  const grid = page.locator('table.entry-grid');
  const movements = await grid.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => {
      const fields = Array.from(row.querySelectorAll('input')).map((input) =>
        input.getBoundingClientRect(),
      );
      return {
        movement: row.querySelector('th')?.textContent ?? '',
        fields: fields.length,
        // Side by side: one line of fields per movement.
        lines: new Set(fields.map((box) => Math.round(box.top))).size,
        left: Math.min(...fields.map((box) => box.left)),
        right: Math.max(...fields.map((box) => box.right)),
        narrowest: Math.min(...fields.map((box) => box.width)),
      };
    }),
  );
  expect(movements.length).toBeGreaterThan(5);
  for (const movement of movements) {
    expect(movement, movement.movement).toMatchObject({ fields: 4, lines: 1 });
    expect(movement.left, movement.movement).toBeGreaterThanOrEqual(0);
    expect(movement.right, movement.movement).toBeLessThanOrEqual(PHONE.width);
    // Wide enough for "−120" and a thumb.
    expect(movement.narrowest, movement.movement).toBeGreaterThanOrEqual(60);
  }
  // Each field says visibly which side and mode it is, now that the column headings are gone.
  const leftHip = page.getByLabel('Left hip flexion (passive)');
  await expect(leftHip.locator('..')).toContainText('Left passive');
  await leftHip.fill('100');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Left hip flexion (active)')).toBeFocused();
});

test("the entry grid's column headings stay at the top of the screen on a wide screen", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 600 });
  await signIn(page, 'therapist');
  await openFirstBoard(page);
  const name = await openPatientOnBoard(page, 'last');
  await page.getByRole('button', { name: 'Record session' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: `Record session: ${name}` }),
  ).toBeVisible();
  const grid = page.getByRole('table', { name: 'Range of motion (degrees)' });
  const at = await headingAfterScrolling(
    page,
    grid,
    grid.getByRole('columnheader', { name: 'Movement' }),
  );
  expect(at.top).toBeGreaterThanOrEqual(0);
  expect(at.top).toBeLessThan(5);
  expect(at.onTop).toBe(true);
  expect(at.firstRowPassed).toBe(true);
});

test('after every in-app page change focus is on the new page heading; after a save on the saved message', async ({
  page,
}) => {
  await page.setViewportSize(DESKTOP);
  await signIn(page, 'nurse');
  const heading = page.getByRole('heading', { level: 1 });
  // The one-ward nurse lands on her board.
  await expect(page.getByRole('table', { name: 'Patients' })).toBeVisible();
  await expect(heading).toBeFocused();

  await page.getByRole('link', { name: 'Admit patient' }).click();
  await expect(heading).toHaveText(/^Admit a patient to/);
  await expect(heading).toBeFocused();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Wards' }).click();
  await expect(heading).toHaveText('Wards');
  await expect(heading).toBeFocused();

  await page.getByRole('list', { name: 'Wards' }).getByRole('link').first().click();
  await expect(page.getByRole('table', { name: 'Patients' })).toBeVisible();
  await expect(heading).toBeFocused();

  const name = await openPatientOnBoard(page, 0);
  await expect(page.getByRole('heading', { level: 1, name })).toBeFocused();

  // A nurse's form on the patient's page: the confirmation takes focus once it is saved.
  await page.getByLabel('Temperature (°C)').fill('37.2');
  await page.getByRole('button', { name: 'Save temperature' }).click();
  const saved = page.getByRole('status').filter({ hasText: 'Temperature 37.2 °C saved.' });
  await expect(saved.locator('p')).toBeFocused();

  await page.goBack();
  await expect(page.getByRole('table', { name: 'Patients' })).toBeVisible();
  await expect(heading).toBeFocused();
});
