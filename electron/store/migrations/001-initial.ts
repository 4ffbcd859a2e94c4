import { JOB_STATUSES, LOG_LEVELS, TASK_STATUSES } from '../../../shared/status'

const oneOf = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ')

// The canonical model of DESIGN.md. Times are epoch milliseconds; JSON columns hold JSON text.
export default `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  is_admin INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  name TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  last_used_at INTEGER
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE workflows (
  id INTEGER PRIMARY KEY,
  workspace TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  format TEXT NOT NULL,
  source TEXT NOT NULL,
  parsed TEXT NOT NULL,
  created_by TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (workspace, name, version)
);

CREATE TABLE workflow_aliases (
  workspace TEXT NOT NULL,
  name TEXT NOT NULL,
  alias TEXT NOT NULL,
  version TEXT NOT NULL,
  PRIMARY KEY (workspace, name, alias)
);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uuid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(JOB_STATUSES)})),
  progress REAL NOT NULL DEFAULT 0,
  workflow_id INTEGER REFERENCES workflows(id),
  parent_job_id INTEGER REFERENCES jobs(id),
  input TEXT,
  result TEXT,
  error TEXT,
  submitter TEXT NOT NULL,
  labels TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_by_status ON jobs (status);
CREATE INDEX jobs_by_kind ON jobs (kind, id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  executor TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${oneOf(TASK_STATUSES)})),
  depends_on TEXT NOT NULL DEFAULT '[]',
  spec TEXT NOT NULL DEFAULT '{}',
  attempt INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 1,
  timeout_ms INTEGER,
  backoff_ms INTEGER NOT NULL DEFAULT 1000,
  input TEXT,
  output TEXT,
  error TEXT,
  runtime TEXT,
  run_after INTEGER,
  started_at INTEGER,
  finished_at INTEGER,
  UNIQUE (job_id, name)
);

CREATE TABLE log_lines (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  task_id INTEGER,
  time INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN (${oneOf(LOG_LEVELS)})),
  text TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;

CREATE TABLE result_sets (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  task_id INTEGER,
  idx INTEGER NOT NULL,
  kind TEXT NOT NULL DEFAULT 'table',
  columns TEXT NOT NULL DEFAULT '[]',
  row_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE (job_id, task_id, idx)
);

CREATE TABLE result_rows (
  result_set_id INTEGER NOT NULL REFERENCES result_sets(id) ON DELETE CASCADE,
  row_no INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (result_set_id, row_no)
) WITHOUT ROWID;

CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  rel_path TEXT NOT NULL,
  size INTEGER NOT NULL,
  md5 TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, rel_path)
);
`
