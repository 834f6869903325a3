-- Workbin content paging (extensions.md §1): per workbin and media type item
-- counts kept by triggers in the transaction of every change, an index for
-- pages of one media type in received order, and the key that signs cursors.
-- Mirror of the SQLite migration 0007.
CREATE TABLE workbin_item_counts (
  workbin_id TEXT COLLATE "C" NOT NULL,
  media_type TEXT COLLATE "C" NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (workbin_id, media_type)
);

INSERT INTO workbin_item_counts (workbin_id, media_type, n)
  SELECT workbin_id, media_type, count(*) FROM interactions
  WHERE workbin_id IS NOT NULL AND state = 'InWorkbin'
  GROUP BY workbin_id, media_type;

-- Moves a row's contribution: out of its old (workbin, media type) when it
-- was in a workbin, into its new one when it is.
CREATE FUNCTION workbind_count_workbin_items() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.workbin_id IS NOT NULL AND OLD.state = 'InWorkbin' THEN
      UPDATE workbin_item_counts SET n = n - 1
        WHERE workbin_id = OLD.workbin_id AND media_type = OLD.media_type;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    IF NEW.workbin_id IS NOT NULL AND NEW.state = 'InWorkbin' THEN
      INSERT INTO workbin_item_counts (workbin_id, media_type, n)
        VALUES (NEW.workbin_id, NEW.media_type, 1)
        ON CONFLICT (workbin_id, media_type)
        DO UPDATE SET n = workbin_item_counts.n + 1;
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER workbin_item_counts_insert AFTER INSERT ON interactions
  FOR EACH ROW WHEN (NEW.workbin_id IS NOT NULL AND NEW.state = 'InWorkbin')
  EXECUTE FUNCTION workbind_count_workbin_items();

CREATE TRIGGER workbin_item_counts_delete AFTER DELETE ON interactions
  FOR EACH ROW WHEN (OLD.workbin_id IS NOT NULL AND OLD.state = 'InWorkbin')
  EXECUTE FUNCTION workbind_count_workbin_items();

CREATE TRIGGER workbin_item_counts_update
  AFTER UPDATE OF workbin_id, media_type, state ON interactions
  FOR EACH ROW WHEN (
    (OLD.workbin_id IS NOT NULL AND OLD.state = 'InWorkbin') IS DISTINCT FROM
      (NEW.workbin_id IS NOT NULL AND NEW.state = 'InWorkbin')
    OR OLD.workbin_id IS DISTINCT FROM NEW.workbin_id
    OR OLD.media_type IS DISTINCT FROM NEW.media_type)
  EXECUTE FUNCTION workbind_count_workbin_items();

CREATE INDEX interactions_by_workbin_media
  ON interactions(workbin_id, media_type, received_ms, id);

-- gen_random_uuid() draws from the server's strong random source: two of
-- them give 244 random bits as 64 hex digits.
CREATE TABLE server_secrets (
  name TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO server_secrets (name, value) VALUES
  ('cursor', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
