// Who may reach what: the one rule, owner-or-admin, that every transport and dialect applies
// (native API and IPC through the operation handlers, Linkis, Rill Flow, the event stream), plus
// the admin-only and scripts-right checks.

import { mayReach, type Owned, type Reacher } from '../../shared/access-rule'
import { AppError, notFound } from '../../shared/errors'
import type { AppEvent } from '../../shared/events'
import { HTTP_ROUTES } from '../../shared/api'
import { RIGHTS, SCRIPTS_RIGHT_LANGUAGES, type Right } from '../../shared/model'
import type { UserRecord } from '../store/user.repository'

// the owner-or-admin rule lives in shared/ so the graph subsystem (which may not import services) applies it too
export { mayReach, ownersOf, type Owned, type Reacher } from '../../shared/access-rule'

/**
 * A caller as one credential grants them: a local user, or only a name (a Linkis Token-User without
 * an account), never with more role or rights than the user it names. `actsAs` adds the names a
 * session may act as (a Linkis proxy user); `sessionTokenHash` is the session it came with, if any.
 */
export type Actor = UserRecord & { actsAs?: readonly string[]; sessionTokenHash?: string }

/** Where every dialect's caller changes their own password (native API; the UI's Settings call it). */
export const PASSWORD_CHANGE_ROUTE = `${HTTP_ROUTES['session.changePassword'].method} ${HTTP_ROUTES['session.changePassword'].path}`
/** AppError code of a call refused until its user changes a password an admin set. */
export const PASSWORD_CHANGE_REQUIRED = 'password_change_required'

/**
 * The one rule every dialect's authentication applies once it knows the user (#9): a password an
 * admin set (a new account, a reset) opens nothing until its user chooses their own; only who-am-I,
 * sign-out and the change itself go through, and those routes skip this check. The first admin's
 * built-in default is not held here (the UI asks, "Not now" puts it off; it works only from
 * loopback). Throws AppError forbidden `password_change_required`, which each dialect words in its
 * own envelope. A boolean test per request: no lookup.
 */
export function assertPasswordChosen(user: Pick<UserRecord, 'mustChangePassword' | 'defaultPassword'>): void {
  if (user.mustChangePassword && !user.defaultPassword) {
    throw new AppError('forbidden', PASSWORD_CHANGE_REQUIRED, `password must be changed before use: an admin set this password; choose your own with ${PASSWORD_CHANGE_ROUTE} {"oldPassword", "newPassword"} (or in JobDesk's Settings), then call again`)
  }
}

/**
 * The job when the caller may reach it (owner or admin). Otherwise throws `unknown()`: the very error
 * the route answers an id that names no job, so another user's job cannot be told from none and a
 * second user cannot probe which ids exist or whose they are (#9 §3). `job` undefined is unknown too.
 */
export function reachable<J extends Owned>(actor: Reacher, job: J | undefined, unknown: () => Error): J {
  if (!job || !mayReach(actor, job)) throw unknown()
  return job
}

/** reachable for a job that exists; `unknown` defaults to the native unknown job (not_found `job_not_found`). */
export function assertMayReach(actor: Reacher, job: Owned & { id: number }, unknown: () => Error = () => notFound('job', job.id)): void {
  reachable(actor, job, unknown)
}

/** The owner a job list is limited to: none for admins, the caller's own name otherwise. */
export const listOwner = (actor: Actor): string | undefined => (actor.isAdmin ? undefined : actor.username)

/**
 * Why `actor` may not act as `target` (run work as them, read what is theirs), or null when they may:
 * the one rule for every way of acting as another user (a Linkis proxy user, a Linkis submit's
 * executeUser). Oneself always; an admin anyone; nobody else an admin, whatever they were granted
 * (acting as an admin would lift a plain user to the admin role, #9 §3); otherwise the names in
 * `granted`, where '*' is any user who is not an admin. `target.isAdmin` is the role now
 * (users.caller), so a user promoted later is out of reach at once.
 */
export function actAsRefusal(actor: Pick<Actor, 'username' | 'isAdmin'>, target: { username: string; isAdmin: boolean }, granted: readonly string[]): string | null {
  if (target.username === actor.username || actor.isAdmin) return null
  if (target.isAdmin) return `${target.username} is an admin, and only admins may act as admins (a proxy grant "*" means any user who is not an admin)`
  if (granted.includes('*') || granted.includes(target.username)) return null
  return `no admin has let ${actor.username} act as ${target.username}`
}

/**
 * A task spec that runs as `user` for `actor`: `{...spec, user}`, plus `noAdmin: true` unless the
 * actor (the credential that submits) is an admin. Executors look the run's user up by name when it
 * runs (users.caller); `noAdmin` keeps the run from the admin role a credential did not grant: a
 * non-admin Linkis token naming an admin, a proxied run (#9 §3). A `noAdmin` already in `spec` is
 * replaced (a rerun asks again for its new submitter). Executors read it with graph-rights.ts runUser.
 */
export function runSpec(spec: Record<string, unknown>, user: string, actor: Pick<Actor, 'isAdmin'>): Record<string, unknown> {
  const { noAdmin: _old, ...rest } = spec
  return actor.isAdmin ? { ...rest, user } : { ...rest, user, noAdmin: true }
}


export function assertAdmin(actor: Actor, what: string): void {
  if (!actor.isAdmin) throw new AppError('forbidden', 'admins_only', `only an admin may ${what}`)
}

export function hasRight(actor: Pick<UserRecord, 'isAdmin' | 'rights'>, right: Right): boolean {
  return actor.isAdmin || actor.rights.includes(right)
}

/** The effective rights of a user: all of them for an admin. */
export const rightsOf = (actor: Pick<UserRecord, 'isAdmin' | 'rights'>): Right[] => (actor.isAdmin ? [...RIGHTS] : [...actor.rights])

/**
 * Shell and Python run as the desktop user and can read whatever it can, so they are for admins and
 * for users an admin granted the `scripts` right. SQL runs on the user's own scratch database and
 * stays open to everyone.
 */
export function assertMayRun(actor: Actor, executor: string): void {
  if (SCRIPTS_RIGHT_LANGUAGES.has(executor) && !hasRight(actor, 'scripts')) {
    throw new AppError(
      'forbidden',
      'scripts_not_allowed',
      `${executor} jobs run as the desktop user: only admins, and users an admin granted the "scripts" right, may run them (SQL is open to everyone)`,
      { field: 'language' },
    )
  }
}

/**
 * Which pushed events (shared/events.ts) an actor may receive: everything for admins; otherwise only
 * those of jobs they may reach and of workflows they own. `jobOf` looks a job up by id; answers are cached (a job's owners never
 * change), at most `cacheSize` of them.
 */
export function eventFilter(actor: Actor, jobOf: (id: number) => Owned | undefined, cacheSize = 10_000): (event: AppEvent) => boolean {
  if (actor.isAdmin) return () => true
  const seen = new Map<number, boolean>()
  const reachable = (id: number): boolean => {
    let ok = seen.get(id)
    if (ok === undefined) {
      const job = jobOf(id)
      ok = job !== undefined && mayReach(actor, job)
      if (seen.size >= cacheSize) seen.delete(seen.keys().next().value!)
      seen.set(id, ok)
    }
    return ok
  }
  return (event) => {
    if (event.type === 'job.changed') return mayReach(actor, event.data.job)
    if (event.type === 'workflow.changed') return event.data.owner === actor.username // workflows/rillflow/ownership.ts: owner-or-admin
    return reachable(event.data.jobId)
  }
}
