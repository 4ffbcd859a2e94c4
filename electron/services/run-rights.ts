// Rights asked again when work starts (#9 §3). A job records who asked for it (its submitter) and
// whom it runs as (labels.executeUser, when that is someone else: a Linkis proxy, an admin naming a
// user). What was allowed when it was submitted is never trusted later: every attempt of every task
// (a first run, a retry, a job that waited in the queue, a task resumed after a restart) starts only
// if, now, its submitter's account is enabled, they still hold the right its executor needs (shell
// and Python: `scripts`), and they may still act as the user it runs as. The engine asks this
// (EngineOptions.startRefusal) and fails the task with the reason, without retrying it. An attempt
// already running is asked the same again whenever a user or a proxy grant changes (watchRunRights),
// and stopped when it is now refused.
// Graph writes are checked the same way, by the executors that write (graph/graph-rights.ts).

import { invalid } from '../../shared/errors'
import { SCRIPTS_RIGHT_LANGUAGES } from '../../shared/model'
import type { Store } from '../store'
import type { UserRecord } from '../store/user.repository'
import { SETTING_KEYS } from '../store/setting-keys'
import { runUser } from '../graph/graph-rights'
import { actAsRefusal, hasRight, type Owned } from './access'
import { borrowedNameProblem } from './users.service'

/** The names Settings → Linkis lets `username` act as (proxyUsers; '*' is any user who is not an admin). */
export function actAsGrants(settings: Store['settings'], username: string): string[] {
  return settings.get<Record<string, string[]>>(SETTING_KEYS.linkisProxyUsers, {})[username] ?? []
}

/**
 * Why no one may act as `name` through a proxy grant, or null: an account's exact name is that account
 * (whatever it reads as); any other must be a name no one else's (users.service borrowedNameProblem: no
 * reserved or look-alike name, `rillflow`, `adm1n`, no hidden character). The one rule for a name a
 * non-admin acts as (actAsRefusalNow) and for one a grant names when Settings saves it (saveProxyGrants).
 */
export const proxyUserProblem = (store: Pick<Store, 'users'>, name: string): string | null => borrowedNameProblem(store, name)

/**
 * Replaces the proxy grants (Settings → Linkis proxyUsers: login user → users they may act as, `*`
 * any user who is not an admin). Throws AppError invalid `bad_proxy_user` naming the grant's field
 * (`proxyUsers.<login user>`) and the name when a grant added here names a login user or a user to act
 * as whom proxyUserProblem refuses (act-as would refuse it on every call); nothing is saved then. A name
 * a grant held before is kept unchecked: stored by an earlier release, it must not block every later
 * save, and act-as refuses it anyway.
 */
export function saveProxyGrants(store: Pick<Store, 'settings' | 'users'>, grants: Record<string, string[]>): void {
  const before = store.settings.get<Record<string, string[]>>(SETTING_KEYS.linkisProxyUsers, {})
  for (const [user, targets] of Object.entries(grants)) {
    const had = Object.hasOwn(before, user) ? before[user] : undefined
    const field = `proxyUsers.${user}`
    const userProblem = had ? null : proxyUserProblem(store, user)
    if (userProblem) throw invalid('bad_proxy_user', `${field}: ${user} ${userProblem}: no one can sign in as it to use the grant`, field)
    for (const target of targets) {
      const problem = target === '*' || had?.includes(target) ? null : proxyUserProblem(store, target)
      if (problem) throw invalid('bad_proxy_user', `${field}: ${target} ${problem}: no one can act as it`, field)
    }
  }
  store.settings.set(SETTING_KEYS.linkisProxyUsers, grants)
}

/**
 * Why `user` may not act as `target` now, or null when they may: access.ts actAsRefusal with the
 * target's role now and the grants Settings lists for `user` now; for a non-admin, a target that is no
 * account must pass proxyUserProblem. Asked when a proxy is made, on every call that uses it (Linkis),
 * and when a job submitted as `target` starts (startRefusal).
 */
export function actAsRefusalNow(user: Pick<UserRecord, 'username' | 'isAdmin'>, target: string, store: Pick<Store, 'settings' | 'users'>): string | null {
  if (!user.isAdmin && target !== user.username) {
    const problem = proxyUserProblem(store, target) // a grant "*" lends no reserved or look-alike name (rillflow, adm1n)
    if (problem) return `${target} ${problem}`
  }
  return actAsRefusal(user, store.users.caller(target), actAsGrants(store.settings, user.username))
}

