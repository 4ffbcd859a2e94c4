import { useEffect } from 'react'
import { LoginPage } from './features/login/LoginPage'
import { PasswordPrompt } from './features/login/PasswordPrompt'
import { Shell } from './features/shell/Shell'
import { useSession } from './stores/session'

export function App() {
  const status = useSession((s) => s.status)
  const start = useSession((s) => s.start)
  const choosingPassword = useSession((s) => s.choosingPassword)
  useEffect(() => {
    void start()
  }, [start])
  if (status === 'checking') return <div className="loading">Loading…</div>
  if (status !== 'signed-in') return <LoginPage />
  // before anything else: a default or reset password is replaced (or the prompt skipped for now)
  if (choosingPassword) return <PasswordPrompt />
  return <Shell />
}
