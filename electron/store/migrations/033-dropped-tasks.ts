// A redo drops a foreach's sub-tasks and groups (100k of each for a wide one) without deleting them on
// the spot: deleting them in one transaction held the main thread ~0.5 s (#9 §2). dropped_tasks notes,
// per root, the sub-tasks (names `<root>_…` with an id below below_id) and the groups (parent `<root>`
// or `<root>_…`, written before the note: gen < seq) that no reader sees any more; row-sweeper.ts
// removes them in steps and then the note, and a restart resumes from it. task_id_floor keeps new task
// ids above every dropped one (tasks has no AUTOINCREMENT: its next id is the largest left + 1), so a
// task made after the drop is never taken for a dropped one, nor given a swept one's id.
// Added only if missing: harmless if run again at another position.
import type { Db } from '../connection'

export default function droppedTasks(db: Db): void {
  db.exec(`
CREATE TABLE IF NOT EXISTS dropped_tasks (seq INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL, root TEXT NOT NULL, below_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dropped_tasks_by_job ON dropped_tasks (job_id);
CREATE TABLE IF NOT EXISTS task_id_floor (id INTEGER NOT NULL);
`)
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('task_groups')").all()
  if (!columns.some((c) => c.name === 'gen')) db.exec('ALTER TABLE task_groups ADD COLUMN gen INTEGER NOT NULL DEFAULT 0')
}
