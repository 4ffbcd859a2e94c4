import type { JobCodeView } from '../../stores/scripts'
import { useScripts } from '../../stores/scripts'
import { useSession } from '../../stores/session'
import { SafeText, visibleText } from '../shell/SafeText'
import { LANGUAGE_LABELS } from './languages'
import { mayOpenScript } from './unsaved-script'

/** Whose scratch database an SQL job ran in, as the viewer reads it: "your" or "bob’s". */
export const whoseScratch = (view: JobCodeView, me: string | undefined): string => (view.submitter === me ? 'your' : `${visibleText(view.submitter)}’s`)

/** The toolbar's hint while a job's code is shown: what it is, and (SQL) whose scratch database it ran in. */
export function jobCodeHint(view: JobCodeView, me: string | undefined): string {
  const who = view.submitter === me ? 'you' : visibleText(view.submitter)
  const ran = view.language === 'sql' ? ` It ran in ${whoseScratch(view, me)} scratch database.` : ''
  return `Job #${view.jobId}’s code as ${who} submitted it, read-only.${ran} “Back to my draft” or a language goes back to your editor.`
}

/**
 * A job's own code in the editor's place (opened from the Jobs page or a link), read-only and marked
 * as the job's: the user's drafts stay untouched underneath until "Copy into my draft" puts it into
 * one. Hidden characters show as SafeText marks.
 */
export function JobCodePane({ view }: { view: JobCodeView }) {
  const me = useSession((s) => s.user?.username)
  const close = useScripts((s) => s.closeJobCode)
  const restore = useScripts((s) => s.restore)
  return (
    <section className="sc-job-code" aria-label={`code of job ${view.jobId}`}>
      <div className="sc-editor-head" data-testid="job-code-tab">
        <span className="sc-script-name">
          Job #{view.jobId}’s {LANGUAGE_LABELS[view.language]} code
          {view.submitter !== me && (
            <>
              {' '}
              by <SafeText text={view.submitter} />
            </>
          )}
        </span>
        <span className="dirty-mark" title="The code this job ran: it cannot be edited here">
          read-only
        </span>
        <span className="sc-spacer" />
        <button
          className="link"
          onClick={() => void mayOpenScript(view.language).then((ok) => ok && restore(view))}
          title={`Put this code into your ${LANGUAGE_LABELS[view.language]} draft, to change and run it (asks first when the draft holds your own text)`}
        >
          Copy into my draft
        </button>
        <button className="link" onClick={close} title="Show your own draft in the editor again, with your own last run below (not this job's)">
          Back to my draft
        </button>
      </div>
      <pre className="code sc-job-code-text" data-testid="job-code" data-language={view.language}>
        <SafeText text={view.code} multiline />
      </pre>
    </section>
  )
}
