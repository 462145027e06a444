DROP INDEX `events_at`;--> statement-breakpoint
CREATE INDEX `events_to_at` ON `record_events` (`to_value`,`at`,`record_id`);--> statement-breakpoint
DROP INDEX `records_chat_sender_status`;--> statement-breakpoint
DROP INDEX `records_due`;--> statement-breakpoint
CREATE INDEX `records_filed_by_created` ON `records` (`filed_by`,`created_at`);--> statement-breakpoint
CREATE INDEX `records_town_closed_due` ON `records` (`town_code`,`closed_at`,`due_at`);--> statement-breakpoint
CREATE INDEX `records_closed_due` ON `records` (`closed_at`,`due_at`);