-- Provisioned objects (provisioning.md §2) and HTTP sessions (auth.md §3).
-- List-valued columns hold JSON arrays of ids or names.
CREATE TABLE contact_centers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  features TEXT NOT NULL,
  media_types TEXT NOT NULL,
  routing TEXT NOT NULL,
  directory_version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  contact_center_id TEXT NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  user_name TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email_address TEXT,
  roles TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  default_place_id TEXT,
  capacity TEXT,
  next_reference_id INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_by_contact_center ON users(contact_center_id, user_name);

CREATE TABLE system_admins (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL
);

CREATE TABLE places (
  id TEXT PRIMARY KEY,
  contact_center_id TEXT NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE place_groups (
  id TEXT PRIMARY KEY,
  contact_center_id TEXT NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  place_ids TEXT NOT NULL,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE agent_groups (
  id TEXT PRIMARY KEY,
  contact_center_id TEXT NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  agent_ids TEXT NOT NULL,
  supervisor_ids TEXT NOT NULL,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE queues (
  id TEXT PRIMARY KEY,
  contact_center_id TEXT NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  agent_group_id TEXT NOT NULL,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE workbin_definitions (
  id TEXT PRIMARY KEY,
  contact_center_id TEXT NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  type TEXT NOT NULL,
  owners TEXT,
  UNIQUE (contact_center_id, name)
);

CREATE TABLE workbins (
  id TEXT PRIMARY KEY,
  contact_center_id TEXT NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  definition_id TEXT NOT NULL,
  owner_type TEXT NOT NULL,
  owner_id TEXT NOT NULL
);
CREATE INDEX workbins_by_contact_center ON workbins(contact_center_id, id);

CREATE TABLE http_sessions (
  id TEXT PRIMARY KEY,
  csrf_token TEXT NOT NULL,
  user_id TEXT NOT NULL,
  system_admin INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  last_activity_ms INTEGER NOT NULL
);
CREATE INDEX http_sessions_by_user ON http_sessions(user_id, last_activity_ms);
CREATE INDEX http_sessions_by_activity ON http_sessions(last_activity_ms);
