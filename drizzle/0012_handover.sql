ALTER TABLE `moves_in` ADD `handover_of` text;--> statement-breakpoint
ALTER TABLE `moves_out` ADD `receiving_authority_code` text REFERENCES authorities(code);--> statement-breakpoint
ALTER TABLE `plans` ADD `authority` text;--> statement-breakpoint
UPDATE `plans` SET `authority` = (SELECT `authority` FROM `children` WHERE `children`.`id` = `plans`.`child_id`);
