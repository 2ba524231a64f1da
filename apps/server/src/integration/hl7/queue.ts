/**
 * The interface queue and the location map, for administrators (PRODUCT §11): what waits and why,
 * recent messages applied with a warning (an unknown bed), the table from PV1-3.1 point-of-care
 * codes to wards. Shared by the admin screen (router.ts) and the CLI (commands.ts).
 */
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { appendAudit, queueAudit } from '../../audit.ts';
import type { OssiwatchDb } from '../../db/client.ts';
import { hl7Locations, hl7Messages, wards } from '../../db/schema.ts';
import { Hl7QueueError } from './apply.ts';

export interface Hl7Admin {
  readonly userId: number | null;
  readonly username: string;
  readonly clientIp: string | null;
}

const MESSAGE_COLUMNS = {
  id: hl7Messages.id,
  receivedAt: hl7Messages.receivedAt,
  sender: hl7Messages.sender,
  controlId: hl7Messages.controlId,
  messageType: hl7Messages.messageType,
  mrn: hl7Messages.mrn,
  status: hl7Messages.status,
  ackCode: hl7Messages.ackCode,
  note: hl7Messages.note,
  raw: hl7Messages.raw,
};

/**
 * Messages waiting (oldest first), and the latest messages applied with a warning or rejected. The
 * raw text names patients: the read is audited.
 */
export function interfaceQueue(db: OssiwatchDb, admin: Hl7Admin, now: Date, recent = 50) {
  const waiting = db
    .select(MESSAGE_COLUMNS)
    .from(hl7Messages)
    .where(eq(hl7Messages.status, 'queued'))
    .orderBy(asc(hl7Messages.id))
    .limit(500)
    .all();
  const warnings = db
    .select(MESSAGE_COLUMNS)
    .from(hl7Messages)
    .where(
      and(
        inArray(hl7Messages.status, ['applied', 'replayed', 'rejected']),
        isNotNull(hl7Messages.note),
      ),
    )
    .orderBy(desc(hl7Messages.id))
    .limit(recent)
    .all();
  queueAudit(db, {
    at: now,
    userId: admin.userId,
    username: admin.username,
    action: 'hl7.queue',
    patientId: null,
    category: 'read',
    outcome: 'success',
    clientIp: admin.clientIp,
    detail: { messageIds: [...waiting, ...warnings].map((m) => m.id) },
  });
  return { waiting, warnings };
}

export function locationMap(db: OssiwatchDb) {
  return db
    .select({
      code: hl7Locations.code,
      wardId: hl7Locations.wardId,
      wardName: wards.name,
      updatedAt: hl7Locations.updatedAt,
    })
    .from(hl7Locations)
    .innerJoin(wards, eq(wards.id, hl7Locations.wardId))
    .orderBy(asc(hl7Locations.code))
    .all();
}

/** Maps (or re-maps) a point-of-care code to a ward; audited with the old and new ward. */
export function mapLocation(
  db: OssiwatchDb,
  admin: Hl7Admin,
  now: Date,
  input: { code: string; wardId: number },
): { code: string; wardId: number } {
  const code = input.code.trim();
  if (code.length < 1 || code.length > 64 || /[|^~\\&\r\n]/.test(code)) {
    throw new Hl7QueueError(
      'BAD_REQUEST',
      'code: 1 to 64 characters, without HL7 separators (| ^ ~ \\ &)',
    );
  }
  return db.transaction((tx) => {
    const ward = tx.select({ id: wards.id }).from(wards).where(eq(wards.id, input.wardId)).get();
    if (!ward) throw new Hl7QueueError('BAD_REQUEST', `wardId: no ward ${input.wardId}`);
    const before = tx.select().from(hl7Locations).where(eq(hl7Locations.code, code)).get();
    tx.insert(hl7Locations)
      .values({ code, wardId: input.wardId, updatedAt: now.toISOString() })
      .onConflictDoUpdate({
        target: hl7Locations.code,
        set: { wardId: input.wardId, updatedAt: now.toISOString() },
      })
      .run();
    appendAudit(tx, {
      at: now,
      userId: admin.userId,
      username: admin.username,
      action: 'hl7.location.map',
      patientId: null,
      category: 'admin',
      outcome: 'success',
      clientIp: admin.clientIp,
      detail: { code, wardId: input.wardId, before: before?.wardId ?? null },
    });
    return { code, wardId: input.wardId };
  });
}

/** Removes a mapping: messages for that code wait in the queue again. */
export function unmapLocation(db: OssiwatchDb, admin: Hl7Admin, now: Date, code: string): void {
  db.transaction((tx) => {
    const removed = tx
      .delete(hl7Locations)
      .where(eq(hl7Locations.code, code))
      .returning({ wardId: hl7Locations.wardId })
      .get();
    if (!removed) throw new Hl7QueueError('NOT_FOUND', `code: ${code} is not mapped`);
    appendAudit(tx, {
      at: now,
      userId: admin.userId,
      username: admin.username,
      action: 'hl7.location.unmap',
      patientId: null,
      category: 'admin',
      outcome: 'success',
      clientIp: admin.clientIp,
      detail: { code, before: removed.wardId },
    });
  });
}

/**
 * Sets a queued message aside without applying it (sent in error, or applied by hand): the
 * patient's later messages no longer wait behind it.
 */
export function dismissMessage(
  db: OssiwatchDb,
  admin: Hl7Admin,
  now: Date,
  messageId: number,
): void {
  db.transaction((tx) => {
    const row = tx.select().from(hl7Messages).where(eq(hl7Messages.id, messageId)).get();
    if (!row) throw new Hl7QueueError('NOT_FOUND', `No message #${messageId}`);
    if (row.status !== 'queued') {
      throw new Hl7QueueError(
        'CONFLICT',
        `Message #${messageId} is ${row.status}, not waiting in the queue`,
      );
    }
    tx.update(hl7Messages)
      .set({ status: 'dismissed', resolvedAt: now.toISOString(), resolvedBy: admin.userId })
      .where(eq(hl7Messages.id, messageId))
      .run();
    appendAudit(tx, {
      at: now,
      userId: admin.userId,
      username: admin.username,
      action: 'hl7.dismiss',
      patientId: row.patientId,
      category: 'admin',
      outcome: 'success',
      clientIp: admin.clientIp,
      detail: { messageId, controlId: row.controlId },
    });
  });
}
