CREATE TABLE `audit_subjects` (
	`audit_seq` integer NOT NULL,
	`child_id` text NOT NULL,
	PRIMARY KEY(`child_id`, `audit_seq`),
	FOREIGN KEY (`audit_seq`) REFERENCES `audit_log`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `cin_considerations` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`status` text NOT NULL,
	`opened_at` text NOT NULL,
	`decided_at` text,
	`decided_by` text,
	`decision` text,
	`note` text,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cin_considerations_authority` ON `cin_considerations` (`authority`,`status`,`opened_at`);--> statement-breakpoint
CREATE TABLE `consideration_enquiries` (
	`consideration_id` text NOT NULL,
	`enquiry_id` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`consideration_id`, `enquiry_id`),
	FOREIGN KEY (`consideration_id`) REFERENCES `cin_considerations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enquiry_id`) REFERENCES `enquiries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consideration_enquiries_enquiry` ON `consideration_enquiries` (`enquiry_id`);--> statement-breakpoint
CREATE TABLE `enquirers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`profession` text,
	`agency` text,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `enquiries` (
	`id` text PRIMARY KEY NOT NULL,
	`reference_no` integer NOT NULL,
	`authority` text NOT NULL,
	`enquirer_id` text NOT NULL,
	`enquirer_name` text NOT NULL,
	`enquirer_profession` text NOT NULL,
	`enquirer_agency` text,
	`agency_id` text,
	`received_at` text NOT NULL,
	`out_of_hours` integer NOT NULL,
	`status` text NOT NULL,
	`details` text NOT NULL,
	`callback_number` text NOT NULL,
	`callback_number_recognised` integer NOT NULL,
	`date_of_birth` text,
	`match` text NOT NULL,
	`child_id` text,
	`answer` text NOT NULL,
	`claimed_by` text,
	`claimed_by_name` text,
	`claimed_at` text,
	`match_confirmed_by` text,
	`match_confirmed_at` text,
	`answered_at` text,
	`answered_by` text,
	`number_dialled` text,
	`advice_given` text,
	`answer_given` text,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enquirer_id`) REFERENCES `enquirers`(`user_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enquiries_reference_no_unique` ON `enquiries` (`reference_no`);--> statement-breakpoint
CREATE INDEX `enquiries_queue` ON `enquiries` (`authority`,`status`,`reference_no`);--> statement-breakpoint
CREATE INDEX `enquiries_enquirer` ON `enquiries` (`enquirer_id`,`reference_no`);--> statement-breakpoint
CREATE INDEX `enquiries_child` ON `enquiries` (`child_id`);--> statement-breakpoint
CREATE TABLE `enquiry_address_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`enquiry_id` text NOT NULL,
	`address_key` text NOT NULL,
	`current` integer NOT NULL,
	FOREIGN KEY (`enquiry_id`) REFERENCES `enquiries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `enquiry_address_keys_key` ON `enquiry_address_keys` (`address_key`);--> statement-breakpoint
CREATE INDEX `enquiry_address_keys_enquiry` ON `enquiry_address_keys` (`enquiry_id`);--> statement-breakpoint
CREATE TABLE `enquiry_names` (
	`id` text PRIMARY KEY NOT NULL,
	`enquiry_id` text NOT NULL,
	`authority` text NOT NULL,
	`given_key` text,
	`family_key` text,
	FOREIGN KEY (`enquiry_id`) REFERENCES `enquiries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `enquiry_names_family` ON `enquiry_names` (`authority`,`family_key`);--> statement-breakpoint
CREATE INDEX `enquiry_names_enquiry` ON `enquiry_names` (`enquiry_id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`worker_id` text NOT NULL,
	`kind` text NOT NULL,
	`enquiry_id` text NOT NULL,
	`child_id` text NOT NULL,
	`created_at` text NOT NULL,
	`read_at` text,
	FOREIGN KEY (`worker_id`) REFERENCES `workers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enquiry_id`) REFERENCES `enquiries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notifications_worker` ON `notifications` (`worker_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_once` ON `notifications` (`worker_id`,`enquiry_id`,`child_id`,`kind`);--> statement-breakpoint
CREATE INDEX `children_nhs` ON `children` (`nhs_number`);