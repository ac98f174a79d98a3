-- Up Migration
-- One row per artifact: sealed bytes (AES-GCM under a per-tenant key, see src/codec/artifact-cipher.ts).
CREATE TABLE artifacts (
  key text COLLATE "C" PRIMARY KEY,
  tenant_id text NOT NULL,
  content bytea NOT NULL,
  written_at timestamptz NOT NULL
);
CREATE INDEX artifacts_written_at ON artifacts (written_at);
CREATE INDEX artifacts_tenant_id ON artifacts (tenant_id);

-- Each tenant's random key material, combined with the configured key by HKDF: deleting the row
-- crypto-shreds the tenant's artifacts.
CREATE TABLE artifact_tenant_keys (
  tenant_id text PRIMARY KEY,
  material bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE artifact_tenant_keys;
DROP TABLE artifacts;
