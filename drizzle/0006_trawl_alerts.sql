CREATE TABLE `trawl_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`enquirer_id` text NOT NULL,
	`enquirer_name` text NOT NULL,
	`profession` text,
	`agency` text,
	`at` text NOT NULL,
	`enquiries_in_window` integer NOT NULL,
	`window_minutes` integer NOT NULL,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `trawl_alerts_authority` ON `trawl_alerts` (`authority`,`at`);--> statement-breakpoint
CREATE INDEX `trawl_alerts_enquirer` ON `trawl_alerts` (`enquirer_id`,`at`);--> statement-breakpoint
CREATE INDEX `enquiries_enquirer_time` ON `enquiries` (`enquirer_id`,`received_at`);