DROP INDEX `child_aliases_family`;--> statement-breakpoint
ALTER TABLE `child_aliases` ADD `date_of_birth` text;--> statement-breakpoint
CREATE INDEX `child_aliases_family_dob` ON `child_aliases` (`family_key`,`date_of_birth`);--> statement-breakpoint
-- Data: the copied date of birth for aliases recorded before this migration.
UPDATE `child_aliases` SET `date_of_birth` = (SELECT `date_of_birth` FROM `children` WHERE `children`.`id` = `child_aliases`.`child_id`);