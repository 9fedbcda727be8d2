CREATE TABLE `agencies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agencies_name_key_unique` ON `agencies` (`name_key`);--> statement-breakpoint
CREATE TABLE `agency_numbers` (
	`id` text PRIMARY KEY NOT NULL,
	`agency_id` text NOT NULL,
	`number` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agency_numbers_agency_number` ON `agency_numbers` (`agency_id`,`number`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`user_id` text,
	`roles` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`authority` text,
	`request_id` text,
	`outcome` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_user` ON `audit_log` (`user_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_target` ON `audit_log` (`target_type`,`target_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `authorities` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`first_response_phone` text NOT NULL,
	`office_hours` text NOT NULL,
	`eligible_professions` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`type` text NOT NULL,
	`opened_on` text NOT NULL,
	`closed_on` text,
	`key_worker_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`key_worker_id`) REFERENCES `workers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cases_child` ON `cases` (`child_id`);--> statement-breakpoint
CREATE INDEX `cases_key_worker` ON `cases` (`key_worker_id`);--> statement-breakpoint
CREATE TABLE `child_addresses` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`line1` text NOT NULL,
	`line2` text,
	`town` text,
	`postcode` text,
	`address_key` text,
	`from_date` text,
	`to_date` text,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `child_addresses_child` ON `child_addresses` (`child_id`);--> statement-breakpoint
CREATE INDEX `child_addresses_key` ON `child_addresses` (`address_key`);--> statement-breakpoint
CREATE TABLE `child_aliases` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`given_names` text,
	`family_name` text,
	`given_key` text,
	`family_key` text,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `child_aliases_child` ON `child_aliases` (`child_id`);--> statement-breakpoint
CREATE INDEX `child_aliases_family` ON `child_aliases` (`family_key`);--> statement-breakpoint
CREATE TABLE `children` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`external_id` text,
	`given_names` text NOT NULL,
	`family_name` text NOT NULL,
	`given_key` text NOT NULL,
	`family_key` text NOT NULL,
	`search_text` text NOT NULL,
	`date_of_birth` text,
	`expected_date_of_delivery` text,
	`sex` text,
	`nhs_number` text,
	`household_note` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `children_authority_external` ON `children` (`authority`,`external_id`);--> statement-breakpoint
CREATE INDEX `children_authority_dob` ON `children` (`authority`,`date_of_birth`);--> statement-breakpoint
CREATE INDEX `children_authority_family` ON `children` (`authority`,`family_key`);--> statement-breakpoint
CREATE TABLE `conferences` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`type` text NOT NULL,
	`held_on` text NOT NULL,
	`outcome` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conferences_child` ON `conferences` (`child_id`);--> statement-breakpoint
CREATE TABLE `plan_categories` (
	`id` text PRIMARY KEY NOT NULL,
	`plan_id` text NOT NULL,
	`category` text NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plan_categories_plan` ON `plan_categories` (`plan_id`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`end_reason` text,
	`temporary` integer DEFAULT false NOT NULL,
	`originating_authority` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plans_child` ON `plans` (`child_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `plans_one_current` ON `plans` (`child_id`) WHERE end_date is null;--> statement-breakpoint
CREATE TABLE `workers` (
	`id` text PRIMARY KEY NOT NULL,
	`authority` text NOT NULL,
	`external_id` text,
	`name` text NOT NULL,
	`team` text,
	`phone` text,
	`email` text,
	`user_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`authority`) REFERENCES `authorities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workers_user_id_unique` ON `workers` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `workers_authority_external` ON `workers` (`authority`,`external_id`);