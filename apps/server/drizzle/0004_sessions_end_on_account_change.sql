-- A session ends the moment its account is disabled or its roles change (PRODUCT §7), whichever code
-- path made the change (admin screen, CLI, a hand-run SQL fix): the database ends them, not callers.
CREATE TRIGGER `sessions_end_when_user_disabled` AFTER UPDATE OF `disabled` ON `users`
WHEN NEW.`disabled` = 1 AND OLD.`disabled` = 0
BEGIN
	DELETE FROM `sessions` WHERE `user_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `sessions_end_when_role_added` AFTER INSERT ON `user_roles`
BEGIN
	DELETE FROM `sessions` WHERE `user_id` = NEW.`user_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `sessions_end_when_role_removed` AFTER DELETE ON `user_roles`
BEGIN
	DELETE FROM `sessions` WHERE `user_id` = OLD.`user_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `sessions_end_when_role_changed` AFTER UPDATE ON `user_roles`
BEGIN
	DELETE FROM `sessions` WHERE `user_id` IN (OLD.`user_id`, NEW.`user_id`);
END;
