-- The managers' rates count from stays, catheter episodes, complications and imaging (PRODUCT §4):
-- every write to them, from any path or process, changes rates_data_version so kept figures are
-- recomputed.
CREATE TABLE `rates_data_version` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rates_data_version_single_row" CHECK("rates_data_version"."id" = 1)
);
--> statement-breakpoint
INSERT INTO `rates_data_version` (`id`, `version`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `stays_rates_insert` AFTER INSERT ON `stays`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `stays_rates_update` AFTER UPDATE ON `stays`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `stays_rates_delete` AFTER DELETE ON `stays`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `catheter_episodes_rates_insert` AFTER INSERT ON `catheter_episodes`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `catheter_episodes_rates_update` AFTER UPDATE ON `catheter_episodes`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `catheter_episodes_rates_delete` AFTER DELETE ON `catheter_episodes`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `complications_rates_insert` AFTER INSERT ON `complications`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `complications_rates_update` AFTER UPDATE ON `complications`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `complications_rates_delete` AFTER DELETE ON `complications`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `imaging_rates_insert` AFTER INSERT ON `imaging`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `imaging_rates_update` AFTER UPDATE ON `imaging`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `imaging_rates_delete` AFTER DELETE ON `imaging`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
END;
