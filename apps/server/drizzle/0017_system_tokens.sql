CREATE TABLE `system_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`ward_ids` text,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`created_by_user_id` integer,
	`last_used_at` text,
	`revoked_at` text,
	`revoked_by` text,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "system_tokens_name_shape" CHECK(length("system_tokens"."name") BETWEEN 1 AND 64 AND "system_tokens"."name" NOT GLOB '*[^A-Za-z0-9._-]*'),
	CONSTRAINT "system_tokens_hash_is_sha256" CHECK(length("system_tokens"."token_hash") = 64),
	CONSTRAINT "system_tokens_scopes_array" CHECK(COALESCE((json_valid("system_tokens"."scopes") AND json_type("system_tokens"."scopes") = 'array' AND json_array_length("system_tokens"."scopes") > 0), 0)),
	CONSTRAINT "system_tokens_ward_ids_array" CHECK("system_tokens"."ward_ids" IS NULL OR (json_valid("system_tokens"."ward_ids") AND json_type("system_tokens"."ward_ids") = 'array' AND json_array_length("system_tokens"."ward_ids") > 0)),
	CONSTRAINT "system_tokens_created_at_instant" CHECK("system_tokens"."created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "system_tokens_last_used_at_instant" CHECK("system_tokens"."last_used_at" IS NULL OR "system_tokens"."last_used_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z'),
	CONSTRAINT "system_tokens_revoked" CHECK(COALESCE((("system_tokens"."revoked_at" IS NULL AND "system_tokens"."revoked_by" IS NULL) OR ("system_tokens"."revoked_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]*Z' AND "system_tokens"."revoked_by" IS NOT NULL)), 0))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `system_tokens_token_hash_unique` ON `system_tokens` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `system_tokens_active_name` ON `system_tokens` (`name`) WHERE "system_tokens"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX `system_tokens_created` ON `system_tokens` (`created_at`);