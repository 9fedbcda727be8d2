CREATE TABLE `closure_days` (
	`authority` text NOT NULL,
	`date` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`authority`, `date`),
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `moves_in` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`child_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`status` text NOT NULL,
	`move_date` text NOT NULL,
	`originating_authority_name` text NOT NULL,
	`originating_custodian_phone` text NOT NULL,
	`originating_key_worker_name` text NOT NULL,
	`originating_key_worker_phone` text NOT NULL,
	`receiving_in_due` text NOT NULL,
	`outcome` text,
	`decided_on` text,
	`reason` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `moves_in_open_due` ON `moves_in` (`authority`,`outcome`,`receiving_in_due`);--> statement-breakpoint
CREATE INDEX `moves_in_child` ON `moves_in` (`child_id`);--> statement-breakpoint
CREATE TABLE `moves_out` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`child_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`move_date` text NOT NULL,
	`new_address` text NOT NULL,
	`receiving_authority_name` text NOT NULL,
	`receiving_custodian_phone` text NOT NULL,
	`confirmed_on` text,
	`outcome` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `moves_out_child` ON `moves_out` (`child_id`);--> statement-breakpoint
CREATE INDEX `moves_out_authority` ON `moves_out` (`authority`,`confirmed_on`);