-- Idempotency-Key (extensions.md §3): per (user, key) the fingerprint of the
-- first request and, once it succeeded, its reply. A row without a reply is
-- a request in progress (or one whose process stopped before its reply was
-- stored: the key then stays refused until it expires, so that the change is
-- never applied twice).
CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  done INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  body TEXT NOT NULL,
  expires_ms INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys(expires_ms);
