import { useEffect, useState } from 'react'
import type { UserChange } from '../../../../shared/api'
import type { Role, UserAccount, UserChanged } from '../../../../shared/model'
import { formatCount } from '../../../../shared/number-format'
import { send } from '../../api/client'
import { useSession } from '../../stores/session'
import { formError } from '../shell/form-errors'
import { ActionMessageLine, useLoadAndAct } from '../shell/load-and-act'
import { ConfirmDialog } from '../jobs/ConfirmDialog'
import { ListStatus } from '../shell/ListStatus'
import { SafeText } from '../shell/SafeText'
import { fullTime } from '../jobs/format'
import { repeatProblem } from './password-repeat'

const CONFIRM_LABEL = 'Confirm password'
const EMPTY = { username: '', password: '', confirm: '', role: 'user' as Role, scripts: false }
/** The sessions a change ended, in words: "2 sessions of theirs ended", or that none was open. */
const sessionsEndedText = (n: number): string => (n === 0 ? 'no session of theirs was open' : `${formatCount(n)} session${n === 1 ? '' : 's'} of theirs ended`)

/** The new-user form's fields as its placeholders name them, for readable server errors. */
const USER_LABELS = { username: 'The user name', password: 'The password', role: 'The role', rights: 'The rights' }
const seen = (t: number | null) => (t ? fullTime(t) : 'never')
/** What disabling `u` stops, in words: "Their 2 running and 0 queued jobs will be stopped". */
export const disableStopsText = (u: Pick<UserAccount, 'jobsRunning' | 'jobsQueued'>): string =>
  `Their ${formatCount(u.jobsRunning)} running and ${formatCount(u.jobsQueued)} queued job${u.jobsRunning + u.jobsQueued === 1 ? '' : 's'} will be stopped`

/**
 * Users, for admins: create, role, the scripts right, disable, reset a password. Each user reaches only their own jobs.
 * `onSeen` hears each new read of the users (the Server settings show what follows from them).
 */
