import initial from './001-initial'
import jobContext from './002-job-context'
import taskAttempts from './003-task-attempts'
import jobsByParent from './006-jobs-by-parent'

// Append-only: a migration, once shipped, is never edited. Its position is its number (user_version).
export const MIGRATIONS: readonly string[] = [initial, jobContext, taskAttempts, jobsByParent]
