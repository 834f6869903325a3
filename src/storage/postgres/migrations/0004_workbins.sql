-- Workbin subscriptions: which users asked for content-change messages of
-- which workbin instance. A row goes away with its user or its workbin.
-- Mirror of the SQLite migration 0004.
CREATE TABLE workbin_subscriptions (
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  workbin_id TEXT COLLATE "C" NOT NULL REFERENCES workbins(id) ON DELETE CASCADE,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, workbin_id)
);
CREATE INDEX workbin_subscriptions_by_workbin ON workbin_subscriptions(workbin_id, user_id);
