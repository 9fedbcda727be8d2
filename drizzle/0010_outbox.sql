CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`kind` text NOT NULL,
	`source_id` text NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`lease_until` text,
	`last_error` text,
	`sent_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_once` ON `outbox` (`source_id`,`channel`,`recipient`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_source` ON `outbox` (`source_id`);--> statement-breakpoint
ALTER TABLE `authorities` ADD `custodian_email` text;--> statement-breakpoint
ALTER TABLE `authorities` ADD `webhook_url` text;--> statement-breakpoint
ALTER TABLE `authorities` ADD `webhook_secret` text;