-- The replay log (extensions.md §2): every notification addressed to a user,
-- numbered per user in the transaction that stored the change. Retention is
-- by count (on append) and by age (sweep). The counters have no foreign key:
-- a user deleted and created again continues its numbering. Mirror of the
-- SQLite migration 0005.
CREATE TABLE notification_counters (
  user_id TEXT COLLATE "C" PRIMARY KEY,
  last_seq BIGINT NOT NULL
);

CREATE TABLE notifications (
  user_id TEXT COLLATE "C" NOT NULL,
  seq BIGINT NOT NULL,
  contact_center_id TEXT COLLATE "C" NOT NULL,
  topic TEXT NOT NULL,
  data TEXT NOT NULL,
  actor_user_id TEXT NOT NULL,
  reference_id BIGINT NOT NULL,
  user_uri TEXT NOT NULL,
  watchers TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, seq)
);
CREATE INDEX notifications_by_age ON notifications(created_ms);
