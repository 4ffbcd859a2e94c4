// Access keys (#15.4): AK/SK pairs a user issues in Settings for clients that sign requests
// (Huawei Cloud's SDKs: SDK-HMAC-SHA256). The server needs the secret itself to check an HMAC, so
// it is kept sealed (AES-256-GCM under a key file outside this database: services/access-keys.ts),
// never in plain text. Revoked keys stay listed (revoked_at) so the audit trail keeps them.
export default `
CREATE TABLE access_keys (
  id INTEGER PRIMARY KEY,
  access_key TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  secret_sealed TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX access_keys_by_user ON access_keys (user_id);
`
