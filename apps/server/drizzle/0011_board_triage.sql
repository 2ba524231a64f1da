CREATE TABLE `assessment_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`at` text NOT NULL,
	`kind` text NOT NULL,
	`detail` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "assessment_changes_kind" CHECK("assessment_changes"."kind" IN ('tier_rose', 'suspected', 'advisory', 'recheck', 'complication')),
	CONSTRAINT "assessment_changes_at_instant" CHECK("assessment_changes"."at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `assessment_changes_patient_at` ON `assessment_changes` (`patient_id`,`at`);--> statement-breakpoint
CREATE TABLE `board_acknowledgements` (
	`patient_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`user_id` integer,
	`by_name` text NOT NULL,
	`note` text NOT NULL,
	`acknowledged_at` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "board_acknowledgements_version" CHECK("board_acknowledgements"."version" >= 1),
	CONSTRAINT "board_acknowledgements_note_length" CHECK(length("board_acknowledgements"."note") BETWEEN 1 AND 500),
	CONSTRAINT "board_acknowledgements_at_instant" CHECK("board_acknowledgements"."acknowledged_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE TABLE `board_views` (
	`user_id` integer NOT NULL,
	`ward_id` integer NOT NULL,
	`viewed_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `ward_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "board_views_viewed_at_instant" CHECK("board_views"."viewed_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
