CREATE TABLE `people_posing_risk` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`given_names` text NOT NULL,
	`family_name` text NOT NULL,
	`aliases` text NOT NULL,
	`date_of_birth` text,
	`addresses` text NOT NULL,
	`notified_by_agency` text NOT NULL,
	`notified_by_reference` text,
	`notified_by_phone` text NOT NULL,
	`summary` text NOT NULL,
	`notified_on` text NOT NULL,
	`review_on` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `people_posing_risk_authority` ON `people_posing_risk` (`authority`,`review_on`);--> statement-breakpoint
CREATE TABLE `risk_links` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`enquiry_id` text NOT NULL,
	`person_id` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`enquiry_id`) REFERENCES `enquiries`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people_posing_risk`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `risk_links_authority` ON `risk_links` (`authority`,`id`);--> statement-breakpoint
CREATE INDEX `risk_links_enquiry` ON `risk_links` (`enquiry_id`);--> statement-breakpoint
CREATE TABLE `risk_person_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`authority` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people_posing_risk`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `risk_person_keys_value` ON `risk_person_keys` (`authority`,`kind`,`value`);--> statement-breakpoint
CREATE INDEX `risk_person_keys_person` ON `risk_person_keys` (`person_id`);