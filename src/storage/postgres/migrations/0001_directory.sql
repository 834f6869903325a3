-- Provisioned objects (provisioning.md §2) and HTTP sessions (auth.md §3):
-- the mirror of storage/sqlite/migrations/0001_directory.sql. List-valued
-- columns hold JSON arrays as text. Text keys use the "C" collation so that
-- ORDER BY compares bytes, as SQLite does.
CREATE TABLE contact_centers (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  features TEXT NOT NULL,
  media_types TEXT NOT NULL,
  routing TEXT NOT NULL,
  directory_version BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE users (
  id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  user_name TEXT COLLATE "C" NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email_address TEXT,
  roles TEXT NOT NULL,
  enabled BOOLEAN NOT NULL,
  default_place_id TEXT COLLATE "C",
  capacity TEXT,
  next_reference_id BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX users_by_contact_center ON users(contact_center_id, user_name);

CREATE TABLE system_admins (
  id TEXT COLLATE "C" PRIMARY KEY,
  user_name TEXT COLLATE "C" NOT NULL UNIQUE,
  password_hash TEXT NOT NULL
);

CREATE TABLE places (
  id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE place_groups (
  id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  place_ids TEXT NOT NULL,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE agent_groups (
  id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  agent_ids TEXT NOT NULL,
  supervisor_ids TEXT NOT NULL,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE queues (
  id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  description TEXT NOT NULL,
  agent_group_id TEXT COLLATE "C" NOT NULL,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE workbin_definitions (
  id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  display_name TEXT NOT NULL,
  type TEXT NOT NULL,
  owners TEXT,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE workbins (
  id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  definition_id TEXT COLLATE "C" NOT NULL,
  owner_type TEXT NOT NULL,
  owner_id TEXT COLLATE "C" NOT NULL
);
CREATE INDEX workbins_by_contact_center ON workbins(contact_center_id, id);

CREATE TABLE http_sessions (
  id TEXT COLLATE "C" PRIMARY KEY,
  csrf_token TEXT NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  system_admin BOOLEAN NOT NULL,
  created_ms BIGINT NOT NULL,
  last_activity_ms BIGINT NOT NULL
);
CREATE INDEX http_sessions_by_user ON http_sessions(user_id, last_activity_ms);
CREATE INDEX http_sessions_by_activity ON http_sessions(last_activity_ms);
