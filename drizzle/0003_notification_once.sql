DROP INDEX `notifications_once`;--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_once` ON `notifications` (`worker_id`,`enquiry_id`,`child_id`);