/** The parts of a task the start check reads: its executor, and its spec (`noAdmin`: runSpec). */
export interface StartingTask {
  executor: string
  spec: Record<string, unknown>
}

/**
 * Why a run may not start or go on, by the rule it breaks. `user` is the job's submitter;
 * `adminCounts`: the admin role could allow the run (the credential that submitted it granted the
 * role: not runSpec's noAdmin). Phrased by startReason (an attempt that is starting) or stopReason
 * (one that was running when a right went).
 */
export type RunRefusal = { user: string; adminCounts: boolean } & (
  | { rule: 'disabled' }
  | { rule: 'scripts'; executor: string }
  | { rule: 'target_disabled'; as: string }
  | { rule: 'act_as'; as: string; targetAdmin: boolean; why: string }
)

/**
 * The one rule for running a task of a job, read as users and settings are now: why `task` of `job`
 * may not run, or null when it may. Reads accounts through users.account (remembered until a user
 * changes) and the grants only for a job that runs as someone else. A submitter with no local
 * account (a Linkis Token-User) is a name with the user role and no rights, as when it submitted; a
 * deleted account is the same.
 */
export function createRunCheck(store: Pick<Store, 'settings' | 'users'>): (job: Owned, task: StartingTask) => RunRefusal | null {
  const account = (username: string) => store.users.account(username)
  return (job, task) => {
    const { submitter: user } = job
    const own = account(user)
    const adminCounts = task.spec.noAdmin !== true
    if (own?.disabled) return { rule: 'disabled', user, adminCounts }
    // the credential that submitted it may have been granted less than the account (runSpec's noAdmin)
    const asker = runUser({ username: user, isAdmin: own?.isAdmin ?? false, rights: own?.rights ?? [] }, task.spec)
    if (SCRIPTS_RIGHT_LANGUAGES.has(task.executor) && !hasRight(asker, 'scripts')) return { rule: 'scripts', user, adminCounts, executor: task.executor }
    const as = job.labels.executeUser
    if (as && as !== user) {
      if (account(as)?.disabled) return { rule: 'target_disabled', user, adminCounts, as }
      const target = store.users.caller(as)
      const why = actAsRefusal(asker, target, actAsGrants(store.settings, user))
      if (why) return { rule: 'act_as', user, adminCounts, as, targetAdmin: target.isAdmin, why }
    }
    return null
  }
}

/** A refusal as said to an attempt that is starting: what the user may not do any more. */
export function startReason(r: RunRefusal): string {
  switch (r.rule) {
    case 'disabled':
      return `${r.user}'s account has been disabled: no task of theirs starts any more`
    case 'scripts':
      return `${r.user} may no longer run ${r.executor}: ${r.executor} runs as the desktop user, which needs an admin or the "scripts" right an admin grants, and ${r.user} has neither now`
    case 'target_disabled':
      return `${r.as}'s account has been disabled: no task runs as them any more`
    case 'act_as':
      return `${r.user} may no longer act as ${r.as}: ${r.why}`
  }
}

/**
 * A refusal as said to an attempt that was running when something changed: what changed, and that
 * the run was stopped. `wasAdmin(name)`: whether that user was an admin before the change (a right
 * withdrawn and a role taken away read differently).
 */
export function stopReason(r: RunRefusal, wasAdmin: (username: string) => boolean): string {
  const demoted = r.adminCounts && wasAdmin(r.user)
  switch (r.rule) {
    case 'disabled':
      return `user ${r.user} was disabled, so this run of theirs was stopped`
    case 'scripts': {
      const what = demoted ? `${r.user} is no longer an admin and does not hold the scripts right` : `the scripts right was withdrawn from ${r.user}`
      return `${what}, so this ${r.executor} run was stopped (${r.executor} runs as the desktop user, which needs an admin or the "scripts" right)`
    }
    case 'target_disabled':
      return `user ${r.as}, whom this job runs as, was disabled, so this run was stopped`
    case 'act_as': {
      const what = r.targetAdmin
        ? `${r.as} was made an admin, and only admins may act as admins`
        : demoted
          ? `${r.user} is no longer an admin, and no grant lets them act as ${r.as}`
          : `the grant letting ${r.user} act as ${r.as} was withdrawn (Settings → Linkis, proxy users)`
      return `${what}, so this run as ${r.as} was stopped`
    }
  }
}

/**
 * The check the engine makes when an attempt of `task` of `job` starts (EngineOptions.startRefusal):
 * createRunCheck's refusal as startReason says it, or null when it may start.
 */
