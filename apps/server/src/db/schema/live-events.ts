import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The ward events the live boards were sent, kept for a while after the process that published them
 * has gone, so that a board reconnecting to a restarted server with its last event id is sent what it
 * missed instead of reloading (events.ts). Only ids and kinds: nothing a board would not refetch.
 */
export const liveEvents = sqliteTable(
  'live_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The publishing process's epoch and sequence: the event id a board holds is `epoch-seq`. */
    epoch: text('epoch').notNull(),
    seq: integer('seq').notNull(),
    wardId: integer('ward_id').notNull(),
    patientId: integer('patient_id'),
    kind: text('kind').notNull(),
  },
  (table) => [
    index('live_events_epoch_seq').on(table.epoch, table.seq),
    index('live_events_ward').on(table.wardId, table.id),
  ],
);
