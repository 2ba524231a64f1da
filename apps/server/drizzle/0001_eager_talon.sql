CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`client_ip` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "sessions_id_is_sha256" CHECK(length("sessions"."id") = 64),
	CONSTRAINT "sessions_created_at_instant" CHECK("sessions"."created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "sessions_last_seen_at_instant" CHECK("sessions"."last_seen_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `user_roles` (
	`user_id` integer NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`user_id`, `role`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "user_roles_role" CHECK("user_roles"."role" IN ('nurse', 'therapist', 'physician', 'manager', 'admin'))
);
--> statement-breakpoint
CREATE TABLE `user_wards` (
	`user_id` integer NOT NULL,
	`ward_id` integer NOT NULL,
	PRIMARY KEY(`user_id`, `ward_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_wards_ward` ON `user_wards` (`ward_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "users_username_shape" CHECK(length("users"."username") BETWEEN 1 AND 64 AND "users"."username" NOT GLOB '*[^a-z0-9._-]*'),
	CONSTRAINT "users_display_name_length" CHECK(length("users"."display_name") BETWEEN 1 AND 200),
	CONSTRAINT "users_password_is_argon2id" CHECK("users"."password_hash" LIKE '$argon2id$%'),
	CONSTRAINT "users_disabled_boolean" CHECK("users"."disabled" IN (0, 1))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_by` integer,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "settings_value_json" CHECK(json_valid("settings"."value"))
);
--> statement-breakpoint
CREATE TABLE `settings_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`version` integer NOT NULL,
	`changed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`changed_by` integer,
	FOREIGN KEY (`changed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "settings_history_value_json" CHECK(json_valid("settings_history"."value"))
);
--> statement-breakpoint
CREATE INDEX `settings_history_key` ON `settings_history` (`key`,`version`);--> statement-breakpoint
CREATE TABLE `injuries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`type` text NOT NULL,
	`occurred_at` text NOT NULL,
	`lowest_gcs` integer,
	`coma_days` integer,
	`ventilation_days` integer,
	`diffuse_axonal_injury` integer,
	`autonomic_dysregulation` integer,
	`ais_grade` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "injuries_type" CHECK("injuries"."type" IN ('tbi', 'sci', 'stroke', 'anoxic', 'other')),
	CONSTRAINT "injuries_occurred_at_instant" CHECK("injuries"."occurred_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "injuries_lowest_gcs" CHECK("injuries"."lowest_gcs" BETWEEN 3 AND 15),
	CONSTRAINT "injuries_coma_days" CHECK("injuries"."coma_days" BETWEEN 0 AND 3650),
	CONSTRAINT "injuries_ventilation_days" CHECK("injuries"."ventilation_days" BETWEEN 0 AND 3650),
	CONSTRAINT "injuries_dai_boolean" CHECK("injuries"."diffuse_axonal_injury" IN (0, 1)),
	CONSTRAINT "injuries_psh_boolean" CHECK("injuries"."autonomic_dysregulation" IN (0, 1)),
	CONSTRAINT "injuries_ais_grade" CHECK("injuries"."ais_grade" IN ('A', 'B', 'C', 'D', 'E'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `injuries_patient_id_unique` ON `injuries` (`patient_id`);--> statement-breakpoint
CREATE TABLE `patients` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mrn` text NOT NULL,
	`name` text NOT NULL,
	`date_of_birth` text NOT NULL,
	`sex` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "patients_sex" CHECK("patients"."sex" IN ('female', 'male', 'other', 'unknown')),
	CONSTRAINT "patients_mrn_length" CHECK(length("patients"."mrn") BETWEEN 1 AND 64),
	CONSTRAINT "patients_name_length" CHECK(length("patients"."name") BETWEEN 1 AND 200),
	CONSTRAINT "patients_date_of_birth" CHECK("patients"."date_of_birth" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date("patients"."date_of_birth") IS NOT NULL)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patients_mrn_unique` ON `patients` (`mrn`);--> statement-breakpoint
CREATE TABLE `stays` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`ward_id` integer NOT NULL,
	`bed_id` integer,
	`admitted_at` text NOT NULL,
	`discharged_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`bed_id`) REFERENCES `beds`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "stays_admitted_at_instant" CHECK("stays"."admitted_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "stays_discharged_at_instant" CHECK("stays"."discharged_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "stays_discharge_after_admission" CHECK("stays"."discharged_at" IS NULL OR "stays"."discharged_at" >= "stays"."admitted_at")
);
--> statement-breakpoint
CREATE INDEX `stays_ward_current` ON `stays` (`ward_id`,`discharged_at`);--> statement-breakpoint
CREATE INDEX `stays_ward_admitted` ON `stays` (`ward_id`,`admitted_at`);--> statement-breakpoint
CREATE INDEX `stays_patient` ON `stays` (`patient_id`,`admitted_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `stays_one_current_per_patient` ON `stays` (`patient_id`) WHERE "stays"."discharged_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `stays_one_patient_per_bed` ON `stays` (`bed_id`) WHERE "stays"."discharged_at" IS NULL AND "stays"."bed_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `surgical_fractures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`limb` text NOT NULL,
	`fixed_at` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "surgical_fractures_limb" CHECK("surgical_fractures"."limb" IN ('left_arm', 'right_arm', 'left_leg', 'right_leg')),
	CONSTRAINT "surgical_fractures_fixed_at_instant" CHECK("surgical_fractures"."fixed_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `surgical_fractures_patient` ON `surgical_fractures` (`patient_id`);--> statement-breakpoint
CREATE TABLE `braden` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`sensory_perception` integer NOT NULL,
	`moisture` integer NOT NULL,
	`activity` integer NOT NULL,
	`mobility` integer NOT NULL,
	`nutrition` integer NOT NULL,
	`friction_shear` integer NOT NULL,
	`taken_at` text NOT NULL,
	`recorded_by` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "braden_subscales" CHECK("braden"."sensory_perception" BETWEEN 1 AND 4 AND "braden"."moisture" BETWEEN 1 AND 4
        AND "braden"."activity" BETWEEN 1 AND 4 AND "braden"."mobility" BETWEEN 1 AND 4
        AND "braden"."nutrition" BETWEEN 1 AND 4 AND "braden"."friction_shear" BETWEEN 1 AND 3),
	CONSTRAINT "braden_taken_at_instant" CHECK("braden"."taken_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `braden_patient` ON `braden` (`patient_id`,`taken_at`);--> statement-breakpoint
CREATE TABLE `ho_diagnoses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`site` text NOT NULL,
	`side` text NOT NULL,
	`finding` text NOT NULL,
	`grade` text,
	`note` text,
	`diagnosed_at` text NOT NULL,
	`recorded_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "ho_diagnoses_site" CHECK("ho_diagnoses"."site" IN ('shoulder', 'elbow', 'hip', 'knee', 'ankle')),
	CONSTRAINT "ho_diagnoses_side" CHECK("ho_diagnoses"."side" IN ('left', 'right')),
	CONSTRAINT "ho_diagnoses_finding" CHECK("ho_diagnoses"."finding" IN ('ho_confirmed', 'ho_ruled_out')),
	CONSTRAINT "ho_diagnoses_grade_length" CHECK(length("ho_diagnoses"."grade") <= 100),
	CONSTRAINT "ho_diagnoses_note_length" CHECK(length("ho_diagnoses"."note") <= 2000),
	CONSTRAINT "ho_diagnoses_diagnosed_at_instant" CHECK("ho_diagnoses"."diagnosed_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `ho_diagnoses_patient` ON `ho_diagnoses` (`patient_id`,`diagnosed_at`);--> statement-breakpoint
CREATE TABLE `imaging` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`modality` text NOT NULL,
	`site` text NOT NULL,
	`side` text NOT NULL,
	`result` text NOT NULL,
	`grade_system` text,
	`grade` text,
	`taken_at` text NOT NULL,
	`recorded_by` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "imaging_modality" CHECK("imaging"."modality" IN ('xray', 'bone_scan', 'ultrasound', 'ct', 'mri')),
	CONSTRAINT "imaging_site" CHECK("imaging"."site" IN ('shoulder', 'elbow', 'hip', 'knee', 'ankle')),
	CONSTRAINT "imaging_side" CHECK("imaging"."side" IN ('left', 'right')),
	CONSTRAINT "imaging_result" CHECK("imaging"."result" IN ('negative', 'equivocal', 'positive')),
	CONSTRAINT "imaging_grade_fits_site" CHECK(COALESCE((("imaging"."grade_system" IS NULL AND "imaging"."grade" IS NULL)
        OR ("imaging"."grade_system" = 'brooker' AND "imaging"."site" = 'hip' AND "imaging"."grade" IN ('0', 'I', 'II', 'III', 'IV'))
        OR ("imaging"."grade_system" = 'hastings_graham' AND "imaging"."site" = 'elbow' AND "imaging"."grade" IN ('I', 'IIA', 'IIB', 'IIC', 'III'))
        OR ("imaging"."grade_system" = 'free_text' AND length("imaging"."grade") BETWEEN 1 AND 500)), 0)),
	CONSTRAINT "imaging_taken_at_instant" CHECK("imaging"."taken_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `imaging_patient` ON `imaging` (`patient_id`,`taken_at`);--> statement-breakpoint
CREATE TABLE `joint_observations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`site` text NOT NULL,
	`side` text NOT NULL,
	`swelling` integer,
	`warmth` integer,
	`erythema` integer,
	`pain` integer,
	`taken_at` text NOT NULL,
	`recorded_by` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "joint_observations_site" CHECK("joint_observations"."site" IN ('shoulder', 'elbow', 'hip', 'knee', 'ankle')),
	CONSTRAINT "joint_observations_side" CHECK("joint_observations"."side" IN ('left', 'right')),
	CONSTRAINT "joint_observations_swelling" CHECK("joint_observations"."swelling" IN (0, 1)),
	CONSTRAINT "joint_observations_warmth" CHECK("joint_observations"."warmth" IN (0, 1)),
	CONSTRAINT "joint_observations_erythema" CHECK("joint_observations"."erythema" IN (0, 1)),
	CONSTRAINT "joint_observations_pain" CHECK("joint_observations"."pain" BETWEEN 0 AND 10),
	CONSTRAINT "joint_observations_something_examined" CHECK(COALESCE("joint_observations"."swelling", "joint_observations"."warmth", "joint_observations"."erythema", "joint_observations"."pain") IS NOT NULL),
	CONSTRAINT "joint_observations_taken_at_instant" CHECK("joint_observations"."taken_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `joint_observations_patient` ON `joint_observations` (`patient_id`,`taken_at`);--> statement-breakpoint
CREATE TABLE `mobility` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`scale` text NOT NULL,
	`item` text,
	`code` text NOT NULL,
	`taken_at` text NOT NULL,
	`recorded_by` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "mobility_scale" CHECK("mobility"."scale" IN ('jh_hlm', 'fac', 'gg')),
	CONSTRAINT "mobility_code_fits_scale" CHECK(COALESCE((("mobility"."scale" = 'jh_hlm' AND "mobility"."item" IS NULL AND "mobility"."code" IN ('1', '2', '3', '4', '5', '6', '7', '8'))
        OR ("mobility"."scale" = 'fac' AND "mobility"."item" IS NULL AND "mobility"."code" IN ('0', '1', '2', '3', '4', '5'))
        OR ("mobility"."scale" = 'gg' AND "mobility"."item" IN ('GG0130A', 'GG0130B', 'GG0130C', 'GG0130E', 'GG0130F', 'GG0130G', 'GG0130H', 'GG0170A', 'GG0170B', 'GG0170C', 'GG0170D', 'GG0170E', 'GG0170F', 'GG0170FF', 'GG0170G', 'GG0170I', 'GG0170J', 'GG0170K', 'GG0170L', 'GG0170M', 'GG0170N', 'GG0170O', 'GG0170P', 'GG0170R', 'GG0170S') AND "mobility"."code" IN ('01', '02', '03', '04', '05', '06', '07', '09', '10', '88'))), 0)),
	CONSTRAINT "mobility_taken_at_instant" CHECK("mobility"."taken_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `mobility_patient` ON `mobility` (`patient_id`,`scale`,`taken_at`);--> statement-breakpoint
CREATE TABLE `rom_readings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`patient_id` integer NOT NULL,
	`site` text NOT NULL,
	`side` text NOT NULL,
	`movement` text NOT NULL,
	`mode` text NOT NULL,
	`degrees` real NOT NULL,
	`taken_at` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `rom_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "rom_readings_site" CHECK("rom_readings"."site" IN ('shoulder', 'elbow', 'hip', 'knee', 'ankle')),
	CONSTRAINT "rom_readings_side" CHECK("rom_readings"."side" IN ('left', 'right')),
	CONSTRAINT "rom_readings_movement" CHECK("rom_readings"."movement" IN ('flexion', 'extension', 'abduction', 'adduction', 'internal_rotation', 'external_rotation', 'pronation', 'supination', 'dorsiflexion', 'plantarflexion')),
	CONSTRAINT "rom_readings_mode" CHECK("rom_readings"."mode" IN ('active', 'passive')),
	CONSTRAINT "rom_readings_site_has_movement" CHECK(("rom_readings"."site" || ':' || "rom_readings"."movement") IN ('shoulder:flexion', 'shoulder:extension', 'shoulder:abduction', 'shoulder:internal_rotation', 'shoulder:external_rotation', 'elbow:flexion', 'elbow:extension', 'elbow:pronation', 'elbow:supination', 'hip:flexion', 'hip:extension', 'hip:abduction', 'hip:adduction', 'hip:internal_rotation', 'hip:external_rotation', 'knee:flexion', 'knee:extension', 'ankle:dorsiflexion', 'ankle:plantarflexion')),
	CONSTRAINT "rom_readings_degrees_bounded" CHECK("rom_readings"."degrees" BETWEEN -180 AND 200),
	CONSTRAINT "rom_readings_taken_at_instant" CHECK("rom_readings"."taken_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `rom_readings_series` ON `rom_readings` (`patient_id`,`site`,`side`,`movement`,`mode`,`taken_at`);--> statement-breakpoint
CREATE INDEX `rom_readings_session` ON `rom_readings` (`session_id`);--> statement-breakpoint
CREATE TABLE `rom_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`taken_at` text NOT NULL,
	`recorded_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "rom_sessions_taken_at_instant" CHECK("rom_sessions"."taken_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `rom_sessions_patient` ON `rom_sessions` (`patient_id`,`taken_at`);--> statement-breakpoint
CREATE TABLE `spasticity` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`site` text NOT NULL,
	`side` text NOT NULL,
	`grade` text NOT NULL,
	`taken_at` text NOT NULL,
	`recorded_by` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "spasticity_site" CHECK("spasticity"."site" IN ('shoulder', 'elbow', 'hip', 'knee', 'ankle')),
	CONSTRAINT "spasticity_side" CHECK("spasticity"."side" IN ('left', 'right')),
	CONSTRAINT "spasticity_grade" CHECK("spasticity"."grade" IN ('0', '1', '1+', '2', '3', '4')),
	CONSTRAINT "spasticity_taken_at_instant" CHECK("spasticity"."taken_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `spasticity_patient` ON `spasticity` (`patient_id`,`taken_at`);--> statement-breakpoint
CREATE TABLE `vitals_labs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`kind` text NOT NULL,
	`value` real NOT NULL,
	`unit` text NOT NULL,
	`taken_at` text NOT NULL,
	`recorded_by` integer,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "vitals_labs_kind_unit" CHECK(COALESCE((("vitals_labs"."kind" = 'temperature' AND "vitals_labs"."unit" = '°C' AND "vitals_labs"."value" BETWEEN 30 AND 45)
        OR ("vitals_labs"."kind" = 'crp' AND "vitals_labs"."unit" = 'mg/L' AND "vitals_labs"."value" BETWEEN 0 AND 1000)
        OR ("vitals_labs"."kind" IN ('alp', 'ck') AND "vitals_labs"."unit" = 'U/L' AND "vitals_labs"."value" BETWEEN 0 AND 1000000)), 0)),
	CONSTRAINT "vitals_labs_taken_at_instant" CHECK("vitals_labs"."taken_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `vitals_labs_patient` ON `vitals_labs` (`patient_id`,`kind`,`taken_at`);--> statement-breakpoint
CREATE TABLE `bleeding_risk` (
	`patient_id` integer PRIMARY KEY NOT NULL,
	`gastrointestinal_bleed` integer NOT NULL,
	`intracranial_bleed` integer NOT NULL,
	`renal_impairment` integer NOT NULL,
	`anticoagulated` integer NOT NULL,
	`updated_at` text NOT NULL,
	`recorded_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "bleeding_risk_gi_boolean" CHECK("bleeding_risk"."gastrointestinal_bleed" IN (0, 1)),
	CONSTRAINT "bleeding_risk_ic_boolean" CHECK("bleeding_risk"."intracranial_bleed" IN (0, 1)),
	CONSTRAINT "bleeding_risk_renal_boolean" CHECK("bleeding_risk"."renal_impairment" IN (0, 1)),
	CONSTRAINT "bleeding_risk_anticoag_boolean" CHECK("bleeding_risk"."anticoagulated" IN (0, 1)),
	CONSTRAINT "bleeding_risk_updated_at_instant" CHECK("bleeding_risk"."updated_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE TABLE `catheter_episodes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`ward_id` integer NOT NULL,
	`inserted_at` text NOT NULL,
	`removed_at` text,
	`recorded_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "catheter_episodes_inserted_at_instant" CHECK("catheter_episodes"."inserted_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "catheter_episodes_removed_at_instant" CHECK("catheter_episodes"."removed_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "catheter_episodes_removed_after_insertion" CHECK("catheter_episodes"."removed_at" IS NULL OR "catheter_episodes"."removed_at" >= "catheter_episodes"."inserted_at")
);
--> statement-breakpoint
CREATE INDEX `catheter_episodes_patient` ON `catheter_episodes` (`patient_id`,`inserted_at`);--> statement-breakpoint
CREATE INDEX `catheter_episodes_ward` ON `catheter_episodes` (`ward_id`,`inserted_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `catheter_episodes_one_open_per_patient` ON `catheter_episodes` (`patient_id`) WHERE "catheter_episodes"."removed_at" IS NULL;--> statement-breakpoint
CREATE TABLE `complications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`ward_id` integer NOT NULL,
	`kind` text NOT NULL,
	`onset_at` text NOT NULL,
	`resolved_at` text,
	`present_on_admission` integer DEFAULT false NOT NULL,
	`body_site` text,
	`stage` text,
	`device_related` integer,
	`site` text,
	`side` text,
	`recorded_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`ward_id`) REFERENCES `wards`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "complications_kind" CHECK("complications"."kind" IN ('pressure_injury', 'pneumonia', 'uti', 'dvt')),
	CONSTRAINT "complications_poa_boolean" CHECK("complications"."present_on_admission" IN (0, 1)),
	CONSTRAINT "complications_device_boolean" CHECK("complications"."device_related" IN (0, 1)),
	CONSTRAINT "complications_pressure_injury_fields" CHECK(COALESCE((("complications"."kind" = 'pressure_injury' AND "complications"."stage" IN ('1', '2', '3', '4', 'unstageable', 'deep_tissue')
          AND length("complications"."body_site") BETWEEN 1 AND 100 AND "complications"."device_related" IS NOT NULL)
        OR ("complications"."kind" <> 'pressure_injury' AND "complications"."stage" IS NULL AND "complications"."body_site" IS NULL
          AND "complications"."device_related" IS NULL)), 0)),
	CONSTRAINT "complications_dvt_site" CHECK(COALESCE((("complications"."site" IS NULL AND "complications"."side" IS NULL) OR ("complications"."kind" = 'dvt'
        AND "complications"."site" IN ('shoulder', 'elbow', 'hip', 'knee', 'ankle') AND "complications"."side" IN ('left', 'right'))), 0)),
	CONSTRAINT "complications_onset_at_instant" CHECK("complications"."onset_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "complications_resolved_at_instant" CHECK("complications"."resolved_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "complications_resolved_after_onset" CHECK("complications"."resolved_at" IS NULL OR "complications"."resolved_at" >= "complications"."onset_at")
);
--> statement-breakpoint
CREATE INDEX `complications_ward_onset` ON `complications` (`ward_id`,`onset_at`);--> statement-breakpoint
CREATE INDEX `complications_patient` ON `complications` (`patient_id`,`onset_at`);--> statement-breakpoint
CREATE TABLE `interventions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`patient_id` integer NOT NULL,
	`kind` text NOT NULL,
	`drug` text,
	`dose_mg` real,
	`dose_mg_per_kg_day` real,
	`dose_gy` real,
	`site` text,
	`side` text,
	`started_at` text NOT NULL,
	`stopped_at` text,
	`recorded_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "interventions_kind" CHECK("interventions"."kind" IN ('nsaid', 'etidronate', 'radiation', 'excision', 'physiotherapy')),
	CONSTRAINT "interventions_fields_fit_kind" CHECK(COALESCE((("interventions"."kind" = 'nsaid' AND "interventions"."drug" IN ('indomethacin', 'ibuprofen', 'celecoxib', 'naproxen', 'other') AND "interventions"."dose_mg" > 0 AND "interventions"."dose_mg" <= 5000
          AND "interventions"."site" IS NULL AND "interventions"."dose_gy" IS NULL AND "interventions"."dose_mg_per_kg_day" IS NULL)
        OR ("interventions"."kind" = 'etidronate' AND "interventions"."dose_mg_per_kg_day" > 0 AND "interventions"."dose_mg_per_kg_day" <= 50
          AND "interventions"."drug" IS NULL AND "interventions"."site" IS NULL AND "interventions"."dose_gy" IS NULL AND "interventions"."dose_mg" IS NULL)
        OR ("interventions"."kind" = 'radiation' AND "interventions"."dose_gy" > 0 AND "interventions"."dose_gy" <= 50
          AND "interventions"."site" IN ('shoulder', 'elbow', 'hip', 'knee', 'ankle') AND "interventions"."side" IN ('left', 'right') AND "interventions"."stopped_at" IS NULL
          AND "interventions"."drug" IS NULL AND "interventions"."dose_mg" IS NULL AND "interventions"."dose_mg_per_kg_day" IS NULL)
        OR ("interventions"."kind" = 'excision' AND "interventions"."site" IN ('shoulder', 'elbow', 'hip', 'knee', 'ankle') AND "interventions"."side" IN ('left', 'right')
          AND "interventions"."stopped_at" IS NULL AND "interventions"."drug" IS NULL AND "interventions"."dose_mg" IS NULL
          AND "interventions"."dose_mg_per_kg_day" IS NULL AND "interventions"."dose_gy" IS NULL)
        OR ("interventions"."kind" = 'physiotherapy' AND "interventions"."drug" IS NULL AND "interventions"."site" IS NULL
          AND "interventions"."dose_mg" IS NULL AND "interventions"."dose_mg_per_kg_day" IS NULL AND "interventions"."dose_gy" IS NULL)), 0)),
	CONSTRAINT "interventions_started_at_instant" CHECK("interventions"."started_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "interventions_stopped_at_instant" CHECK("interventions"."stopped_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "interventions_stop_after_start" CHECK("interventions"."stopped_at" IS NULL OR "interventions"."stopped_at" >= "interventions"."started_at")
);
--> statement-breakpoint
CREATE INDEX `interventions_patient` ON `interventions` (`patient_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `patient_assessments` (
	`patient_id` integer PRIMARY KEY NOT NULL,
	`tier` text NOT NULL,
	`tier_rank` integer NOT NULL,
	`assessment` text NOT NULL,
	`board` text NOT NULL,
	`assessed_at` text NOT NULL,
	`valid_until` text NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "patient_assessments_tier" CHECK("patient_assessments"."tier" IN ('alert', 'high', 'elevated', 'low')),
	CONSTRAINT "patient_assessments_tier_rank" CHECK("patient_assessments"."tier_rank" BETWEEN 0 AND 3),
	CONSTRAINT "patient_assessments_assessment_json" CHECK(json_valid("patient_assessments"."assessment")),
	CONSTRAINT "patient_assessments_board_json" CHECK(json_valid("patient_assessments"."board")),
	CONSTRAINT "patient_assessments_assessed_at_instant" CHECK("patient_assessments"."assessed_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "patient_assessments_valid_until_instant" CHECK("patient_assessments"."valid_until" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z')
);
--> statement-breakpoint
CREATE INDEX `patient_assessments_valid_until` ON `patient_assessments` (`valid_until`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`user_id` integer,
	`username` text,
	`action` text NOT NULL,
	`patient_id` integer,
	`category` text NOT NULL,
	`outcome` text NOT NULL,
	`client_ip` text,
	`detail` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	CONSTRAINT "audit_log_at_instant" CHECK("audit_log"."at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "audit_log_outcome" CHECK("audit_log"."outcome" IN ('success', 'failure', 'denied')),
	CONSTRAINT "audit_log_detail_json" CHECK("audit_log"."detail" IS NULL OR json_valid("audit_log"."detail")),
	CONSTRAINT "audit_log_hash_length" CHECK(length("audit_log"."hash") = 64 AND length("audit_log"."prev_hash") = 64)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_hash_unique` ON `audit_log` (`hash`);--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_patient` ON `audit_log` (`patient_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_user` ON `audit_log` (`user_id`,`at`);