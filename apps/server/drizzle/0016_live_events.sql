CREATE TABLE `live_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`epoch` text NOT NULL,
	`seq` integer NOT NULL,
	`ward_id` integer NOT NULL,
	`patient_id` integer,
	`kind` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `live_events_epoch_seq` ON `live_events` (`epoch`,`seq`);--> statement-breakpoint
CREATE INDEX `live_events_ward` ON `live_events` (`ward_id`,`id`);