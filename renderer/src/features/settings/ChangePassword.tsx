import { useState } from 'react'
import { send } from '../../api/client'
import { useSession } from '../../stores/session'
import { formError } from '../shell/form-errors'
import { repeatProblem } from './password-repeat'

/** The shortest password the server takes (session.changePassword's schema). */
export const MIN_PASSWORD = 8
const LABELS = { oldPassword: 'The current password', newPassword: 'The new password' }
const REPEAT_LABEL = 'Repeat the new password'
/** The fields that show their own error under them. */
const FIELDS = ['oldPassword', 'newPassword', 'confirm']
/**
 * What a change says. The server ends the user's other sessions, if any (auth.service changePassword):
 * worded so it holds for a first sign-in that has none.
 */
export const PASSWORD_CHANGED = 'Password changed. Any other sessions of yours were signed out.'

/**
 * The signed-in user's password, typed twice. A wrong current password shows under its field and keeps
 * the session: only a "session gone" answer signs out (renderer/src/api/http.ts). `currentPassword`
 * pre-fills the current one (the password just typed to sign in).
 */
export function ChangePassword({ title, onChanged, currentPassword = '' }: { title: string; onChanged?: () => void; currentPassword?: string }) {
  const setUser = useSession((s) => s.setUser)
  const [oldPassword, setOld] = useState(currentPassword)
  const [newPassword, setNew] = useState('')
  const [confirm, setConfirm] = useState('')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  // one error per field, all said at once: a user fixes every field before submitting again
  const [errors, setErrors] = useState<Record<string, string>>({})
  const change = async () => {
    // said before the server is asked, in the form's words
    const found: Record<string, string> = {}
    if (!oldPassword) found.oldPassword = `${LABELS.oldPassword} is required.`
    if (newPassword.length < MIN_PASSWORD) found.newPassword = `The new password needs at least ${MIN_PASSWORD} characters.`
    const repeated = repeatProblem(newPassword, confirm, REPEAT_LABEL)
    if (repeated) found.confirm = repeated
    setErrors(found)
    setMessage(null)
    if (Object.keys(found).length) return
    try {
      setUser(await send('session.changePassword', { oldPassword, newPassword }))
      setMessage({ ok: true, text: PASSWORD_CHANGED })
      setOld('')
      setNew('')
      setConfirm('')
      onChanged?.()
    } catch (e) {
      const { text, field } = formError(e, LABELS)
      if (field && FIELDS.includes(field)) setErrors({ [field]: text })
      else setMessage({ ok: false, text })
    }
  }
  const fieldError = (field: string) =>
    errors[field] ? (
      <span className="error-text" role="alert" data-field={field} id={`pw-error-${field}`}>
        {errors[field]}
      </span>
    ) : null
  const invalid = (field: string) => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `pw-error-${field}` } : {})
  return (
    <form
      className="card"
      aria-label="change password"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void change()
      }}
    >
      <h2>{title}</h2>
      <label>
        Current password
        <input type="password" autoComplete="current-password" value={oldPassword} onChange={(e) => setOld(e.target.value)} {...invalid('oldPassword')} />
        {fieldError('oldPassword')}
      </label>
      <label>
        New password (at least {MIN_PASSWORD} characters)
        <input type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} {...invalid('newPassword')} />
        {fieldError('newPassword')}
      </label>
      <label>
        {REPEAT_LABEL}
        <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} {...invalid('confirm')} />
        {fieldError('confirm')}
      </label>
      {message && (
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
