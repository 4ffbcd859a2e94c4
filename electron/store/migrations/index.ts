import initial from './001-initial'
import jobContext from './002-job-context'
import taskAttempts from './003-task-attempts'
import resultSetState from './008-result-set-state' // numbered 008 on its branch; renumbered at merge

// Append-only: a migration, once shipped, is never edited. Its position is its number (user_version).
export const MIGRATIONS: readonly string[] = [initial, jobContext, taskAttempts, resultSetState]
