-- Stays of one patient never overlap (a patient is on one ward at a time; an overlap counts a midnight
-- on two wards). A stay is the half-open interval [admitted_at, discharged_at), an open stay runs on
-- for ever, so a transfer (one stay closed and the next opened at the same instant) touches without
-- overlapping. The procedures refuse an overlap by name first; these triggers hold for every path.
CREATE TRIGGER `stays_no_overlap_insert` BEFORE INSERT ON `stays`
WHEN EXISTS (
	SELECT 1 FROM `stays` AS `other`
	WHERE `other`.`patient_id` = NEW.`patient_id`
		AND `other`.`admitted_at` < coalesce(NEW.`discharged_at`, '9999-12-31T23:59:59.999Z')
		AND NEW.`admitted_at` < coalesce(`other`.`discharged_at`, '9999-12-31T23:59:59.999Z')
)
BEGIN
	SELECT RAISE(ABORT, 'stays_overlap: a stay of this patient already covers part of this time');
END;
--> statement-breakpoint
CREATE TRIGGER `stays_no_overlap_update` BEFORE UPDATE OF `patient_id`, `admitted_at`, `discharged_at` ON `stays`
WHEN EXISTS (
	SELECT 1 FROM `stays` AS `other`
	WHERE `other`.`patient_id` = NEW.`patient_id` AND `other`.`id` <> NEW.`id`
		AND `other`.`admitted_at` < coalesce(NEW.`discharged_at`, '9999-12-31T23:59:59.999Z')
		AND NEW.`admitted_at` < coalesce(`other`.`discharged_at`, '9999-12-31T23:59:59.999Z')
)
BEGIN
	SELECT RAISE(ABORT, 'stays_overlap: a stay of this patient already covers part of this time');
END;
