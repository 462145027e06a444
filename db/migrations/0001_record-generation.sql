-- A number that moves whenever a record is added, removed, or changes status or town, from any connection.
-- The job worker keeps each town's open records in memory for dedupe (src/store/dedupe-cache.ts) and reloads
-- them when this number moved by more than its own writes.
INSERT OR IGNORE INTO `counters` (`name`, `value`) VALUES ('records:generation', 0);
--> statement-breakpoint
CREATE TRIGGER `records_generation_insert` AFTER INSERT ON `records`
BEGIN
  UPDATE `counters` SET `value` = `value` + 1 WHERE `name` = 'records:generation';
END;
--> statement-breakpoint
CREATE TRIGGER `records_generation_update` AFTER UPDATE OF `status`, `town_code` ON `records`
BEGIN
  UPDATE `counters` SET `value` = `value` + 1 WHERE `name` = 'records:generation';
END;
--> statement-breakpoint
CREATE TRIGGER `records_generation_delete` AFTER DELETE ON `records`
BEGIN
  UPDATE `counters` SET `value` = `value` + 1 WHERE `name` = 'records:generation';
END;
