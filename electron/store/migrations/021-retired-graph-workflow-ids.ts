// Ids of deleted graph workflows (atk21): a workflow's id lives on in its jobs' labels and in clients'
// URLs, so it is never given to a new workflow. Ids are random (Explorer's 10-digit form), not a
// sequence AUTOINCREMENT could keep, so the deleted ones are kept here. Ids that jobs name but no
// workflow holds any more (deleted before this table) are retired too.
export default `
CREATE TABLE retired_graph_workflow_ids (
  id INTEGER PRIMARY KEY
);
INSERT OR IGNORE INTO retired_graph_workflow_ids (id)
  SELECT DISTINCT CAST(json_extract(labels, '$.graphWorkflowId') AS INTEGER) FROM jobs
  WHERE json_extract(labels, '$.graphWorkflowId') IS NOT NULL
    AND CAST(json_extract(labels, '$.graphWorkflowId') AS INTEGER) NOT IN (SELECT id FROM graph_workflows);
`
