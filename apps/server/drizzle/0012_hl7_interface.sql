CREATE TABLE `hl7_locations` (
	`code` text PRIMARY KEY NOT NULL,
	`ward_id` integer NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "hl7_locations_code_length" CHECK(length("hl7_locations"."code") BETWEEN 1 AND 64)
);
--> statement-breakpoint
CREATE TABLE `hl7_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`received_at` text NOT NULL,
	`sender` text NOT NULL,
	`control_id` text,
	`message_type` text,
	`mrn` text,
	`patient_id` integer,
	`raw` text NOT NULL,
	`status` text NOT NULL,
	`ack_code` text NOT NULL,
	`note` text,
	`touched` text,
	`peer` text,
	`resolved_at` text,
	`resolved_by` integer,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "hl7_messages_status" CHECK("hl7_messages"."status" IN ('applied', 'queued', 'rejected', 'replayed', 'dismissed')),
	CONSTRAINT "hl7_messages_ack_code" CHECK("hl7_messages"."ack_code" IN ('AA', 'AE', 'AR')),
	CONSTRAINT "hl7_messages_received_at" CHECK("hl7_messages"."received_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "hl7_messages_touched_json" CHECK("hl7_messages"."touched" IS NULL OR json_valid("hl7_messages"."touched"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hl7_messages_sender_control` ON `hl7_messages` (`sender`,`control_id`);--> statement-breakpoint
CREATE INDEX `hl7_messages_status` ON `hl7_messages` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `hl7_messages_mrn` ON `hl7_messages` (`mrn`,`status`);