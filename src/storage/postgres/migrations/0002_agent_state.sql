-- Contact-center sessions (auth.md §7.3): one row per logged-in user; the
-- channels column holds a JSON array in login order. A place is used by at
-- most one user. Mirror of the SQLite migration 0002.
CREATE TABLE agent_states (
  user_id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL,
  place_id TEXT COLLATE "C" UNIQUE,
  channels TEXT NOT NULL
);
CREATE INDEX agent_states_by_contact_center ON agent_states(contact_center_id, user_id);
