import initial from './001-initial'
import jobContext from './002-job-context'
import taskAttempts from './003-task-attempts'
import accounts from './004-accounts'
import jobReruns from './005-job-reruns'
import resultSetState from './006-result-set-state'
import logTruncations from './007-log-truncations'
import jobsByParent from './008-jobs-by-parent'
import accessKeys from './009-access-keys'
import graphWorkflows from './010-graph-workflows'
import savedScripts from './011-saved-scripts'
import foreachGroups from './012-foreach-groups'
import workflowOwners from './013-workflow-owners'
import jobValues from './014-job-values'
import logStreams from './015-log-streams'
import resultSetBytes from './016-result-set-bytes'
import defaultPassword from './017-default-password'
import resultRowsRowid from './018-result-rows-rowid'
import taskSpecs from './019-task-specs'
import taskSpecCode from './020-task-spec-code'
import retiredGraphWorkflowIds from './021-retired-graph-workflow-ids'
import savedScriptIds from './022-saved-script-ids'
import jobValueSharing from './023-job-value-sharing'
import workflowGrayRules from './024-workflow-gray-rules'
import engineHeartbeat from './025-engine-heartbeat'
import jobLabelIndexes from './026-job-label-indexes'
import taskSpecParts from './027-task-spec-parts'
import jobHistoryLabelIndexes from './028-job-history-label-indexes'
import groupContextParts from './029-group-context-parts'
import usersLastSeen from './030-users-last-seen'
import taskSpecPartHashes from './031-task-spec-part-hashes'
import rowSweeps from './032-row-sweeps'
import droppedTasks from './033-dropped-tasks'
import userResultBytes from './034-user-result-bytes'
import droppedTasksByRoot from './035-dropped-tasks-by-root'
import userKeptBytes from './036-user-kept-bytes'
import jobStateBytes from './037-job-state-bytes'
import userWorkflowBytes from './038-user-workflow-bytes'
import taskSpecBytes from './039-task-spec-bytes'
import jobStopAs from './040-job-stop-as'
import userLiveStateBytes from './041-user-live-state-bytes'
import jobTaskRows from './042-job-task-rows'
import liveInputBytes from './043-live-input-bytes'
import tasksByJobStatus from './044-tasks-by-job-status'
import tasksRetrying from './045-tasks-retrying'
import liveInputWeight from './046-live-input-weight'
import pendingRedos from './047-pending-redos'
import contextWeight from './048-context-weight'
import tasksByJob from './049-tasks-by-job'
import countedRemovals from './050-counted-removals'
import type { Db } from '../connection'

/**
 * One schema step: SQL, or a function of the connection for a step SQL cannot say (a check that lives
 * in code, a line to the user through `say`). Runs inside migrate()'s transaction; throws to undo it all.
 */
export type Migration = string | ((db: Db, say: (line: string) => void) => void)

// Append-only: a migration, once shipped, is never edited. Its position is its number (user_version).
// 024 (workflowGrayRules) is harmless if run again (a development database that ran it at position 23).
export const MIGRATIONS: readonly Migration[] = [initial, jobContext, taskAttempts, accounts, jobReruns, resultSetState, logTruncations, jobsByParent, accessKeys, graphWorkflows, savedScripts, foreachGroups, workflowOwners, jobValues, logStreams, resultSetBytes, defaultPassword, resultRowsRowid, taskSpecs, taskSpecCode, retiredGraphWorkflowIds, savedScriptIds, jobValueSharing, workflowGrayRules, engineHeartbeat, jobLabelIndexes, taskSpecParts, jobHistoryLabelIndexes, groupContextParts, usersLastSeen, taskSpecPartHashes, rowSweeps, droppedTasks, userResultBytes, droppedTasksByRoot, userKeptBytes, jobStateBytes, userWorkflowBytes, taskSpecBytes, jobStopAs, userLiveStateBytes, jobTaskRows, liveInputBytes, tasksByJobStatus, tasksRetrying, liveInputWeight, pendingRedos, contextWeight, tasksByJob, countedRemovals]

/** Runs one migration on `db` (tests build old-layout databases with it); `say` hears a step's note to the user. */
export function runMigration(db: Db, m: Migration, say: (line: string) => void = console.log): void {
  if (typeof m === 'string') db.exec(m)
  else m(db, say)
}
