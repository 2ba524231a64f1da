CREATE TABLE `emergency_access` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`patient_id` integer NOT NULL,
	`reason` text NOT NULL,
	`granted_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`client_ip` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "emergency_access_reason_length" CHECK(length(trim("emergency_access"."reason")) BETWEEN 10 AND 500),
	CONSTRAINT "emergency_access_granted_at_instant" CHECK("emergency_access"."granted_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "emergency_access_expires_at_instant" CHECK("emergency_access"."expires_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "emergency_access_expires_after_grant" CHECK("emergency_access"."expires_at" > "emergency_access"."granted_at")
);
--> statement-breakpoint
CREATE INDEX `emergency_access_user_patient` ON `emergency_access` (`user_id`,`patient_id`,`expires_at`);--> statement-breakpoint
CREATE INDEX `emergency_access_granted` ON `emergency_access` (`granted_at`);