-- Retention by count without a delete per append: an append moves the
-- user's floor (keep_from) in the counter row it updates anyway; reads skip
-- the rows below it and the sweep deletes them in bulk, off the request
-- path, with those past the age limit.
ALTER TABLE notification_counters ADD COLUMN keep_from BIGINT NOT NULL DEFAULT 0;
