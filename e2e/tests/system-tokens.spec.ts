import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expectAccessible, signedInPage } from './support.ts';

/** `pnpm ossiwatch token:create` against the run's database, as an operator on the server would. */
function createToken(name: string): string {
  const out = execFileSync(
    'pnpm',
    ['--silent', 'ossiwatch', 'token:create', '--name', name, '--scope', 'fhir:read'],
    {
      cwd: path.join(import.meta.dirname, '..', '..'),
      env: { ...process.env, DATABASE_PATH: process.env.E2E_DATABASE_PATH ?? '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return out.trim();
}

test('a system token issued on the command line reads FHIR; the administrator sees it on the screen, revokes it from the keyboard, and its next call is refused', async ({
  browser,
  request,
}) => {
  const name = `registry-${Date.now()}`;
  const token = createToken(name);
  expect(token).toMatch(/^ossw_/);
  const call = () =>
    request.get('/fhir/R4/Patient?_count=1', { headers: { authorization: `Bearer ${token}` } });
  const ok = await call();
  expect(ok.status()).toBe(200);
  expect(((await ok.json()) as { resourceType: string }).resourceType).toBe('Bundle');

  const admin = await signedInPage(browser, 'admin');
  await admin.goto('/admin/tokens');
  const row = admin
    .getByRole('table', { name: /System tokens/ })
    .getByRole('row')
    .filter({ hasText: name });
  await expect(row).toContainText('FHIR read, with identities');
  await expect(row).toContainText('Every ward');
  await expect(row).not.toContainText('Never');
  await expect(admin.getByText(token.slice(5))).toHaveCount(0);
  await expectAccessible(admin);

  await row.getByRole('button', { name: `Revoke token ${name}` }).focus();
  await admin.keyboard.press('Enter');
  // The confirmation takes the focus, so Enter again confirms.
  await expect(row.getByRole('button', { name: `Revoke ${name} now` })).toBeFocused();
  await admin.keyboard.press('Enter');
  await expect(
    admin.getByRole('status').filter({ hasText: `Token "${name}" revoked` }),
  ).toBeVisible();
  await expect(row).toContainText('Revoked');
  await expectAccessible(admin);

  const refused = await call();
  expect(refused.status()).toBe(401);
  expect(refused.headers()['www-authenticate']).toContain('error="invalid_token"');
  expect(((await refused.json()) as { resourceType: string }).resourceType).toBe(
    'OperationOutcome',
  );
});
