CREATE TABLE `quoted_bundles` (
	`platform` text NOT NULL,
	`quoted_key` text NOT NULL,
	`inbound_message_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quoted_bundles_key` ON `quoted_bundles` (`platform`,`quoted_key`);