// Accounts (#9.3): a user can be disabled and granted rights (JSON list, e.g. ["scripts"]).
// Tokens may belong to no local user: a Linkis token-login session acts as the Token-User the token
// names (`subject`), which need not have an account. SQLite cannot drop NOT NULL in place, so the
// tokens table is rebuilt; nothing references it.
export default `
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN rights TEXT NOT NULL DEFAULT '[]';

CREATE TABLE tokens_new (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  name TEXT,
  subject TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used_at INTEGER,
  CHECK (user_id IS NOT NULL OR subject IS NOT NULL)
);
INSERT INTO tokens_new (id, token_hash, user_id, kind, name, created_at, expires_at, last_used_at)
  SELECT id, token_hash, user_id, kind, name, created_at, expires_at, last_used_at FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;
CREATE INDEX tokens_by_user ON tokens (user_id);
`
