import { useState } from 'react'
import { transportKind } from '../../api/client'
import { usePreferences } from '../../stores/preferences'
import { notificationAccess, type NotificationAccess } from '../shell/job-notifier'

/** Why browser notifications cannot show, or null when they can (or the desktop app shows them). */
function blockedReason(access: NotificationAccess): string | null {
  if (transportKind() === 'ipc') return null
  if (access === 'unsupported') return 'This browser has no desktop notifications.'
  if (access === 'denied') return 'This browser blocks notifications from this page: allow them in its site settings, then reload.'
  return null
}

/** The user's choice of a desktop notification when a job they started ends. */
export function NotificationSettings() {
  const prefs = usePreferences((s) => s.prefs)
  const error = usePreferences((s) => s.error)
  const set = usePreferences((s) => s.set)
  const [access, setAccess] = useState<NotificationAccess>(notificationAccess)
  const desktop = transportKind() === 'ipc'
  const reason = blockedReason(access)
  const toggle = async (on: boolean) => {
    if (on && !desktop && access === 'default') setAccess(await Notification.requestPermission())
    await set({ notifyJobEnds: on })
  }
  return (
    <section className="card" aria-label="notifications">
      <h2>Notifications</h2>
      <label className="check">
        <input type="checkbox" checked={prefs.notifyJobEnds && !reason} disabled={reason !== null} onChange={(e) => void toggle(e.target.checked)} />
        Notify me when a job I started ends (shown while JobDesk is not the window in front)
      </label>
      {reason && (
        <p className="muted" role="note">
          {reason}
        </p>
      )}
      {!reason && !desktop && prefs.notifyJobEnds && access === 'default' && (
        <p className="muted">
          This browser has not been asked yet whether this page may show notifications.{' '}
          <button type="button" className="link" onClick={() => void Notification.requestPermission().then(setAccess)}>
            Allow them
          </button>
        </p>
      )}
      {error && <p className="error-text">{error}</p>}
    </section>
  )
}
