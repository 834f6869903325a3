-- Idempotency-Key (extensions.md §3). Mirror of the SQLite migration 0008.
CREATE TABLE idempotency_keys (
  user_id TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  fingerprint TEXT NOT NULL,
  done BOOLEAN NOT NULL,
  http_status INTEGER NOT NULL,
  body TEXT NOT NULL,
  expires_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys(expires_ms);
