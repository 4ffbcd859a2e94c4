import { useState } from 'react'
import { useSession } from '../../stores/session'

export function LoginPage() {
  const login = useSession((s) => s.login)
  const error = useSession((s) => s.error)
  const [username, setUsername] = useState('admin')
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
        {error && <p className="error-text" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </div>
  )
}
