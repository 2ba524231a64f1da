-- Corrections (PRODUCT §5): a record's status is one of four; a row withdrawn (entered in error) or
-- replaced by an amendment says who, when and why, and never comes back. ALTER TABLE cannot add a CHECK
-- to these tables without copying them (and dropping the rates triggers on them), so triggers say it.
CREATE TRIGGER `rom_readings_status_insert` BEFORE INSERT ON `rom_readings`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `rom_readings_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `rom_readings`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `spasticity_status_insert` BEFORE INSERT ON `spasticity`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `spasticity_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `spasticity`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `mobility_status_insert` BEFORE INSERT ON `mobility`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `mobility_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `mobility`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `braden_status_insert` BEFORE INSERT ON `braden`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `braden_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `braden`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `joint_observations_status_insert` BEFORE INSERT ON `joint_observations`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `joint_observations_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `joint_observations`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `vitals_labs_status_insert` BEFORE INSERT ON `vitals_labs`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `vitals_labs_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `vitals_labs`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `imaging_status_insert` BEFORE INSERT ON `imaging`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `imaging_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `imaging`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `ho_diagnoses_status_insert` BEFORE INSERT ON `ho_diagnoses`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `ho_diagnoses_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `ho_diagnoses`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `complications_status_insert` BEFORE INSERT ON `complications`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `complications_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `complications`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `catheter_episodes_status_insert` BEFORE INSERT ON `catheter_episodes`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `catheter_episodes_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `catheter_episodes`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
CREATE TRIGGER `interventions_status_insert` BEFORE INSERT ON `interventions`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
BEGIN
	SELECT RAISE(ABORT, 'status: unknown, or withdrawn without when and why');
END;
--> statement-breakpoint
CREATE TRIGGER `interventions_status_update` BEFORE UPDATE OF status, status_reason, status_at ON `interventions`
WHEN NEW.status NOT IN ('final', 'amended', 'superseded', 'entered-in-error')
    OR (NEW.status IN ('superseded', 'entered-in-error')
      AND (NEW.status_at IS NULL OR length(trim(coalesce(NEW.status_reason, ''))) NOT BETWEEN 1 AND 500))
    OR (OLD.status IN ('superseded', 'entered-in-error'))
BEGIN
	SELECT RAISE(ABORT, 'status: a withdrawn or replaced record stays as it is');
END;
--> statement-breakpoint
-- A ROM reading withdrawn (or replaced) can move a site's first alert, which the rates count as lead time:
-- the patient is recounted as after any other write the rates count from (0008).
CREATE TRIGGER `rom_readings_rates_status` AFTER UPDATE OF status ON `rom_readings`
BEGIN
	UPDATE `rates_data_version` SET `version` = `version` + 1 WHERE `id` = 1;
	INSERT INTO `rates_changed_patients` (`patient_id`, `version`)
		VALUES (NEW.`patient_id`, (SELECT `version` FROM `rates_data_version` WHERE `id` = 1))
		ON CONFLICT (`patient_id`) DO UPDATE SET `version` = excluded.`version`;
END;
