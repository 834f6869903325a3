-- The cross-node feed finds the users with new notifications without
-- scanning: each counter row names the transaction that advanced it last,
-- and a node reads the rows whose transaction is at or above the oldest one
-- still running at its previous read (pg_events.cc).
ALTER TABLE notification_counters ADD COLUMN tx xid8 NOT NULL DEFAULT '0';
CREATE INDEX notification_counters_by_tx ON notification_counters (tx);
