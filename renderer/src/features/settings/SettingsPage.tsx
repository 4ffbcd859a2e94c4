import { useState } from 'react'
import { send } from '../../api/client'
import { useSession } from '../../stores/session'
import { LinkisTokens } from './LinkisTokens'
import { ServerSettings } from './ServerSettings'

export function SettingsPage() {
  const user = useSession((s) => s.user)
  const setUser = useSession((s) => s.setUser)
  const [oldPassword, setOld] = useState('')
  const [newPassword, setNew] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const change = async () => {
    try {
      setUser(await send('session.changePassword', { oldPassword, newPassword }))
      setMessage({ ok: true, text: 'Password changed.' })
      setOld('')
      setNew('')
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message })
    }
  }
  return (
    <div className="page">
      <h1>Settings</h1>
      <form
        className="card"
        aria-label="change password"
        onSubmit={(e) => {
          e.preventDefault()
          void change()
        }}
      >
        <h2>Password of {user?.username}</h2>
        <label>
          Current password
          <input type="password" autoComplete="current-password" value={oldPassword} onChange={(e) => setOld(e.target.value)} />
        </label>
        <label>
          New password (at least 8 characters)
          <input type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} />
        </label>
        {message && <p className={message.ok ? 'ok-text' : 'error-text'}>{message.text}</p>}
        <button type="submit" className="primary">
          Change password
        </button>
      </form>
      <ServerSettings canEdit={user?.isAdmin ?? false} />
      {user?.isAdmin && <LinkisTokens />}
    </div>
  )
}
