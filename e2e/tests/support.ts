import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page } from '@playwright/test';
import path from 'node:path';

export const DEMO_PASSWORD = 'ossiwatch-demo';
export type DemoUser = 'nurse' | 'therapist' | 'physician' | 'manager' | 'admin' | 'admin2';

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, username: DemoUser): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('link', { name: 'Sign out' })).toBeVisible();
}

/** A fresh browser context (its own cookies) signed in as `username`. */
export async function signedInPage(browser: Browser, username: DemoUser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username);
  return page;
}

/** WCAG 2.1 A and AA, as axe checks them: no violation at all. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary).toEqual([]);
}

/** Saves a screenshot for the README under docs/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots', `${name}.png`),
    fullPage: false,
  });
}

/** Opens the board of the nurse's first ward from the ward list. */
export async function openFirstBoard(page: Page): Promise<void> {
  await page.goto('/');
  const wards = page.getByRole('list', { name: 'Wards' });
  await wards.getByRole('link').first().click();
  await expect(page.getByRole('table', { name: 'Patients' })).toBeVisible();
}

/**
 * Opens the patient on a row of the open board (its index, or the last row) and waits for their
 * page; returns the patient's name as the board shows it.
 */
export async function openPatientOnBoard(page: Page, row: number | 'last'): Promise<string> {
  const rows = page.getByRole('table', { name: 'Patients' }).locator('tbody tr');
  const link = (row === 'last' ? rows.last() : rows.nth(row)).getByRole('link');
  const name = await link.innerText();
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return name;
}

/** A `datetime-local` value (local time, minutes) `minutesAgo` before now. */
export function localDateTime(minutesAgo: number): string {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The board row of the patient whose name links to their page. */
export function boardRow(page: Page, name: string) {
  return page
    .getByRole('table', { name: 'Patients' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
}

/**
 * Saves the entry grid's session; a change larger than the typo threshold asks "Are you sure?" first
 * (PRODUCT §5), which this confirms.
 */
export async function saveSessionConfirmingLargeChanges(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save session' }).click();
  const saved = page.getByRole('status').filter({ hasText: 'saved' });
  const sure = page.getByRole('alertdialog', { name: 'Are you sure?' });
  await expect(saved.or(sure)).toBeVisible();
  if (await sure.isVisible()) await sure.getByRole('button', { name: 'Save anyway' }).click();
  await expect(saved).toBeVisible();
}
