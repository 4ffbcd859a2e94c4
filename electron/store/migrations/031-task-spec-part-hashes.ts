// A part (task_spec_parts, migrations 027 and 029) was found again only by the object it was stored
// for, kept in memory: a group's bundle of small shared values is made anew once its cache has let it
// go (past 256 bundles), and after a restart, and each time it was stored again as a new part (atk40).
// `hash` (SHA-256 of the text, base64) finds a job's part by its text: store/jobs/job-parts.ts stores
// a text once per job. Rows stored before have it NULL and are not found so (a second copy at most).
// The index by (job_id, hash) serves the lookups by job the older index served. Added only if missing:
// harmless if run again at another position (a branch's own 031).
import type { Db } from '../connection'

export default function taskSpecPartHashes(db: Db): void {
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('task_spec_parts')").all()
  if (!columns.some((c) => c.name === 'hash')) db.exec('ALTER TABLE task_spec_parts ADD COLUMN hash TEXT')
  db.exec('CREATE INDEX IF NOT EXISTS task_spec_parts_by_hash ON task_spec_parts (job_id, hash); DROP INDEX IF EXISTS task_spec_parts_by_job')
}
