// Saved scripts (#13.5): each user's scripts in a tree, as Linkis Scriptis's workspace. A row is a
// script or an (empty) folder, keyed by its path within the user's tree ("reports/daily"); folders
// holding scripts need no row of their own. IF NOT EXISTS: numbered 011 beside another branch's 010.
export default `
CREATE TABLE IF NOT EXISTS saved_scripts (
  id INTEGER PRIMARY KEY,
  owner TEXT NOT NULL,
  path TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('script', 'folder')),
  language TEXT,
  code TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (owner, path)
);
`
