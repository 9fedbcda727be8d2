-- An answer's temporary plan now says whose it is as an object (name, custodian's number, key
-- worker there). Answers stored before said only the name: kept, as that object.
UPDATE `enquiries` SET `answer` = json_set(`answer`, '$.currentPlan.originatingAuthority',
  json_object('name', json_extract(`answer`, '$.currentPlan.originatingAuthority'), 'custodianPhone', NULL, 'keyWorker', NULL))
WHERE json_type(`answer`, '$.currentPlan.originatingAuthority') = 'text';
--> statement-breakpoint
UPDATE `enquiries` SET `answer_given` = json_set(`answer_given`, '$.currentPlan.originatingAuthority',
  json_object('name', json_extract(`answer_given`, '$.currentPlan.originatingAuthority'), 'custodianPhone', NULL, 'keyWorker', NULL))
WHERE json_type(`answer_given`, '$.currentPlan.originatingAuthority') = 'text';
