// Desktop notifications of the desktop app (#13.7): when a job the desktop user started ends while
// the window is not in front, the system shows it; a click brings the window back on that job.
import { Notification } from 'electron'
import { jobEndNotice } from '../../shared/preferences'
import { isTerminalJob } from '../../shared/status'
import type { Engine } from '../engine/engine'

/** Jobs already notified are remembered up to this many (a job ends once; the bound keeps memory flat). */
const REMEMBERED = 1000

export interface JobNotifierOptions {
  engine: Pick<Engine, 'on'>
  /** The desktop user: only their jobs are notified. */
  user: () => string
  /** The user's preference (Settings → Notifications). */
  enabled: (user: string) => boolean
  /** Whether the window is in front (then the page shows the change itself). */
  focused: () => boolean
  /** A click on a notification: show the window on this job. */
  open: (jobId: number) => void
}

/** Subscribes to job changes and shows a system notification for each of the user's jobs that ends; returns the unsubscribe. */
export function notifyJobEnds(o: JobNotifierOptions): () => void {
  const done = new Set<number>()
  return o.engine.on('job.changed', ({ job }) => {
    if (!isTerminalJob(job.status) || done.has(job.id)) return
    done.add(job.id)
    if (done.size > REMEMBERED) done.delete(done.values().next().value!)
    const user = o.user()
    if (job.submitter !== user || o.focused() || !o.enabled(user) || !Notification.isSupported()) return
    const notice = new Notification({ ...jobEndNotice(job), silent: job.status === 'succeeded' })
    notice.on('click', () => o.open(job.id))
    notice.show()
  })
}
