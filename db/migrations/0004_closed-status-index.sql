DROP INDEX `records_town_closed_due`;--> statement-breakpoint
DROP INDEX `records_closed_due`;--> statement-breakpoint
CREATE INDEX `records_town_closed_due_status` ON `records` (`town_code`,`closed_at`,`due_at`,`status`);--> statement-breakpoint
CREATE INDEX `records_closed_due_status` ON `records` (`closed_at`,`due_at`,`status`);