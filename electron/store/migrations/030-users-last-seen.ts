// When each user was last seen, kept on the user. It was the newest `last_used_at` of their tokens,
// so it went back to "never" whenever those tokens went: a sign-out, a disable, a password reset or
// expiry erased it (the Users page said "never" of a user who had just worked all day). Triggers keep
// it with every token's use and every sign-in (a new token), whichever dialect's; the backfill takes
// what the tokens still know. IF NOT EXISTS on the triggers: harmless if run again at another position.
export default `
ALTER TABLE users ADD COLUMN last_seen_at INTEGER;
UPDATE users SET last_seen_at = (SELECT max(coalesce(t.last_used_at, t.created_at)) FROM tokens t WHERE t.user_id = users.id);
CREATE TRIGGER IF NOT EXISTS users_seen_on_token_use AFTER UPDATE OF last_used_at ON tokens
  WHEN NEW.user_id IS NOT NULL AND NEW.last_used_at IS NOT NULL
  BEGIN UPDATE users SET last_seen_at = max(coalesce(last_seen_at, 0), NEW.last_used_at) WHERE id = NEW.user_id; END;
CREATE TRIGGER IF NOT EXISTS users_seen_on_sign_in AFTER INSERT ON tokens
  WHEN NEW.user_id IS NOT NULL
  BEGIN UPDATE users SET last_seen_at = max(coalesce(last_seen_at, 0), NEW.created_at) WHERE id = NEW.user_id; END;
`
