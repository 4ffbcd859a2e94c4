import { mayRunLanguage } from '../../../../shared/model'
import { useSession } from '../../stores/session'

/**
 * What the empty, unfiltered Jobs list says: where jobs come from, by what this user can do. The
 * "New shell job" button is offered only with the scripts right (shell runs as the desktop user), so
 * a user without it is pointed at what they have (newuser3: carl was told to press a button he lacked).
 */
export function NoJobsYet() {
  const mayRunShell = useSession((s) => (s.user ? mayRunLanguage(s.user, 'shell') : false))
  return mayRunShell
    ? 'No jobs yet. Submit one with “New shell job”, on the Scripts or Workflows page, or through the API.'
    : 'No jobs yet. Run an SQL or Cypher script on the Scripts page or a workflow on the Workflows page, or submit one through the API.'
}
