// Rights asked again when work starts (#9 §3). A job records who asked for it (its submitter) and
// whom it runs as (labels.executeUser, when that is someone else: a Linkis proxy, an admin naming a
// user). What was allowed when it was submitted is never trusted later: every attempt of every task
// (a first run, a retry, a job that waited in the queue, a task resumed after a restart) starts only
// if, now, its submitter's account is enabled, they still hold the right its executor needs (shell
// and Python: `scripts`), and they may still act as the user it runs as. The engine asks this
// (EngineOptions.startRefusal) and fails the task with the reason, without retrying it.
// Graph writes are checked the same way, by the executors that write (graph/graph-rights.ts).

import { SCRIPTS_RIGHT_LANGUAGES } from '../../shared/model'
import type { Store } from '../store'
import type { UserRecord } from '../store/user.repository'
import { SETTING_KEYS } from '../store/setting-keys'
import { runUser } from '../graph/graph-rights'
import { actAsRefusal, hasRight, type Owned } from './access'

/** The names Settings → Linkis lets `username` act as (proxyUsers; '*' is any user who is not an admin). */
export function actAsGrants(settings: Store['settings'], username: string): string[] {
  return settings.get<Record<string, string[]>>(SETTING_KEYS.linkisProxyUsers, {})[username] ?? []
}

/**
 * Why `user` may not act as `target` now, or null when they may: access.ts actAsRefusal with the
 * target's role now and the grants Settings lists for `user` now. Asked when a proxy is made, on
 * every call that uses it (Linkis), and when a job submitted as `target` starts (startRefusal).
 */
export function actAsRefusalNow(user: Pick<UserRecord, 'username' | 'isAdmin'>, target: string, store: Pick<Store, 'settings' | 'users'>): string | null {
  return actAsRefusal(user, store.users.caller(target), actAsGrants(store.settings, user.username))
}

/** The parts of a task the start check reads: its executor, and its spec (`noAdmin`: runSpec). */
export interface StartingTask {
  executor: string
  spec: Record<string, unknown>
}

/**
 * The check the engine makes when an attempt of `task` of `job` starts: why it may not start, or
 * null when it may. Reads the users and settings as they are now (users.account: remembered until a
 * user changes; the grants only for a job that runs as someone else). A submitter with no local
 * account (a Linkis Token-User) is a name with the user role and no rights, as when it submitted; a
 * deleted account is the same.
 */
export function createStartCheck(store: Pick<Store, 'settings' | 'users'>): (job: Owned, task: StartingTask) => string | null {
  const account = (username: string) => store.users.account(username)
  return (job, task) => {
    const { submitter } = job
    const own = account(submitter)
    if (own?.disabled) return `${submitter}'s account has been disabled: no task of theirs starts any more`
    // the credential that submitted it may have been granted less than the account (runSpec's noAdmin)
    const asker = runUser({ username: submitter, isAdmin: own?.isAdmin ?? false, rights: own?.rights ?? [] }, task.spec)
    if (SCRIPTS_RIGHT_LANGUAGES.has(task.executor) && !hasRight(asker, 'scripts')) {
      return `${submitter} may no longer run ${task.executor}: ${task.executor} runs as the desktop user, which needs an admin or the "scripts" right an admin grants, and ${submitter} has neither now`
    }
    const as = job.labels.executeUser
    if (as && as !== submitter) {
      if (account(as)?.disabled) return `${as}'s account has been disabled: no task runs as them any more`
      const refused = actAsRefusalNow(asker, as, store)
      if (refused) return `${submitter} may no longer act as ${as}: ${refused}`
    }
    return null
  }
}
