// Saved script ids are never handed out again (atk21 follow-up): an editor saves over the script it
// has open by {id, updatedAt} (savedScripts.save `expect`), so a deleted script's id must not come back
// as another one's. A rowid table gives the newest row's id again once it is deleted; AUTOINCREMENT
// does not. SQLite cannot add it in place, so the table is rebuilt with every row and id (nothing
// references it); the sequence starts at the largest id kept.
export default `
CREATE TABLE saved_scripts_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner TEXT NOT NULL,
  path TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('script', 'folder')),
  language TEXT,
  code TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (owner, path)
);
INSERT INTO saved_scripts_new (id, owner, path, kind, language, code, created_at, updated_at)
  SELECT id, owner, path, kind, language, code, created_at, updated_at FROM saved_scripts ORDER BY id;
DROP TABLE saved_scripts;
ALTER TABLE saved_scripts_new RENAME TO saved_scripts;
`
