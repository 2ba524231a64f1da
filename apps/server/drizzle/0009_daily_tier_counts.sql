-- ROM compliance (PRODUCT §4) counts high/alert patient-days per ward and date; triggers keep the counts
-- with every write to daily_tiers, from any path or process.
CREATE TABLE `daily_tier_counts` (
	`ward_id` integer NOT NULL,
	`date` text NOT NULL,
	`days` integer NOT NULL,
	`rom_days` integer NOT NULL,
	PRIMARY KEY(`ward_id`, `date`)
);
--> statement-breakpoint
INSERT INTO `daily_tier_counts` (`ward_id`, `date`, `days`, `rom_days`)
	SELECT `ward_id`, `date`, count(*), sum(`had_rom_within_7_days`) FROM `daily_tiers`
	WHERE `tier` IN ('alert', 'high') GROUP BY `ward_id`, `date`;
--> statement-breakpoint
CREATE TRIGGER `daily_tiers_counts_insert` AFTER INSERT ON `daily_tiers`
BEGIN
	INSERT INTO `daily_tier_counts` (`ward_id`, `date`, `days`, `rom_days`)
		SELECT NEW.`ward_id`, NEW.`date`, 1, NEW.`had_rom_within_7_days` WHERE NEW.`tier` IN ('alert', 'high')
		ON CONFLICT (`ward_id`, `date`) DO UPDATE
		SET `days` = `days` + 1, `rom_days` = `rom_days` + excluded.`rom_days`;
END;
--> statement-breakpoint
CREATE TRIGGER `daily_tiers_counts_update` AFTER UPDATE ON `daily_tiers`
BEGIN
	UPDATE `daily_tier_counts`
		SET `days` = `days` - 1, `rom_days` = `rom_days` - OLD.`had_rom_within_7_days`
		WHERE OLD.`tier` IN ('alert', 'high') AND `ward_id` = OLD.`ward_id` AND `date` = OLD.`date`;
	INSERT INTO `daily_tier_counts` (`ward_id`, `date`, `days`, `rom_days`)
		SELECT NEW.`ward_id`, NEW.`date`, 1, NEW.`had_rom_within_7_days` WHERE NEW.`tier` IN ('alert', 'high')
		ON CONFLICT (`ward_id`, `date`) DO UPDATE
		SET `days` = `days` + 1, `rom_days` = `rom_days` + excluded.`rom_days`;
END;
--> statement-breakpoint
CREATE TRIGGER `daily_tiers_counts_delete` AFTER DELETE ON `daily_tiers`
BEGIN
	UPDATE `daily_tier_counts`
		SET `days` = `days` - 1, `rom_days` = `rom_days` - OLD.`had_rom_within_7_days`
		WHERE OLD.`tier` IN ('alert', 'high') AND `ward_id` = OLD.`ward_id` AND `date` = OLD.`date`;
END;
