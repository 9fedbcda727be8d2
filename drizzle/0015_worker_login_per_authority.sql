DROP INDEX `workers_user_id_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `workers_authority_user` ON `workers` (`authority`,`user_id`);--> statement-breakpoint
CREATE INDEX `workers_user` ON `workers` (`user_id`);