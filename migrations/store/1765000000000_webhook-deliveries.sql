-- Up Migration
-- Aequivalent webhook deliveries already handed over, kept while a captured copy could still pass
-- the signature's timestamp check: every receiver replica refuses a replay (src/webhooks).
CREATE TABLE webhook_deliveries (
  tenant_id text NOT NULL,
  event_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX webhook_deliveries_expires_at ON webhook_deliveries (expires_at);

-- Down Migration
DROP TABLE webhook_deliveries;
