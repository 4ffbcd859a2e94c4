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

// Append-only: a migration, once shipped, is never edited. Its position is its number (user_version).
export const MIGRATIONS: readonly string[] = [initial, jobContext, taskAttempts, accounts, jobReruns, resultSetState, logTruncations, jobsByParent, accessKeys, graphWorkflows, savedScripts, foreachGroups, workflowOwners, jobValues, logStreams, resultSetBytes]
