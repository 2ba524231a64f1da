-- Every write to the tables the managers' rates count from raises rates_data_version (0007) and
-- records its patient with that version, in one trigger so the order of the two never varies.
CREATE TABLE `rates_changed_patients` (
	`patient_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rates_changed_patients_version` ON `rates_changed_patients` (`version`);
--> statement-breakpoint
DROP TRIGGER `stays_rates_insert`;
--> statement-breakpoint
CREATE TRIGGER `stays_rates_insert` AFTER INSERT ON `stays`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `stays_rates_update`;
--> statement-breakpoint
CREATE TRIGGER `stays_rates_update` AFTER UPDATE ON `stays`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (OLD.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `stays_rates_delete`;
--> statement-breakpoint
CREATE TRIGGER `stays_rates_delete` AFTER DELETE ON `stays`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (OLD.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `catheter_episodes_rates_insert`;
--> statement-breakpoint
CREATE TRIGGER `catheter_episodes_rates_insert` AFTER INSERT ON `catheter_episodes`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `catheter_episodes_rates_update`;
--> statement-breakpoint
CREATE TRIGGER `catheter_episodes_rates_update` AFTER UPDATE ON `catheter_episodes`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (OLD.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `catheter_episodes_rates_delete`;
--> statement-breakpoint
CREATE TRIGGER `catheter_episodes_rates_delete` AFTER DELETE ON `catheter_episodes`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (OLD.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `complications_rates_insert`;
--> statement-breakpoint
CREATE TRIGGER `complications_rates_insert` AFTER INSERT ON `complications`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `complications_rates_update`;
--> statement-breakpoint
CREATE TRIGGER `complications_rates_update` AFTER UPDATE ON `complications`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (OLD.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `complications_rates_delete`;
--> statement-breakpoint
CREATE TRIGGER `complications_rates_delete` AFTER DELETE ON `complications`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (OLD.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `imaging_rates_insert`;
--> statement-breakpoint
CREATE TRIGGER `imaging_rates_insert` AFTER INSERT ON `imaging`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `imaging_rates_update`;
--> statement-breakpoint
CREATE TRIGGER `imaging_rates_update` AFTER UPDATE ON `imaging`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (OLD.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `imaging_rates_delete`;
--> statement-breakpoint
CREATE TRIGGER `imaging_rates_delete` AFTER DELETE ON `imaging`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (OLD.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
