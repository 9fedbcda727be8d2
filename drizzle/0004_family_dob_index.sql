DROP INDEX `children_authority_family`;--> statement-breakpoint
CREATE INDEX `children_authority_family_dob` ON `children` (`authority`,`family_key`,`date_of_birth`);