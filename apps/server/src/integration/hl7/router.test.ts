import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, hl7Messages } from '../../db/schema.ts';
import { ROLES } from '../../db/schema.ts';
import { callerAs, callerFor, makeUser, makeWard, migratedMemoryDb } from '../../test-support.ts';
import { Hl7Message } from '@medplum/core';
import { receiveMessage } from './apply.ts';

const at = `${new Date(Date.now() - 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 12)}+0000`;
const ADMIT = [
  `MSH|^~\\&|ADT|HOSP|OSSIWATCH|HOSP|${at}||ADT^A01|R-1|P|2.5.1`,
  `EVN|A01|${at}`,
  'PID|1||R100^^^HOSP^MR||Doe^Ray||19800115|M',
  `PV1|1|I|7SOUTH^^01${'|'.repeat(41)}${at}`,
].join('\r');

async function codeOf(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => 'allowed',
    (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
  );
}

describe('hl7 admin procedures', () => {
  it('are for administrators only, refused before the input is read', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'South');
    expect(await codeOf(callerFor(db).hl7.queue())).toBe('UNAUTHORIZED');
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const caller = callerAs(db, await makeUser(db, [role], [wardId]));
      expect(await codeOf(caller.hl7.queue())).toBe('FORBIDDEN');
      // Bad input, yet FORBIDDEN: the role is checked first.
      expect(await codeOf(caller.hl7.mapLocation({ code: '', wardId: -1 }))).toBe('FORBIDDEN');
      expect(await codeOf(caller.hl7.replay({ messageId: 1 }))).toBe('FORBIDDEN');
      expect(await codeOf(caller.hl7.dismiss({ messageId: 1 }))).toBe('FORBIDDEN');
    }
  });

  it('let an administrator see a waiting message, map its location, replay it, and name bad input', async () => {
    const db = migratedMemoryDb();
    const { wardId } = makeWard(db, 'South');
    const admin = callerAs(db, await makeUser(db, ['admin'], []));
    const outcome = await receiveMessage(db, ADMIT, Hl7Message.parse(ADMIT), { peer: '127.0.0.1' });
    expect(outcome.ackCode).toBe('AE');
    const queue = await admin.hl7.queue();
    expect(queue.waiting).toEqual([expect.objectContaining({ controlId: 'R-1', mrn: 'R100' })]);
    await expect(admin.hl7.mapLocation({ code: '7SOUTH', wardId: 999 })).rejects.toThrow(/wardId/);
    await expect(admin.hl7.mapLocation({ code: 'A|B', wardId })).rejects.toThrow(/code/);
    expect(await admin.hl7.mapLocation({ code: '7SOUTH', wardId })).toEqual({
      code: '7SOUTH',
      wardId,
    });
    expect(await admin.hl7.replay({ messageId: queue.waiting[0]?.id ?? 0 })).toMatchObject({
      ackCode: 'AA',
    });
    await expect(admin.hl7.replay({ messageId: queue.waiting[0]?.id ?? 0 })).rejects.toThrow(
      /replayed/,
    );
    await expect(admin.hl7.dismiss({ messageId: 999 })).rejects.toThrow(/No message/);
    expect((await admin.hl7.queue()).locations).toEqual([
      expect.objectContaining({ code: '7SOUTH', wardName: 'South' }),
    ]);
    expect(db.select().from(hl7Messages).get()?.status).toBe('replayed');
    const actions = db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.category, 'admin'))
      .all();
    expect(actions.map((a) => a.action)).toEqual(['hl7.location.map']);
  });
});
