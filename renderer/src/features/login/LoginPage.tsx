import { useState } from 'react'
import { useSession } from '../../stores/session'
import { useNow } from '../jobs/use-now'

/** After a backed-off sign-in's message: the seconds until one can succeed, counting down, then that one can. */
function RetryCountdown({ at }: { at: number }) {
  const now = useNow(true)
  const seconds = Math.ceil((at - now) / 1000)
  return <span data-testid="sign-in-retry">{seconds > 0 ? ` Try again in ${seconds} s.` : ' You can try again now.'}</span>
}

export function LoginPage() {
  const login = useSession((s) => s.login)
  const error = useSession((s) => s.error)
  const retryAt = useSession((s) => s.retryAt)
  // a user whose session ended signs in again as themselves, not as the admin the first run suggests
  const [username, setUsername] = useState(() => useSession.getState().lastUser ?? 'admin')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  return (
    <div className="login">
      <form
        className="card"
        aria-label="sign in"
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          void login(username, password).finally(() => setBusy(false))
        }}
      >
        <h1>JobDesk</h1>
        <p className="muted">Sign in to the local job center.</p>
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="error-text" role="alert">
            {error}
            {retryAt !== null && <RetryCountdown at={retryAt} />}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </div>
  )
}
