-- Interactions, their history, routing cool-downs and contact profiles
-- (history is append-only). `user_data` holds the JSON object of user data
-- as text, keys in order (not jsonb, which would reorder them); `media`
-- holds the media-specific fields as JSON text. Mirror of the SQLite
-- migration 0003.
CREATE TABLE interactions (
  id TEXT COLLATE "C" PRIMARY KEY,
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  media_type TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  working_state TEXT NOT NULL,
  direction TEXT NOT NULL,
  owner_id TEXT COLLATE "C",
  queue_id TEXT COLLATE "C",
  workbin_id TEXT COLLATE "C",
  last_owner_id TEXT COLLATE "C",
  contact_id TEXT COLLATE "C",
  parent_id TEXT COLLATE "C",
  received_ms BIGINT NOT NULL,
  queued_ms BIGINT NOT NULL,
  workbin_entered_ms BIGINT NOT NULL DEFAULT 0,
  offer_expires_ms BIGINT,
  offer_reason TEXT NOT NULL DEFAULT '',
  transfer_from_id TEXT COLLATE "C",
  transfer_reference_id BIGINT NOT NULL DEFAULT 0,
  user_data TEXT NOT NULL,
  media TEXT NOT NULL
);
CREATE INDEX interactions_by_owner ON interactions(owner_id, received_ms, id)
  WHERE owner_id IS NOT NULL;
CREATE INDEX interactions_queued ON interactions(contact_center_id, queued_ms, id)
  WHERE state = 'Queued';
CREATE INDEX interactions_by_queue ON interactions(queue_id, state);
CREATE INDEX interactions_by_workbin ON interactions(workbin_id, received_ms, id)
  WHERE workbin_id IS NOT NULL;
CREATE INDEX interactions_by_contact_center ON interactions(contact_center_id, state, media_type);

CREATE TABLE interaction_history (
  interaction_id TEXT COLLATE "C" NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  event TEXT NOT NULL,
  user_id TEXT,
  user_name TEXT,
  reference_id BIGINT NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  owner_id TEXT,
  from_queue TEXT,
  to_queue TEXT,
  from_workbin_id TEXT,
  to_workbin_id TEXT,
  details TEXT,
  PRIMARY KEY (interaction_id, seq)
);

CREATE TABLE routing_cooldowns (
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  interaction_id TEXT COLLATE "C" NOT NULL,
  user_id TEXT COLLATE "C" NOT NULL,
  until_ms BIGINT NOT NULL,
  PRIMARY KEY (interaction_id, user_id)
);
CREATE INDEX routing_cooldowns_by_contact_center ON routing_cooldowns(contact_center_id, until_ms);

CREATE TABLE contacts (
  contact_center_id TEXT COLLATE "C" NOT NULL REFERENCES contact_centers(id) ON DELETE CASCADE,
  id TEXT COLLATE "C" NOT NULL,
  last_agent_id TEXT,
  last_agent_user_name TEXT,
  last_agent_at_ms BIGINT NOT NULL DEFAULT 0,
  last_media_type TEXT,
  PRIMARY KEY (contact_center_id, id)
);
