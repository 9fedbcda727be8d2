CREATE TABLE `agency_authorities` (
	`agency_id` text NOT NULL,
	`authority` text NOT NULL,
	`since` text NOT NULL,
	PRIMARY KEY(`agency_id`, `authority`),
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agency_authorities_authority` ON `agency_authorities` (`authority`);--> statement-breakpoint
CREATE TABLE `conference_agencies` (
	`conference_id` text NOT NULL,
	`agency_id` text NOT NULL,
	PRIMARY KEY(`conference_id`, `agency_id`),
	FOREIGN KEY (`conference_id`) REFERENCES `conferences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `key_worker_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`enquiry_id` text NOT NULL,
	`child_id` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enquiry_id`) REFERENCES `enquiries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `key_worker_alerts_authority` ON `key_worker_alerts` (`authority`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `key_worker_alerts_once` ON `key_worker_alerts` (`enquiry_id`,`child_id`);--> statement-breakpoint
ALTER TABLE `agencies` ADD `contact_email` text;--> statement-breakpoint
ALTER TABLE `authorities` ADD `health_contact_email` text;--> statement-breakpoint
ALTER TABLE `authorities` ADD `education_contact_email` text;--> statement-breakpoint
ALTER TABLE `consideration_enquiries` ADD `possible_link` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Every authority an enquirer of the agency has already asked uses it.
INSERT OR IGNORE INTO `agency_authorities` (`agency_id`, `authority`, `since`)
SELECT `agency_id`, `authority`, min(`received_at`) FROM `enquiries` WHERE `agency_id` IS NOT NULL GROUP BY `agency_id`, `authority`;