export function UsersSection({ onSeen }: { onSeen?: () => void }) {
  const me = useSession((s) => s.user)
  const { data: users, list, message, say, reload, act } = useLoadAndAct<UserAccount[]>(
    () => send('users.list', {}),
    (e) => formError(e, USER_LABELS).text,
  )
  useEffect(() => {
    if (users) onSeen?.()
  }, [users, onSeen])
  const [draft, setDraft] = useState(EMPTY)
  const [reset, setReset] = useState<{ name: string; password: string } | null>(null)
  /** The user whose Disable asks for a confirmation now (it stops all their jobs), or null. */
  const [disabling, setDisabling] = useState<string | null>(null)
  /** What is wrong with the confirm field, said before the server is asked (as the change-password form does); null when nothing. */
  const [confirmProblem, setConfirmProblem] = useState<string | null>(null)
  /** Why Add user cannot be pressed yet (its tooltip), or null when it can. */
  const missing = !draft.username.trim() ? 'Type a user name first' : !draft.password ? 'Type a password first' : null
  /**
   * Changes one field of the new-user form (`field`: its API name, as a refusal names it): an error
   * about that field, or the confirm problem for either password, goes as its input changes, so an
   * old error never stays under a new one.
   */
  const edit = (change: Partial<typeof EMPTY>, field: 'username' | 'password' | 'confirm' | 'role' | 'rights') => {
    setDraft({ ...draft, ...change })
    if (message && !message.ok && message.field === field) say(null)
    if (field === 'password' || field === 'confirm') setConfirmProblem(null)
  }
  const update = (change: UserChange, done: string | ((changed: UserChanged) => string)) => act(() => send('users.update', change), done)
  if (!users) {
    return (
      <section className="card" aria-label="users">
        <h2>Users</h2>
        <ListStatus load={list} rows={0} what="users" className="muted" retry={() => void reload()} empty={null} />
      </section>
    )
  }
  const others = users.length > 1 // any second account, disabled or admin too (tokenRequiredByUsers)
  return (
    <section className="card" aria-label="users">
      <h2>Users</h2>
      <p className="muted">
        Admins see and manage everything. A user sees only their own jobs, logs and results, in the app and in every API. SQL runs on each
        user’s own scratch database and is open to everyone; shell and Python run as the user this computer runs JobDesk as and can read
        whatever it can, so they need the <strong>scripts</strong> right. Rights apply at once: disabling a user stops every job of theirs
        that is queued or running, workflows waiting included, and taking the scripts right away stops their running shell and Python jobs (they fail, naming the change).
      </p>
      {others && (
        <p className="muted" role="note">
          With more than one user, Rill Flow clients must send a bearer token (from <code>POST /api/v1/login</code>) also from this computer:
          a call without one would otherwise act as the desktop user.
        </p>
      )}
      <table className="tasks users">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Scripts</th>
            <th>State</th>
            <th>Last seen</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const self = u.username === me?.username
            return (
              <tr key={u.username} data-user={u.username}>
                <td className="user-name">
                  <SafeText text={u.username} />
                  {u.mustChangePassword && <span className="muted"> (must change password)</span>}
                </td>
                <td>
                  <select aria-label={`role of ${u.username}`} value={u.role} disabled={self} onChange={(e) => void update({ name: u.username, role: e.target.value as Role }, `${u.username} is now ${e.target.value}.`)}>
                    <option value="user">user</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`scripts right of ${u.username}`}
                    checked={u.role === 'admin' || u.rights.includes('scripts')}
                    disabled={u.role === 'admin'}
                    onChange={(e) => void update({ name: u.username, rights: e.target.checked ? ['scripts'] : [] }, e.target.checked ? `Scripts granted to ${u.username}.` : `Scripts taken from ${u.username}; any of their shell and Python jobs still running were stopped.`)}
                  />
                </td>
                <td>{u.disabled ? 'disabled' : 'active'}</td>
                <td className="num">{seen(u.lastSeenAt)}</td>
                <td>
                  <span className="row-actions">
                    {!self && (
                      <button
                        className="link"
                        onClick={() => {
                          if (u.disabled) return void update({ name: u.username, disabled: false }, `${u.username} enabled.`)
                          // it stops every job of theirs: asked first, naming how many, read again now
                          setDisabling(u.username)
                          void reload()
                        }}
                      >
                        {u.disabled ? 'Enable' : 'Disable'}
                      </button>
                    )}
                    {!self && (
                      <button className="link" onClick={() => setReset({ name: u.username, password: '' })}>
                        Reset password
                      </button>
                    )}
                  </span>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {disabling &&
        (() => {
          const u = users.find((x) => x.username === disabling)
          const close = () => setDisabling(null)
          if (!u) return null
          return (
            <ConfirmDialog
              title={`Disable ${u.username}?`}
              confirm={`Disable ${u.username}`}
              danger
              onClose={close}
              onConfirm={() => {
                close()
                void update({ name: u.username, disabled: true }, (c) => `${u.username} disabled; ${sessionsEndedText(c.sessionsEnded)}, and every job of theirs still queued or running was stopped.`)
              }}
            >
              <p>
                {disableStopsText(u)} (they fail, naming the disable; sub-flows count as jobs), and their sessions end. Enabling them again later does not
                restart them.
              </p>
            </ConfirmDialog>
          )
        })()}
      {reset && (
        <form
          className="token-form"
          aria-label="reset password"
          onSubmit={(e) => {
            e.preventDefault()
            void update({ name: reset.name, password: reset.password }, (c) => `Password of ${reset.name} reset; ${sessionsEndedText(c.sessionsEnded)}; they choose a new one at their next sign-in.`).then((ok) => ok && setReset(null))
          }}
        >
          <input type="password" aria-label={`new password for ${reset.name}`} placeholder={`New password for ${reset.name}`} autoComplete="new-password" value={reset.password} onChange={(e) => setReset({ ...reset, password: e.target.value })} />
          <button type="submit" className="primary">
            Reset
          </button>
          <button type="button" onClick={() => setReset(null)}>
            Cancel
          </button>
        </form>
      )}
      <form
        className="token-form"
        aria-label="new user"
        onSubmit={(e) => {
          e.preventDefault()
          const problem = repeatProblem(draft.password, draft.confirm, CONFIRM_LABEL)
          setConfirmProblem(problem)
          // the last Add user's refusal is not about this try
          if (message && !message.ok) say(null)
          if (problem) return
          const body = { username: draft.username, password: draft.password, role: draft.role, rights: draft.scripts ? (['scripts'] as const).slice() : [] }
          void act(() => send('users.create', body), `User ${draft.username.trim().toLowerCase()} created; they choose their own password at first sign-in.`).then((ok) => ok && setDraft(EMPTY))
        }}
      >
        <label>
          User name
          <input aria-label="new user name" placeholder="User name" autoComplete="off" value={draft.username} onChange={(e) => edit({ username: e.target.value }, 'username')} />
        </label>
        <label>
          Password
          <input aria-label="new user password" type="password" placeholder="8+ characters" autoComplete="new-password" value={draft.password} onChange={(e) => edit({ password: e.target.value }, 'password')} />
        </label>
        <label>
          {CONFIRM_LABEL}
          <input
            aria-label="confirm new user password"
            type="password"
            placeholder="the same again"
            autoComplete="new-password"
            value={draft.confirm}
            onChange={(e) => edit({ confirm: e.target.value }, 'confirm')}
            {...(confirmProblem ? { 'aria-invalid': true, 'aria-describedby': 'new-user-confirm-problem' } : {})}
          />
        </label>
        <label>
          Role
          <select aria-label="new user role" value={draft.role} onChange={(e) => edit({ role: e.target.value as Role }, 'role')}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.scripts} onChange={(e) => edit({ scripts: e.target.checked }, 'rights')} />
          scripts
        </label>
        <button type="submit" className="primary" disabled={!!missing} title={missing ?? undefined}>
          Add user
        </button>
      </form>
      {confirmProblem && (
        <p className="error-text" role="alert" id="new-user-confirm-problem">
          {confirmProblem}
        </p>
      )}
      <ActionMessageLine message={message} reveal />
    </section>
  )
}
