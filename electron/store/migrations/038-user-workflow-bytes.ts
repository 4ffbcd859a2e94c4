// What the stored versions of one user's workflows take (shared/quotas.ts MAX_WORKFLOW_BYTES_PER_USER,
// atk15), read before every save of a version (workflow-room.ts): a running total per owner kept by
// triggers, so a read is one row. A sum over the owner's versions cost 180-300 ms at the count bounds
// (2,000 workflows of 200 versions), on the main thread, for every save.
//   Rill Flow: a version's text and parsed form (workflows.source, .parsed), added when its row is
//     inserted (after workflow_owners names the owner: workflow.repository.ts add), taken off when it
//     is deleted (remove deletes the versions before the owner's row); owners never change
//   graph workflows: a version's document, added when inserted; a deleted workflow takes all its
//     versions off first (BEFORE DELETE), and the cascade's deletes that follow find no owner row
// In UTF-8 bytes (octet_length). Counted afresh at upgrade, every statement IF NOT EXISTS.
const ADD = (delta: string, ownerSql: string) =>
  `INSERT INTO user_workflow_bytes (owner, bytes) ${ownerSql.replace('@delta', delta)}
     ON CONFLICT (owner) DO UPDATE SET bytes = bytes + excluded.bytes;`
const RILLFLOW_OWNER = (r: string) => `SELECT owner, @delta FROM workflow_owners WHERE workspace = ${r}.workspace AND name = ${r}.name`
const GRAPH_OWNER = (id: string) => `SELECT owner, @delta FROM graph_workflows WHERE id = ${id}`
const VERSION_BYTES = (r: string) => `(octet_length(${r}.source) + octet_length(${r}.parsed))`

export default `
CREATE TABLE IF NOT EXISTS user_workflow_bytes (owner TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID;
DELETE FROM user_workflow_bytes;
INSERT INTO user_workflow_bytes (owner, bytes)
  SELECT owner, sum(bytes) FROM (
    SELECT o.owner, octet_length(w.source) + octet_length(w.parsed) AS bytes FROM workflow_owners o JOIN workflows w ON w.workspace = o.workspace AND w.name = o.name
    UNION ALL SELECT g.owner, octet_length(v.document) FROM graph_workflows g JOIN graph_workflow_versions v ON v.workflow_id = g.id
  ) GROUP BY owner;
CREATE TRIGGER IF NOT EXISTS user_workflow_bytes_version_added AFTER INSERT ON workflows
BEGIN ${ADD(VERSION_BYTES('new'), RILLFLOW_OWNER('new'))} END;
CREATE TRIGGER IF NOT EXISTS user_workflow_bytes_version_removed AFTER DELETE ON workflows
BEGIN ${ADD(`-${VERSION_BYTES('old')}`, RILLFLOW_OWNER('old'))} END;
CREATE TRIGGER IF NOT EXISTS user_workflow_bytes_graph_version_added AFTER INSERT ON graph_workflow_versions
BEGIN ${ADD('octet_length(new.document)', GRAPH_OWNER('new.workflow_id'))} END;
CREATE TRIGGER IF NOT EXISTS user_workflow_bytes_graph_version_removed AFTER DELETE ON graph_workflow_versions
BEGIN ${ADD('-octet_length(old.document)', GRAPH_OWNER('old.workflow_id'))} END;
CREATE TRIGGER IF NOT EXISTS user_workflow_bytes_graph_removed BEFORE DELETE ON graph_workflows
BEGIN ${ADD('-(SELECT coalesce(sum(octet_length(document)), 0) FROM graph_workflow_versions WHERE workflow_id = old.id)', GRAPH_OWNER('old.id'))} END;
`
