// Desktop notifications in the browser (#13.7): when a job the signed-in user started ends while the
// page is not in front, the browser's Notification API shows it; a click brings the tab back on that
// job. The desktop app shows them from its main process instead (electron/main/notifications.ts).
import { jobEndNotice } from '../../../../shared/preferences'
import { isTerminalJob } from '../../../../shared/status'
import { onEvent } from '../../api/client'
import { usePreferences } from '../../stores/preferences'
import { useSession } from '../../stores/session'

/** What the browser lets this page do: show notifications, ask first, never, or there is no such API. */
export type NotificationAccess = NotificationPermission | 'unsupported'

export const notificationAccess = (): NotificationAccess => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission)

/** Starts watching the user's jobs; returns the stop. Jobs that ended before they were seen running here are not notified. */
export function startJobNotifier(open: (jobId: number) => void): () => void {
  const running = new Set<number>()
  return onEvent((event) => {
    if (event.type !== 'job.changed') return
    const job = event.data.job
    if (job.submitter !== useSession.getState().user?.username) return
    if (!isTerminalJob(job.status)) {
      running.add(job.id)
      return
    }
    if (!running.delete(job.id)) return
    const inFront = document.visibilityState === 'visible' && document.hasFocus()
    if (inFront || !usePreferences.getState().prefs.notifyJobEnds || notificationAccess() !== 'granted') return
    const { title, body } = jobEndNotice(job)
    const notice = new Notification(title, { body, tag: `jobdesk-job-${job.id}` }) // one per job across tabs
    notice.onclick = () => {
      window.focus()
      open(job.id)
      notice.close()
    }
  })
}
