// Rill Flow workflows (business_id:feature_name) belong to a user (#9): its owner and admins alone may
// add versions, move aliases or run it. The owner is whoever stored its first version; existing
// workflows get the author of their first version (`rillflow`, the credential-less loopback caller,
// where none was recorded: admins only). IF NOT EXISTS / OR IGNORE: other branches may also number
// a migration 013, so this one must be harmless at any position.
export default `
CREATE TABLE IF NOT EXISTS workflow_owners (
  workspace TEXT NOT NULL,
  name TEXT NOT NULL,
  owner TEXT NOT NULL,
  PRIMARY KEY (workspace, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS workflow_owners_by_owner ON workflow_owners (owner);
INSERT OR IGNORE INTO workflow_owners (workspace, name, owner)
SELECT w.workspace, w.name, coalesce(w.created_by, 'rillflow') FROM workflows w
WHERE w.id = (SELECT min(f.id) FROM workflows f WHERE f.workspace = w.workspace AND f.name = w.name);
`
