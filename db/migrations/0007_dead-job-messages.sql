-- Messages whose processing job died before jobs marked them: they read `failed`, as those dead since do
-- (SqlJobQueue.fail). A message already filed or ignored (a later job about it died) is left as it is.
UPDATE `inbound_messages` SET `state` = 'failed', `error` = (SELECT `last_error` FROM `jobs` j WHERE j.`state` = 'dead' AND json_extract(j.`payload`, '$.inboundId') = `inbound_messages`.`id` ORDER BY j.`updated_at` DESC LIMIT 1)
WHERE `state` NOT IN ('done', 'ignored', 'failed')
  AND `id` IN (SELECT json_extract(`payload`, '$.inboundId') FROM `jobs` WHERE `state` = 'dead');