export function createStartCheck(store: Pick<Store, 'settings' | 'users'>): (job: Owned, task: StartingTask) => string | null {
  const check = createRunCheck(store)
  return (job, task) => {
    const refused = check(job, task)
    return refused && startReason(refused)
  }
}

/** The part of the engine watchRunRights drives (engine.ts Engine.stopRefused and Engine.failWhere). */
export interface RunStopper {
  stopRefused(check: (job: Owned, task: StartingTask) => string | null): number
  failWhere(check: (job: Owned) => string | null): number
}

/**
 * Why no work of `job` may start or resume now because an account it belongs to is disabled (its
 * submitter's, or that of the user it runs as: labels.executeUser), or null. Said to a job stopped
 * when that user was disabled (watchRunRights), and to a redo that would re-open one (createResumeCheck).
 */
export function disabledOwnerReason(store: Pick<Store, 'users'>, job: Owned): string | null {
  const user = job.submitter
  const noRole = () => false // stopReason words a disabled account the same whatever its role
  if (store.users.account(user)?.disabled) return stopReason({ rule: 'disabled', user, adminCounts: false }, noRole)
  const as = job.labels.executeUser
  if (as && as !== user && store.users.account(as)?.disabled) return stopReason({ rule: 'target_disabled', user, adminCounts: false, as }, noRole)
  return null
}

/**
 * Ends every unfinished job of the disabled users `names` (default: every disabled account) as failed
 * with disabledOwnerReason (Engine.failWhere): queued, running and waiting jobs, sub-flows included,
 * of which they are the submitter or the user the job runs as. Run when a user is disabled
 * (watchRunRights), and at start after recovery (app.ts), for a store in which an earlier release
 * stopped only their running attempts. Returns how many it stops.
 */
export function stopDisabledUsersWork(store: Pick<Store, 'users'>, engine: Pick<RunStopper, 'failWhere'>, names?: readonly string[]): number {
  const disabled = new Set(names ?? store.users.list().flatMap((u) => (u.disabled ? [u.username] : [])))
  if (!disabled.size) return 0
  return engine.failWhere((job) => (disabled.has(job.submitter) || (job.labels.executeUser !== undefined && disabled.has(job.labels.executeUser)) ? disabledOwnerReason(store, job) : null))
}

/**
 * The check the engine makes before a redo re-opens or resets work of `job` (EngineOptions
 * resumeRefusal): why it may not, or null. A job of a disabled user stays stopped, as it was
 * stopped when they were disabled; once re-enabled it may be redone again.
 */
export function createResumeCheck(store: Pick<Store, 'users'>): (job: Owned) => string | null {
  return (job) => {
    const why = disabledOwnerReason(store, job)
    return why && `${why}; it cannot be redone or woken while the account is disabled`
  }
}

/**
 * Keeps running attempts to the rule as rights change (#9 §3): after every change of a user
 * (users.onChange: role, disabled, rights, sessions) and of the Linkis proxy grants (settings), asks
 * createRunCheck of every attempt running now, and has the engine stop each one it refuses, failing
 * its task with stopReason (no retry). Returns the unsubscribe.
 */
export function watchRunRights(store: Pick<Store, 'settings' | 'users'>, engine: RunStopper): () => void {
  const check = createRunCheck(store)
  // each user's role as last seen, so that a run stopped after a change can say whether a role or a right went
  const roles = new Map(store.users.list().map((u) => [u.username, u.isAdmin]))
  const recheck = (wasAdmin: (username: string) => boolean) =>
    engine.stopRefused((job, task) => {
      const refused = check(job, task)
      return refused && stopReason(refused, wasAdmin)
    })
  const offUsers = store.users.onChange((id) => {
    const user = store.users.get(id)
    if (!user) return
    const before = roles.get(user.username) ?? false
    roles.set(user.username, user.isAdmin)
    recheck((name) => (name === user.username ? before : (roles.get(name) ?? false)))
    // a disabled user's every unfinished job stops, not only the attempts holding a slot: queued jobs,
    // and workflows waiting (suspense, flow_sync sub-flows) that hold none (new-user trial: a foreach
    // and its 20 sub-flows ran on 10+ s after the disable)
    if (user.disabled) stopDisabledUsersWork(store, engine, [user.username])
  })
  const offSettings = store.settings.onChange((key) => {
    if (key === SETTING_KEYS.linkisProxyUsers) recheck((name) => roles.get(name) ?? false)
  })
  return () => {
    offUsers()
    offSettings()
  }
}
