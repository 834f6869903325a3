-- Workbin content paging (extensions.md §1): per workbin and media type item
-- counts kept by triggers in the transaction of every change, an index for
-- pages of one media type in received order, and the key that signs cursors.
CREATE TABLE workbin_item_counts (
  workbin_id TEXT NOT NULL,
  media_type TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (workbin_id, media_type)
) WITHOUT ROWID;

INSERT INTO workbin_item_counts (workbin_id, media_type, n)
  SELECT workbin_id, media_type, count(*) FROM interactions
  WHERE workbin_id IS NOT NULL AND state = 'InWorkbin'
  GROUP BY workbin_id, media_type;

CREATE TRIGGER workbin_item_counts_insert AFTER INSERT ON interactions
  WHEN NEW.workbin_id IS NOT NULL AND NEW.state = 'InWorkbin'
BEGIN
  INSERT INTO workbin_item_counts (workbin_id, media_type, n)
    VALUES (NEW.workbin_id, NEW.media_type, 1)
    ON CONFLICT (workbin_id, media_type) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER workbin_item_counts_delete AFTER DELETE ON interactions
  WHEN OLD.workbin_id IS NOT NULL AND OLD.state = 'InWorkbin'
BEGIN
  UPDATE workbin_item_counts SET n = n - 1
    WHERE workbin_id = OLD.workbin_id AND media_type = OLD.media_type;
END;

CREATE TRIGGER workbin_item_counts_update
  AFTER UPDATE OF workbin_id, media_type, state ON interactions
  WHEN (OLD.workbin_id IS NOT NULL AND OLD.state = 'InWorkbin') IS NOT
       (NEW.workbin_id IS NOT NULL AND NEW.state = 'InWorkbin')
    OR OLD.workbin_id IS NOT NEW.workbin_id
    OR OLD.media_type IS NOT NEW.media_type
BEGIN
  UPDATE workbin_item_counts SET n = n - 1
    WHERE OLD.workbin_id IS NOT NULL AND OLD.state = 'InWorkbin'
      AND workbin_id = OLD.workbin_id AND media_type = OLD.media_type;
  INSERT INTO workbin_item_counts (workbin_id, media_type, n)
    SELECT NEW.workbin_id, NEW.media_type, 1
    WHERE NEW.workbin_id IS NOT NULL AND NEW.state = 'InWorkbin'
    ON CONFLICT (workbin_id, media_type) DO UPDATE SET n = n + 1;
END;

CREATE INDEX interactions_by_workbin_media
  ON interactions(workbin_id, media_type, received_ms, id);

CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO server_secrets (name, value) VALUES ('cursor', hex(randomblob(32)));
