DROP INDEX `catheter_episodes_one_open_per_patient`;--> statement-breakpoint
ALTER TABLE `catheter_episodes` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `catheter_episodes` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `catheter_episodes` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `catheter_episodes` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `catheter_episodes` ADD `supersedes` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `catheter_episodes_one_open_per_patient` ON `catheter_episodes` (`patient_id`) WHERE "catheter_episodes"."removed_at" IS NULL AND status IN ('final', 'amended');--> statement-breakpoint
ALTER TABLE `braden` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `braden` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `braden` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `braden` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `braden` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `braden` ADD `supersedes` integer;--> statement-breakpoint
ALTER TABLE `ho_diagnoses` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `ho_diagnoses` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `ho_diagnoses` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `ho_diagnoses` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `ho_diagnoses` ADD `supersedes` integer;--> statement-breakpoint
ALTER TABLE `imaging` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `imaging` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `imaging` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `imaging` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `imaging` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `imaging` ADD `supersedes` integer;--> statement-breakpoint
ALTER TABLE `joint_observations` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `joint_observations` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `joint_observations` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `joint_observations` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `joint_observations` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `joint_observations` ADD `supersedes` integer;--> statement-breakpoint
ALTER TABLE `mobility` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `mobility` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `mobility` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `mobility` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `mobility` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `mobility` ADD `supersedes` integer;--> statement-breakpoint
ALTER TABLE `rom_readings` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `rom_readings` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `rom_readings` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `rom_readings` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `rom_readings` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `rom_readings` ADD `supersedes` integer;--> statement-breakpoint
CREATE INDEX `rom_readings_withdrawn` ON `rom_readings` (`patient_id`) WHERE "rom_readings"."status" IN ('superseded', 'entered-in-error');--> statement-breakpoint
ALTER TABLE `spasticity` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `spasticity` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `spasticity` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `spasticity` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `spasticity` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `spasticity` ADD `supersedes` integer;--> statement-breakpoint
ALTER TABLE `vitals_labs` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `vitals_labs` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `vitals_labs` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `vitals_labs` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `vitals_labs` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `vitals_labs` ADD `supersedes` integer;--> statement-breakpoint
ALTER TABLE `complications` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `complications` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `complications` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `complications` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `complications` ADD `supersedes` integer;--> statement-breakpoint
ALTER TABLE `interventions` ADD `status` text DEFAULT 'final' NOT NULL;--> statement-breakpoint
ALTER TABLE `interventions` ADD `status_reason` text;--> statement-breakpoint
ALTER TABLE `interventions` ADD `status_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `interventions` ADD `status_at` text;--> statement-breakpoint
ALTER TABLE `interventions` ADD `supersedes` integer;