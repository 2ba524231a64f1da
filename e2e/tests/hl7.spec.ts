import { expect, test } from '@playwright/test';
import { connect } from 'node:net';
import { boardRow, expectAccessible, openFirstBoard, signedInPage } from './support.ts';

/** Sends one HL7 v2 message over MLLP (framed here, by hand) and returns the ACK's MSA-1 and ERR. */
function sendHl7(segments: string[]): Promise<{ code: string; error: string }> {
  const port = Number(process.env.E2E_MLLP_PORT);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.write(`\x0b${segments.join('\r')}\x1c\r`);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!text.includes('\x1c\r')) return;
      socket.end();
      const lines = text.replaceAll('\x0b', '').replaceAll('\x1c', '').split('\r');
      const msa = lines.find((l) => l.startsWith('MSA|'))?.split('|') ?? [];
      const err = lines.find((l) => l.startsWith('ERR|'))?.split('|') ?? [];
      resolve({ code: msa[1] ?? '', error: err[8] ?? '' });
    });
    socket.on('error', reject);
  });
}

const hl7Time = (minutesAgo: number): string =>
  `${new Date(Date.now() - minutesAgo * 60_000).toISOString().replace(/[-:T]/g, '').slice(0, 12)}+0000`;

test('an admission over HL7 waits for an unmapped location; the administrator maps it and replays it, and the patient appears on the open board, with a lab result on their page', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const nurse = await signedInPage(browser, 'nurse');
  await openFirstBoard(nurse);
  await expect(nurse.getByRole('status').filter({ hasText: 'Live: changes appear' })).toBeVisible();
  const wardName = (await nurse.getByRole('heading', { level: 1 }).innerText()).trim();

  const mrn = `E2E${Date.now()}`;
  const pid = `PID|1||${mrn}^^^HOSP^MR||Feedwell^Harriet||19720305|F`;
  const admit = await sendHl7([
    `MSH|^~\\&|ADT|HOSP|OSSIWATCH|HOSP|${hl7Time(0)}||ADT^A01^ADT_A01|${mrn}-A01|P|2.5.1`,
    `EVN|A01|${hl7Time(0)}`,
    pid,
    `PV1|1|I|E2EWARD^1^NOBED${'|'.repeat(41)}${hl7Time(90)}`,
  ]);
  expect(admit.code).toBe('AE');
  expect(admit.error).toContain('E2EWARD');

  const admin = await signedInPage(browser, 'admin');
  await admin.goto('/admin/interface');
  const waiting = admin.getByRole('table', { name: /Waiting in the queue/ });
  const row = waiting.getByRole('row').filter({ hasText: mrn });
  await expect(row).toContainText('E2EWARD (PV1-3.1) is not mapped to a ward');
  await expectAccessible(admin);

  await admin.getByLabel('Point-of-care code (PV1-3.1)').fill('E2EWARD');
  await admin.getByLabel('Ward', { exact: true }).selectOption({ label: wardName });
  await admin.getByRole('button', { name: 'Map location' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'now maps to' })).toBeVisible();
  await row.getByRole('button', { name: /Replay/ }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'applied' })).toBeVisible();
  await expect(row).toHaveCount(0);

  // Live, without a reload: the nurse's board now lists the patient.
  const link = nurse
    .getByRole('table', { name: 'Patients' })
    .getByRole('link', { name: 'Harriet Feedwell' });
  await expect(link).toBeVisible({ timeout: 15_000 });
  // What an ADT message cannot carry stays unknown, and the board says so instead of a tier.
  const newRow = boardRow(nurse, 'Harriet Feedwell');
  await expect(newRow).toContainText('injury details missing');
  await expect(newRow).toContainText('not assessed');

  const lab = await sendHl7([
    `MSH|^~\\&|LAB|HOSP|OSSIWATCH|HOSP|${hl7Time(0)}||ORU^R01|${mrn}-ORU|P|2.5.1`,
    pid,
    `OBR|1|||24326-1^Panel^LN|||${hl7Time(30)}`,
    `OBX|1|NM|6768-6^Alkaline phosphatase^LN||187|U/L|40-130|H|||F|||${hl7Time(30)}`,
  ]);
  expect(lab.code).toBe('AA');
  await link.click();
  await expect(nurse.getByRole('list', { name: 'Latest labs' })).toContainText('187');
});
