-- Provisioning changes re-check every subscription of a contact center.
-- Mirror of the SQLite migration 0006.
CREATE INDEX workbin_subscriptions_by_contact_center
  ON workbin_subscriptions(contact_center_id, user_id, workbin_id);
