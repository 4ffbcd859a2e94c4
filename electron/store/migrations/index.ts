import initial from './001-initial'
import jobContext from './002-job-context'
import taskAttempts from './003-task-attempts'
import jobReruns from './005-job-reruns' // 004 is another branch's: renumbered at merge

// Append-only: a migration, once shipped, is never edited. Its position is its number (user_version).
export const MIGRATIONS: readonly string[] = [initial, jobContext, taskAttempts, jobReruns]
