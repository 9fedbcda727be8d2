ALTER TABLE `authorities` ADD `postcode_areas` text;--> statement-breakpoint
ALTER TABLE `enquiries` ADD `group_id` text;--> statement-breakpoint
CREATE INDEX `enquiries_group` ON `enquiries` (`group_id`);