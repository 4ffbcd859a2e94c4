// Graph workflows (#15.1): Explorer-style DAGs of query and algorithm components
// (shared/graph-workflows.ts). A workflow keeps Explorer's numeric id and its saved versions, each
// the whole document as JSON. Their jobs are ordinary jobs (kind `dag`) that name the workflow and
// version in their labels; the index serves Explorer's "jobs of one workflow".
export default `
CREATE TABLE graph_workflows (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  owner TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX graph_workflows_by_owner ON graph_workflows (owner);
CREATE TABLE graph_workflow_versions (
  workflow_id INTEGER NOT NULL REFERENCES graph_workflows(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, version)
) WITHOUT ROWID;
CREATE INDEX jobs_by_graph_workflow ON jobs (json_extract(labels, '$.graphWorkflowId'), id);
`
