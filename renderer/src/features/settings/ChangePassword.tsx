import { useState } from 'react'
import { send } from '../../api/client'
import { ApiError } from '../../api/transport'
import { useSession } from '../../stores/session'

/**
 * The signed-in user's password. A wrong current password shows under its field and keeps the session:
 * only a "session gone" answer signs out (renderer/src/api/http.ts).
 */
export function ChangePassword({ title, onChanged }: { title: string; onChanged?: () => void }) {
  const setUser = useSession((s) => s.setUser)
  const [oldPassword, setOld] = useState('')
  const [newPassword, setNew] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; text: string; field?: string } | null>(null)
  const change = async () => {
    try {
      setUser(await send('session.changePassword', { oldPassword, newPassword }))
      setMessage({ ok: true, text: 'Password changed. Your other sessions were signed out.' })
      setOld('')
      setNew('')
      onChanged?.()
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message, field: e instanceof ApiError ? e.body.field : undefined })
    }
  }
  const fieldError = (field: string) =>
    message && !message.ok && message.field === field ? (
      <span className="error-text" role="alert" data-field={field}>
        {message.text}
      </span>
    ) : null
  return (
    <form
      className="card"
      aria-label="change password"
      onSubmit={(e) => {
        e.preventDefault()
        void change()
      }}
    >
      <h2>{title}</h2>
      <label>
        Current password
        <input type="password" autoComplete="current-password" value={oldPassword} onChange={(e) => setOld(e.target.value)} />
        {fieldError('oldPassword')}
      </label>
      <label>
        New password (at least 8 characters)
        <input type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} />
        {fieldError('newPassword')}
      </label>
      {message && (message.ok || !['oldPassword', 'newPassword'].includes(message.field ?? '')) && (
        <p className={message.ok ? 'ok-text' : 'error-text'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <button type="submit" className="primary">
        Change password
      </button>
    </form>
  )
}
