DROP INDEX `children_authority_dob`;--> statement-breakpoint
CREATE INDEX `children_authority_dob_names` ON `children` (`authority`,`date_of_birth`,`family_key`,`given_key`);