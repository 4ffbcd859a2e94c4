import { useState } from 'react'
import type { LinkisSettings } from '../../../../shared/api'
import { errorMessage } from '../shell/form-errors'
import { useAct } from '../shell/load-and-act'
import { SafeText } from '../shell/SafeText'
import { commaList } from './comma-list'

const EMPTY = { user: '', targets: '', editing: false }

/**
 * Linkis proxy grants (Settings proxyUsers: a login user → the users they may act as, `*` any user who
 * is not an admin), admins only. `save` stores the whole map with the tokens unchanged (LinkisTokens'
 * save of both), then `saved` reads the settings again; a refusal (bad_proxy_user names the grant's
 * field, `proxyUsers.<login user>`) keeps what was typed and marks the field, to be corrected.
 */
export function LinkisProxyUsers({ settings, save, saved }: { settings: LinkisSettings; save: (proxyUsers: Record<string, string[]>) => Promise<unknown>; saved: () => Promise<void> }) {
  const [draft, setDraft] = useState(EMPTY)
  const { message, act } = useAct(errorMessage, saved)
  const grants = Object.entries(settings.proxyUsers)
  const store = (proxyUsers: Record<string, string[]>, done: string) => act(() => save(proxyUsers), done)
  const submit = async () => {
    const user = draft.user.trim()
    const { [user]: _old, ...others } = settings.proxyUsers
    if (await store({ ...others, [user]: commaList(draft.targets) }, `Saved: ${user} may act as ${commaList(draft.targets).join(', ')}.`)) setDraft(EMPTY)
  }
  const remove = (user: string) => {
    const { [user]: _gone, ...others } = settings.proxyUsers
    void store(others, `Removed the grant of ${user}.`)
  }
  const invalid = message && !message.ok && message.field === `proxyUsers.${draft.user.trim()}`
  return (
    <section className="card" aria-label="Linkis proxy users">
      <h2>Linkis proxy users</h2>
      <p className="muted">
        A Linkis client signed in as the login user may act as the users listed (user/proxy, executeUser): * is any user who is not an admin. Only admins
        act as admins.
      </p>
      <table className="tasks">
        <thead>
          <tr>
            <th>Login user</th>
            <th>May act as</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {grants.map(([user, targets]) => (
            <tr key={user} data-grant={user}>
              <td className="name">
                <SafeText text={user} />
              </td>
              <td>
                <SafeText text={targets.join(', ')} />
              </td>
              <td>
                <span className="row-actions">
                  <button className="link" onClick={() => setDraft({ user, targets: targets.join(', '), editing: true })}>
                    Edit
                  </button>
                  <button className="link" onClick={() => remove(user)}>
                    Remove
                  </button>
                </span>
              </td>
            </tr>
          ))}
          {grants.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                No grants: each Linkis client acts as the user it signed in as.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="token-form"
        aria-label={draft.editing ? 'edit proxy grant' : 'new proxy grant'}
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <input aria-label="proxy login user" placeholder="Login user" value={draft.user} readOnly={draft.editing} onChange={(e) => setDraft({ ...draft, user: e.target.value })} />
        <input
          aria-label="proxy may act as"
          placeholder="user1, user2 or *"
          value={draft.targets}
          onChange={(e) => setDraft({ ...draft, targets: e.target.value })}
          {...(invalid ? { 'aria-invalid': true, 'aria-describedby': 'proxy-grant-error' } : {})}
        />
        <button type="submit" className="primary" disabled={!draft.user.trim() || commaList(draft.targets).length === 0}>
          {draft.editing ? 'Save grant' : 'Add grant'}
        </button>
        {draft.editing && (
          <button type="button" onClick={() => setDraft(EMPTY)}>
            Cancel
          </button>
        )}
      </form>
      {message && (
        <p id="proxy-grant-error" className={message.ok ? 'ok-text' : 'error-text'}>
          <SafeText text={message.text} />
        </p>
      )}
    </section>
  )
}
