CREATE TABLE `beds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ward_id` integer NOT NULL,
	`label` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "beds_label_not_empty" CHECK(length("beds"."label") > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `beds_ward_label` ON `beds` (`ward_id`,`label`);--> statement-breakpoint
CREATE INDEX `beds_ward` ON `beds` (`ward_id`);--> statement-breakpoint
CREATE TABLE `wards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`time_zone` text DEFAULT 'Europe/London' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wards_name_unique` ON `wards` (`name`);