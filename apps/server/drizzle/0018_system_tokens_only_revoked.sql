-- A system token is never edited, only revoked, and a revocation is final (PRODUCT §11): what a token
-- may do (its hash, name, scopes, wards) is fixed when it is issued, and a revoked token cannot be
-- brought back, even by a bug. Only last_used_at, and revoked_at/revoked_by once, may change.
CREATE TRIGGER `system_tokens_only_revoked` BEFORE UPDATE ON `system_tokens`
WHEN NEW.`id` IS NOT OLD.`id`
  OR NEW.`token_hash` IS NOT OLD.`token_hash`
  OR NEW.`name` IS NOT OLD.`name`
  OR NEW.`scopes` IS NOT OLD.`scopes`
  OR NEW.`ward_ids` IS NOT OLD.`ward_ids`
  OR NEW.`created_at` IS NOT OLD.`created_at`
  OR NEW.`created_by` IS NOT OLD.`created_by`
  OR (OLD.`revoked_at` IS NOT NULL
      AND (NEW.`revoked_at` IS NOT OLD.`revoked_at` OR NEW.`revoked_by` IS NOT OLD.`revoked_by`))
BEGIN
	SELECT RAISE(ABORT, 'system_tokens: a token is never edited, only revoked, once');
END;
--> statement-breakpoint
-- Revoked tokens stay, with who revoked them: the audit rows name them by id.
CREATE TRIGGER `system_tokens_no_delete` BEFORE DELETE ON `system_tokens`
BEGIN
	SELECT RAISE(ABORT, 'system_tokens: revoke a token, never delete it');
END;
