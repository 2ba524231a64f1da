CREATE TABLE `access_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`change` text NOT NULL,
	`user_version` integer NOT NULL,
	`requested_by` integer NOT NULL,
	`requested_at` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "access_changes_requested_at_instant" CHECK("access_changes"."requested_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "access_changes_state_known" CHECK("access_changes"."state" IN ('pending', 'confirmed', 'rejected')),
	CONSTRAINT "access_changes_decided" CHECK(("access_changes"."state" = 'pending') = ("access_changes"."decided_by" IS NULL AND "access_changes"."decided_at" IS NULL)),
	CONSTRAINT "access_changes_second_person" CHECK("access_changes"."decided_by" IS NULL OR "access_changes"."decided_by" <> "access_changes"."requested_by")
);
--> statement-breakpoint
CREATE INDEX `access_changes_state` ON `access_changes` (`state`,`id`);--> statement-breakpoint
ALTER TABLE `emergency_access` ADD `reviewed_at` text;--> statement-breakpoint
ALTER TABLE `emergency_access` ADD `reviewed_by` integer REFERENCES users(id);--> statement-breakpoint
CREATE INDEX `emergency_access_unreviewed` ON `emergency_access` (`reviewed_at`,`id`);