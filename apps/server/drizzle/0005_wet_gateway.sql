CREATE TABLE `daily_tiers` (
	`patient_id` integer NOT NULL,
	`ward_id` integer NOT NULL,
	`date` text NOT NULL,
	`tier` text NOT NULL,
	`had_rom_within_7_days` integer NOT NULL,
	PRIMARY KEY(`patient_id`, `date`),
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE restrict,
	CONSTRAINT "daily_tiers_tier" CHECK("daily_tiers"."tier" IN ('alert', 'high', 'elevated', 'low')),
	CONSTRAINT "daily_tiers_had_rom" CHECK("daily_tiers"."had_rom_within_7_days" IN (0, 1)),
	CONSTRAINT "daily_tiers_date" CHECK("daily_tiers"."date" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date("daily_tiers"."date") IS NOT NULL)
);
--> statement-breakpoint
CREATE INDEX `daily_tiers_ward_date` ON `daily_tiers` (`ward_id`,`date`);