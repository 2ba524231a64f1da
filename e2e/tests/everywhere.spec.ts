import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signIn, type DemoUser } from './support.ts';

// PRODUCT §5 "Everywhere": every screen reflows at 390 px (WCAG 1.4.10) and passes axe in the light
// and the dark theme, on a phone and on a 1080p wall screen.
const PHONE = { width: 390, height: 844 };
const WALL = { width: 1920, height: 1080 };

/** Waits until the screen has its heading and has finished loading. */
async function settle(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
}

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

/** Every problem found on one screen, as readable lines; empty when the screen is fine. */
async function checkScreen(page: Page, path: string): Promise<string[]> {
  const problems: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const size of [PHONE, WALL]) {
      await page.setViewportSize(size);
      await page.goto(path);
      await settle(page);
      const where = `${path} ${colorScheme} ${size.width}px`;
      if (size === PHONE) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > PHONE.width) problems.push(`${where}: ${width} px wide`);
      }
      for (const violation of await axeViolations(page)) problems.push(`${where}: ${violation}`);
    }
  }
  return problems;
}

/** The address of the first ward on the user's ward list and of the first patient on its board. */
async function firstWardAndPatient(page: Page): Promise<{ board: string; patient: string }> {
  await page.goto('/');
  const board = await page
    .getByRole('list', { name: 'Wards' })
    .getByRole('link')
    .first()
    .getAttribute('href');
  await page.goto(board!);
  const patient = await page
    .getByRole('table', { name: 'Patients' })
    .locator('tbody tr')
    .first()
    .getByRole('link')
    .first()
    .getAttribute('href');
  return { board: board!, patient: patient! };
}

// One account per role (the second administrator sees what the first does).
type Role = Exclude<DemoUser, 'admin2'>;

const SCREENS: Record<Role, (page: Page) => Promise<string[]>> = {
  nurse: async (page) => {
    const { board, patient } = await firstWardAndPatient(page);
    return ['/', board, `${board}?wall=1`, `${board}/admit`, patient, '/rates', '/admin'];
  },
  therapist: async (page) => {
    const { board, patient } = await firstWardAndPatient(page);
    return [board, patient, `${patient}/record`];
  },
  physician: async (page) => {
    const { board, patient } = await firstWardAndPatient(page);
    return [board, patient];
  },
  manager: () => Promise.resolve(['/rates', '/admin']),
  admin: () =>
    Promise.resolve(['/admin', '/admin/wards', '/admin/settings', '/admin/audit', '/rates']),
};

test.describe('every screen, every role: phone reflow and axe in light and dark', () => {
  for (const [role, screens] of Object.entries(SCREENS) as [
    DemoUser,
    (page: Page) => Promise<string[]>,
  ][]) {
    test(role, async ({ page }) => {
      test.setTimeout(300_000);
      await signIn(page, role);
      const problems: string[] = [];
      for (const path of await screens(page)) problems.push(...(await checkScreen(page, path)));
      expect(problems).toEqual([]);
    });
  }
});
