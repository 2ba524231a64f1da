import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { isInstant, nowInstant, oneOf } from './sql-helpers.ts';
import { users } from './users.ts';
import { wards } from './wards.ts';

/**
 * What became of an inbound HL7 v2 message (CR §8b): `applied` (ACK AA), `queued` (ACK AE, waiting
 * in the interface queue for an administrator), `rejected` (ACK AR, malformed), `replayed` (was
 * queued, applied later by an administrator), `dismissed` (was queued, an administrator set it aside).
 */
export const HL7_STATUSES = ['applied', 'queued', 'rejected', 'replayed', 'dismissed'] as const;
export type Hl7Status = (typeof HL7_STATUSES)[number];

/**
 * Every inbound HL7 v2 message, raw, with its outcome and the records it touched, written in the
 * same transaction as those records (PRODUCT §11). The sender and MSH-10 identify a message: the
 * same pair again is acknowledged again, never applied twice.
 */
export const hl7Messages = sqliteTable(
  'hl7_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    receivedAt: text('received_at').notNull(),
    /** MSH-3 ^ MSH-4: the sending application and facility. */
    sender: text('sender').notNull(),
    /** MSH-10; null only for a message too malformed to carry one. */
    controlId: text('control_id'),
    /** MSH-9 as `ADT^A01`. */
    messageType: text('message_type'),
    /** PID-3.1: the MRN the message is about, when it names one. */
    mrn: text('mrn'),
    patientId: integer('patient_id'),
    raw: text('raw').notNull(),
    status: text('status', { enum: HL7_STATUSES }).notNull(),
    /** The ACK code answered to the last delivery: AA, AE or AR. */
    ackCode: text('ack_code').notNull(),
    /** Why it was not applied, or a warning about how it was (an unknown bed). */
    note: text('note'),
    /** The records written: `{ patients: [...], stays: [...], labs: [...] }`. */
    touched: text('touched', { mode: 'json' }),
    peer: text('peer'),
    resolvedAt: text('resolved_at'),
    resolvedBy: integer('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    uniqueIndex('hl7_messages_sender_control').on(table.sender, table.controlId),
    index('hl7_messages_status').on(table.status, table.id),
    index('hl7_messages_mrn').on(table.mrn, table.status),
    check('hl7_messages_status', oneOf(table.status, HL7_STATUSES)),
    check('hl7_messages_ack_code', sql`${table.ackCode} IN ('AA', 'AE', 'AR')`),
    check('hl7_messages_received_at', isInstant(table.receivedAt)),
    check(
      'hl7_messages_touched_json',
      sql`${table.touched} IS NULL OR json_valid(${table.touched})`,
    ),
  ],
);

/**
 * An administrator's table from HL7 point-of-care codes (PV1-3.1) to wards; the bed is the ward's
 * bed labelled as PV1-3.3.
 */
export const hl7Locations = sqliteTable(
  'hl7_locations',
  {
    code: text('code').primaryKey(),
    wardId: integer('ward_id')
      .notNull()
      .references(() => wards.id, { onDelete: 'cascade' }),
    updatedAt: text('updated_at').notNull().default(nowInstant),
  },
  (table) => [check('hl7_locations_code_length', sql`length(${table.code}) BETWEEN 1 AND 64`)],
);
