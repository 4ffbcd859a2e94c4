import { useEffect } from 'react'
import { LoginPage } from './features/login/LoginPage'
import { Shell } from './features/shell/Shell'
import { useSession } from './stores/session'

export function App() {
  const status = useSession((s) => s.status)
  const start = useSession((s) => s.start)
  useEffect(() => {
    void start()
  }, [start])
  if (status === 'checking') return <div className="loading">Loading…</div>
  return status === 'signed-in' ? <Shell /> : <LoginPage />
}
