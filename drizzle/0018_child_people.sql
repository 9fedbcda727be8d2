CREATE TABLE `child_people` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`position` integer NOT NULL,
	`given_names` text NOT NULL,
	`family_name` text NOT NULL,
	`aliases` text NOT NULL,
	`date_of_birth` text,
	`relationship` text NOT NULL,
	`lives_with_child` integer NOT NULL,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `child_people_child` ON `child_people` (`child_id`);--> statement-breakpoint
CREATE TABLE `child_person_names` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`child_id` text NOT NULL,
	`given_key` text NOT NULL,
	`family_key` text NOT NULL,
	`date_of_birth` text,
	`relationship` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `child_people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`child_id`) REFERENCES `children`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `child_person_names_person` ON `child_person_names` (`person_id`);--> statement-breakpoint
CREATE INDEX `child_person_names_child` ON `child_person_names` (`child_id`);--> statement-breakpoint
CREATE INDEX `child_person_names_family_dob` ON `child_person_names` (`family_key`,`date_of_birth`);--> statement-breakpoint
CREATE INDEX `child_person_names_family_given` ON `child_person_names` (`family_key`,`given_key`);