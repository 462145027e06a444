CREATE TABLE `categories` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`parent` text,
	`departments` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chats` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`town_code` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chats_platform_external` ON `chats` (`platform`,`external_id`);--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `identities` (
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`person_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `identities_platform_external` ON `identities` (`platform`,`external_id`);--> statement-breakpoint
CREATE INDEX `identities_person` ON `identities` (`person_id`);--> statement-breakpoint
CREATE TABLE `inbound_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`message_key` text NOT NULL,
	`chat_id` text NOT NULL,
	`sender_id` text NOT NULL,
	`raw` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`outcome` text,
	`error` text,
	`received_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_platform_key` ON `inbound_messages` (`platform`,`message_key`);--> statement-breakpoint
CREATE INDEX `inbound_state` ON `inbound_messages` (`state`);--> statement-breakpoint
CREATE INDEX `inbound_chat_sender_received` ON `inbound_messages` (`platform`,`chat_id`,`sender_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`run_at` integer NOT NULL,
	`lease_until` integer,
	`dedupe_key` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_dedupe` ON `jobs` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `jobs_state_run` ON `jobs` (`state`,`run_at`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`town_code` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `places` (
	`id` text PRIMARY KEY NOT NULL,
	`town_code` text NOT NULL,
	`name` text NOT NULL,
	`short` text,
	`kind` text NOT NULL,
	`place_name` text
);
--> statement-breakpoint
CREATE INDEX `places_town` ON `places` (`town_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `places_town_name_kind` ON `places` (`town_code`,`name`,`kind`);--> statement-breakpoint
CREATE TABLE `record_events` (
	`id` text PRIMARY KEY NOT NULL,
	`record_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text,
	`type` text NOT NULL,
	`from_value` text,
	`to_value` text,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `events_record_at` ON `record_events` (`record_id`,`at`);--> statement-breakpoint
CREATE INDEX `events_at` ON `record_events` (`at`);--> statement-breakpoint
CREATE TABLE `record_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`record_id` text NOT NULL,
	`inbound_message_id` text NOT NULL,
	`item_index` integer NOT NULL,
	`sender_id` text NOT NULL,
	`sender_name` text,
	`excerpt` text NOT NULL,
	`excerpt_masked` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sources_inbound_item` ON `record_sources` (`inbound_message_id`,`item_index`);--> statement-breakpoint
CREATE INDEX `sources_record` ON `record_sources` (`record_id`);--> statement-breakpoint
CREATE TABLE `records` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`status` text NOT NULL,
	`category_code` text NOT NULL,
	`category_name` text NOT NULL,
	`category_source` text NOT NULL,
	`appeal_type` text NOT NULL,
	`town_code` text,
	`town_assumed` integer DEFAULT false NOT NULL,
	`place` text,
	`place_evidence` text DEFAULT '[]' NOT NULL,
	`summary` text NOT NULL,
	`text` text NOT NULL,
	`text_masked` text NOT NULL,
	`fingerprint` text NOT NULL,
	`urgency` text NOT NULL,
	`confidence` real NOT NULL,
	`alternatives` text DEFAULT '[]' NOT NULL,
	`rationale` text NOT NULL,
	`model` text,
	`prompt_id` text,
	`prompt_version` text,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`affected_count` integer DEFAULT 1 NOT NULL,
	`duplicate_of` text,
	`department` text,
	`due_at` integer,
	`filed_by` text NOT NULL,
	`filed_by_name` text,
	`source_platform` text NOT NULL,
	`source_chat_id` text NOT NULL,
	`source_message_id` text,
	`reply_target` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `records_code` ON `records` (`code`);--> statement-breakpoint
CREATE INDEX `records_town_status_created` ON `records` (`town_code`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `records_town_created` ON `records` (`town_code`,`created_at`);--> statement-breakpoint
CREATE INDEX `records_status_created` ON `records` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `records_created` ON `records` (`created_at`);--> statement-breakpoint
CREATE INDEX `records_category_created` ON `records` (`category_code`,`created_at`);--> statement-breakpoint
CREATE INDEX `records_chat_sender_status` ON `records` (`source_chat_id`,`filed_by`,`status`);--> statement-breakpoint
CREATE INDEX `records_due` ON `records` (`due_at`);--> statement-breakpoint
CREATE TABLE `replies` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`inbound_message_id` text,
	`record_id` text,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`payload` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`platform_message_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `replies_key` ON `replies` (`key`);--> statement-breakpoint
CREATE INDEX `replies_inbound` ON `replies` (`inbound_message_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `towns` (
	`code` text PRIMARY KEY NOT NULL,
	`district_code` text NOT NULL,
	`name` text NOT NULL,
	`short` text NOT NULL,
	`type` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `consultation_items` (
	`id` text PRIMARY KEY NOT NULL,
	`consultation_id` text NOT NULL,
	`seq` integer NOT NULL,
	`text` text NOT NULL,
	`owner` text NOT NULL,
	`due_at` integer,
	`status` text NOT NULL,
	`done_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consultation_items_seq` ON `consultation_items` (`consultation_id`,`seq`);--> statement-breakpoint
CREATE INDEX `consultation_items_due` ON `consultation_items` (`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `consultations` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`town_code` text NOT NULL,
	`type` text NOT NULL,
	`party` text,
	`topic` text NOT NULL,
	`status` text NOT NULL,
	`cluster_key` text,
	`proposed_by` text NOT NULL,
	`scheduled_at` integer,
	`held_at` integer,
	`closed_at` integer,
	`agenda` text NOT NULL,
	`minutes` text,
	`record_ids` text DEFAULT '[]' NOT NULL,
	`attendees` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consultations_code` ON `consultations` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `consultations_town_cluster` ON `consultations` (`town_code`,`cluster_key`);--> statement-breakpoint
CREATE INDEX `consultations_town_status` ON `consultations` (`town_code`,`status`);--> statement-breakpoint
CREATE TABLE `output_events` (
	`id` text PRIMARY KEY NOT NULL,
	`entity_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text,
	`type` text NOT NULL,
	`from_value` text,
	`to_value` text,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `output_events_entity` ON `output_events` (`entity_id`,`at`);--> statement-breakpoint
CREATE TABLE `party_pairings` (
	`town_code` text PRIMARY KEY NOT NULL,
	`party` text NOT NULL,
	`expertise` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `scheduled_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`task` text NOT NULL,
	`period_key` text NOT NULL,
	`due_at` integer NOT NULL,
	`claimed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scheduled_runs_task_period` ON `scheduled_runs` (`task`,`period_key`);--> statement-breakpoint
CREATE TABLE `writeups` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`town_code` text,
	`record_ids` text DEFAULT '[]' NOT NULL,
	`consultation_id` text,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`instructions` text,
	`created_by` text NOT NULL,
	`submitted_at` integer,
	`adopted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `writeups_code` ON `writeups` (`code`);--> statement-breakpoint
CREATE INDEX `writeups_created` ON `writeups` (`created_at`);--> statement-breakpoint
CREATE TABLE `bind_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`created_by` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by` text
);
--> statement-breakpoint
CREATE TABLE `pending_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text,
	`platform` text NOT NULL,
	`chat_id` text NOT NULL,
	`action` text NOT NULL,
	`summary` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`decided_at` integer
);
--> statement-breakpoint
CREATE INDEX `pending_chat_actor_state` ON `pending_actions` (`chat_id`,`actor_id`,`state`,`created_at`);