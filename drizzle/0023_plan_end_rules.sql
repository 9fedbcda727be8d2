CREATE INDEX `moves_in_plan` ON `moves_in` (`plan_id`);--> statement-breakpoint
CREATE INDEX `moves_out_plan` ON `moves_out` (`plan_id`);
--> statement-breakpoint
-- A temporary plan that ended other than by its move in's outcome needs no receiving-in
-- conference: its move in is settled, as plan-ended.ts settles one from now on.
UPDATE `moves_in` SET `outcome` = 'procedures_not_applied',
  `decided_on` = (SELECT `end_date` FROM `plans` WHERE `plans`.`id` = `moves_in`.`plan_id`),
  `reason` = 'the temporary plan ended (' || coalesce((SELECT `end_reason` FROM `plans` WHERE `plans`.`id` = `moves_in`.`plan_id`), 'no reason recorded') || ')'
WHERE `outcome` IS NULL AND `handover_of` IS NULL
  AND EXISTS (SELECT 1 FROM `plans` WHERE `plans`.`id` = `moves_in`.`plan_id` AND `plans`.`end_date` IS NOT NULL);
--> statement-breakpoint
-- An agency recorded before agencies had users, and not yet enquired of, is used by the
-- authority its record was filed under; no longer claimed by the first manager to change it.
INSERT OR IGNORE INTO `agency_authorities` (`agency_id`, `authority`, `since`)
SELECT `target_id`, `authority`, min(`at`) FROM `audit_log`
WHERE `action` = 'agency.create' AND `outcome` = 'ok' AND `target_type` = 'agency'
  AND `authority` IN (SELECT `code` FROM `authorities`) AND `target_id` IN (SELECT `id` FROM `agencies`)
GROUP BY `target_id`, `authority`;
--> statement-breakpoint
-- One recorded by a manager of several authorities was filed under none: it is used by the
-- authorities that manager changed records of as a manager (a write the service allows only for
-- the actor's own authorities; not a refusal, a handover's sending side or a shared agency's
-- change, which are filed under another authority too).
INSERT OR IGNORE INTO `agency_authorities` (`agency_id`, `authority`, `since`)
SELECT c.`target_id`, o.`authority`, min(c.`at`) FROM `audit_log` c JOIN `audit_log` o ON o.`user_id` = c.`user_id`
WHERE c.`action` = 'agency.create' AND c.`outcome` = 'ok' AND c.`target_type` = 'agency' AND c.`authority` IS NULL
  AND o.`outcome` = 'ok' AND o.`roles` LIKE '%"designated_manager"%'
  AND o.`action` IN ('child.create', 'child.update', 'case.create', 'case.update', 'plan.create', 'plan.update', 'plan.end',
    'conference.create', 'move_in.create', 'move_in.update', 'move_in.outcome', 'move_out.create', 'move_out.confirm',
    'worker.create', 'register.import.child', 'consideration.decide', 'authority.update', 'authority.delivery.update',
    'authority.professions.update', 'authority.closure.set', 'authority.closure.remove')
  AND o.`authority` IN (SELECT `code` FROM `authorities`) AND c.`target_id` IN (SELECT `id` FROM `agencies`)
GROUP BY c.`target_id`, o.`authority`;
